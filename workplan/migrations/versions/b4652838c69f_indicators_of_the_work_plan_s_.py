"""Indicators of the work plan's objectives, and their values year by year

Revision ID: b4652838c69f
Revises: 321407714a31
Create Date: 2026-12-07 18:09:19.339384

"""

from alembic import op
import sqlalchemy as sa

import workplan.models.types


# revision identifiers, used by Alembic.
revision = "b4652838c69f"
down_revision = "321407714a31"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "indicators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("objective_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("name_fr", sa.String(length=300), nullable=True),
        sa.Column("name_es", sa.String(length=300), nullable=True),
        sa.Column("unit", sa.String(length=40), nullable=False),
        sa.Column("direction", sa.String(length=4), nullable=False),
        sa.Column(
            "baseline_value",
            workplan.models.types.ExactDecimal(precision=20, scale=4),
            nullable=True,
        ),
        sa.Column("baseline_year", sa.Integer(), nullable=True),
        sa.Column(
            "target_value", workplan.models.types.ExactDecimal(precision=20, scale=4), nullable=True
        ),
        sa.Column("target_year", sa.Integer(), nullable=True),
        sa.Column("sdg_indicator", sa.String(length=10), nullable=True),
        sa.Column("created_at", workplan.models.types.UTCDateTime(), nullable=False),
        sa.Column("updated_at", workplan.models.types.UTCDateTime(), nullable=False),
        sa.Column("archived_at", workplan.models.types.UTCDateTime(), nullable=True),
        sa.Column("is_demo", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "direction IN ('up', 'down')", name=op.f("ck_indicators_direction_known")
        ),
        sa.CheckConstraint(
            "(baseline_value IS NULL) = (baseline_year IS NULL)",
            name=op.f("ck_indicators_baseline_has_its_year"),
        ),
        sa.CheckConstraint(
            "(target_value IS NULL) = (target_year IS NULL)",
            name=op.f("ck_indicators_target_has_its_year"),
        ),
        sa.CheckConstraint("length(name) > 0", name=op.f("ck_indicators_name_given")),
        sa.CheckConstraint(
            "target_year IS NULL OR baseline_year IS NULL OR target_year > baseline_year",
            name=op.f("ck_indicators_target_after_baseline"),
        ),
        sa.ForeignKeyConstraint(
            ["objective_id"], ["objectives.id"], name=op.f("fk_indicators_objective_id_objectives")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicators")),
    )
    with op.batch_alter_table("indicators", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_indicators_objective_id"), ["objective_id"], unique=False
        )

    op.create_table(
        "indicator_values",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column(
            "value", workplan.models.types.ExactDecimal(precision=20, scale=4), nullable=False
        ),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("entered_by_id", sa.Integer(), nullable=True),
        sa.Column("entered_at", workplan.models.types.UTCDateTime(), nullable=False),
        sa.CheckConstraint("length(source) > 0", name=op.f("ck_indicator_values_source_given")),
        sa.CheckConstraint(
            "year BETWEEN 1990 AND 2100", name=op.f("ck_indicator_values_year_plausible")
        ),
        sa.ForeignKeyConstraint(
            ["entered_by_id"],
            ["users.id"],
            name=op.f("fk_indicator_values_entered_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicators.id"],
            name=op.f("fk_indicator_values_indicator_id_indicators"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_values")),
        sa.UniqueConstraint(
            "indicator_id", "year", name=op.f("uq_indicator_values_indicator_id_year")
        ),
    )
    with op.batch_alter_table("indicator_values", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_indicator_values_indicator_id"), ["indicator_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("indicator_values", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicator_values_indicator_id"))

    op.drop_table("indicator_values")
    with op.batch_alter_table("indicators", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicators_objective_id"))

    op.drop_table("indicators")
