"""Minutes with every version, and meetings' decisions and action items

Revision ID: b70dcf86ad98
Revises: 51f1b229f8c1
Create Date: 2026-12-07 15:36:50.296539

"""

from alembic import op
import sqlalchemy as sa

import workplan.models.types


# revision identifiers, used by Alembic.
revision = "b70dcf86ad98"
down_revision = "51f1b229f8c1"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "minutes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("circulated_at", workplan.models.types.UTCDateTime(), nullable=True),
        sa.Column("approved_at", workplan.models.types.UTCDateTime(), nullable=True),
        sa.Column("created_at", workplan.models.types.UTCDateTime(), nullable=False),
        sa.Column("updated_at", workplan.models.types.UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "state IN ('draft', 'circulated', 'approved')", name=op.f("ck_minutes_state_known")
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_minutes_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_minutes")),
        sa.UniqueConstraint("meeting_id", name=op.f("uq_minutes_meeting_id")),
    )
    op.create_table(
        "meeting_outcomes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("agenda_item_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("government_id", sa.Integer(), nullable=True),
        sa.Column("deliverable_id", sa.Integer(), nullable=True),
        sa.Column("created_at", workplan.models.types.UTCDateTime(), nullable=False),
        sa.Column("updated_at", workplan.models.types.UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "kind = 'action' OR (due_on IS NULL AND government_id IS NULL AND deliverable_id IS NULL)",
            name=op.f("ck_meeting_outcomes_only_actions_are_owed"),
        ),
        sa.CheckConstraint(
            "kind IN ('decision', 'action')", name=op.f("ck_meeting_outcomes_kind_known")
        ),
        sa.CheckConstraint("length(text) > 0", name=op.f("ck_meeting_outcomes_text_given")),
        sa.ForeignKeyConstraint(
            ["agenda_item_id"],
            ["agenda_items.id"],
            name=op.f("fk_meeting_outcomes_agenda_item_id_agenda_items"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["deliverable_id"],
            ["deliverables.id"],
            name=op.f("fk_meeting_outcomes_deliverable_id_deliverables"),
        ),
        sa.ForeignKeyConstraint(
            ["government_id"],
            ["governments.id"],
            name=op.f("fk_meeting_outcomes_government_id_governments"),
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_outcomes_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_outcomes")),
    )
    with op.batch_alter_table("meeting_outcomes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_outcomes_agenda_item_id"), ["agenda_item_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_meeting_outcomes_deliverable_id"), ["deliverable_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_meeting_outcomes_meeting_id"), ["meeting_id"], unique=False
        )

    op.create_table(
        "minutes_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("minutes_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("saved_at", workplan.models.types.UTCDateTime(), nullable=False),
        sa.Column("saved_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "state != 'approved' OR reason IS NOT NULL",
            name=op.f("ck_minutes_revisions_amendment_says_why"),
        ),
        sa.CheckConstraint(
            "state IN ('draft', 'circulated', 'approved')",
            name=op.f("ck_minutes_revisions_state_known"),
        ),
        sa.ForeignKeyConstraint(
            ["minutes_id"],
            ["minutes.id"],
            name=op.f("fk_minutes_revisions_minutes_id_minutes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["saved_by_id"], ["users.id"], name=op.f("fk_minutes_revisions_saved_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_minutes_revisions")),
        sa.UniqueConstraint(
            "minutes_id", "number", name=op.f("uq_minutes_revisions_minutes_id_number")
        ),
    )
    with op.batch_alter_table("minutes_revisions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_minutes_revisions_minutes_id"), ["minutes_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("minutes_revisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_minutes_revisions_minutes_id"))

    op.drop_table("minutes_revisions")
    with op.batch_alter_table("meeting_outcomes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_outcomes_meeting_id"))
        batch_op.drop_index(batch_op.f("ix_meeting_outcomes_deliverable_id"))
        batch_op.drop_index(batch_op.f("ix_meeting_outcomes_agenda_item_id"))

    op.drop_table("meeting_outcomes")
    op.drop_table("minutes")
