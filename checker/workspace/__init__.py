"""The fact-checkers' workspace: the review store (``store``, SQLite or PostgreSQL), article
identity (``identity``), ingest (``ingest``), event grouping (``events``), exports (``exports``)
and the review web app (``review_app``, Flask, templates in ``templates/review``)."""
