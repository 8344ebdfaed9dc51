"""Instalments of multi-year pledges

A pledge may now carry a schedule of instalments (amount and due date), each counted for the
chairmanship in office on its due date. Existing pledges have none and are read as before: the
whole amount for the pledge's own chairmanship.

Revision ID: 3ee4e7453df2
Revises: 47629b464820
Create Date: 2026-12-07 04:57:23.653427

"""

from alembic import op
import sqlalchemy as sa

import workplan.models.types


# revision identifiers, used by Alembic.
revision = "3ee4e7453df2"
down_revision = "47629b464820"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "instalments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pledge_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column(
            "amount", workplan.models.types.ExactDecimal(precision=18, scale=2), nullable=False
        ),
        sa.Column("created_at", workplan.models.types.UTCDateTime(), nullable=False),
        sa.Column("updated_at", workplan.models.types.UTCDateTime(), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_instalments_amount_positive")),
        sa.ForeignKeyConstraint(
            ["pledge_id"], ["pledges.id"], name=op.f("fk_instalments_pledge_id_pledges")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_instalments")),
        sa.UniqueConstraint("pledge_id", "due_on", name=op.f("uq_instalments_pledge_id_due_on")),
    )
    with op.batch_alter_table("instalments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_instalments_due_on"), ["due_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_instalments_pledge_id"), ["pledge_id"], unique=False)


def downgrade():
    with op.batch_alter_table("instalments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_instalments_pledge_id"))
        batch_op.drop_index(batch_op.f("ix_instalments_due_on"))

    op.drop_table("instalments")
