"""The document shelf's pages: a document and its versions, uploading, changing, archiving, and
downloading a file (always as an attachment, never shown inline)."""

from unicodedata import normalize
from urllib.parse import quote

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from workplan import editing, formatting, permissions, web
from workplan.documents.forms import DocumentForm, NewDocumentForm, VersionForm, upload_of
from workplan.extensions import db
from workplan.i18n import LANGUAGES
from workplan.models import Document, Meeting, Roundtable
from workplan.services import documents
from workplan.storage import storage

bp = Blueprint("documents", __name__, url_prefix="/documents")
manages = web.require(permissions.can_manage_documents)
# The page of each kind of shelf, by its name in documents.SHELF_KINDS.
SHELF_PAGES = {
    "meeting": "meetings.detail",
    "roundtable": "roundtables.detail",
    "team": "teams.detail",
}


def takes_uploads(view):
    """Mark a view whose form carries a file: from those who may upload, its request may be
    as large as the shelf's limit (see workplan.storage.init_app); every other request keeps
    the small one."""
    view.takes_uploads = permissions.can_manage_documents
    return view


def shelf_url(shelf) -> str:
    """The page a shelf is on."""
    name = documents.SHELF_KINDS[type(shelf)].name
    return url_for(SHELF_PAGES[name], **{f"{name}_id": shelf.id}, _anchor="documents")


def shelf_label(shelf) -> str:
    """How a shelf is named on its documents' pages."""
    if isinstance(shelf, Meeting):
        return shelf.display_title
    if isinstance(shelf, Roundtable):
        return f"{shelf.code}: {formatting.shown(shelf, 'title')}"
    return shelf.name


def limit_mb() -> int:
    """The upload limit in whole megabytes, as the forms state it."""
    return documents.max_bytes() // documents.MEGABYTE


def _form_page(document: Document | None, shelf):
    return editing.form_page(
        "documents/form.html",
        document=document,
        shelf_label=shelf_label(shelf),
        back=shelf_url(shelf),
        limit_mb=limit_mb(),
    )


def _readable(document_id: int) -> Document:
    """A document the viewer may read; else a 404, so a restricted paper is not given away."""
    document = web.get_or_404(Document, document_id, include_archived=True)
    if not permissions.can_read_document(current_user, document):
        abort(404)
    return document


def _page(document: Document, *, version_form=None, refusal=None, status: int = 200):
    """A document: its titles, kind and access, and every file in each language."""
    manage = permissions.can_manage_documents(current_user) and not document.is_archived
    if manage and version_form is None:
        version_form = VersionForm(formdata=None, language=formatting.locale())
    return (
        render_template(
            "documents/detail.html",
            document=document,
            current=document.current_files(),
            shelf_url=shelf_url(document.shelf),
            shelf_label=shelf_label(document.shelf),
            limit_mb=limit_mb(),
            version_form=version_form if manage else None,
            refusal=refusal,
        ),
        status,
    )


@bp.get("/<int:document_id>")
def detail(document_id: int):
    """A document and all its versions, in each language."""
    return _page(_readable(document_id))


@bp.route("/new", methods=["GET", "POST"])
@manages
@takes_uploads
def create():
    """Put a document on a meeting's, roundtable's or team's shelf."""
    chosen = [
        (kind.name, model)
        for model, kind in documents.SHELF_KINDS.items()
        if request.args.get(kind.name)
    ]
    if len(chosen) != 1:
        abort(400, _("Open this form from the meeting, roundtable or team the document is for."))
    name, model = chosen[0]
    shelf = web.get_or_404(model, web.query_int(name))
    form = NewDocumentForm.for_new()
    return editing.save(
        form,
        lambda: documents.shelve(
            shelf, form.details(), form.language.data, upload_of(form.file), current_user
        ),
        page=_form_page(None, shelf),
        done=lambda d: _("“%(title)s” is on the shelf.", title=d.title),
        then=lambda d: url_for(".detail", document_id=d.id),
    )


@bp.route("/<int:document_id>/edit", methods=["GET", "POST"])
@manages
def edit(document_id: int):
    """Change a document's titles, kind or who may read it."""
    document = web.get_or_404(Document, document_id)
    form = DocumentForm.for_record(document)

    return editing.save_edit(
        form,
        document,
        documents.update,
        page=_form_page(document, document.shelf),
        done=lambda d: _("“%(title)s” is saved.", title=d.title),
        then=lambda d: url_for(".detail", document_id=d.id),
    )


@bp.post("/<int:document_id>/versions")
@manages
@takes_uploads
def add_version(document_id: int):
    """Upload a new version of a document, or its first file in another language."""
    document = web.get_or_404(Document, document_id)
    form = VersionForm()
    uploaded, file = editing.submitted(
        form,
        form.file,
        lambda: documents.add_file(
            document, form.language.data, upload_of(form.file), current_user, form.note.data
        ),
    )
    if not uploaded:
        # A refusal rolled back and expired the document: it is read again as it stands.
        return _page(db.session.get(Document, document_id), version_form=form, status=400)
    db.session.commit()
    flash(
        _(
            "Version %(number)s in %(language)s is uploaded.",
            number=file.number,
            language=LANGUAGES[file.language],
        ),
        "success",
    )
    return redirect(url_for(".detail", document_id=document.id))


def _change_state(document_id: int, change, done: str, then) -> ResponseReturnValue:
    """Archive or restore a document, or say why not on its page."""
    document = web.get_or_404(Document, document_id, include_archived=True)
    return editing.commit_or_refuse(
        lambda: change(document),
        refused=lambda message: _page(document, refusal=message, status=409),
        done=done % {"title": document.title},
        then=then(document),
    )


@bp.post("/<int:document_id>/archive")
@manages
def archive(document_id: int):
    """Take a document off its shelf; every version is kept, and it can be restored."""
    return _change_state(
        document_id,
        documents.archive,
        _("“%(title)s” is archived. The secretariat finds it on the shelf to restore it."),
        lambda d: shelf_url(d.shelf),
    )


@bp.post("/<int:document_id>/restore")
@manages
def restore(document_id: int):
    """Put an archived document back on its shelf."""
    return _change_state(
        document_id,
        documents.restore,
        _("“%(title)s” is back on its shelf."),
        lambda d: url_for(".detail", document_id=d.id),
    )


@bp.get("/<int:document_id>/<any(en, fr, es):language>")
def latest(document_id: int, language: str):
    """The latest version of a document in a language: a link that stays right as versions
    are added."""
    document = _readable(document_id)
    file = document.current_files().get(language)
    if file is None:
        abort(404, _("This document has no file in that language yet."))
    return redirect(_file_url(file))


def _file_url(file) -> str:
    return url_for(
        ".download", document_id=file.document_id, file_id=file.id, filename=file.filename
    )


@bp.get("/<int:document_id>/files/<int:file_id>/<path:filename>")
def download(document_id: int, file_id: int, filename: str):
    """One file of a document, as an attachment: a browser saves it, and never renders it
    as a page of this site."""
    document = _readable(document_id)
    file = documents.file_of(document, file_id)
    if file is None:
        abort(404)
    if filename != file.filename:
        return redirect(_file_url(file), 301)
    if file.sha256 in request.if_none_match:
        response = Response(status=304)
    else:
        try:
            chunks = storage().chunks(file.storage_key)
        except FileNotFoundError:
            current_app.logger.error(
                "document file %s (%s) is missing from %s",
                file.id,
                file.storage_key,
                storage().description,
            )
            abort(503, _("This file cannot be read from the store now. Tell the secretariat."))
        response = Response(chunks, mimetype=file.content_type, direct_passthrough=True)
        response.headers["Content-Length"] = str(file.size_bytes)
        response.headers["Content-Disposition"] = attachment(file.filename)
    response.set_etag(file.sha256)
    # Nothing in a file runs as this site, even if a browser were talked into showing it.
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = (
        "public, max-age=300" if document.access == "public" else "private, no-cache"
    )
    return response


def attachment(filename: str) -> str:
    """A Content-Disposition that saves the file under its name, in any script (RFC 6266):
    an ASCII stand-in for old clients, and the UTF-8 name for the rest."""
    # NFKD turns look-alikes (a full-width quotation mark) into the characters they resemble,
    # so the stand-in is filtered again.
    plain = normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    plain = "".join(c for c in plain if c not in '"\\' and " " <= c < "\x7f") or "document"
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename, safe='')}"
