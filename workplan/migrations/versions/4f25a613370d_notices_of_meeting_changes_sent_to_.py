"""Notices of meeting changes sent to focal points

Revision ID: 4f25a613370d
Revises: 414f0df4c0e5
Create Date: 2026-12-07 15:28:17.246305

"""

from alembic import op
import sqlalchemy as sa

import workplan.models.types


# revision identifiers, used by Alembic.
revision = "4f25a613370d"
down_revision = "414f0df4c0e5"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "meeting_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("sent_at", workplan.models.types.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "method IN ('REQUEST', 'CANCEL')", name=op.f("ck_meeting_notices_method_known")
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_notices_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_meeting_notices_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_notices")),
        sa.UniqueConstraint(
            "meeting_id",
            "sequence",
            "user_id",
            name=op.f("uq_meeting_notices_meeting_id_sequence_user_id"),
        ),
    )
    with op.batch_alter_table("meeting_notices", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_notices_meeting_id"), ["meeting_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_meeting_notices_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("meeting_notices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_notices_user_id"))
        batch_op.drop_index(batch_op.f("ix_meeting_notices_meeting_id"))

    op.drop_table("meeting_notices")
