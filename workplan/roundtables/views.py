"""The roundtables pages: each chairmanship's thematic sessions, their co-chairs and teams, and
the secretariat's screens to plan, correct, archive and restore them and to manage their teams."""

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
    Chairmanship,
    Deliverable,
    Government,
    Meeting,
    Roundtable,
    RoundtableMember,
    utcnow,
)
from workplan.models.meeting import VISIBLE_STATES
from workplan.roundtables.forms import MemberForm, RoundtableForm
from workplan.services import DomainError, records, structure
from workplan.web import get_or_404, paginate, query_choice, query_int, query_text

bp = Blueprint("roundtables", __name__, url_prefix="/roundtables")

SORTS = {
    "chairmanship": (
        _l("Latest chairmanship first"),
        (Chairmanship.starts_on.desc(), Roundtable.number),
    ),
    "number": (_l("Number"), (Roundtable.number, Chairmanship.starts_on.desc())),
    "title": (_l("Title"), (Roundtable.title, Roundtable.id)),
}


def _may_manage() -> None:
    """Only the secretariat plans roundtables and their teams."""
    if not permissions.can_manage_programme(current_user):
        abort(403)


@bp.get("/")
def index():
    """The roundtables, latest chairmanship first; filter by chairmanship and government,
    search by number or title, sort."""
    archived = archived_filter()
    chairmanship_id = query_int("chairmanship")
    text = query_text("q", 100)
    governments = db.session.scalars(
        select(Government).where(Government.archived_at.is_(None)).order_by(Government.name)
    ).all()
    government = query_choice("government", [g.iso3 for g in governments])
    sort = query_choice("sort", SORTS, "chairmanship")
    query = (
        select(Roundtable)
        .join(Roundtable.chairmanship)
        .where(listed(Roundtable, archived))
        .options(selectinload(Roundtable.chairmanship), selectinload(Roundtable.co_chairs))
        .order_by(*SORTS[sort][1])
    )
    if chairmanship_id:
        query = query.where(Roundtable.chairmanship_id == chairmanship_id)
    if text:
        query = query.where(
            or_(
                Roundtable.number.ilike(f"%{structure.roundtable_number(text)}%"),
                Roundtable.title.ilike(f"%{text}%"),
                Roundtable.cluster_title.ilike(f"%{text}%"),
            )
        )
    if government:
        # The government co-chairs the roundtable or sits on its team.
        query = query.where(
            or_(
                Roundtable.co_chairs.any(Government.iso3 == government),
                Roundtable.members.any(
                    RoundtableMember.government.has(Government.iso3 == government)
                ),
            )
        )
    chairmanships = db.session.scalars(
        select(Chairmanship)
        .where(Chairmanship.archived_at.is_(None))
        .order_by(Chairmanship.starts_on.desc())
    ).all()
    return render_template(
        "roundtables/index.html",
        page=paginate(query, per_page=50),
        chairmanships=chairmanships,
        chairmanship_id=chairmanship_id,
        q=text,
        governments=governments,
        government=government,
        sort=sort,
        sorts=SORTS,
        archived=archived,
    )


def _detail_page(
    roundtable: Roundtable,
    member_form: MemberForm | None = None,
    refusal: str | None = None,
    status: int = 200,
):
    """A roundtable's page, with the member form as typed and a refusal's reason if any."""
    secretariat = permissions.is_secretariat(current_user)
    members = db.session.scalars(
        select(RoundtableMember)
        .where(RoundtableMember.roundtable_id == roundtable.id)
        .options(
            selectinload(RoundtableMember.government),
            selectinload(RoundtableMember.organisation),
        )
    ).all()
    # An archived party stays on the record but is shown only to the secretariat.
    members = [m for m in members if secretariat or m.party.archived_at is None]
    government_members = sorted((m for m in members if m.government), key=lambda m: m.party.name)
    partner_members = sorted((m for m in members if m.organisation), key=lambda m: m.party.name)
    meetings_query = (
        select(Meeting)
        .where(Meeting.roundtable_id == roundtable.id, Meeting.archived_at.is_(None))
        .order_by(Meeting.starts_at)
    )
    if not secretariat:
        meetings_query = meetings_query.where(Meeting.state.in_(VISIBLE_STATES))
    deliverables = []
    if permissions.can_read_private(current_user):
        deliverables = db.session.scalars(
            select(Deliverable)
            .where(Deliverable.roundtable_id == roundtable.id, Deliverable.archived_at.is_(None))
            .options(selectinload(Deliverable.responsible_governments))
            .order_by(Deliverable.due_on, Deliverable.id)
        ).all()
    if member_form is None and permissions.can_manage_programme(current_user):
        member_form = MemberForm(formdata=None)
    page = render_template(
        "roundtables/detail.html",
        roundtable=roundtable,
        government_members=government_members,
        partner_members=partner_members,
        meetings=db.session.scalars(meetings_query).all(),
        deliverables=deliverables,
        member_form=member_form,
        refusal=refusal,
        today=utcnow().date(),
    )
    return page, status


@bp.get("/<int:roundtable_id>")
def detail(roundtable_id: int):
    """A roundtable: co-chairs, team members and partners, its session and deliverables."""
    roundtable = get_or_404(
        Roundtable, roundtable_id, include_archived=permissions.is_secretariat(current_user)
    )
    return _detail_page(roundtable)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    """Plan a roundtable in a chairmanship, with its number, titles and co-chairs."""
    _may_manage()
    form = RoundtableForm()
    if request.method == "GET":
        form.chairmanship.data = query_int("chairmanship")
    if form.validate_on_submit():
        try:
            roundtable = structure.create_roundtable(form.details())
        except DomainError as error:
            db.session.rollback()
            form.refuse(error)
        else:
            db.session.commit()
            flash(
                _(
                    "%(code)s is planned in %(chairmanship)s.",
                    code=roundtable.code,
                    chairmanship=roundtable.chairmanship.label,
                ),
                "success",
            )
            return redirect(url_for(".detail", roundtable_id=roundtable.id))
    status = 400 if form.is_submitted() else 200
    return render_template("roundtables/form.html", form=form, roundtable=None), status


@bp.route("/<int:roundtable_id>/edit", methods=["GET", "POST"])
@login_required
def edit(roundtable_id: int):
    """Change a roundtable's number, titles, background paper or co-chairs."""
    _may_manage()
    roundtable = get_or_404(Roundtable, roundtable_id)
    if request.method == "GET":
        form = RoundtableForm(obj=roundtable)
        form.load(roundtable)
    else:
        form = RoundtableForm()
    if form.validate_on_submit():
        try:
            structure.update_roundtable(roundtable, form.details())
        except DomainError as error:
            db.session.rollback()
            form.refuse(error)
        else:
            db.session.commit()
            flash(_("%(code)s is saved.", code=roundtable.code), "success")
            return redirect(url_for(".detail", roundtable_id=roundtable.id))
    status = 400 if form.is_submitted() else 200
    return render_template("roundtables/form.html", form=form, roundtable=roundtable), status


@bp.post("/<int:roundtable_id>/archive")
@login_required
def archive(roundtable_id: int):
    """Hide a roundtable from lists and pages; the secretariat can restore it."""
    _may_manage()
    roundtable = get_or_404(Roundtable, roundtable_id)
    return commit_or_refuse(
        lambda: structure.archive_roundtable(roundtable),
        refused=lambda message: _detail_page(roundtable, refusal=message, status=409),
        done=_(
            "%(code)s is archived. Find it under “Archived” to restore it.", code=roundtable.code
        ),
        then=url_for(".index"),
    )


@bp.post("/<int:roundtable_id>/restore")
@login_required
def restore(roundtable_id: int):
    """Bring an archived roundtable back."""
    _may_manage()
    roundtable = get_or_404(Roundtable, roundtable_id, include_archived=True)
    return commit_or_refuse(
        lambda: records.restore(roundtable),
        refused=lambda message: _detail_page(roundtable, refusal=message, status=409),
        done=_("%(code)s is restored.", code=roundtable.code),
        then=url_for(".detail", roundtable_id=roundtable.id),
    )


@bp.post("/<int:roundtable_id>/members")
@login_required
def add_member(roundtable_id: int):
    """Add a government or a non-state partner to a roundtable's team."""
    _may_manage()
    roundtable = get_or_404(Roundtable, roundtable_id)
    form = MemberForm()
    if form.validate_on_submit():
        try:
            member = structure.add_roundtable_member(roundtable, form.party.data)
        except DomainError as error:
            db.session.rollback()
            form.refuse(error)
        else:
            db.session.commit()
            flash(
                _(
                    "%(name)s joined the team of %(code)s.",
                    name=member.party.name,
                    code=roundtable.code,
                ),
                "success",
            )
            return redirect(url_for(".detail", roundtable_id=roundtable.id, _anchor="team"))
    return _detail_page(roundtable, member_form=form, status=400)


@bp.post("/<int:roundtable_id>/members/<int:member_id>/remove")
@login_required
def remove_member(roundtable_id: int, member_id: int):
    """Take a government or partner off a roundtable's team."""
    _may_manage()
    roundtable = get_or_404(Roundtable, roundtable_id)
    member = db.session.get(RoundtableMember, member_id)
    if member is None or member.roundtable_id != roundtable.id:
        abort(404)
    name = member.party.name
    structure.remove_roundtable_member(member)
    db.session.commit()
    flash(
        _("%(name)s is no longer on the team of %(code)s.", name=name, code=roundtable.code),
        "success",
    )
    return redirect(url_for(".detail", roundtable_id=roundtable.id, _anchor="team"))
