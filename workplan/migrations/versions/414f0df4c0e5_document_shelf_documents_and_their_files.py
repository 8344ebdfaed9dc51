"""The document shelf: documents of meetings, roundtables and teams, and their files

Revision ID: 414f0df4c0e5
Revises: 161e42bd0e13
Create Date: 2026-12-07 14:52:30.134396

"""

from alembic import op
import sqlalchemy as sa

import workplan.models.types


# revision identifiers, used by Alembic.
revision = "414f0df4c0e5"
down_revision = "161e42bd0e13"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("roundtable_id", sa.Integer(), nullable=True),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("access", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("title_fr", sa.String(length=300), nullable=True),
        sa.Column("title_es", sa.String(length=300), nullable=True),
        sa.Column("created_at", workplan.models.types.UTCDateTime(), nullable=False),
        sa.Column("updated_at", workplan.models.types.UTCDateTime(), nullable=False),
        sa.Column("archived_at", workplan.models.types.UTCDateTime(), nullable=True),
        sa.Column("is_demo", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "access IN ('public', 'members', 'secretariat')", name=op.f("ck_documents_access_known")
        ),
        sa.CheckConstraint(
            "kind IN ('concept_note', 'background_paper', 'agenda', 'presentation', 'report', 'chairs_summary', 'other')",
            name=op.f("ck_documents_kind_known"),
        ),
        sa.CheckConstraint(
            "(CASE WHEN meeting_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN roundtable_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN team_id IS NULL THEN 0 ELSE 1 END) = 1",
            name=op.f("ck_documents_one_shelf"),
        ),
        sa.CheckConstraint("length(title) > 0", name=op.f("ck_documents_title_given")),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"], name=op.f("fk_documents_meeting_id_meetings")
        ),
        sa.ForeignKeyConstraint(
            ["roundtable_id"],
            ["roundtables.id"],
            name=op.f("fk_documents_roundtable_id_roundtables"),
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["government_teams.id"], name=op.f("fk_documents_team_id_government_teams")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
    )
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_documents_meeting_id"), ["meeting_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_documents_roundtable_id"), ["roundtable_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_documents_team_id"), ["team_id"], unique=False)

    op.create_table(
        "document_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=120), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=True),
        sa.Column("uploaded_at", workplan.models.types.UTCDateTime(), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "language IN ('en', 'fr', 'es')", name=op.f("ck_document_files_language_known")
        ),
        sa.CheckConstraint("length(sha256) = 64", name=op.f("ck_document_files_sha256_whole")),
        sa.CheckConstraint("number >= 1", name=op.f("ck_document_files_number_positive")),
        sa.CheckConstraint("size_bytes > 0", name=op.f("ck_document_files_not_empty")),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_document_files_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"], ["users.id"], name=op.f("fk_document_files_uploaded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_files")),
        sa.UniqueConstraint(
            "document_id",
            "language",
            "number",
            name=op.f("uq_document_files_document_id_language_number"),
        ),
    )
    with op.batch_alter_table("document_files", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_document_files_document_id"), ["document_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("document_files", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_files_document_id"))

    op.drop_table("document_files")
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_documents_team_id"))
        batch_op.drop_index(batch_op.f("ix_documents_roundtable_id"))
        batch_op.drop_index(batch_op.f("ix_documents_meeting_id"))

    op.drop_table("documents")
