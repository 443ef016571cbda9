"""Rule checks: each a small named check comparing two aligned claims.

The registry lives in :mod:`rules.registry`; each check's settings come from ``rules/rules.yaml``
(or a user's copy passed with ``--rules``).
"""
