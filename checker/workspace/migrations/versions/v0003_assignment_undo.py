"""Assignment of findings to reviewers, and verdicts that can be taken back.

Revision ID: 0003_assignment_undo
Revises: 0002_queue_indexes
Create Date: 2027-01-15

* ``findings.assigned_to`` (the reviewer's name, as typed) and ``findings.assigned_at``: who a
  finding is assigned to, and since when; NULL for every finding already stored (nobody).
* ``reviews.undone_at``: when a reviewer took the verdict back; NULL for every verdict already
  stored (they all stand). An undone verdict stays in the history.

Only nullable columns without server defaults are added, so SQLite adds them in place
(``ALTER TABLE ... ADD COLUMN``): no table is copied and no row is rewritten. The downgrade drops
them with ``ALTER TABLE ... DROP COLUMN`` (SQLite 3.35 or newer), again in place.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_assignment_undo"
down_revision: str | Sequence[str] | None = "0002_queue_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("findings", sa.Column("assigned_to", sa.Text, nullable=True))
    op.add_column("findings", sa.Column("assigned_at", sa.String(40), nullable=True))
    op.add_column("reviews", sa.Column("undone_at", sa.String(40), nullable=True))


def downgrade() -> None:
    op.drop_column("reviews", "undone_at")
    op.drop_column("findings", "assigned_at")
    op.drop_column("findings", "assigned_to")
