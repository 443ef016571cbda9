"""The review store's schema migrations (Alembic): ``env.py`` and the revisions in ``versions/``.

:func:`checker.workspace.store.connect` runs them (``upgrade_schema``): no ``alembic.ini`` is
needed at run time. ``alembic.ini`` here is for writing a new revision (see ``README.md``).
"""
