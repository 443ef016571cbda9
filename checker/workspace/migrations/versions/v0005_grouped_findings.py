"""Near-identical findings grouped into one.

Revision ID: 0005_grouped_findings
Revises: 0004_review_wrong_side
Create Date: 2027-02-15

The checker groups near-identical findings (one outlet saying the same thing in a summary
bullet and in the body) into one: the first keeps its fingerprint and lists the others' places
(``checker.findings.Finding.also_at``). So that a verdict given on a finding before it was
grouped still stands for the group:

* ``findings.grouped_fingerprints``: the fingerprints of the findings grouped into this one
  (JSON list); NULL when nothing was grouped (every finding already stored);
* ``findings.also_at``: their places (JSON list of ``Place`` records), for the finding page;
  NULL when nothing was grouped;
* ``findings.grouped_into``: for a stored finding that the latest check grouped into another
  (status ``grouped``), that finding's fingerprint; NULL otherwise.

Three nullable columns without server defaults, so SQLite adds them in place (``ALTER TABLE ...
ADD COLUMN``): no table is copied and no row is rewritten. The downgrade marks the ``grouped``
findings ``resolved`` (the status the older store gave them) and drops the columns (``ALTER
TABLE ... DROP COLUMN``, SQLite 3.35 or newer); reviews are kept.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_grouped_findings"
down_revision: str | Sequence[str] | None = "0004_review_wrong_side"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("findings", sa.Column("grouped_fingerprints", sa.JSON(), nullable=True))
    op.add_column("findings", sa.Column("also_at", sa.JSON(), nullable=True))
    op.add_column("findings", sa.Column("grouped_into", sa.String(64), nullable=True))


def downgrade() -> None:
    op.execute(sa.text("UPDATE findings SET status = 'resolved' WHERE status = 'grouped'"))
    op.drop_column("findings", "grouped_into")
    op.drop_column("findings", "also_at")
    op.drop_column("findings", "grouped_fingerprints")
