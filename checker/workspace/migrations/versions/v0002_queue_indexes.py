"""Composite indexes for the review queue of one event and for an event's member articles.

Revision ID: 0002_queue_indexes
Revises: 0001_initial
Create Date: 2026-12-01

The queue of one event and the re-check of an event ask for ``findings`` by ``event_id`` and
``status``; the event pages, the stale-event scan and the events list ask for ``articles`` by
``event_id`` and ``latest`` (one query per event). Each had only a one-column index on
``event_id``; the two-column indexes answer those queries and also every query on ``event_id``
alone (their first column), so the one-column indexes go.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0002_queue_indexes"
down_revision: str | Sequence[str] | None = "0001_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_findings_event_id_status", "findings", ["event_id", "status"])
    op.create_index("ix_articles_event_id_latest", "articles", ["event_id", "latest"])
    op.drop_index("ix_findings_event_id", table_name="findings")
    op.drop_index("ix_articles_event_id", table_name="articles")


def downgrade() -> None:
    op.create_index("ix_articles_event_id", "articles", ["event_id"])
    op.create_index("ix_findings_event_id", "findings", ["event_id"])
    op.drop_index("ix_articles_event_id_latest", table_name="articles")
    op.drop_index("ix_findings_event_id_status", table_name="findings")
