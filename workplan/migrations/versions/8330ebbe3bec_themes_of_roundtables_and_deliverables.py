"""Roundtables and deliverables filed under the shared themes

Revision ID: 8330ebbe3bec
Revises: 54a78ee2af07
Create Date: 2026-12-07 21:39:22.878414

"""

from alembic import op
import sqlalchemy as sa

import workplan.models.types


# revision identifiers, used by Alembic.
revision = "8330ebbe3bec"
down_revision = "54a78ee2af07"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "roundtable_themes",
        sa.Column("roundtable_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["roundtable_id"],
            ["roundtables.id"],
            name=op.f("fk_roundtable_themes_roundtable_id_roundtables"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"], ["themes.id"], name=op.f("fk_roundtable_themes_theme_id_themes")
        ),
        sa.PrimaryKeyConstraint("roundtable_id", "theme_id", name=op.f("pk_roundtable_themes")),
    )
    with op.batch_alter_table("roundtable_themes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_roundtable_themes_theme_id"), ["theme_id"], unique=False
        )

    op.create_table(
        "deliverable_themes",
        sa.Column("deliverable_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["deliverable_id"],
            ["deliverables.id"],
            name=op.f("fk_deliverable_themes_deliverable_id_deliverables"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"], ["themes.id"], name=op.f("fk_deliverable_themes_theme_id_themes")
        ),
        sa.PrimaryKeyConstraint("deliverable_id", "theme_id", name=op.f("pk_deliverable_themes")),
    )
    with op.batch_alter_table("deliverable_themes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_deliverable_themes_theme_id"), ["theme_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("deliverable_themes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deliverable_themes_theme_id"))

    op.drop_table("deliverable_themes")
    with op.batch_alter_table("roundtable_themes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_roundtable_themes_theme_id"))

    op.drop_table("roundtable_themes")
