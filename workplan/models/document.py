"""The document shelf: papers kept with a meeting, a roundtable or a government team."""

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workplan.extensions import db
from workplan.models.base import (
    Archivable,
    Demo,
    Timestamped,
    Translated,
    Versioned,
    exactly_one,
    one_of,
)
from workplan.models.meeting import Meeting
from workplan.models.roundtable import Roundtable
from workplan.models.team import GovernmentTeam
from workplan.models.types import UTCDateTime, utcnow
from workplan.models.user import User

DOCUMENT_KINDS = (
    "concept_note",
    "background_paper",
    "agenda",
    "presentation",
    "report",
    "chairs_summary",
    "other",
)
# Who may read a document: anyone, signed-in members of the forum, or the secretariat alone.
ACCESS_LEVELS = ("public", "members", "secretariat")
# The forum's working languages; one file of each version per language.
DOCUMENT_LANGUAGES = ("en", "fr", "es")


class Document(Timestamped, Archivable, Demo, Translated, Versioned, db.Model):
    """One paper of the forum (a concept note, a chair's summary...), in up to three languages,
    each with every version ever uploaded."""

    __tablename__ = "documents"
    __audited__ = True
    __table_args__ = (
        exactly_one("meeting_id", "roundtable_id", "team_id", name="one_shelf"),
        one_of("kind", DOCUMENT_KINDS, "kind_known"),
        one_of("access", ACCESS_LEVELS, "access_known"),
        CheckConstraint("length(title) > 0", name="title_given"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"), index=True)
    roundtable_id: Mapped[int | None] = mapped_column(ForeignKey("roundtables.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("government_teams.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    access: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(300))
    title_fr: Mapped[str | None] = mapped_column(String(300))
    title_es: Mapped[str | None] = mapped_column(String(300))

    meeting: Mapped[Meeting | None] = relationship()
    roundtable: Mapped[Roundtable | None] = relationship()
    team: Mapped[GovernmentTeam | None] = relationship()
    files: Mapped[list["DocumentFile"]] = relationship(
        back_populates="document",
        order_by="(DocumentFile.language, DocumentFile.number.desc())",
        cascade="all, delete-orphan",
    )

    def __str__(self) -> str:
        return self.title

    @property
    def shelf(self) -> Meeting | Roundtable | GovernmentTeam:
        """The meeting, roundtable or team the document is kept with."""
        return self.meeting or self.roundtable or self.team

    def current_files(self) -> dict[str, "DocumentFile"]:
        """The latest version in each language it exists in, by language code."""
        latest: dict[str, DocumentFile] = {}
        for file in self.files:
            if file.language not in latest or file.number > latest[file.language].number:
                latest[file.language] = file
        return {language: latest[language] for language in DOCUMENT_LANGUAGES if language in latest}


class DocumentFile(db.Model):
    """One uploaded file: a version of a document in one language, never changed afterwards."""

    __tablename__ = "document_files"
    __audited__ = True
    __table_args__ = (
        UniqueConstraint("document_id", "language", "number"),
        one_of("language", DOCUMENT_LANGUAGES, "language_known"),
        CheckConstraint("number >= 1", name="number_positive"),
        CheckConstraint("size_bytes > 0", name="not_empty"),
        CheckConstraint("length(sha256) = 64", name="sha256_whole"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    language: Mapped[str] = mapped_column(String(2))
    # The version in this language: 1 for the first upload, then 2, 3...
    number: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(120))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    # The storage key is made from it; it also lets anyone check a download.
    sha256: Mapped[str] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(String(300))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    document: Mapped[Document] = relationship(back_populates="files")
    uploaded_by: Mapped[User | None] = relationship()

    def __str__(self) -> str:
        return self.filename

    @property
    def storage_key(self) -> str:
        """Where the bytes are kept (see workplan.storage.content_key)."""
        return f"{self.sha256[:2]}/{self.sha256}"
