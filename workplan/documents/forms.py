"""The forms that put a document on a shelf, change it, and add a version of it."""

from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from workplan.formatting import lazy_gettext as _l
from workplan.formatting import lazy_kind, locale
from workplan.forms import EditForm, RecordForm
from workplan.i18n import LANGUAGES
from workplan.models import ACCESS_LEVELS, DOCUMENT_KINDS, DOCUMENT_LANGUAGES
from workplan.services.documents import DocumentDetails, Upload

CHOOSE_FILE = _l("Choose the file to upload.")


def _language_field() -> SelectField:
    return SelectField(
        _l("Language of the file"),
        choices=[SelectChoice(code, LANGUAGES[code]) for code in DOCUMENT_LANGUAGES],
        validators=[InputRequired(_l("Choose the language of this file."))],
    )


def _file_field() -> FileField:
    return FileField(
        _l("File"),
        validators=[FileRequired(CHOOSE_FILE)],
        description=_l(
            "PDF, Word, Excel, PowerPoint or OpenDocument. It is checked by what it contains."
        ),
        render_kw={
            "accept": ".pdf,.docx,.xlsx,.pptx,.odt,.ods,.odp",
        },
    )


class DocumentForm(EditForm):
    """A document's title in the forum's three languages, its kind and who may read it."""

    title = StringField(
        _l("Title"), validators=[InputRequired(_l("Give the document's title.")), Length(max=300)]
    )
    title_fr = StringField(
        _l("Title in French"),
        validators=[Optional(), Length(max=300)],
        description=_l("Shown to readers in French; left empty, the title above is shown."),
    )
    title_es = StringField(
        _l("Title in Spanish"),
        validators=[Optional(), Length(max=300)],
        description=_l("Shown to readers in Spanish; left empty, the title above is shown."),
    )
    kind = SelectField(
        _l("Kind of document"), choices=[SelectChoice(k, lazy_kind(k)) for k in DOCUMENT_KINDS]
    )
    access = SelectField(
        _l("Who may read it"),
        choices=[SelectChoice(a, lazy_kind(a)) for a in ACCESS_LEVELS],
        description=_l(
            "Public: anyone, without signing in. Members of the forum: anyone signed in. "
            "Secretariat: the secretariat alone."
        ),
    )
    submit = SubmitField(_l("Save document"))

    @classmethod
    def starts_with(cls) -> dict:
        return {"access": "members"}

    def details(self) -> DocumentDetails:
        """What was typed, for the service to check."""
        return DocumentDetails(
            title=self.title.data,
            title_fr=self.title_fr.data,
            title_es=self.title_es.data,
            kind=self.kind.data,
            access=self.access.data,
        )


class NewDocumentForm(DocumentForm):
    """A new document comes with its first file."""

    language = _language_field()
    file = _file_field()
    submit = SubmitField(_l("Upload document"))

    @classmethod
    def starts_with(cls) -> dict:
        # The file is most likely in the language its uploader reads the site in.
        return {**super().starts_with(), "language": locale()}


class VersionForm(RecordForm):
    """Another version of a document, or its first file in another language."""

    language = _language_field()
    file = _file_field()
    note = StringField(
        _l("What changed"),
        validators=[Optional(), Length(max=300)],
        description=_l("For example: comments of the co-chairs taken in."),
    )
    submit = SubmitField(_l("Upload version"))


def upload_of(field: FileField) -> Upload:
    """The file a form field received, read whole (the request's size limit bounds it)."""
    received = field.data
    return Upload(filename=received.filename or "", data=received.read())
