"""Co-chairs may be given the publishing of their roundtable's meetings, and the forum's other
kinds of meeting (thematic, pledging, Platform for Partnerships, Common Space) have names.

Revision ID: 7c3c13cf6ba8
Revises: bb8194aac121
Create Date: 2026-12-08 00:02:30.999614

"""

from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

revision = "7c3c13cf6ba8"
down_revision = "bb8194aac121"
branch_labels = None
depends_on = None

OLD_KINDS = (
    "roundtable_session",
    "preparatory",
    "steering_group",
    "friends_of_the_forum",
    "troika",
    "summit",
    "civil_society_days",
    "other",
)
NEW_KINDS = (*OLD_KINDS[:-1], "thematic", "pledging", "platform_for_partnerships", "common_space")
NEW_KINDS = (*NEW_KINDS, "other")
# The tables whose meeting kind is checked, and the column that holds it.
KIND_COLUMNS = (("meetings", "kind"), ("calendar_follows", "meeting_kind"))


@contextmanager
def _foreign_keys_off_on_sqlite():
    """SQLite cannot change a CHECK constraint in place, so Alembic rebuilds the table: copied,
    dropped, renamed. Dropping meetings with foreign keys enforced would fire the ON DELETE of
    everything that points at them (agenda items, minutes, decisions), so enforcement is off
    meanwhile. The pragma is ignored inside a transaction, hence the autocommit blocks."""
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


def _known_kinds(kinds: tuple[str, ...]) -> None:
    listed = ", ".join(f"'{kind}'" for kind in kinds)
    for table, column in KIND_COLUMNS:
        name = op.f(f"ck_{table}_{column}_known")
        with _foreign_keys_off_on_sqlite(), op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(name, type_="check")
            batch_op.create_check_constraint(name, sa.text(f"{column} IN ({listed})"))


def upgrade():
    with _foreign_keys_off_on_sqlite(), op.batch_alter_table("roundtables") as batch_op:
        batch_op.add_column(
            sa.Column("co_chairs_publish", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    _known_kinds(NEW_KINDS)


def downgrade():
    # Meetings of the new kinds become "other", the name they had before; following such a
    # kind is forgotten (a person may already follow "other").
    new = ", ".join(f"'{kind}'" for kind in NEW_KINDS if kind not in OLD_KINDS)
    # The names are this file's constants, not input.
    op.execute(f"UPDATE meetings SET kind = 'other' WHERE kind IN ({new})")  # noqa: S608
    op.execute(f"DELETE FROM calendar_follows WHERE meeting_kind IN ({new})")  # noqa: S608
    _known_kinds(OLD_KINDS)
    with _foreign_keys_off_on_sqlite(), op.batch_alter_table("roundtables") as batch_op:
        batch_op.drop_column("co_chairs_publish")
