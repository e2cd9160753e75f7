"""A handoff ticket can be urgent: the visitor named a red flag while waiting for a person, so the staff
see it first (the triage level, and when).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("handoff_tickets") as batch:
        batch.add_column(sa.Column("urgency", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("urgent_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("handoff_tickets") as batch:
        batch.drop_column("urgent_at")
        batch.drop_column("urgency")
