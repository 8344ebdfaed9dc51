"""Agenda items belong to a session of the programme

Revision ID: 892d661238ed
Revises: 0534142401c7
Create Date: 2026-12-07 17:46:51.160379

"""

from contextlib import contextmanager

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "892d661238ed"
down_revision = "0534142401c7"
branch_labels = None
depends_on = None


@contextmanager
def _foreign_keys_off_on_sqlite():
    """SQLite cannot add a foreign key to a table in place, so Alembic rebuilds agenda_items:
    copied, dropped, renamed. Dropping it with foreign keys enforced would fire the ON DELETE
    of the decisions and action items that point at it, so enforcement is off meanwhile. The
    pragma is ignored inside a transaction, hence the autocommit blocks."""
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        with op.get_context().autocommit_block():
            op.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
    finally:
        if sqlite:
            with op.get_context().autocommit_block():
                op.execute("PRAGMA foreign_keys=ON")


def upgrade():
    with (
        _foreign_keys_off_on_sqlite(),
        op.batch_alter_table("agenda_items", schema=None) as batch_op,
    ):
        batch_op.add_column(sa.Column("session_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_agenda_items_session_id"), ["session_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_agenda_items_session_id_meeting_sessions"),
            "meeting_sessions",
            ["session_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with (
        _foreign_keys_off_on_sqlite(),
        op.batch_alter_table("agenda_items", schema=None) as batch_op,
    ):
        batch_op.drop_constraint(
            batch_op.f("fk_agenda_items_session_id_meeting_sessions"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_agenda_items_session_id"))
        batch_op.drop_column("session_id")
