"""Multi-day programmes: sessions of a meeting, and whether calendars get one event per session

Revision ID: 0534142401c7
Revises: b70dcf86ad98
Create Date: 2026-12-07 15:49:15.264796

"""

from alembic import op
import sqlalchemy as sa

import workplan.models.types


# revision identifiers, used by Alembic.
revision = "0534142401c7"
down_revision = "b70dcf86ad98"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "meeting_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("title_fr", sa.String(length=300), nullable=True),
        sa.Column("title_es", sa.String(length=300), nullable=True),
        sa.Column("room", sa.String(length=120), nullable=True),
        sa.Column("starts_at", workplan.models.types.UTCDateTime(), nullable=False),
        sa.Column("ends_at", workplan.models.types.UTCDateTime(), nullable=False),
        sa.Column("created_at", workplan.models.types.UTCDateTime(), nullable=False),
        sa.Column("updated_at", workplan.models.types.UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('plenary', 'parallel', 'break')", name=op.f("ck_meeting_sessions_kind_known")
        ),
        sa.CheckConstraint(
            "ends_at > starts_at", name=op.f("ck_meeting_sessions_ends_after_start")
        ),
        sa.CheckConstraint("length(title) > 0", name=op.f("ck_meeting_sessions_title_given")),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_sessions_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_sessions")),
    )
    with op.batch_alter_table("meeting_sessions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_meeting_sessions_meeting_starts_at", ["meeting_id", "starts_at"], unique=False
        )

    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("sessions_in_feed", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_column("sessions_in_feed")

    with op.batch_alter_table("meeting_sessions", schema=None) as batch_op:
        batch_op.drop_index("ix_meeting_sessions_meeting_starts_at")

    op.drop_table("meeting_sessions")
