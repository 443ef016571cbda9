"""Whose account a verdict judged wrong.

Revision ID: 0004_review_wrong_side
Revises: 0003_assignment_undo
Create Date: 2027-02-01

* ``reviews.wrong_side``: whose account the reviewer judged wrong with the verdict: ``a``, ``b``,
  ``both`` or ``neither`` (the store checks the value, ``store.check_wrong_side``); NULL for
  every verdict already stored (not said), so their ClaimReview ratings stay as they were.

One nullable column without a server default, so SQLite adds it in place (``ALTER TABLE ... ADD
COLUMN``): no table is copied and no row is rewritten. The downgrade drops it with ``ALTER TABLE
... DROP COLUMN`` (SQLite 3.35 or newer), and with it every recorded wrong side.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_review_wrong_side"
down_revision: str | Sequence[str] | None = "0003_assignment_undo"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("reviews", sa.Column("wrong_side", sa.String(8), nullable=True))


def downgrade() -> None:
    op.drop_column("reviews", "wrong_side")
