"""Each treatment names its screening modality (clinic.yml), so the catalogue can hold several
treatments of one modality and the booking gate checks the right screening status.

Existing rows get their code as modality where the code is a modality (the catalogue so far).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

MODALITIES = ("microneedling", "microneedling_prp", "rf_microneedling")


def upgrade() -> None:
    with op.batch_alter_table("treatments") as batch:
        batch.add_column(sa.Column("modality", sa.String(length=32), nullable=True))
    treatments = sa.table("treatments", sa.column("code", sa.String), sa.column("modality", sa.String))
    op.execute(treatments.update().where(treatments.c.code.in_(MODALITIES)).values(modality=treatments.c.code))


def downgrade() -> None:
    with op.batch_alter_table("treatments") as batch:
        batch.drop_column("modality")
