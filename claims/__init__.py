"""Documents in, claims out: readers, sentences, claims, attributes, alignment."""

from claims.torchless import import_thinc_without_torch

import_thinc_without_torch()  # spaCy's thinc would import torch, which no claims/ code uses
