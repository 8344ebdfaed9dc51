"""Exchange rates by month, and a chairmanship's budget by line

The secretariat's table of monthly rates lets every total convert an amount at the rate for
its date; budget lines hold a chairmanship's requirements, which pledges may be set against.
Existing pledges and payments are carried over unchanged: no pledge is set against a line, and
rates recorded on them still override the table.

Revision ID: 47629b464820
Revises: 9a26a236029f
Create Date: 2026-12-07 04:37:00.581607

"""

from alembic import op
import sqlalchemy as sa

import workplan.models.types


# revision identifiers, used by Alembic.
revision = "47629b464820"
down_revision = "9a26a236029f"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "exchange_rates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column(
            "rate", workplan.models.types.ExactDecimal(precision=20, scale=8), nullable=False
        ),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("created_at", workplan.models.types.UTCDateTime(), nullable=False),
        sa.Column("updated_at", workplan.models.types.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "length(currency) = 3 AND upper(currency) = currency AND lower(currency) != currency",
            name=op.f("ck_exchange_rates_currency_code"),
        ),
        sa.CheckConstraint("rate > 0", name=op.f("ck_exchange_rates_rate_positive")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_rates")),
        sa.UniqueConstraint("currency", "month", name=op.f("uq_exchange_rates_currency_month")),
    )
    op.create_table(
        "budget_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chairmanship_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_fr", sa.String(length=200), nullable=True),
        sa.Column("name_es", sa.String(length=200), nullable=True),
        sa.Column(
            "amount", workplan.models.types.ExactDecimal(precision=18, scale=2), nullable=False
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", workplan.models.types.UTCDateTime(), nullable=False),
        sa.Column("updated_at", workplan.models.types.UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_budget_lines_amount_not_negative")),
        sa.ForeignKeyConstraint(
            ["chairmanship_id"],
            ["chairmanships.id"],
            name=op.f("fk_budget_lines_chairmanship_id_chairmanships"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget_lines")),
        sa.UniqueConstraint(
            "chairmanship_id", "name", name=op.f("uq_budget_lines_chairmanship_id_name")
        ),
    )
    with op.batch_alter_table("budget_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_budget_lines_chairmanship_id"), ["chairmanship_id"], unique=False
        )

    with op.batch_alter_table("pledges", schema=None) as batch_op:
        batch_op.add_column(sa.Column("budget_line_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_pledges_budget_line_id"), ["budget_line_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_pledges_budget_line_id_budget_lines"),
            "budget_lines",
            ["budget_line_id"],
            ["id"],
        )


def downgrade():
    with op.batch_alter_table("pledges", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_pledges_budget_line_id_budget_lines"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_pledges_budget_line_id"))
        batch_op.drop_column("budget_line_id")

    with op.batch_alter_table("budget_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_budget_lines_chairmanship_id"))

    op.drop_table("budget_lines")
    op.drop_table("exchange_rates")
