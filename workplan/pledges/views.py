"""The pledges pages: what donors promised, what they signed, and what has arrived; and the
secretariat's screens to record and correct pledges, commit them, and record payments."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from workplan import permissions
from workplan.editing import commit_or_refuse
from workplan.extensions import db
from workplan.formatting import lazy_gettext as _l
from workplan.forms import archived_filter, listed
from workplan.models import (
    PLEDGE_KINDS,
    Chairmanship,
    Government,
    Organisation,
    Payment,
    Pledge,
    utcnow,
)
from workplan.pledges.forms import CommitForm, PaymentForm, PledgeEditForm, PledgeForm
from workplan.services import DomainError, StaleEdit, pledges, records
from workplan.validators import currency_codes
from workplan.web import get_or_404, paginate, query_choice, query_int, query_text

bp = Blueprint("pledges", __name__, url_prefix="/pledges")

DONOR_TYPES = ("government", "organisation")
# Paid is not stored: a pledge is paid once its payments cover the amount.
STAGES = ("pledged", "committed", "paid")
_DONOR_NAME = func.coalesce(Government.name, Organisation.name)
SORTS = {
    "-pledged_on": (_l("Newest first"), (Pledge.pledged_on.desc(), Pledge.id.desc())),
    "pledged_on": (_l("Oldest first"), (Pledge.pledged_on, Pledge.id)),
    "donor": (_l("Donor"), (_DONOR_NAME, Pledge.pledged_on.desc(), Pledge.id)),
    # Amounts in different currencies are never compared: sort within each currency.
    "amount": (
        _l("Currency, then largest amount"),
        (Pledge.currency, Pledge.amount.desc(), Pledge.id),
    ),
}


@bp.before_request
@login_required
def _members_only():
    """Pledges and payments are for signed-in members of the forum."""
    if not permissions.can_read_private(current_user):
        abort(403)


def _may_record() -> None:
    """Only the secretariat records pledges and payments."""
    if not permissions.can_record_pledges(current_user):
        abort(403)


@bp.get("/")
def index():
    """Pledges, newest first, filtered by chairmanship, donor, stage, kind and currency; search
    by donor, activity or notes; sort."""
    archived = archived_filter()
    currencies = db.session.scalars(select(Pledge.currency).distinct().order_by(Pledge.currency))
    currencies = list(currencies)
    filters = {
        "chairmanship": query_int("chairmanship"),
        "donor": query_choice("donor", DONOR_TYPES),
        "status": query_choice("status", STAGES),
        "kind": query_choice("kind", PLEDGE_KINDS),
        "currency": query_text("currency", 3).upper(),
        "q": query_text("q", 100),
    }
    if filters["currency"] and filters["currency"] not in currency_codes():
        abort(400, _("The “currency” parameter must be an ISO 4217 code, such as USD or CHF."))
    if filters["currency"] and filters["currency"] not in currencies:
        # A bookmarked filter stays shown even when no pledge uses the currency any more.
        currencies.append(filters["currency"])
    sort = query_choice("sort", SORTS, "-pledged_on")
    query = (
        select(Pledge)
        .outerjoin(Government, Pledge.donor_government_id == Government.id)
        .outerjoin(Organisation, Pledge.donor_organisation_id == Organisation.id)
        .where(listed(Pledge, archived))
        .options(
            selectinload(Pledge.chairmanship),
            selectinload(Pledge.donor_government),
            selectinload(Pledge.donor_organisation),
            selectinload(Pledge.payments),
            selectinload(Pledge.earmark_roundtable),
        )
        .order_by(*SORTS[sort][1])
    )
    if filters["chairmanship"]:
        query = query.where(Pledge.chairmanship_id == filters["chairmanship"])
    if filters["donor"] == "government":
        query = query.where(Pledge.donor_government_id.is_not(None))
    elif filters["donor"] == "organisation":
        query = query.where(Pledge.donor_organisation_id.is_not(None))
    if filters["status"]:
        received = (
            select(func.coalesce(func.sum(Payment.amount), 0))
            .where(Payment.pledge_id == Pledge.id)
            .scalar_subquery()
        )
        paid = received >= Pledge.amount
        if filters["status"] == "paid":
            query = query.where(paid)
        else:
            query = query.where(Pledge.status == filters["status"], ~paid)
    if filters["kind"]:
        query = query.where(Pledge.kind == filters["kind"])
    if filters["currency"]:
        query = query.where(Pledge.currency == filters["currency"])
    if filters["q"]:
        like = f"%{filters['q']}%"
        query = query.where(
            or_(
                Government.name.ilike(like),
                Government.iso3 == filters["q"].upper(),
                Organisation.name.ilike(like),
                Organisation.acronym.ilike(like),
                Pledge.earmark_activity.ilike(like),
                Pledge.in_kind_description.ilike(like),
                Pledge.notes.ilike(like),
            )
        )
    chairmanships = db.session.scalars(
        select(Chairmanship)
        .where(Chairmanship.archived_at.is_(None))
        .order_by(Chairmanship.starts_on.desc())
    ).all()
    return render_template(
        "pledges/index.html",
        page=paginate(query),
        filters=filters,
        chairmanships=chairmanships,
        donor_types=DONOR_TYPES,
        stages=STAGES,
        kinds=PLEDGE_KINDS,
        currencies=currencies,
        sort=sort,
        sorts=SORTS,
        archived=archived,
    )


def _detail_page(
    pledge: Pledge,
    *,
    commit_form: CommitForm | None = None,
    payment_form: PaymentForm | None = None,
    refusal: str | None = None,
    status: int = 200,
):
    """A pledge's page with its forms (one as typed when it was refused) and a refusal's reason."""
    if permissions.can_record_pledges(current_user) and pledge.archived_at is None:
        if commit_form is None and pledge.status == "pledged":
            commit_form = CommitForm(
                formdata=None, version=pledge.version, committed_on=utcnow().date()
            )
        if payment_form is None:
            payment_form = PaymentForm(formdata=None, currency=pledge.currency)
    page = render_template(
        "pledges/detail.html",
        pledge=pledge,
        commit_form=commit_form,
        payment_form=payment_form,
        refusal=refusal,
    )
    return page, status


@bp.get("/<int:pledge_id>")
def detail(pledge_id: int):
    """A pledge with its payments: received so far, and what is still outstanding."""
    pledge = get_or_404(
        Pledge, pledge_id, include_archived=permissions.is_secretariat(current_user)
    )
    return _detail_page(pledge)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    """Record a donor's pledge to a chairmanship."""
    _may_record()
    form = PledgeForm()
    if request.method == "GET":
        form.chairmanship.data = query_int("chairmanship")
        form.currency.data = current_app.config["BASE_CURRENCY"]
        form.pledged_on.data = utcnow().date()
    if form.validate_on_submit():
        try:
            pledge = pledges.record_pledge(form.details())
        except DomainError as error:
            db.session.rollback()
            form.refuse(error)
        else:
            db.session.commit()
            flash(_("The pledge by %(name)s is recorded.", name=pledge.donor.name), "success")
            return redirect(url_for(".detail", pledge_id=pledge.id))
    status = 400 if form.is_submitted() else 200
    return render_template("pledges/form.html", form=form, pledge=None), status


@bp.route("/<int:pledge_id>/edit", methods=["GET", "POST"])
@login_required
def edit(pledge_id: int):
    """Correct a pledge; an edit made from a copy someone else has since saved is refused."""
    _may_record()
    pledge = get_or_404(Pledge, pledge_id)
    if request.method == "GET":
        form = PledgeEditForm(obj=pledge)
        form.load(pledge)
    else:
        form = PledgeEditForm()
    if form.validate_on_submit():
        try:
            pledges.update_pledge(pledge, form.details(), form.version.data)
        except StaleEdit as stale:
            db.session.rollback()
            return _stale_page(form, stale.record)
        except DomainError as error:
            db.session.rollback()
            form.refuse(error)
        else:
            db.session.commit()
            flash(_("The pledge by %(name)s is saved.", name=pledge.donor.name), "success")
            return redirect(url_for(".detail", pledge_id=pledge.id))
    status = 400 if form.is_submitted() else 200
    return render_template("pledges/form.html", form=form, pledge=pledge), status


def _stale_page(form: PledgeEditForm, pledge: Pledge):
    """The 409 page: the newer values beside what was typed, which stays in the form.

    The form now carries the newer version, so saving again is a deliberate choice to replace
    the other person's values, never a silent overwrite.
    """
    form.version.set(pledge.version)
    page = render_template(
        "pledges/form.html",
        form=form,
        pledge=pledge,
        stale=True,
        differences=form.differences(pledge),
    )
    return page, 409


@bp.post("/<int:pledge_id>/commit")
@login_required
def commit(pledge_id: int):
    """Mark a pledge as committed: the donor signed an agreement on that day."""
    _may_record()
    pledge = get_or_404(Pledge, pledge_id)
    form = CommitForm()
    if form.validate_on_submit():
        try:
            pledges.commit_pledge(pledge, form.committed_on.data, form.version.data)
        except StaleEdit as stale:
            db.session.rollback()
            form.version.raw_data = [str(stale.record.version)]
            form.form_errors.append(
                _(
                    "%(message)s The page now shows the saved pledge; check it, then mark it "
                    "as committed again if that is still right.",
                    message=stale.message,
                )
            )
            return _detail_page(stale.record, commit_form=form, status=409)
        except DomainError as error:
            db.session.rollback()
            form.refuse(error)
        else:
            db.session.commit()
            flash(_("The pledge by %(name)s is committed.", name=pledge.donor.name), "success")
            return redirect(url_for(".detail", pledge_id=pledge.id))
    return _detail_page(pledge, commit_form=form, status=400)


@bp.post("/<int:pledge_id>/archive")
@login_required
def archive(pledge_id: int):
    """Hide a pledge from lists, pages and totals; the secretariat can restore it."""
    _may_record()
    pledge = get_or_404(Pledge, pledge_id)
    return commit_or_refuse(
        lambda: records.archive(pledge),
        refused=lambda message: _detail_page(pledge, refusal=message, status=409),
        done=_(
            "The pledge by %(name)s is archived. Find it under “Archived”.", name=pledge.donor.name
        ),
        then=url_for(".index"),
    )


@bp.post("/<int:pledge_id>/restore")
@login_required
def restore(pledge_id: int):
    """Bring an archived pledge back into lists and totals."""
    _may_record()
    pledge = get_or_404(Pledge, pledge_id, include_archived=True)
    return commit_or_refuse(
        lambda: records.restore(pledge),
        refused=lambda message: _detail_page(pledge, refusal=message, status=409),
        done=_("The pledge by %(name)s is restored.", name=pledge.donor.name),
        then=url_for(".detail", pledge_id=pledge.id),
    )


@bp.post("/<int:pledge_id>/payments")
@login_required
def add_payment(pledge_id: int):
    """Record a payment received against a pledge."""
    _may_record()
    pledge = get_or_404(Pledge, pledge_id)
    form = PaymentForm(currency=pledge.currency)
    if form.validate_on_submit():
        try:
            payment = pledges.record_payment(pledge, form.details())
        except DomainError as error:
            db.session.rollback()
            form.refuse(error)
        else:
            db.session.commit()
            amount = f"{payment.amount:,.2f}"
            flash(
                _(
                    "A payment of %(amount)s %(currency)s is recorded.",
                    amount=amount,
                    currency=pledge.currency,
                ),
                "success",
            )
            return redirect(url_for(".detail", pledge_id=pledge.id, _anchor="payments"))
    return _detail_page(pledge, payment_form=form, status=400)


@bp.post("/<int:pledge_id>/payments/<int:payment_id>/remove")
@login_required
def remove_payment(pledge_id: int, payment_id: int):
    """Remove a payment recorded in error; the audit log keeps what it was."""
    _may_record()
    pledge = get_or_404(Pledge, pledge_id)
    payment = db.session.get(Payment, payment_id)
    if payment is None or payment.pledge_id != pledge.id:
        abort(404)
    amount = f"{payment.amount:,.2f} {pledge.currency}"
    return commit_or_refuse(
        lambda: pledges.remove_payment(payment),
        refused=lambda message: _detail_page(pledge, refusal=message, status=409),
        done=_("The payment of %(amount)s is removed.", amount=amount),
        then=url_for(".detail", pledge_id=pledge.id, _anchor="payments"),
    )
