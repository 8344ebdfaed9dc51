"""Meetings' titles and descriptions, and agenda items' titles, in French and Spanish

Revision ID: 51f1b229f8c1
Revises: 4f25a613370d
Create Date: 2026-12-07 15:31:26.201522

"""

from alembic import op
import sqlalchemy as sa

import workplan.models.types


# revision identifiers, used by Alembic.
revision = "51f1b229f8c1"
down_revision = "4f25a613370d"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("agenda_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("title_fr", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("title_es", sa.String(length=300), nullable=True))

    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("title_fr", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("title_es", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("description_fr", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("description_es", sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_column("description_es")
        batch_op.drop_column("description_fr")
        batch_op.drop_column("title_es")
        batch_op.drop_column("title_fr")

    with op.batch_alter_table("agenda_items", schema=None) as batch_op:
        batch_op.drop_column("title_es")
        batch_op.drop_column("title_fr")
