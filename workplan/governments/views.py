"""The governments pages: every state, and what one state co-chairs, joins, owes and pledged."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import or_, select

from workplan import permissions
from workplan.deliverables.bulk import may_report_for
from workplan.editing import commit_or_refuse
from workplan.extensions import db
from workplan.governments.forms import EditGovernmentForm, GovernmentForm
from workplan.models import Government, utcnow
from workplan.services import DomainError, StaleEdit
from workplan.services import governments as government_service
from workplan.web import get_or_404, paginate, query_choice, query_text

bp = Blueprint("governments", __name__, url_prefix="/governments")


@bp.get("/")
def index():
    """The states of the forum, searchable by name or ISO code."""
    archived = query_choice("archived", ("yes",))
    if archived and not permissions.can_manage_programme(current_user):
        abort(403)
    query = select(Government).order_by(Government.name)
    if archived:
        query = query.where(Government.archived_at.is_not(None))
    else:
        query = query.where(Government.archived_at.is_(None))
    text = query_text("q", 100)
    if text:
        query = query.where(
            or_(Government.name.ilike(f"%{text}%"), Government.iso3 == text.upper())
        )
    return render_template(
        "governments/index.html", page=paginate(query, per_page=50), q=text, archived=archived
    )


@bp.get("/<int:government_id>")
def detail(government_id: int):
    """A government's page: its roundtables, teams and meetings; for members, what it owes."""
    government = get_or_404(
        Government,
        government_id,
        include_archived=permissions.can_manage_programme(current_user),
    )
    today = utcnow().date()
    sections = government_service.page_sections(
        government, today, include_private=permissions.can_read_private(current_user)
    )
    return render_template(
        "governments/detail.html",
        sections=sections,
        government=government,
        may_report=may_report_for(current_user, government),
        today=today,
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    """Add a state to the forum's list."""
    if not permissions.can_manage_programme(current_user):
        abort(403)
    form = GovernmentForm()
    if form.validate_on_submit():
        try:
            government = government_service.create_government(form.iso3.data, form.name.data)
        except DomainError as error:
            db.session.rollback()
            form.refuse(error)
        else:
            db.session.commit()
            flash(
                _("%(name)s (%(code)s) is added.", name=government.name, code=government.iso3),
                "success",
            )
            return redirect(url_for(".detail", government_id=government.id))
    status = 400 if form.is_submitted() else 200
    return render_template("governments/edit.html", form=form, government=None), status


@bp.route("/<int:government_id>/edit", methods=["GET", "POST"])
@login_required
def edit(government_id: int):
    """Correct a government's ISO code or name."""
    government = get_or_404(Government, government_id)
    if not permissions.can_manage_programme(current_user):
        abort(403)
    if request.method == "GET":
        form = EditGovernmentForm(
            formdata=None,
            data={
                "iso3": government.iso3,
                "name": government.name,
                "last_saved": government_service.saved_at(government),
            },
        )
    else:
        form = EditGovernmentForm()
    if form.validate_on_submit():
        try:
            government_service.update_government(
                government, form.iso3.data, form.name.data, form.last_saved.data
            )
        except StaleEdit:
            db.session.rollback()
            form.last_saved.data = government_service.saved_at(government)
            form.form_errors.append(
                _(
                    "Someone else saved this government after you opened it. Their values are "
                    "shown below; what you typed is kept. Save again to put yours on top."
                )
            )
            return (
                render_template(
                    "governments/edit.html", form=form, government=government, newer=government
                ),
                409,
            )
        except DomainError as error:
            db.session.rollback()
            form.refuse(error)
        else:
            db.session.commit()
            flash(
                _("%(name)s (%(code)s) is saved.", name=government.name, code=government.iso3),
                "success",
            )
            return redirect(url_for(".detail", government_id=government.id))
    status = 400 if form.is_submitted() else 200
    return render_template("governments/edit.html", form=form, government=government), status


@bp.post("/<int:government_id>/archive")
@login_required
def archive(government_id: int):
    """Archive a government: hidden from lists, its history kept, restorable."""
    government = get_or_404(Government, government_id, include_archived=True)
    if not permissions.can_manage_programme(current_user):
        abort(403)
    return commit_or_refuse(
        lambda: government_service.archive_government(government),
        refused=lambda message: abort(400, message),
        done=_(
            "%(name)s is archived. It can be restored from the archived list.",
            name=government.name,
        ),
        then=url_for(".index"),
    )


@bp.post("/<int:government_id>/restore")
@login_required
def restore(government_id: int):
    """Bring an archived government back."""
    government = get_or_404(Government, government_id, include_archived=True)
    if not permissions.can_manage_programme(current_user):
        abort(403)
    return commit_or_refuse(
        lambda: government_service.restore_government(government),
        refused=lambda message: abort(400, message),
        done=_("%(name)s is restored.", name=government.name),
        then=url_for(".detail", government_id=government.id),
    )
