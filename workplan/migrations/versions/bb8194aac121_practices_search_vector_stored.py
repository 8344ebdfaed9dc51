"""PostgreSQL keeps each practice's search vector, instead of computing it for every search

Revision ID: bb8194aac121
Revises: 8330ebbe3bec
Create Date: 2026-12-07 22:40:00

The expression index of the first version was not chosen by the planner for prefix searches,
which then computed four text-search vectors for every practice on every search (2.6 searches a
second at a hundred times the forum's size). A stored, generated column is computed once per
change, and its GIN index serves the searches. SQLite's FTS5 table is unchanged.
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "bb8194aac121"
down_revision = "8330ebbe3bec"
branch_labels = None
depends_on = None

VECTOR = """(
    to_tsvector('simple'::regconfig, search_text)
    || to_tsvector('english'::regconfig, search_text)
    || to_tsvector('french'::regconfig, search_text)
    || to_tsvector('spanish'::regconfig, search_text))"""


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        f"ALTER TABLE practices ADD COLUMN search_vector tsvector GENERATED ALWAYS AS {VECTOR} STORED"
    )
    op.execute("CREATE INDEX ix_practices_search_vector ON practices USING gin (search_vector)")
    op.execute("DROP INDEX ix_practices_search")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"CREATE INDEX ix_practices_search ON practices USING gin ({VECTOR})")
    op.execute("DROP INDEX ix_practices_search_vector")
    op.execute("ALTER TABLE practices DROP COLUMN search_vector")
