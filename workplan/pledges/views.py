"""The pledges pages: what donors promised, what they signed, and what has arrived; and the
secretariat's screens to record and correct pledges, commit them, and record payments."""

from flask import Blueprint, abort, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from workplan import editing, permissions, web
from workplan.extensions import db
from workplan.formatting import day, month
from workplan.formatting import lazy_gettext as _l
from workplan.models import PLEDGE_KINDS, ExchangeRate, Instalment, Payment, Pledge, utcnow
from workplan.pledges.forms import (
    CommitForm,
    InstalmentForm,
    PaymentForm,
    PledgeForm,
    RateForm,
    RateImportForm,
)
from workplan.services import chairmanships, exchange_rates, pledges
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


def _rates_page(
    rate_form: RateForm | None = None,
    import_form: RateImportForm | None = None,
    refusal: str | None = None,
    status: int = 200,
):
    """The exchange-rate table, newest month first, with the secretariat's forms to add a rate
    (filled from ?currency=&month= when a report sent them here) and to import a CSV file."""
    if permissions.can_record_pledges(current_user):
        if rate_form is None:
            rate_form = RateForm(
                formdata=None,
                currency=web.query_text("currency", 3).upper(),
                month=web.query_text("month", 7),
                source=_("UN operational rates of exchange"),
            )
        if import_form is None:
            import_form = RateImportForm(formdata=None)
    page = render_template(
        "pledges/rates.html",
        page=web.paginate(exchange_rates.listing(), per_page=36),
        rate_form=rate_form,
        import_form=import_form,
        refusal=refusal,
    )
    return page, status


@bp.get("/rates")
def rates():
    """The secretariat's monthly exchange rates, by which pledges and payments without a rate
    of their own are converted to the reporting currency."""
    return _rates_page()


@bp.post("/rates")
@records_money
def add_rate():
    """Record a currency's rate for a month, replacing the month's earlier one."""
    form = RateForm()

    def change():
        month = exchange_rates.parse_month(form.month.data)
        rate, _new = exchange_rates.record_rate(
            exchange_rates.RateDetails(form.currency.data, month, form.rate.data, form.source.data)
        )
        return rate

    return editing.save(
        form,
        change,
        page=lambda form, status, newer=None: _rates_page(rate_form=form, status=status),
        done=lambda rate: _(
            "The rate of %(currency)s for %(month)s is saved.",
            currency=rate.currency,
            month=month(rate.month),
        ),
        then=lambda rate: url_for(".rates"),
    )


@bp.post("/rates/import")
@records_money
def import_rates():
    """Record every rate of a CSV file, or none when one of its lines is refused."""
    form = RateImportForm()
    return editing.save(
        form,
        lambda: exchange_rates.import_csv(form.file.data.read(), form.source.data),
        page=lambda form, status, newer=None: _rates_page(import_form=form, status=status),
        done=lambda imported: ngettext(
            "%(num)d rate imported: %(added)s new, %(replaced)s replacing the month's earlier one.",
            "%(num)d rates imported: %(added)s new, %(replaced)s replacing the month's earlier "
            "one.",
            imported.added + imported.replaced,
            added=imported.added,
            replaced=imported.replaced,
        ),
        then=lambda imported: url_for(".rates"),
    )


@bp.post("/rates/<int:rate_id>/remove")
@records_money
def remove_rate(rate_id: int):
    """Remove a rate recorded in error; the audit log keeps what it was."""
    rate = db.session.get(ExchangeRate, rate_id)
    if rate is None:
        abort(404)
    said = _(
        "The rate of %(currency)s for %(month)s is removed.",
        currency=rate.currency,
        month=month(rate.month),
    )
    return editing.commit_or_refuse(
        lambda: exchange_rates.remove_rate(rate),
        refused=lambda message: _rates_page(refusal=message, status=409),
        done=said,
        then=url_for(".rates"),
    )


def _detail_page(
    pledge: Pledge,
    *,
    commit_form: CommitForm | None = None,
    payment_form: PaymentForm | None = None,
    instalment_form: InstalmentForm | None = None,
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
        if instalment_form is None:
            instalment_form = InstalmentForm(formdata=None)
    page = render_template(
        "pledges/detail.html",
        pledge=pledge,
        conversion=exchange_rates.conversion(pledge),
        schedule=pledges.schedule(pledge, utcnow().date()),
        instalment_form=instalment_form,
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
    was_committed = pledge.status == "committed"

    def done(payment: Payment) -> str:
        amount = f"{payment.amount:,.2f}"
        if was_committed:
            return _(
                "A payment of %(amount)s %(currency)s is recorded.",
                amount=amount,
                currency=pledge.currency,
            )
        return _(
            "A payment of %(amount)s %(currency)s is recorded, and the pledge is now committed "
            "as of %(day)s, the day the money arrived.",
            amount=amount,
            currency=pledge.currency,
            day=day(payment.received_on),
        )

    return editing.save(
        form,
        lambda: pledges.record_payment(pledge, form.details()),
        page=lambda form, status, newer=None: _detail_page(
            pledge, payment_form=form, status=status
        ),
        done=done,
        then=lambda payment: url_for(".detail", pledge_id=pledge.id, _anchor="payments"),
    )


def _remove_part(pledge_id: int, model, part_id: int, remove, said, anchor: str):
    """Take a payment or an instalment off its pledge, or refuse on the pledge's page."""
    pledge = web.get_or_404(Pledge, pledge_id)
    part = db.session.get(model, part_id)
    if part is None or part.pledge_id != pledge.id:
        abort(404)
    return editing.commit_or_refuse(
        lambda: remove(part),
        refused=lambda message: _detail_page(pledge, refusal=message, status=409),
        done=said(pledge, part),
        then=url_for(".detail", pledge_id=pledge.id, _anchor=anchor),
    )


@bp.post("/<int:pledge_id>/payments/<int:payment_id>/remove")
@records_money
def remove_payment(pledge_id: int, payment_id: int):
    """Remove a payment recorded in error; the audit log keeps what it was."""
    return _remove_part(
        pledge_id,
        Payment,
        payment_id,
        pledges.remove_payment,
        lambda pledge, payment: _(
            "The payment of %(amount)s is removed.",
            amount=f"{payment.amount:,.2f} {pledge.currency}",
        ),
        "payments",
    )


@bp.post("/<int:pledge_id>/instalments")
@records_money
def add_instalment(pledge_id: int):
    """Add an instalment to a multi-year pledge's schedule."""
    pledge = web.get_or_404(Pledge, pledge_id)
    form = InstalmentForm()
    return editing.save(
        form,
        lambda: pledges.schedule_instalment(pledge, form.details()),
        page=lambda form, status, newer=None: _detail_page(
            pledge, instalment_form=form, status=status
        ),
        done=lambda instalment: _(
            "An instalment of %(amount)s due on %(day)s is scheduled.",
            amount=f"{instalment.amount:,.2f} {pledge.currency}",
            day=day(instalment.due_on),
        ),
        then=lambda instalment: url_for(".detail", pledge_id=pledge.id, _anchor="instalments"),
    )


@bp.post("/<int:pledge_id>/instalments/<int:instalment_id>/remove")
@records_money
def remove_instalment(pledge_id: int, instalment_id: int):
    """Take an instalment off the schedule; the audit log keeps what it was."""
    return _remove_part(
        pledge_id,
        Instalment,
        instalment_id,
        pledges.remove_instalment,
        lambda pledge, instalment: _(
            "The instalment due on %(day)s is removed.", day=day(instalment.due_on)
        ),
        "instalments",
    )
