"""Demo data for governments' offers: one waiting, one accepted, one declined, made through the
rules as a focal point and the secretariat would, so the records agree with the answers."""

from sqlalchemy import select

from workplan.extensions import db
from workplan.models import Government, User, utcnow
from workplan.seed import DEMO
from workplan.services import offers


def load(loader) -> None:
    """The Philippines offers to co-chair a coming roundtable (waiting); Sweden offers to join a
    team (accepted); Mexico proposes a theme (declined)."""
    today = loader.today
    # Answered as they are loaded: an answer never comes before its offer.
    now = utcnow()
    governments = {g.iso3: g for g in db.session.scalars(select(Government))}
    people = {u.email.split("@")[0]: u for u in db.session.scalars(select(User))}
    secretariat = people.get("secretariat")
    wanted = (
        (
            "PHL",
            "co_chair",
            "We co-chair labour mobility work and host the 2027 regional "
            "consultation; our labour ministry is ready to lead.",
            None,
        ),
        (
            "SWE",
            "team",
            "Our skills partnership pilots with two countries of origin are ready to share.",
            "Welcome: the team meets next in March.",
        ),
        (
            "MEX",
            "theme",
            "Consular protection in transit countries deserves a roundtable of its own.",
            "The coming agenda is set; we keep it for the next chairmanship.",
        ),
    )
    for iso3, kind, reason, answer in wanted:
        government = governments.get(iso3)
        if government is None:
            continue
        open_to = offers.choices(government, today)
        details = offers.OfferDetails(kind=kind, reason=reason + DEMO)
        if kind == "co_chair":
            if not open_to.roundtables:
                continue
            details.roundtable_id = open_to.roundtables[-1].id
        elif kind == "team":
            if not open_to.teams:
                continue
            details.team_id = open_to.teams[0].id
        else:
            details.theme = "Consular protection in transit" + DEMO
        offer = offers.make_offer(government, details, people.get(f"focal.{iso3.lower()}"), today)
        offer.is_demo = True
        if answer is not None:
            offers.answer(
                offer,
                accept=kind != "theme",
                words=answer + DEMO,
                version=None,
                answered_by=secretariat,
                now=now,
            )
