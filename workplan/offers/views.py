"""The offers pages: a focal point offers, for their government, to co-chair a roundtable, to
join a team or proposes a theme; the secretariat answers, and sees every offer with the balance
between the world's regions."""

from flask import Blueprint, abort, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from workplan import countries, editing, formatting, permissions, web
from workplan.extensions import db
from workplan.models import OFFER_KINDS, OFFER_STATES, Government, Offer, utcnow
from workplan.offers.forms import AnswerForm, OfferForm
from workplan.services import offers

bp = Blueprint("offers", __name__, url_prefix="/offers")
web.guard(bp, permissions.can_see_offers)


@bp.get("/")
def index():
    """Offers: the secretariat's list of every government's, by state and kind, with the
    regional balance; a focal point's list of their government's."""
    secretariat = permissions.can_answer_offers(current_user)
    filters = offers.OfferFilters(
        state=web.query_choice("state", OFFER_STATES),
        kind=web.query_choice("kind", OFFER_KINDS),
        government_id=None if secretariat else permissions.own_government_id(current_user),
    )
    listed = db.session.scalars(offers.listing(filters)).all()
    language = formatting.locale()
    return render_template(
        "offers/index.html",
        offers=listed,
        filters=filters,
        balance=offers.regional_balance(listed) if secretariat else None,
        regions={code: countries.region_name(code, language) for code in countries.REGIONS},
        kinds=OFFER_KINDS,
        states=OFFER_STATES,
        secretariat=secretariat,
    )


def _user():
    """The signed-in user as a record, for the rules that store who acted."""
    return current_user._get_current_object()


def _government() -> Government:
    return db.session.get(Government, permissions.own_government_id(current_user))


@bp.route("/new", methods=["GET", "POST"])
@web.require(permissions.can_make_offers)
def create():
    """Offer, for one's government, to co-chair a roundtable, join a team or propose a theme."""
    government = _government()
    today = utcnow().date()
    start = {}
    if roundtable := web.query_int("roundtable"):
        start = {"kind": "co_chair", "roundtable": roundtable}
    elif team := web.query_int("team"):
        start = {"kind": "team", "team": team}
    form = OfferForm(**start).offering(offers.choices(government, today))
    return editing.save(
        form,
        lambda: offers.make_offer(government, form.details(), _user(), today),
        page=editing.form_page("offers/form.html", government=government),
        done=lambda offer: _("Your offer is sent. The secretariat answers it on this page."),
        then=lambda offer: url_for(".detail", offer_id=offer.id),
    )


def _offer(offer_id: int) -> Offer:
    """An offer the user may read; another government's is not found."""
    offer = web.get_or_404(Offer, offer_id)
    if not permissions.can_read_offer(current_user, offer):
        abort(404)
    return offer


def _page(offer: Offer, *, answer_form=None, refusal=None, newer=None, status=200):
    """An offer: what, from whom, why, and the answer or the form to answer it."""
    if answer_form is None and offer.is_pending and permissions.can_answer_offers(current_user):
        answer_form = AnswerForm(formdata=None, version=offer.version)
    if answer_form is not None and not offer.is_pending:
        # Answered meanwhile: say so instead of offering the form again.
        refusal, answer_form = _("This offer has already been answered or withdrawn."), None
    page = render_template(
        "offers/detail.html",
        offer=offer,
        answer_form=answer_form,
        refusal=refusal,
        newer=newer,
    )
    return page, status


@bp.get("/<int:offer_id>")
def detail(offer_id: int):
    """An offer and its answer."""
    return _page(_offer(offer_id))


@bp.post("/<int:offer_id>/answer")
@web.require(permissions.can_answer_offers)
def answer(offer_id: int):
    """Accept an offer (the records change with it) or decline it with a word of why."""
    offer = _offer(offer_id)
    form = AnswerForm()

    def change():
        offers.answer(
            offer,
            accept=form.decision.data == "accept",
            words=form.answer.data,
            version=form.version.data,
            answered_by=_user(),
            now=utcnow(),
        )
        return offer

    return editing.save(
        form,
        change,
        page=lambda form, status, newer=None: _page(
            offer, answer_form=form, newer=newer, status=status
        ),
        done=lambda saved: (
            _("The offer is accepted, and the records say so.")
            if saved.state == "accepted"
            else _("The offer is declined; the government sees why.")
        ),
        then=lambda saved: url_for(".detail", offer_id=saved.id),
    )


@bp.post("/<int:offer_id>/withdraw")
def withdraw(offer_id: int):
    """Take back an offer still waiting for its answer."""
    offer = _offer(offer_id)
    web.authorize(permissions.can_withdraw_offer, offer)
    return editing.commit_or_refuse(
        # Whatever happened meanwhile, only a pending offer can be withdrawn: no version needed.
        lambda: offers.withdraw(offer, None, utcnow()),
        refused=lambda message: _page(offer, refusal=message, status=409),
        done=_("Your offer is withdrawn."),
        then=url_for(".detail", offer_id=offer.id),
    )
