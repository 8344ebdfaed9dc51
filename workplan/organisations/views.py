"""The organisations pages: observers and donors, their partnerships, teams and pledges, and the
secretariat's screens to record, correct, archive and restore them."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from workplan import permissions
from workplan.editing import commit_or_refuse
from workplan.extensions import db
from workplan.formatting import lazy_gettext as _l
from workplan.forms import archived_filter, listed
from workplan.models import (
    ORGANISATION_KINDS,
    Chairmanship,
    GovernmentTeam,
    Organisation,
    Pledge,
    Roundtable,
    RoundtableMember,
    TeamMembership,
)
from workplan.organisations.forms import OrganisationForm
from workplan.services import DomainError, records, structure
from workplan.web import get_or_404, paginate, query_choice, query_text

bp = Blueprint("organisations", __name__, url_prefix="/organisations")

SORTS = {
    "name": (_l("Name"), (Organisation.name,)),
    "acronym": (
        _l("Acronym"),
        (Organisation.acronym.is_(None), Organisation.acronym, Organisation.name),
    ),
    "kind": (_l("Kind"), (Organisation.kind, Organisation.name)),
}


def _may_manage() -> None:
    """Only the secretariat records organisations."""
    if not permissions.can_manage_programme(current_user):
        abort(403)


@bp.get("/")
def index():
    """The observers and other organisations, searchable by name or acronym."""
    archived = archived_filter()
    text = query_text("q", 100)
    kind = query_choice("kind", ORGANISATION_KINDS)
    sort = query_choice("sort", SORTS, "name")
    query = select(Organisation).where(listed(Organisation, archived)).order_by(*SORTS[sort][1])
    if text:
        query = query.where(
            or_(Organisation.name.ilike(f"%{text}%"), Organisation.acronym.ilike(f"%{text}%"))
        )
    if kind:
        query = query.where(Organisation.kind == kind)
    return render_template(
        "organisations/index.html",
        page=paginate(query, per_page=50),
        q=text,
        kind=kind,
        kinds=ORGANISATION_KINDS,
        sort=sort,
        sorts=SORTS,
        archived=archived,
    )


def _detail_page(organisation: Organisation, refusal: str | None = None, status: int = 200):
    """An organisation's page, with a refused action's reason when there is one."""
    partnerships = db.session.scalars(
        select(Roundtable)
        .join(RoundtableMember)
        .join(Roundtable.chairmanship)
        .where(
            RoundtableMember.organisation_id == organisation.id,
            Roundtable.archived_at.is_(None),
        )
        .options(selectinload(Roundtable.chairmanship), selectinload(Roundtable.co_chairs))
        .order_by(Chairmanship.starts_on.desc(), Roundtable.number)
    ).all()
    memberships = db.session.scalars(
        select(TeamMembership)
        .join(TeamMembership.team)
        .where(
            TeamMembership.organisation_id == organisation.id,
            GovernmentTeam.archived_at.is_(None),
        )
        .options(selectinload(TeamMembership.team))
        .order_by(TeamMembership.joined_year.desc(), GovernmentTeam.name)
    ).all()
    pledges = []
    if permissions.can_read_private(current_user):
        pledges = db.session.scalars(
            select(Pledge)
            .join(Pledge.chairmanship)
            .where(Pledge.donor_organisation_id == organisation.id, Pledge.archived_at.is_(None))
            .options(
                selectinload(Pledge.chairmanship),
                selectinload(Pledge.payments),
                selectinload(Pledge.earmark_roundtable),
            )
            .order_by(Chairmanship.starts_on.desc(), Pledge.pledged_on)
        ).all()
    page = render_template(
        "organisations/detail.html",
        organisation=organisation,
        partnerships=partnerships,
        memberships=memberships,
        pledges=pledges,
        refusal=refusal,
    )
    return page, status


@bp.get("/<int:organisation_id>")
def detail(organisation_id: int):
    """An organisation's page: the roundtables and teams it partners, and what it pledged."""
    organisation = get_or_404(
        Organisation, organisation_id, include_archived=permissions.is_secretariat(current_user)
    )
    return _detail_page(organisation)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    """Record an observer, agency or other donor."""
    _may_manage()
    form = OrganisationForm()
    if form.validate_on_submit():
        try:
            organisation = structure.create_organisation(form.details())
        except DomainError as error:
            db.session.rollback()
            form.refuse(error)
        else:
            db.session.commit()
            flash(_("%(name)s is recorded.", name=organisation.name), "success")
            return redirect(url_for(".detail", organisation_id=organisation.id))
    status = 400 if form.is_submitted() else 200
    return render_template("organisations/form.html", form=form, organisation=None), status


@bp.route("/<int:organisation_id>/edit", methods=["GET", "POST"])
@login_required
def edit(organisation_id: int):
    """Correct an organisation's name, acronym, kind or description."""
    _may_manage()
    organisation = get_or_404(Organisation, organisation_id)
    form = OrganisationForm(obj=organisation) if request.method == "GET" else OrganisationForm()
    if form.validate_on_submit():
        try:
            structure.update_organisation(organisation, form.details())
        except DomainError as error:
            db.session.rollback()
            form.refuse(error)
        else:
            db.session.commit()
            flash(_("%(name)s is saved.", name=organisation.name), "success")
            return redirect(url_for(".detail", organisation_id=organisation.id))
    status = 400 if form.is_submitted() else 200
    return render_template("organisations/form.html", form=form, organisation=organisation), status


@bp.post("/<int:organisation_id>/archive")
@login_required
def archive(organisation_id: int):
    """Hide an organisation from lists and pages; its past partnerships and pledges stay."""
    _may_manage()
    organisation = get_or_404(Organisation, organisation_id)
    return commit_or_refuse(
        lambda: records.archive(organisation),
        refused=lambda message: _detail_page(organisation, message, 409),
        done=_(
            "%(name)s is archived. Find it under “Archived” to restore it.", name=organisation.name
        ),
        then=url_for(".index"),
    )


@bp.post("/<int:organisation_id>/restore")
@login_required
def restore(organisation_id: int):
    """Bring an archived organisation back."""
    _may_manage()
    organisation = get_or_404(Organisation, organisation_id, include_archived=True)
    return commit_or_refuse(
        lambda: records.restore(organisation),
        refused=lambda message: _detail_page(organisation, message, 409),
        done=_("%(name)s is restored.", name=organisation.name),
        then=url_for(".detail", organisation_id=organisation.id),
    )
