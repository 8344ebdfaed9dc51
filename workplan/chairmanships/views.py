"""The chairmanships pages: every term in order, one term with its Troika and programme, and the
secretariat's screens to record, correct, archive and restore a term."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, selectinload

from workplan import permissions
from workplan.chairmanships.forms import ChairmanshipForm
from workplan.editing import commit_or_refuse
from workplan.extensions import db
from workplan.formatting import lazy_gettext as _l
from workplan.forms import archived_filter, listed
from workplan.models import (
    Chairmanship,
    Government,
    Meeting,
    Pledge,
    Roundtable,
    chairmanship_chairs,
    utcnow,
)
from workplan.models.meeting import VISIBLE_STATES
from workplan.services import DomainError, chairmanships
from workplan.web import get_or_404, paginate, query_choice, query_text

bp = Blueprint("chairmanships", __name__, url_prefix="/chairmanships")

SORTS = {
    "start": (_l("First term first"), (Chairmanship.starts_on, Chairmanship.id)),
    "-start": (_l("Latest term first"), (Chairmanship.starts_on.desc(), Chairmanship.id.desc())),
    "name": (_l("Name"), (Chairmanship.label,)),
}


def _may_manage() -> None:
    """Only the secretariat sets up chairmanships."""
    if not permissions.can_manage_programme(current_user):
        abort(403)


@bp.get("/")
def index():
    """Every chairmanship in order of its start, with today's Troika; search, filter and sort."""
    today = utcnow().date()
    archived = archived_filter()
    text = query_text("q", 100)
    governments = db.session.scalars(
        select(Government)
        .where(Government.id.in_(select(chairmanship_chairs.c.government_id)))
        .order_by(Government.name)
    ).all()
    government = query_choice("government", [g.iso3 for g in governments])
    sort = query_choice("sort", SORTS, "start")
    query = (
        select(Chairmanship)
        .where(listed(Chairmanship, archived))
        .options(selectinload(Chairmanship.chairs))
        .order_by(*SORTS[sort][1])
    )
    if text:
        query = query.where(
            or_(
                Chairmanship.label.ilike(f"%{text}%"),
                Chairmanship.theme.ilike(f"%{text}%"),
                Chairmanship.summit_city.ilike(f"%{text}%"),
            )
        )
    if government:
        query = query.where(
            Chairmanship.chairs.any(Government.iso3 == government),
        )
    return render_template(
        "chairmanships/index.html",
        page=paginate(query, per_page=50),
        troika=chairmanships.troika(today),
        today=today,
        q=text,
        government=government,
        governments=governments,
        sort=sort,
        sorts=SORTS,
        archived=archived,
    )


def _detail_page(chairmanship: Chairmanship, refusal: str | None = None, status: int = 200):
    """One chairmanship's page, with a refused action's reason when there is one."""
    today = utcnow().date()
    roundtables = db.session.scalars(
        select(Roundtable)
        .where(Roundtable.chairmanship_id == chairmanship.id, Roundtable.archived_at.is_(None))
        .options(selectinload(Roundtable.co_chairs))
        .order_by(Roundtable.number)
    ).all()
    meetings_query = (
        select(Meeting)
        .where(Meeting.chairmanship_id == chairmanship.id, Meeting.archived_at.is_(None))
        .options(joinedload(Meeting.roundtable))
        .order_by(Meeting.starts_at)
    )
    if not permissions.is_secretariat(current_user):
        meetings_query = meetings_query.where(Meeting.state.in_(VISIBLE_STATES))
    summary, pledges, totals = None, [], []
    if permissions.can_read_private(current_user):
        summary = chairmanships.deliverable_summary(chairmanship, today)
        pledges = db.session.scalars(
            select(Pledge)
            .where(Pledge.chairmanship_id == chairmanship.id, Pledge.archived_at.is_(None))
            .options(
                # Each pledge has one donor and at most one earmark: join them in.
                joinedload(Pledge.donor_government),
                joinedload(Pledge.donor_organisation),
                joinedload(Pledge.earmark_roundtable),
                selectinload(Pledge.payments),
            )
            .order_by(Pledge.pledged_on, Pledge.id)
        ).all()
        totals = chairmanships.pledge_totals(pledges)
    page = render_template(
        "chairmanships/detail.html",
        chairmanship=chairmanship,
        troika=chairmanships.troika_of(chairmanship),
        roundtables=roundtables,
        meetings=db.session.scalars(meetings_query).all(),
        summary=summary,
        pledges=pledges,
        totals=totals,
        today=today,
        refusal=refusal,
    )
    return page, status


@bp.get("/<int:chairmanship_id>")
def detail(chairmanship_id: int):
    """One chairmanship: chairs, theme, summit, Troika, roundtables, meetings and funding."""
    chairmanship = get_or_404(
        Chairmanship, chairmanship_id, include_archived=permissions.is_secretariat(current_user)
    )
    return _detail_page(chairmanship)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    """Record a chairmanship: its chairs, term, theme, summit and opening balance."""
    _may_manage()
    form = ChairmanshipForm()
    if form.validate_on_submit():
        try:
            chairmanship = chairmanships.create_chairmanship(form.details())
        except DomainError as error:
            db.session.rollback()
            form.refuse(error)
        else:
            db.session.commit()
            flash(_("%(label)s is recorded.", label=chairmanship.label), "success")
            return redirect(url_for(".detail", chairmanship_id=chairmanship.id))
    status = 400 if form.is_submitted() else 200
    return render_template("chairmanships/form.html", form=form, chairmanship=None), status


@bp.route("/<int:chairmanship_id>/edit", methods=["GET", "POST"])
@login_required
def edit(chairmanship_id: int):
    """Correct a chairmanship's chairs, dates, theme, summit or opening balance."""
    _may_manage()
    chairmanship = get_or_404(Chairmanship, chairmanship_id)
    if request.method == "GET":
        form = ChairmanshipForm(obj=chairmanship)
        form.load(chairmanship)
    else:
        form = ChairmanshipForm()
    if form.validate_on_submit():
        try:
            chairmanships.update_chairmanship(chairmanship, form.details())
        except DomainError as error:
            db.session.rollback()
            form.refuse(error)
        else:
            db.session.commit()
            flash(_("%(label)s is saved.", label=chairmanship.label), "success")
            return redirect(url_for(".detail", chairmanship_id=chairmanship.id))
    status = 400 if form.is_submitted() else 200
    return render_template("chairmanships/form.html", form=form, chairmanship=chairmanship), status


@bp.post("/<int:chairmanship_id>/archive")
@login_required
def archive(chairmanship_id: int):
    """Hide a chairmanship from lists and pages; the secretariat can restore it."""
    _may_manage()
    chairmanship = get_or_404(Chairmanship, chairmanship_id)
    return commit_or_refuse(
        lambda: chairmanships.archive_chairmanship(chairmanship),
        refused=lambda message: _detail_page(chairmanship, message, 409),
        done=_(
            "%(label)s is archived. Find it under “Archived” to restore it.",
            label=chairmanship.label,
        ),
        then=url_for(".index"),
    )


@bp.post("/<int:chairmanship_id>/restore")
@login_required
def restore(chairmanship_id: int):
    """Bring an archived chairmanship back into lists, pages and the Troika."""
    _may_manage()
    chairmanship = get_or_404(Chairmanship, chairmanship_id, include_archived=True)
    return commit_or_refuse(
        lambda: chairmanships.restore_chairmanship(chairmanship),
        refused=lambda message: _detail_page(chairmanship, message, 409),
        done=_("%(label)s is restored.", label=chairmanship.label),
        then=url_for(".detail", chairmanship_id=chairmanship.id),
    )
