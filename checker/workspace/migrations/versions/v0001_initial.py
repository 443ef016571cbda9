"""The review store's tables as they were before versioned migrations.

Revision ID: 0001_initial
Revises:
Create Date: 2026-12-01

A store written before there were revisions (``Base.metadata.create_all`` on every open, no
``alembic_version`` table) has exactly these tables and is stamped at this revision
(:func:`checker.workspace.store.upgrade_schema`). The tables are written out here, not taken
from the models, so that this revision keeps creating this schema when the models move on.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001_initial"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def schema() -> sa.MetaData:
    """The tables of this revision (index names as ``mapped_column(index=True)`` made them)."""
    metadata = sa.MetaData()
    sa.Table(
        "events",
        metadata,
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("checked_signature", sa.String(64), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
    )
    sa.Table(
        "articles",
        metadata,
        sa.Column("content_id", sa.String(64), primary_key=True),
        sa.Column("identity", sa.Text, nullable=False, index=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("latest", sa.Boolean, nullable=False, index=True),
        sa.Column("article_id", sa.Text, nullable=False),
        sa.Column("outlet", sa.Text, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("published", sa.String(40), nullable=True),
        sa.Column("line", sa.Integer, nullable=False),
        sa.Column("warnings", sa.JSON, nullable=False),
        sa.Column("source_lines", sa.JSON, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("event_id", sa.String(32), sa.ForeignKey("events.id"), index=True),
        sa.Column("ingested_at", sa.String(40), nullable=False),
        sa.Column("embedding", sa.LargeBinary, nullable=True),
        sa.Column("entities", sa.JSON, nullable=True),
    )
    sa.Table(
        "claims",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "article",
            sa.String(64),
            sa.ForeignKey("articles.content_id"),
            nullable=False,
            index=True,
        ),
        sa.Column("claim_id", sa.Text, nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("cluster", sa.Text, nullable=False),
        sa.UniqueConstraint("article", "claim_id"),
    )
    sa.Table(
        "findings",
        metadata,
        sa.Column("fingerprint", sa.String(64), primary_key=True),
        sa.Column("event_id", sa.String(32), sa.ForeignKey("events.id"), index=True),
        sa.Column("check", sa.String(64), nullable=False),
        sa.Column("verdict", sa.String(32), nullable=False),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("explanation", sa.Text, nullable=False),
        sa.Column("cluster", sa.Text, nullable=False),
        sa.Column("nli", sa.JSON, nullable=True),
        sa.Column("a", sa.JSON, nullable=False),
        sa.Column("b", sa.JSON, nullable=False),
        sa.Column("a_article", sa.String(64), sa.ForeignKey("articles.content_id")),
        sa.Column("b_article", sa.String(64), sa.ForeignKey("articles.content_id")),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("first_seen", sa.String(40), nullable=False),
        sa.Column("last_seen", sa.String(40), nullable=False),
    )
    sa.Table(
        "store_meta",
        metadata,
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    sa.Table(
        "reviews",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "fingerprint",
            sa.String(64),
            sa.ForeignKey("findings.fingerprint"),
            nullable=False,
            index=True,
        ),
        sa.Column("verdict", sa.String(16), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("reviewer", sa.Text, nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
    )
    return metadata


def upgrade() -> None:
    schema().create_all(op.get_bind(), checkfirst=False)


def downgrade() -> None:
    schema().drop_all(op.get_bind(), checkfirst=False)
