"""The good-practice library: practices, their review and adoptions; themes; the full-text index

Revision ID: 8f2a9f18af97
Revises: b4652838c69f
Create Date: 2026-12-07 20:47:06.264683

"""

from alembic import op
import sqlalchemy as sa

import workplan.models.types


# revision identifiers, used by Alembic.
revision = "8f2a9f18af97"
down_revision = "b4652838c69f"
branch_labels = None
depends_on = None


# SQLite: an FTS5 table over practices.search_text, kept by triggers. PostgreSQL: an index of
# the same text stemmed in the forum's three languages and unstemmed; practice_search.PG_VECTOR
# repeats its expression, so that the planner uses it.
SQLITE_SEARCH = (
    """CREATE VIRTUAL TABLE practice_search USING fts5(
        search_text, content='practices', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER practice_search_insert AFTER INSERT ON practices BEGIN
        INSERT INTO practice_search(rowid, search_text) VALUES (new.id, new.search_text);
    END""",
    """CREATE TRIGGER practice_search_delete AFTER DELETE ON practices BEGIN
        INSERT INTO practice_search(practice_search, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
    END""",
    """CREATE TRIGGER practice_search_update AFTER UPDATE OF search_text ON practices BEGIN
        INSERT INTO practice_search(practice_search, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
        INSERT INTO practice_search(rowid, search_text) VALUES (new.id, new.search_text);
    END""",
)
POSTGRESQL_SEARCH = """CREATE INDEX ix_practices_search ON practices USING gin ((
    to_tsvector('simple'::regconfig, search_text)
    || to_tsvector('english'::regconfig, search_text)
    || to_tsvector('french'::regconfig, search_text)
    || to_tsvector('spanish'::regconfig, search_text)))"""


def upgrade():
    op.create_table(
        "themes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("name_fr", sa.String(length=120), nullable=True),
        sa.Column("name_es", sa.String(length=120), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("created_at", workplan.models.types.UTCDateTime(), nullable=False),
        sa.Column("updated_at", workplan.models.types.UTCDateTime(), nullable=False),
        sa.Column("archived_at", workplan.models.types.UTCDateTime(), nullable=True),
        sa.Column("is_demo", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("length(name) > 0", name=op.f("ck_themes_name_given")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_themes")),
        sa.UniqueConstraint("name", name=op.f("uq_themes_name")),
    )
    op.create_table(
        "practices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("title_fr", sa.String(length=300), nullable=True),
        sa.Column("title_es", sa.String(length=300), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("summary_fr", sa.Text(), nullable=True),
        sa.Column("summary_es", sa.Text(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("review_comment", sa.Text(), nullable=True),
        sa.Column("government_id", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("roundtable_id", sa.Integer(), nullable=True),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("deliverable_id", sa.Integer(), nullable=True),
        sa.Column("links", sa.Text(), nullable=True),
        sa.Column("submitted_at", workplan.models.types.UTCDateTime(), nullable=True),
        sa.Column("published_at", workplan.models.types.UTCDateTime(), nullable=True),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("created_at", workplan.models.types.UTCDateTime(), nullable=False),
        sa.Column("updated_at", workplan.models.types.UTCDateTime(), nullable=False),
        sa.Column("archived_at", workplan.models.types.UTCDateTime(), nullable=True),
        sa.Column("is_demo", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "state != 'published' OR published_at IS NOT NULL",
            name=op.f("ck_practices_published_when"),
        ),
        sa.CheckConstraint(
            "state != 'returned' OR review_comment IS NOT NULL",
            name=op.f("ck_practices_returned_says_why"),
        ),
        sa.CheckConstraint(
            "state IN ('draft', 'submitted', 'published', 'returned')",
            name=op.f("ck_practices_state_known"),
        ),
        sa.CheckConstraint(
            "(CASE WHEN roundtable_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN meeting_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN deliverable_id IS NULL THEN 0 ELSE 1 END) <= 1",
            name=op.f("ck_practices_one_origin"),
        ),
        sa.CheckConstraint("length(summary) > 0", name=op.f("ck_practices_summary_given")),
        sa.CheckConstraint("length(title) > 0", name=op.f("ck_practices_title_given")),
        sa.CheckConstraint("year BETWEEN 1990 AND 2100", name=op.f("ck_practices_year_plausible")),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_practices_author_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["deliverable_id"],
            ["deliverables.id"],
            name=op.f("fk_practices_deliverable_id_deliverables"),
        ),
        sa.ForeignKeyConstraint(
            ["government_id"],
            ["governments.id"],
            name=op.f("fk_practices_government_id_governments"),
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"], name=op.f("fk_practices_meeting_id_meetings")
        ),
        sa.ForeignKeyConstraint(
            ["roundtable_id"],
            ["roundtables.id"],
            name=op.f("fk_practices_roundtable_id_roundtables"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practices")),
    )
    with op.batch_alter_table("practices", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_practices_deliverable_id"), ["deliverable_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_practices_government_id"), ["government_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_practices_meeting_id"), ["meeting_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_practices_roundtable_id"), ["roundtable_id"], unique=False
        )

    op.create_table(
        "practice_adoptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("government_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("result", sa.Text(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", workplan.models.types.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "year BETWEEN 1990 AND 2100", name=op.f("ck_practice_adoptions_year_plausible")
        ),
        sa.ForeignKeyConstraint(
            ["government_id"],
            ["governments.id"],
            name=op.f("fk_practice_adoptions_government_id_governments"),
        ),
        sa.ForeignKeyConstraint(
            ["practice_id"],
            ["practices.id"],
            name=op.f("fk_practice_adoptions_practice_id_practices"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_practice_adoptions_recorded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice_adoptions")),
        sa.UniqueConstraint(
            "practice_id",
            "government_id",
            name=op.f("uq_practice_adoptions_practice_id_government_id"),
        ),
    )
    with op.batch_alter_table("practice_adoptions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_practice_adoptions_government_id"), ["government_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_practice_adoptions_practice_id"), ["practice_id"], unique=False
        )

    op.create_table(
        "practice_countries",
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("government_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["government_id"],
            ["governments.id"],
            name=op.f("fk_practice_countries_government_id_governments"),
        ),
        sa.ForeignKeyConstraint(
            ["practice_id"],
            ["practices.id"],
            name=op.f("fk_practice_countries_practice_id_practices"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("practice_id", "government_id", name=op.f("pk_practice_countries")),
    )
    with op.batch_alter_table("practice_countries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_practice_countries_government_id"), ["government_id"], unique=False
        )

    op.create_table(
        "practice_partners",
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_practice_partners_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["practice_id"],
            ["practices.id"],
            name=op.f("fk_practice_partners_practice_id_practices"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "practice_id", "organisation_id", name=op.f("pk_practice_partners")
        ),
    )
    with op.batch_alter_table("practice_partners", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_practice_partners_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "practice_sdg_targets",
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("target", sa.String(length=6), nullable=False),
        sa.CheckConstraint(
            "target IN ('3.c', '4.b', '5.2', '8.7', '8.8', '10.7', '10.c', '16.2', '16.9', '17.18')",
            name=op.f("ck_practice_sdg_targets_target_known"),
        ),
        sa.ForeignKeyConstraint(
            ["practice_id"],
            ["practices.id"],
            name=op.f("fk_practice_sdg_targets_practice_id_practices"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("practice_id", "target", name=op.f("pk_practice_sdg_targets")),
    )
    op.create_table(
        "practice_themes",
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["practice_id"],
            ["practices.id"],
            name=op.f("fk_practice_themes_practice_id_practices"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"], ["themes.id"], name=op.f("fk_practice_themes_theme_id_themes")
        ),
        sa.PrimaryKeyConstraint("practice_id", "theme_id", name=op.f("pk_practice_themes")),
    )
    with op.batch_alter_table("practice_themes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_practice_themes_theme_id"), ["theme_id"], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRESQL_SEARCH)
    else:
        for statement in SQLITE_SEARCH:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_practices_search")
    else:
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER practice_search_{trigger}")
        op.execute("DROP TABLE practice_search")
    with op.batch_alter_table("practice_themes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_practice_themes_theme_id"))

    op.drop_table("practice_themes")
    op.drop_table("practice_sdg_targets")
    with op.batch_alter_table("practice_partners", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_practice_partners_organisation_id"))

    op.drop_table("practice_partners")
    with op.batch_alter_table("practice_countries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_practice_countries_government_id"))

    op.drop_table("practice_countries")
    with op.batch_alter_table("practice_adoptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_practice_adoptions_practice_id"))
        batch_op.drop_index(batch_op.f("ix_practice_adoptions_government_id"))

    op.drop_table("practice_adoptions")
    with op.batch_alter_table("practices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_practices_roundtable_id"))
        batch_op.drop_index(batch_op.f("ix_practices_meeting_id"))
        batch_op.drop_index(batch_op.f("ix_practices_government_id"))
        batch_op.drop_index(batch_op.f("ix_practices_deliverable_id"))

    op.drop_table("practices")
    op.drop_table("themes")
