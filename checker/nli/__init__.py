"""The NLI comparator: model backends (``backends``), their self-check on load (``selfcheck``), the
text the model sees for a claim (``input_text``) and the CPU facts that decide kernels (``cpu``).
The shipped model's files are in ``shipped/``."""
