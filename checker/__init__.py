"""The pipeline, the NLI comparator, verdicts, reports, the CLI, the gate and the store."""
