"""Delegations' comments on circulated minutes

Revision ID: 321407714a31
Revises: 892d661238ed
Create Date: 2026-12-07 17:55:42.110759

"""

from alembic import op
import sqlalchemy as sa

import workplan.models.types


# revision identifiers, used by Alembic.
revision = "321407714a31"
down_revision = "892d661238ed"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "minutes_comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("minutes_id", sa.Integer(), nullable=False),
        sa.Column("revision_number", sa.Integer(), nullable=False),
        sa.Column("government_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", workplan.models.types.UTCDateTime(), nullable=False),
        sa.CheckConstraint("length(text) > 0", name=op.f("ck_minutes_comments_text_given")),
        sa.CheckConstraint("revision_number > 0", name=op.f("ck_minutes_comments_revision_named")),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_minutes_comments_author_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["government_id"],
            ["governments.id"],
            name=op.f("fk_minutes_comments_government_id_governments"),
        ),
        sa.ForeignKeyConstraint(
            ["minutes_id"],
            ["minutes.id"],
            name=op.f("fk_minutes_comments_minutes_id_minutes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_minutes_comments")),
    )
    with op.batch_alter_table("minutes_comments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_minutes_comments_government_id"), ["government_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_minutes_comments_minutes_id"), ["minutes_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("minutes_comments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_minutes_comments_minutes_id"))
        batch_op.drop_index(batch_op.f("ix_minutes_comments_government_id"))

    op.drop_table("minutes_comments")
