"""The CI gate: which findings fail a run (``decide``), the reviewed baseline (``baseline``) and
the formats CI systems read (``formats``: JUnit, SARIF, GitHub annotations, job summary)."""
