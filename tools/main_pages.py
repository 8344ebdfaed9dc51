"""The main pages of the app for each role, found in whatever data the database holds.

The screenshots (`make screenshots`) and the browser tests that check every main page (width,
overlapping controls, accessibility) walk the same list, so a page added here is checked and
pictured at once.
"""

from dataclasses import dataclass

from sqlalchemy import select

from workplan.extensions import db
from workplan.models import (
    Chairmanship,
    Commitment,
    Deliverable,
    Document,
    Government,
    GovernmentTeam,
    Indicator,
    Meeting,
    Offer,
    Organisation,
    Pledge,
    Practice,
    Roundtable,
    User,
    WorkPlan,
    utcnow,
)
from workplan.services import chairmanships

ROLES = ("anonymous", "member", "focal_point", "secretariat")


@dataclass(frozen=True)
class MainPage:
    """A page worth looking at: a short name for files and messages, its path, who sees it."""

    name: str
    path: str
    roles: tuple[str, ...]


def _first(query):
    return db.session.scalars(query.limit(1)).first()


def main_pages() -> list[MainPage]:
    """The main pages, each with a record of the database that has the most to show."""
    everyone, members = ROLES, ROLES[1:]
    secretariat = ("secretariat",)
    in_office = chairmanships.current_chairmanship(utcnow().date()) or _first(select(Chairmanship))
    meeting = _first(
        select(Meeting)
        .where(Meeting.state == "published", Meeting.archived_at.is_(None))
        .where(Meeting.agenda_items.any())
        .order_by(Meeting.starts_at.desc())
    )
    roundtable = _first(
        select(Roundtable).where(Roundtable.archived_at.is_(None)).order_by(Roundtable.id.desc())
    )
    team = _first(select(GovernmentTeam).where(GovernmentTeam.archived_at.is_(None)))
    organisation = _first(select(Organisation).where(Organisation.archived_at.is_(None)))
    focal = _first(select(User).where(User.role == "focal_point", User.government_id.is_not(None)))
    government = focal.government if focal else _first(select(Government))
    deliverable = _first(
        select(Deliverable)
        .where(Deliverable.archived_at.is_(None))
        .where(Deliverable.progress_updates.any())
        .order_by(Deliverable.id)
    )
    # A pledge with instalments and payments shows the most of a pledge's page.
    pledge = _first(
        select(Pledge)
        .where(Pledge.archived_at.is_(None))
        .order_by(Pledge.instalments.any().desc(), Pledge.id)
    )
    work_plan = _first(select(WorkPlan).where(WorkPlan.archived_at.is_(None)))
    document = _first(
        select(Document)
        .where(Document.access == "public", Document.archived_at.is_(None))
        .order_by(Document.id)
    )
    programme = _first(
        select(Meeting)
        .where(Meeting.state == "published", Meeting.sessions.any())
        .order_by(Meeting.starts_at)
    )
    # An objective whose indicator has values shows the progress bar and the chart.
    indicator = _first(
        select(Indicator)
        .where(Indicator.archived_at.is_(None), Indicator.values.any())
        .order_by(Indicator.id)
    )
    pages = [
        MainPage("home", "/", everyone),
        MainPage("meetings", "/meetings/", everyone),
        MainPage("calendar-month", "/meetings/calendar", everyone),
        MainPage("chairmanships", "/chairmanships/", everyone),
        MainPage("roundtables", "/roundtables/", everyone),
        MainPage("teams", "/teams/", everyone),
        MainPage("governments", "/governments/", everyone),
        MainPage("organisations", "/organisations/", everyone),
        MainPage("subscribe", "/calendar/", everyone),
        MainPage("practices", "/practices/", everyone),
        MainPage("themes", "/themes/", everyone),
        MainPage("commitments", "/commitments/", everyone),
        MainPage("new-practice", "/practices/new", ("focal_point",)),
        MainPage("offers", "/offers/", ("focal_point", "secretariat")),
        MainPage("new-offer", "/offers/new", ("focal_point",)),
        MainPage("login", "/auth/login", ("anonymous",)),
        MainPage("deliverables", "/deliverables/", members),
        MainPage("pledges", "/pledges/", members),
        MainPage("reports", "/reports/", members),
        MainPage("work-plans", "/workplans/", members),
        MainPage("my-calendar", "/account/calendar", members),
        MainPage("account-security", "/account/security", members),
        MainPage("users", "/admin/users", secretariat),
        MainPage("audit-log", "/admin/audit", secretariat),
        MainPage("new-meeting", "/meetings/new", secretariat),
        MainPage("new-deliverable", "/deliverables/new", secretariat),
        MainPage("new-pledge", "/pledges/new", secretariat),
        MainPage("exchange-rates", "/pledges/rates", secretariat),
    ]
    if in_office:
        pages.append(MainPage("chairmanship", f"/chairmanships/{in_office.id}", everyone))
        pages.append(MainPage("report", f"/reports/chairmanships/{in_office.id}", members))
        pages.append(
            MainPage("handover", f"/reports/chairmanships/{in_office.id}/handover", secretariat)
        )
        pages.append(
            MainPage("chairs-summary", f"/chairmanships/{in_office.id}/summary", secretariat)
        )
    if meeting:
        pages.append(MainPage("meeting", f"/meetings/{meeting.id}", everyone))
        pages.append(MainPage("meeting-record", f"/meetings/{meeting.id}/record", secretariat))
    if programme:
        pages.append(MainPage("programme", f"/meetings/{programme.id}/programme", everyone))
    if document:
        pages.append(MainPage("document", f"/documents/{document.id}", everyone))
    if roundtable:
        pages.append(MainPage("roundtable", f"/roundtables/{roundtable.id}", everyone))
        pages.append(MainPage("edit-roundtable", f"/roundtables/{roundtable.id}/edit", secretariat))
        pages.append(
            MainPage(
                "roundtable-description", f"/roundtables/{roundtable.id}/description", secretariat
            )
        )
    if team:
        pages.append(MainPage("team", f"/teams/{team.id}", everyone))
    if organisation:
        pages.append(MainPage("organisation", f"/organisations/{organisation.id}", everyone))
    if government:
        pages.append(MainPage("government", f"/governments/{government.id}", everyone))
    if deliverable:
        pages.append(MainPage("deliverable", f"/deliverables/{deliverable.id}", members))
    if pledge:
        pages.append(MainPage("pledge", f"/pledges/{pledge.id}", members))
    if work_plan:
        pages.append(MainPage("work-plan", f"/workplans/{work_plan.id}", members))
    if indicator:
        objective = indicator.objective
        pages.append(
            MainPage(
                "objective",
                f"/workplans/{objective.work_plan_id}/objectives/{objective.id}",
                members,
            )
        )
    # The practice most governments took up shows the whole page.
    practice = _first(
        select(Practice)
        .where(Practice.state == "published", Practice.archived_at.is_(None))
        .order_by(Practice.id)
    )
    if practice:
        pages.append(MainPage("practice", f"/practices/{practice.id}", everyone))
    # An offer waiting for its answer shows the secretariat's form.
    offer = _first(select(Offer).where(Offer.state == "pending").order_by(Offer.id))
    if offer:
        pages.append(MainPage("offer", f"/offers/{offer.id}", secretariat))
    # A commitment with a report shows the timeline and the light.
    commitment = _first(select(Commitment).where(Commitment.reports.any()).order_by(Commitment.id))
    if commitment:
        pages.append(MainPage("commitment", f"/commitments/{commitment.id}", everyone))
    return pages
