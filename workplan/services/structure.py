"""The programme's structure: parties, organisations, work plans, roundtables and teams.

Forms name a party by a key: a government by its ISO 3166-1 alpha-3 code (``gov:SWE``), an
organisation by its id (``org:12``), so a government can never be mistaken for an organisation
that happens to share its number.
"""

from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from workplan.extensions import db
from workplan.models import (
    ORGANISATION_KINDS,
    Chairmanship,
    Deliverable,
    Government,
    GovernmentTeam,
    Meeting,
    Objective,
    Organisation,
    Pledge,
    Roundtable,
    RoundtableMember,
    TeamMembership,
    WorkPlan,
)
from workplan.numbers import record_id
from workplan.services import DomainError
from workplan.services.records import archive, same_name
from workplan.validators import is_http_url

FIRST_PLAUSIBLE_YEAR, LAST_PLAUSIBLE_YEAR = 2000, 2100

Party = Government | Organisation


def party_key(party: Party) -> str:
    """The value a form sends for a government or an organisation."""
    if isinstance(party, Government):
        return f"gov:{party.iso3}"
    return f"org:{party.id}"


def find_party(key: str, field: str) -> Party:
    """The government or organisation on record that a form value names."""
    kind, _colon, ident = (key or "").partition(":")
    record = None
    if kind == "gov" and len(ident) == 3:
        record = db.session.scalar(select(Government).where(Government.iso3 == ident.upper()))
    elif kind == "org" and (organisation_id := record_id(ident)) is not None:
        record = db.session.get(Organisation, organisation_id)
    if record is None:
        raise DomainError(
            _(
                "“%(value)s” is not a government or an organisation on record.",
                value=(key or "")[:40],
            ),
            field,
        )
    if record.archived_at is not None:
        raise DomainError(
            _("%(name)s is archived. Restore it before choosing it.", name=record.name), field
        )
    return record


def find_government(key: str, field: str, rule: str) -> Government:
    """The government a form value names; an organisation or an unknown value is refused.

    ``rule`` is the sentence that follows the refusal, such as "Only governments lead a
    government team."
    """
    try:
        party = find_party(key, field)
    except DomainError as error:
        raise DomainError(" ".join((error.message, rule)), field) from error
    if not isinstance(party, Government):
        refusal = _("%(name)s is an organisation.", name=party.name)
        raise DomainError(" ".join((refusal, rule)), field)
    return party


def find_governments(keys: list[str], field: str, rule: str) -> list[Government]:
    """The governments a multiple choice names, each once, in the order given."""
    return [find_government(key, field, rule) for key in dict.fromkeys(keys)]


def _text(value: str | None) -> str | None:
    """Trimmed text, or None when nothing was typed."""
    value = (value or "").strip()
    return value or None


def _required(value: str | None, message: str, field: str, limit: int) -> str:
    """Trimmed text that must be present and fit its column."""
    value = _text(value)
    if value is None:
        raise DomainError(message, field)
    if len(value) > limit:
        raise DomainError(_("Keep this under %(limit)s characters.", limit=limit), field)
    return value


def _limited(value: str | None, field: str, limit: int) -> str | None:
    """Optional trimmed text that must fit its column."""
    value = _text(value)
    if value is not None and len(value) > limit:
        raise DomainError(_("Keep this under %(limit)s characters.", limit=limit), field)
    return value


def _plausible_year(year: int | None, field: str) -> int:
    """A year the forum could plan for, or a refusal at the field."""
    if year is None or not FIRST_PLAUSIBLE_YEAR <= year <= LAST_PLAUSIBLE_YEAR:
        raise DomainError(
            _(
                "Give a year between %(first)s and %(last)s.",
                first=FIRST_PLAUSIBLE_YEAR,
                last=LAST_PLAUSIBLE_YEAR,
            ),
            field,
        )
    return year


def count_where(model, *where) -> int:
    """How many records of a model match the conditions."""
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


_COUNTED = {
    "objective": lambda n: ngettext("%(num)d objective", "%(num)d objectives", n),
    "roundtable": lambda n: ngettext("%(num)d roundtable", "%(num)d roundtables", n),
    "meeting": lambda n: ngettext("%(num)d meeting", "%(num)d meetings", n),
    "deliverable": lambda n: ngettext("%(num)d deliverable", "%(num)d deliverables", n),
    "pledge": lambda n: ngettext("%(num)d pledge", "%(num)d pledges", n),
    "earmarked pledge": lambda n: ngettext(
        "%(num)d earmarked pledge", "%(num)d earmarked pledges", n
    ),
}


def _counted(count: int, noun: str) -> str:
    """A number of records in words, such as 1 meeting or 2 deliverables (each noun has its
    own translated plural, so a new kind of record needs its line in _COUNTED)."""
    return _COUNTED[noun](count)


def refuse_archive_while_used(name: str, uses: list[tuple[int, str]]) -> None:
    """Refuse to hide a record that live records still belong to."""
    listed = [_counted(count, noun) for count, noun in uses if count]
    if listed:
        words = listed[0]
        if len(listed) > 1:
            words = _("%(items)s and %(last)s", items=", ".join(listed[:-1]), last=listed[-1])
        raise DomainError(
            _(
                "%(name)s still has %(words)s. Archive or move them first, so nothing "
                "is left pointing at a hidden record.",
                name=name,
                words=words,
            )
        )


# Organisations


@dataclass
class OrganisationDetails:
    """What the secretariat types about an observer or donor organisation."""

    name: str
    acronym: str | None = None
    kind: str = "observer"
    description: str | None = None


def _check_organisation(details: OrganisationDetails, current: Organisation | None) -> dict:
    """Check an organisation's details; the values to store."""
    name = _required(details.name, _("Give the organisation's name."), "name", 200)
    same = db.session.scalar(select(Organisation).where(same_name(Organisation.name, name)))
    if same is not None and same is not current:
        raise DomainError(
            _("%(name)s is already on record (archived: restore it instead).", name=same.name)
            if same.archived_at
            else _("%(name)s is already on record.", name=same.name),
            "name",
        )
    if details.kind not in ORGANISATION_KINDS:
        raise DomainError(_("Choose what kind of organisation this is."), "kind")
    return {
        "name": name,
        "acronym": _limited(details.acronym, "acronym", 40),
        "kind": details.kind,
        "description": _text(details.description),
    }


def create_organisation(details: OrganisationDetails) -> Organisation:
    """Record an observer, agency or other donor."""
    organisation = Organisation(**_check_organisation(details, None))
    db.session.add(organisation)
    db.session.flush()
    return organisation


def update_organisation(organisation: Organisation, details: OrganisationDetails) -> None:
    """Correct an organisation's name, acronym, kind or description."""
    for key, value in _check_organisation(details, organisation).items():
        setattr(organisation, key, value)
    db.session.flush()


# Work plans and their objectives


@dataclass
class WorkPlanDetails:
    """What the secretariat types about a multiannual work plan."""

    title: str
    first_year: int
    last_year: int
    description: str | None = None


def _check_work_plan(details: WorkPlanDetails, current: WorkPlan | None) -> dict:
    """Check a work plan's details; the values to store."""
    title = _required(details.title, _("Give the work plan a title."), "title", 200)
    same = db.session.scalar(select(WorkPlan).where(same_name(WorkPlan.title, title)))
    if same is not None and same is not current:
        raise DomainError(
            _(
                "A work plan called “%(title)s” exists already (archived: restore it instead).",
                title=same.title,
            )
            if same.archived_at
            else _("A work plan called “%(title)s” exists already.", title=same.title),
            "title",
        )
    first = _plausible_year(details.first_year, "first_year")
    last = _plausible_year(details.last_year, "last_year")
    if last < first:
        raise DomainError(
            _("The last year cannot come before the first (%(first)s).", first=first), "last_year"
        )
    return {
        "title": title,
        "first_year": first,
        "last_year": last,
        "description": _text(details.description),
    }


def create_work_plan(details: WorkPlanDetails) -> WorkPlan:
    """Start a multiannual work plan."""
    work_plan = WorkPlan(**_check_work_plan(details, None))
    db.session.add(work_plan)
    db.session.flush()
    return work_plan


def update_work_plan(work_plan: WorkPlan, details: WorkPlanDetails) -> None:
    """Change a work plan's title, years or description."""
    for key, value in _check_work_plan(details, work_plan).items():
        setattr(work_plan, key, value)
    db.session.flush()


def archive_work_plan(work_plan: WorkPlan) -> None:
    """Hide a work plan whose objectives have all been archived."""
    live = count_where(
        Objective, Objective.work_plan_id == work_plan.id, Objective.archived_at.is_(None)
    )
    refuse_archive_while_used(work_plan.title, [(live, "objective")])
    archive(work_plan)


@dataclass
class ObjectiveDetails:
    """What the secretariat types about an objective of a work plan."""

    code: str
    title: str
    description: str | None = None


def _check_objective(work_plan: WorkPlan, details: ObjectiveDetails, current: Objective | None):
    """Check an objective's details within its work plan; the values to store."""
    code = _required(details.code, _("Give the objective a code, such as 1 or 2.3."), "code", 20)
    same = db.session.scalar(
        select(Objective).where(Objective.work_plan_id == work_plan.id, Objective.code == code)
    )
    if same is not None and same is not current:
        raise DomainError(
            _(
                "Objective %(code)s exists already in this work plan (archived: restore it "
                "instead).",
                code=code,
            )
            if same.archived_at
            else _("Objective %(code)s exists already in this work plan.", code=code),
            "code",
        )
    return {
        "code": code,
        "title": _required(details.title, _("Say what the objective is."), "title", 300),
        "description": _text(details.description),
    }


def add_objective(work_plan: WorkPlan, details: ObjectiveDetails) -> Objective:
    """Add an objective to a work plan."""
    if work_plan.archived_at is not None:
        raise DomainError(_("Restore the work plan before adding objectives to it."))
    objective = Objective(work_plan=work_plan, **_check_objective(work_plan, details, None))
    db.session.add(objective)
    db.session.flush()
    return objective


def update_objective(objective: Objective, details: ObjectiveDetails) -> None:
    """Change an objective's code, title or description."""
    for key, value in _check_objective(objective.work_plan, details, objective).items():
        setattr(objective, key, value)
    db.session.flush()


def archive_objective(objective: Objective) -> None:
    """Hide an objective no live deliverable serves."""
    live = count_where(
        Deliverable, Deliverable.objective_id == objective.id, Deliverable.archived_at.is_(None)
    )
    refuse_archive_while_used(_("Objective %(code)s", code=objective.code), [(live, "deliverable")])
    archive(objective)


# Roundtables


@dataclass
class RoundtableDetails:
    """What the secretariat types about a roundtable."""

    chairmanship_id: int | None
    number: str
    title: str
    cluster_title: str | None = None
    title_fr: str | None = None
    title_es: str | None = None
    background_paper_url: str | None = None
    description: str | None = None
    co_chairs: list[str] = field(default_factory=list)


def roundtable_number(value: str | None) -> str:
    """A roundtable number as stored: "RT 1.1" and "1.1" are the same roundtable."""
    value = (value or "").strip()
    if value[:2].upper() == "RT":
        value = value[2:].strip()
    return value


def _check_roundtable(details: RoundtableDetails, current: Roundtable | None) -> dict:
    """Check a roundtable's details; the values to store, co-chairs resolved."""
    chairmanship = (
        db.session.get(Chairmanship, details.chairmanship_id) if details.chairmanship_id else None
    )
    if chairmanship is None or chairmanship.archived_at is not None:
        raise DomainError(_("Choose the chairmanship the roundtable belongs to."), "chairmanship")
    number = roundtable_number(details.number)
    if not number:
        raise DomainError(_("Give the roundtable's number, such as 1.1 or 2a."), "number")
    if len(number) > 10:
        raise DomainError(_("Keep the number under 10 characters, such as 1.1 or 2a."), "number")
    if any(c.isspace() for c in number):
        raise DomainError(_("Write the number without spaces, such as 1.1 or 2a."), "number")
    same = db.session.scalar(
        select(Roundtable).where(
            Roundtable.chairmanship_id == chairmanship.id, Roundtable.number == number
        )
    )
    if same is not None and same is not current:
        raise DomainError(
            _(
                "RT %(number)s already exists in %(chairmanship)s (archived: restore it instead).",
                number=number,
                chairmanship=chairmanship.label,
            )
            if same.archived_at
            else _(
                "RT %(number)s already exists in %(chairmanship)s.",
                number=number,
                chairmanship=chairmanship.label,
            ),
            "number",
        )
    url = _limited(details.background_paper_url, "background_paper_url", 500)
    if url is not None and not is_http_url(url):
        raise DomainError(
            _("Give a web address starting with http:// or https://."), "background_paper_url"
        )
    return {
        "chairmanship": chairmanship,
        "number": number,
        "title": _required(details.title, _("Give the roundtable's title."), "title", 400),
        "title_fr": _limited(details.title_fr, "title_fr", 400),
        "title_es": _limited(details.title_es, "title_es", 400),
        "cluster_title": _limited(details.cluster_title, "cluster_title", 400),
        "background_paper_url": url,
        "description": _text(details.description),
        "co_chairs": find_governments(
            details.co_chairs, "co_chairs", _("Only governments co-chair roundtables.")
        ),
    }


def create_roundtable(details: RoundtableDetails) -> Roundtable:
    """Plan a roundtable in a chairmanship, with its co-chairs."""
    roundtable = Roundtable(**_check_roundtable(details, None))
    db.session.add(roundtable)
    db.session.flush()
    return roundtable


def update_roundtable(roundtable: Roundtable, details: RoundtableDetails) -> None:
    """Change a roundtable's number, titles, background paper or co-chairs."""
    for key, value in _check_roundtable(details, roundtable).items():
        setattr(roundtable, key, value)
    db.session.flush()


def archive_roundtable(roundtable: Roundtable) -> None:
    """Hide a roundtable that owns no live meeting, deliverable or earmarked pledge."""
    refuse_archive_while_used(
        roundtable.code,
        [
            (
                count_where(
                    Meeting, Meeting.roundtable_id == roundtable.id, Meeting.archived_at.is_(None)
                ),
                "meeting",
            ),
            (
                count_where(
                    Deliverable,
                    Deliverable.roundtable_id == roundtable.id,
                    Deliverable.archived_at.is_(None),
                ),
                "deliverable",
            ),
            (
                count_where(
                    Pledge,
                    Pledge.earmark_roundtable_id == roundtable.id,
                    Pledge.archived_at.is_(None),
                ),
                "earmarked pledge",
            ),
        ],
    )
    archive(roundtable)


def add_roundtable_member(roundtable: Roundtable, key: str) -> RoundtableMember:
    """Add a government or a non-state partner to a roundtable's team."""
    party = find_party(key, "party")
    column = (
        RoundtableMember.government_id
        if isinstance(party, Government)
        else RoundtableMember.organisation_id
    )
    already = db.session.scalar(
        select(RoundtableMember).where(
            RoundtableMember.roundtable_id == roundtable.id, column == party.id
        )
    )
    if already is not None:
        raise DomainError(
            _(
                "%(name)s is already on the team of %(code)s.",
                name=party.name,
                code=roundtable.code,
            ),
            "party",
        )
    which = "government" if isinstance(party, Government) else "organisation"
    member = RoundtableMember(roundtable=roundtable, **{which: party})
    db.session.add(member)
    db.session.flush()
    return member


def remove_roundtable_member(member: RoundtableMember) -> None:
    """Take a government or partner off a roundtable's team; the audit log keeps the record."""
    db.session.delete(member)
    db.session.flush()


# Government teams


@dataclass
class TeamDetails:
    """What the secretariat types about a government team."""

    name: str
    policy_priority: str
    lead_government: str
    first_year: int
    last_year: int | None = None


def _check_team(details: TeamDetails, current: GovernmentTeam | None) -> dict:
    """Check a team's details against its members' years; the values to store."""
    name = _required(details.name, _("Give the team a name."), "name", 200)
    same = db.session.scalar(select(GovernmentTeam).where(same_name(GovernmentTeam.name, name)))
    if same is not None and same is not current:
        raise DomainError(
            _(
                "A team called “%(name)s” exists already (archived: restore it instead).",
                name=same.name,
            )
            if same.archived_at
            else _("A team called “%(name)s” exists already.", name=same.name),
            "name",
        )
    priority = _required(
        details.policy_priority,
        _("Say which policy priority gathers the team."),
        "policy_priority",
        5000,
    )
    lead = find_government(
        details.lead_government, "lead_government", _("Only governments lead a government team.")
    )
    first = _plausible_year(details.first_year, "first_year")
    last = None
    if details.last_year is not None:
        last = _plausible_year(details.last_year, "last_year")
        if last < first:
            raise DomainError(
                _("The last year cannot come before the first (%(first)s).", first=first),
                "last_year",
            )
    if current is not None:
        for membership in current.memberships:
            if membership.joined_year < first:
                raise DomainError(
                    _(
                        "%(name)s joined in %(year)s; the first year cannot be later than that.",
                        name=membership.party.name,
                        year=membership.joined_year,
                    ),
                    "first_year",
                )
            if last is not None and membership.joined_year > last:
                raise DomainError(
                    _(
                        "%(name)s joined in %(year)s; the last year cannot be earlier than that.",
                        name=membership.party.name,
                        year=membership.joined_year,
                    ),
                    "last_year",
                )
    return {
        "name": name,
        "policy_priority": priority,
        "lead_government": lead,
        "first_year": first,
        "last_year": last,
    }


def create_team(details: TeamDetails) -> GovernmentTeam:
    """Gather a government team around a policy priority."""
    team = GovernmentTeam(**_check_team(details, None))
    db.session.add(team)
    db.session.flush()
    return team


def update_team(team: GovernmentTeam, details: TeamDetails) -> None:
    """Change a team's name, priority, lead or active years."""
    for key, value in _check_team(details, team).items():
        setattr(team, key, value)
    db.session.flush()


def archive_team(team: GovernmentTeam) -> None:
    """Hide a team that owns no live meeting or deliverable."""
    refuse_archive_while_used(
        team.name,
        [
            (
                count_where(Meeting, Meeting.team_id == team.id, Meeting.archived_at.is_(None)),
                "meeting",
            ),
            (
                count_where(
                    Deliverable, Deliverable.team_id == team.id, Deliverable.archived_at.is_(None)
                ),
                "deliverable",
            ),
        ],
    )
    archive(team)


def add_team_member(team: GovernmentTeam, key: str, joined_year: int | None) -> TeamMembership:
    """Record that a government or organisation joined a team in a year."""
    party = find_party(key, "party")
    joined = _plausible_year(joined_year, "joined_year")
    if joined < team.first_year or (team.last_year is not None and joined > team.last_year):
        raise DomainError(
            _(
                "The team was active from %(first)s to %(last)s; choose a year in that span.",
                first=team.first_year,
                last=team.last_year,
            )
            if team.last_year
            else _(
                "The team was active from %(first)s on; choose a year in that span.",
                first=team.first_year,
            ),
            "joined_year",
        )
    for membership in team.memberships:
        if membership.party is party and (
            membership.left_year is None or membership.left_year >= joined
        ):
            raise DomainError(
                _(
                    "%(name)s is a member since %(joined)s until %(left)s.",
                    name=party.name,
                    joined=membership.joined_year,
                    left=membership.left_year,
                )
                if membership.left_year
                else _(
                    "%(name)s is a member since %(joined)s.",
                    name=party.name,
                    joined=membership.joined_year,
                ),
                "party",
            )
    which = "government" if isinstance(party, Government) else "organisation"
    membership = TeamMembership(team=team, joined_year=joined, **{which: party})
    db.session.add(membership)
    db.session.flush()
    return membership


def mark_member_left(membership: TeamMembership, left_year: int | None) -> None:
    """Record the year a member left the team."""
    if membership.left_year is not None:
        raise DomainError(
            _(
                "%(name)s already left in %(year)s.",
                name=membership.party.name,
                year=membership.left_year,
            ),
            "left_year",
        )
    left = _plausible_year(left_year, "left_year")
    if left < membership.joined_year:
        raise DomainError(
            _(
                "%(name)s joined in %(year)s; it cannot leave before that.",
                name=membership.party.name,
                year=membership.joined_year,
            ),
            "left_year",
        )
    team = membership.team
    if team.last_year is not None and left > team.last_year:
        raise DomainError(
            _(
                "The team ended in %(year)s; a member cannot leave after that.",
                year=team.last_year,
            ),
            "left_year",
        )
    membership.left_year = left
    db.session.flush()
