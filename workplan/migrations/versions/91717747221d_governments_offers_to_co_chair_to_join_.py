"""Governments' offers to co-chair, to join a team, or to propose a theme

Revision ID: 91717747221d
Revises: 7c3c13cf6ba8
Create Date: 2026-12-08 00:32:08.906963

"""

from alembic import op
import sqlalchemy as sa

import workplan.models.types


# revision identifiers, used by Alembic.
revision = "91717747221d"
down_revision = "7c3c13cf6ba8"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "offers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("government_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("roundtable_id", sa.Integer(), nullable=True),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("theme", sa.String(length=200), nullable=True),
        sa.Column("chairmanship_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("offered_by_id", sa.Integer(), nullable=True),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answered_at", workplan.models.types.UTCDateTime(), nullable=True),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", workplan.models.types.UTCDateTime(), nullable=False),
        sa.Column("updated_at", workplan.models.types.UTCDateTime(), nullable=False),
        sa.Column("is_demo", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(kind = 'co_chair') = (roundtable_id IS NOT NULL)", name=op.f("ck_offers_co_chair_of")
        ),
        sa.CheckConstraint(
            "(kind = 'team') = (team_id IS NOT NULL)", name=op.f("ck_offers_team_joined")
        ),
        sa.CheckConstraint(
            "(state = 'pending') = (answered_at IS NULL)", name=op.f("ck_offers_answered_once")
        ),
        sa.CheckConstraint(
            "kind IN ('co_chair', 'team', 'theme')", name=op.f("ck_offers_kind_known")
        ),
        sa.CheckConstraint(
            "state IN ('pending', 'accepted', 'declined', 'withdrawn')",
            name=op.f("ck_offers_state_known"),
        ),
        sa.CheckConstraint(
            "(CASE WHEN roundtable_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN team_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN theme IS NULL THEN 0 ELSE 1 END) = 1",
            name=op.f("ck_offers_one_subject"),
        ),
        sa.CheckConstraint("length(reason) > 0", name=op.f("ck_offers_reason_given")),
        sa.ForeignKeyConstraint(
            ["answered_by_id"], ["users.id"], name=op.f("fk_offers_answered_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["chairmanship_id"],
            ["chairmanships.id"],
            name=op.f("fk_offers_chairmanship_id_chairmanships"),
        ),
        sa.ForeignKeyConstraint(
            ["government_id"], ["governments.id"], name=op.f("fk_offers_government_id_governments")
        ),
        sa.ForeignKeyConstraint(
            ["offered_by_id"], ["users.id"], name=op.f("fk_offers_offered_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["roundtable_id"], ["roundtables.id"], name=op.f("fk_offers_roundtable_id_roundtables")
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["government_teams.id"], name=op.f("fk_offers_team_id_government_teams")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offers")),
    )
    with op.batch_alter_table("offers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_offers_government_id"), ["government_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_offers_roundtable_id"), ["roundtable_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_offers_team_id"), ["team_id"], unique=False)


def downgrade():
    with op.batch_alter_table("offers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_offers_team_id"))
        batch_op.drop_index(batch_op.f("ix_offers_roundtable_id"))
        batch_op.drop_index(batch_op.f("ix_offers_government_id"))

    op.drop_table("offers")
