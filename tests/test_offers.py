"""Governments' offers: a focal point offers to co-chair a roundtable, to join a team or
proposes a theme; the secretariat accepts (and the records change) or declines with a reason;
a pending offer may be withdrawn; each government sees only its own, and the secretariat sees
the balance between the world's regions."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from workplan.extensions import db
from workplan.models import AuditEvent, Government, Offer, TeamMembership, Theme, utcnow
from workplan.services import DomainError, offers


@pytest.fixture
def forum(make):
    """A chairmanship still to come (whatever today is) with two roundtables, a team at work,
    and Kenya's and Mexico's focal points."""
    kenya, mexico = make.government("KEN", "Kenya"), make.government("MEX", "Mexico")
    ecuador = make.government("ECU", "Ecuador")
    coming = make.chairmanship("GFMD 2098", starts_on=date(2098, 1, 1), ends_on=date(2098, 12, 31))
    return type(
        "Forum",
        (),
        {
            "kenya": kenya,
            "mexico": mexico,
            "coming": coming,
            "rt": make.roundtable(coming, number="1.1", co_chairs=[ecuador]),
            "other_rt": make.roundtable(coming, number="2.1", co_chairs=[mexico]),
            "team": make.team(lead=ecuador, name="Team on skills", first_year=2020),
            "kenyan": make.user("focal_point", government=kenya),
            "mexican": make.user("focal_point", government=mexico),
            "member": make.user("member"),
            "secretariat": make.user("secretariat"),
        },
    )


def count(make, model, *where) -> int:
    make.session.expire_all()
    return make.session.scalar(select(func.count()).select_from(model).where(*where))


def offer_to_co_chair(client, forum, **changes):
    data = {"kind": "co_chair", "roundtable": str(forum.rt.id), "reason": "We hosted RT 1.1."}
    return client.post("/offers/new", data=data | changes)


def test_a_focal_point_offers_to_co_chair_and_the_secretariat_accepts(client, auth, make, forum):
    auth.login(forum.kenyan)
    page = client.get(f"/roundtables/{forum.rt.id}")
    assert f"/offers/new?roundtable={forum.rt.id}" in page.text
    form = client.get(f"/offers/new?roundtable={forum.rt.id}")
    assert form.status_code == 200
    assert f'selected value="{forum.rt.id}"' in form.text
    assert f'value="{forum.other_rt.id}"' in form.text  # Mexico's RT 2.1 is open to Kenya
    sent = offer_to_co_chair(client, forum)
    assert sent.status_code == 302
    offer = make.session.scalars(select(Offer)).one()
    assert (offer.kind, offer.state, offer.government_id) == ("co_chair", "pending", forum.kenya.id)
    assert offer.offered_by_id == forum.kenyan.id
    # The same offer twice is refused while the first waits.
    again = offer_to_co_chair(client, forum)
    assert again.status_code == 400 and "already waiting for an answer" in again.text
    assert count(make, Offer) == 1
    auth.logout()

    auth.login(forum.secretariat)
    listed = client.get("/offers/")
    assert "Kenya" in listed.text and "Where the offers come from" in listed.text
    answered = client.post(
        f"/offers/{offer.id}/answer",
        data={"decision": "accept", "answer": "Welcome aboard.", "version": str(offer.version)},
    )
    assert answered.status_code == 302
    make.session.expire_all()
    assert offer.state == "accepted" and offer.answered_by_id == forum.secretariat.id
    assert forum.kenya in forum.rt.co_chairs
    # Kenya's focal point now holds the co-chairs' rights on RT 1.1.
    auth.logout()
    auth.login(forum.kenyan)
    assert client.get(f"/roundtables/{forum.rt.id}/description").status_code == 200
    page = client.get(f"/offers/{offer.id}")
    assert "Welcome aboard." in page.text and "Withdraw the offer" not in page.text
    government_page = client.get(f"/governments/{forum.kenya.id}").text
    assert "Its offers" in government_page and "Accepted" in government_page
    log = make.session.scalars(
        select(AuditEvent).where(
            AuditEvent.record_type == "Offer", AuditEvent.record_id == offer.id
        )
    ).all()
    assert [event.action for event in log] == ["create", "update"]


def test_declining_needs_a_reason_and_changes_no_record(client, auth, make, forum):
    auth.login(forum.kenyan)
    offer_to_co_chair(client, forum)
    auth.logout()
    offer = make.session.scalars(select(Offer)).one()
    auth.login(forum.secretariat)
    silent = client.post(
        f"/offers/{offer.id}/answer", data={"decision": "decline", "version": str(offer.version)}
    )
    assert silent.status_code == 400 and "Say why, so the government knows." in silent.text
    make.session.expire_all()
    assert offer.state == "pending"
    declined = client.post(
        f"/offers/{offer.id}/answer",
        data={"decision": "decline", "answer": "RT 1.1 has its co-chairs.", "version": "1"},
    )
    assert declined.status_code == 302
    make.session.expire_all()
    assert offer.state == "declined" and forum.kenya not in forum.rt.co_chairs
    # Answered once: a second answer from a stale page is refused.
    late = client.post(
        f"/offers/{offer.id}/answer",
        data={"decision": "accept", "version": "1"},
    )
    assert late.status_code == 409
    make.session.expire_all()
    assert offer.state == "declined" and forum.kenya not in forum.rt.co_chairs


def test_joining_a_team_and_proposing_a_theme(client, auth, make, forum):
    auth.login(forum.kenyan)
    assert f"/offers/new?team={forum.team.id}" in client.get(f"/teams/{forum.team.id}").text
    team = client.post(
        "/offers/new",
        data={"kind": "team", "team": str(forum.team.id), "reason": "Our skills partnerships."},
    )
    assert team.status_code == 302
    theme = client.post(
        "/offers/new",
        data={
            "kind": "theme",
            "theme": "Climate and human mobility",
            "chairmanship": str(forum.coming.id),
            "reason": "Drought moves our people.",
            # A subject of another kind is not read.
            "roundtable": str(forum.rt.id),
        },
    )
    assert theme.status_code == 302
    auth.logout()
    auth.login(forum.secretariat)
    for offer in make.session.scalars(select(Offer).order_by(Offer.id)):
        assert offer.roundtable_id is None
        response = client.post(
            f"/offers/{offer.id}/answer", data={"decision": "accept", "version": "1"}
        )
        assert response.status_code == 302, response.text
    joined = make.session.scalars(
        select(TeamMembership).where(TeamMembership.government_id == forum.kenya.id)
    ).one()
    assert joined.team_id == forum.team.id and joined.joined_year == utcnow().year
    assert make.session.scalar(select(Theme).where(Theme.name == "Climate and human mobility"))


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"kind": "co_chair", "roundtable": ""}, "roundtable", "Choose a roundtable"),
        ({"kind": "team", "team": ""}, "team", "Choose a team still at work"),
        ({"kind": "theme", "theme": "  "}, "theme", "Name the theme you propose."),
        ({"kind": "co_chair", "reason": ""}, "reason", "why your government offers this"),
        ({"kind": "gift"}, "kind", "Not a valid choice"),
    ],
)
def test_bad_offers_are_refused_at_the_field(client, auth, make, forum, data, field, message):
    auth.login(forum.kenyan)
    base = {"roundtable": str(forum.rt.id), "reason": "Because."}
    response = client.post("/offers/new", data=base | data)
    assert response.status_code == 400
    assert message in response.text
    assert count(make, Offer) == 0


def test_a_government_cannot_offer_what_it_already_holds(app, make, forum):
    """Mexico co-chairs RT 2.1: offering it is refused by the rules, not only by the form."""
    with app.app_context():
        details = offers.OfferDetails(kind="co_chair", roundtable_id=forum.other_rt.id, reason="x")
        with pytest.raises(DomainError) as refused:
            offers.make_offer(forum.mexico, details, None, date(2097, 6, 1))
        assert refused.value.field == "roundtable"
        # A chairmanship that is over takes no offers either.
        details = offers.OfferDetails(kind="co_chair", roundtable_id=forum.rt.id, reason="x")
        with pytest.raises(DomainError):
            offers.make_offer(forum.kenya, details, None, date(2099, 1, 1))


def test_each_government_sees_its_own_offers(client, auth, make, forum):
    auth.login(forum.kenyan)
    offer_to_co_chair(client, forum)
    auth.logout()
    offer = make.session.scalars(select(Offer)).one()
    auth.login(forum.mexican)
    assert client.get(f"/offers/{offer.id}").status_code == 404
    assert "RT 1.1" not in client.get("/offers/").text
    assert client.post(f"/offers/{offer.id}/withdraw").status_code == 404
    assert client.post(f"/offers/{offer.id}/answer", data={"decision": "accept"}).status_code == 403
    auth.logout()
    auth.login(forum.member)
    assert client.get("/offers/").status_code == 403
    assert client.get("/offers/new").status_code == 403
    auth.logout()
    auth.login(forum.secretariat)
    assert client.get("/offers/new").status_code == 403  # the secretariat offers nothing
    assert client.post(f"/offers/{offer.id}/withdraw").status_code == 403
    make.session.expire_all()
    assert offer.state == "pending"


def test_a_pending_offer_is_withdrawn(client, auth, make, forum):
    auth.login(forum.kenyan)
    offer_to_co_chair(client, forum)
    offer = make.session.scalars(select(Offer)).one()
    assert "Withdraw the offer" in client.get(f"/offers/{offer.id}").text
    assert client.post(f"/offers/{offer.id}/withdraw").status_code == 302
    make.session.expire_all()
    assert offer.state == "withdrawn" and offer.answered_at is not None
    assert client.post(f"/offers/{offer.id}/withdraw").status_code == 403
    # Withdrawn, it can be made again.
    assert offer_to_co_chair(client, forum).status_code == 302
    government_page = client.get(f"/governments/{forum.kenya.id}").text
    assert "Its offers" in government_page and "Withdrawn" in government_page


def test_the_regional_balance_counts_every_region(app, make, forum):
    with app.app_context():
        kenya, mexico = (
            db.session.get(Government, forum.kenya.id),
            db.session.get(Government, forum.mexico.id),
        )
        made = [
            offers.make_offer(
                kenya,
                offers.OfferDetails(kind="co_chair", roundtable_id=forum.rt.id, reason="r"),
                None,
                date(2097, 1, 1),
            ),
            offers.make_offer(
                mexico,
                offers.OfferDetails(kind="theme", theme="Remittances", reason="r"),
                None,
                date(2097, 1, 1),
            ),
        ]
        rows = {row.code: row for row in offers.regional_balance(made)}
        assert set(rows) == {"002", "019", "142", "150", "009"}
        assert rows["002"].counts == {"co_chair": 1, "team": 0, "theme": 0}  # Kenya, Africa
        assert rows["019"].counts["theme"] == 1  # Mexico, the Americas
        assert rows["150"].total == 0


def test_what_has_ended_cannot_be_taken_up(app, make, forum):
    """An offer answered after its chairmanship or team is over is refused, and nothing
    changes."""
    ended = make.team(lead=forum.mexico, name="Team on returns", first_year=2015, last_year=2018)
    on_ended_team = make.offer(forum.kenya, team=ended)
    to_co_chair = make.offer(forum.kenya, roundtable=forum.rt)
    with app.app_context():
        for offer_id, when in ((on_ended_team.id, 2026), (to_co_chair.id, 2099)):
            offer = db.session.get(Offer, offer_id)
            with pytest.raises(DomainError):
                offers.answer(
                    offer,
                    accept=True,
                    words=None,
                    version=None,
                    answered_by=None,
                    now=datetime(when, 6, 1, tzinfo=UTC),
                )
            db.session.rollback()
    make.session.expire_all()
    assert {o.state for o in make.session.scalars(select(Offer))} == {"pending"}
    assert forum.kenya not in forum.rt.co_chairs
