"""Documents in, claims out: readers, sentences, claims, attributes, alignment."""
