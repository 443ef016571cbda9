"""Documents in, claims out: readers, sentence splitting, claim extraction, attributes, alignment."""
