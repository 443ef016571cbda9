"""Batch checking of a day's feed: read every article, group them into events with blocking,
check every event with the models loaded once (in this process or on a Ray cluster), and write
one report per event plus indexes (``crossclaim batch``; see docs/scale.md)."""
