"""The pledges pages: what donors promised, what they signed, and what has arrived; and the
secretariat's screens to record and correct pledges, commit them, and record payments."""

from flask import Blueprint, abort, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from workplan import editing, permissions, web
from workplan.extensions import db
from workplan.formatting import lazy_gettext as _l
from workplan.models import PLEDGE_KINDS, Payment, Pledge, utcnow
from workplan.pledges.forms import CommitForm, PaymentForm, PledgeForm
from workplan.services import chairmanships, pledges
from workplan.services.checks import currency_codes

bp = Blueprint("pledges", __name__, url_prefix="/pledges")
# Pledges and payments are for signed-in members of the forum.
web.guard(bp, permissions.can_read_private)

SORTS = {
    "-pledged_on": _l("Newest first"),
    "pledged_on": _l("Oldest first"),
    "donor": _l("Donor"),
    "amount": _l("Currency, then largest amount"),
}
# The confirmations, a whole sentence each so every language can make it agree.
SAID = {
    editing.CREATED: _l("The pledge by %(donor)s is recorded."),
    editing.SAVED: _l("The pledge by %(donor)s is saved."),
    editing.ARCHIVED: _l("The pledge by %(donor)s is archived. Find it under “Archived”."),
    editing.RESTORED: _l("The pledge by %(donor)s is restored."),
}
records_money = web.require(permissions.can_record_pledges)


@bp.get("/")
def index():
    """Pledges, newest first, filtered by chairmanship, donor, stage, kind and currency; search
    by donor, activity or notes; sort."""
    currencies = pledges.currencies_pledged()
    filters = web.list_filters(
        pledges.PledgeFilters,
        SORTS,
        chairmanship_id=web.query_int("chairmanship"),
        donor=web.query_choice("donor", pledges.DONOR_TYPES),
        stage=web.query_choice("status", pledges.STAGES),
        kind=web.query_choice("kind", PLEDGE_KINDS),
        currency=web.query_text("currency", 3).upper(),
    )
    if filters.currency and filters.currency not in currency_codes():
        abort(400, _("The “currency” parameter must be an ISO 4217 code, such as USD or CHF."))
    if filters.currency and filters.currency not in currencies:
        # A bookmarked filter stays shown even when no pledge uses the currency any more.
        currencies.append(filters.currency)
    return web.list_page(
        "pledges/index.html",
        pledges.listing(filters),
        filters,
        sorts=SORTS,
        chairmanships=chairmanships.listed(),
        donor_types=pledges.DONOR_TYPES,
        stages=pledges.STAGES,
        kinds=PLEDGE_KINDS,
        currencies=currencies,
    )


def _detail_page(
    pledge: Pledge,
    *,
    commit_form: CommitForm | None = None,
    payment_form: PaymentForm | None = None,
    refusal: str | None = None,
    status: int = 200,
):
    """A pledge with its payments: received so far, and what is still outstanding.

    Shown with its forms (one as typed when it was refused) and a refusal's reason.
    """
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


editing.add_record_routes(bp, "pledge", Pledge, PledgeForm, pledges, page=_detail_page, said=SAID)


@bp.post("/<int:pledge_id>/commit")
@records_money
def commit(pledge_id: int):
    """Mark a pledge as committed: the donor signed an agreement on that day."""
    pledge = web.get_or_404(Pledge, pledge_id)
    form = CommitForm()

    def change():
        pledges.commit_pledge(pledge, form.committed_on.data, form.version.data)
        return pledge

    def page(form, status, newer=None):
        return _detail_page(newer.record if newer else pledge, commit_form=form, status=status)

    return editing.save(
        form,
        change,
        page=page,
        done=lambda saved: _("The pledge by %(name)s is committed.", name=saved.donor.name),
        then=lambda saved: url_for(".detail", pledge_id=saved.id),
    )


@bp.post("/<int:pledge_id>/payments")
@records_money
def add_payment(pledge_id: int):
    """Record a payment received against a pledge."""
    pledge = web.get_or_404(Pledge, pledge_id)
    form = PaymentForm(currency=pledge.currency)
    return editing.save(
        form,
        lambda: pledges.record_payment(pledge, form.details()),
        page=lambda form, status, newer=None: _detail_page(
            pledge, payment_form=form, status=status
        ),
        done=lambda payment: _(
            "A payment of %(amount)s %(currency)s is recorded.",
            amount=f"{payment.amount:,.2f}",
            currency=pledge.currency,
        ),
        then=lambda payment: url_for(".detail", pledge_id=pledge.id, _anchor="payments"),
    )


@bp.post("/<int:pledge_id>/payments/<int:payment_id>/remove")
@records_money
def remove_payment(pledge_id: int, payment_id: int):
    """Remove a payment recorded in error; the audit log keeps what it was."""
    pledge = web.get_or_404(Pledge, pledge_id)
    payment = db.session.get(Payment, payment_id)
    if payment is None or payment.pledge_id != pledge.id:
        abort(404)
    amount = f"{payment.amount:,.2f} {pledge.currency}"
    return editing.commit_or_refuse(
        lambda: pledges.remove_payment(payment),
        refused=lambda message: _detail_page(pledge, refusal=message, status=409),
        done=_("The payment of %(amount)s is removed.", amount=amount),
        then=url_for(".detail", pledge_id=pledge.id, _anchor="payments"),
    )
