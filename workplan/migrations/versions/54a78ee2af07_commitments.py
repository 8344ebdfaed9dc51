"""Commitments of governments and organisations, and their periodic reports

Revision ID: 54a78ee2af07
Revises: 8f2a9f18af97
Create Date: 2026-12-07 21:00:00.758419

"""

from alembic import op
import sqlalchemy as sa

import workplan.models.types


# revision identifiers, used by Alembic.
revision = "54a78ee2af07"
down_revision = "8f2a9f18af97"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "commitments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("title_fr", sa.String(length=300), nullable=True),
        sa.Column("title_es", sa.String(length=300), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("government_id", sa.Integer(), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("registered_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("resources", sa.Text(), nullable=True),
        sa.Column("report_every_months", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("percent_complete", sa.Integer(), nullable=False),
        sa.Column("created_at", workplan.models.types.UTCDateTime(), nullable=False),
        sa.Column("updated_at", workplan.models.types.UTCDateTime(), nullable=False),
        sa.Column("archived_at", workplan.models.types.UTCDateTime(), nullable=True),
        sa.Column("is_demo", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "status IN ('on_track', 'delayed', 'achieved', 'withdrawn')",
            name=op.f("ck_commitments_status_known"),
        ),
        sa.CheckConstraint(
            "(CASE WHEN government_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN organisation_id IS NULL THEN 0 ELSE 1 END) = 1",
            name=op.f("ck_commitments_one_owner"),
        ),
        sa.CheckConstraint(
            "due_on >= registered_on", name=op.f("ck_commitments_due_after_registered")
        ),
        sa.CheckConstraint(
            "length(description) > 0", name=op.f("ck_commitments_description_given")
        ),
        sa.CheckConstraint("length(title) > 0", name=op.f("ck_commitments_title_given")),
        sa.CheckConstraint(
            "percent_complete BETWEEN 0 AND 100", name=op.f("ck_commitments_percent_in_range")
        ),
        sa.CheckConstraint(
            "report_every_months IN (3, 6, 12)", name=op.f("ck_commitments_reporting_period_known")
        ),
        sa.ForeignKeyConstraint(
            ["government_id"],
            ["governments.id"],
            name=op.f("fk_commitments_government_id_governments"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_commitments_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commitments")),
    )
    with op.batch_alter_table("commitments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_commitments_government_id"), ["government_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_commitments_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "commitment_partner_governments",
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("government_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["commitments.id"],
            name=op.f("fk_commitment_partner_governments_commitment_id_commitments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["government_id"],
            ["governments.id"],
            name=op.f("fk_commitment_partner_governments_government_id_governments"),
        ),
        sa.PrimaryKeyConstraint(
            "commitment_id", "government_id", name=op.f("pk_commitment_partner_governments")
        ),
    )
    with op.batch_alter_table("commitment_partner_governments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_commitment_partner_governments_government_id"),
            ["government_id"],
            unique=False,
        )

    op.create_table(
        "commitment_partner_organisations",
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["commitments.id"],
            name=op.f("fk_commitment_partner_organisations_commitment_id_commitments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_commitment_partner_organisations_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint(
            "commitment_id", "organisation_id", name=op.f("pk_commitment_partner_organisations")
        ),
    )
    with op.batch_alter_table("commitment_partner_organisations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_commitment_partner_organisations_organisation_id"),
            ["organisation_id"],
            unique=False,
        )

    op.create_table(
        "commitment_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", workplan.models.types.UTCDateTime(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("percent_complete", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "status IN ('on_track', 'delayed', 'achieved', 'withdrawn')",
            name=op.f("ck_commitment_reports_status_known"),
        ),
        sa.CheckConstraint("length(text) > 0", name=op.f("ck_commitment_reports_text_given")),
        sa.CheckConstraint(
            "percent_complete BETWEEN 0 AND 100",
            name=op.f("ck_commitment_reports_percent_in_range"),
        ),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["commitments.id"],
            name=op.f("fk_commitment_reports_commitment_id_commitments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_commitment_reports_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commitment_reports")),
    )
    with op.batch_alter_table("commitment_reports", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_commitment_reports_commitment_id"), ["commitment_id"], unique=False
        )

    op.create_table(
        "commitment_themes",
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["commitments.id"],
            name=op.f("fk_commitment_themes_commitment_id_commitments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"], ["themes.id"], name=op.f("fk_commitment_themes_theme_id_themes")
        ),
        sa.PrimaryKeyConstraint("commitment_id", "theme_id", name=op.f("pk_commitment_themes")),
    )
    with op.batch_alter_table("commitment_themes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_commitment_themes_theme_id"), ["theme_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("commitment_themes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commitment_themes_theme_id"))

    op.drop_table("commitment_themes")
    with op.batch_alter_table("commitment_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commitment_reports_commitment_id"))

    op.drop_table("commitment_reports")
    with op.batch_alter_table("commitment_partner_organisations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commitment_partner_organisations_organisation_id"))

    op.drop_table("commitment_partner_organisations")
    with op.batch_alter_table("commitment_partner_governments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commitment_partner_governments_government_id"))

    op.drop_table("commitment_partner_governments")
    with op.batch_alter_table("commitments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commitments_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_commitments_government_id"))

    op.drop_table("commitments")
