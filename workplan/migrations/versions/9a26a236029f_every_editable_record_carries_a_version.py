"""Every editable record carries a version

Chairmanships, governments, organisations, government teams, roundtables, work plans and
objectives get the counter deliverables, meetings, agenda items and pledges already have, so an
edit made from a stale copy of any of them is refused. Existing rows start at version 1.

Revision ID: 9a26a236029f
Revises: 9b2e41db25d0
Create Date: 2026-12-06 23:10:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "9a26a236029f"
down_revision = "9b2e41db25d0"
branch_labels = None
depends_on = None

TABLES = (
    "chairmanships",
    "governments",
    "organisations",
    "government_teams",
    "roundtables",
    "work_plans",
    "objectives",
)


def upgrade():
    for table in TABLES:
        # The server default fills the rows already there; the app sets the version itself.
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("version", sa.Integer(), nullable=False, server_default="1")
            )
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column("version", server_default=None)


def downgrade():
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("version")
