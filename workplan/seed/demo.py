"""Demo data: the forum's public facts, plus invented records that say they are invented.

The facts ship in workplan/data/gfmd_facts.json. Everything else (deliverables, pledges, payments,
teams, accounts, agendas, most meetings) is invented: such records have `is_demo` set and their
titles end with " (demo)". Dates of the invented present are placed around today, so the demo
shows overdue work, work due soon and coming meetings whatever the date it is loaded on.
"""

import json
import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from importlib import resources
from zoneinfo import ZoneInfo

import pycountry
from flask import current_app
from sqlalchemy import func, select

from workplan.countries import is_un_state
from workplan.extensions import db
from workplan.models import (
    AgendaItem,
    BudgetLine,
    Chairmanship,
    Deliverable,
    ExchangeRate,
    Government,
    GovernmentTeam,
    Indicator,
    IndicatorValue,
    Instalment,
    Meeting,
    Objective,
    Organisation,
    Payment,
    Pledge,
    ProgressUpdate,
    Roundtable,
    RoundtableMember,
    TeamMembership,
    User,
    WorkPlan,
    utcnow,
)
from workplan.seed import CURRENT, DEMO, NEXT, commitments, offers, practices
from workplan.seed.papers import one_page_pdf
from workplan.services import accounts, documents, programme

EMAIL_DOMAIN = "demo.gfmd.example"

# The facts name organisations the way delegates do; these are their full names and kinds.
FACT_ORGANISATIONS = {
    "ACP-EU Migration Action": ("ACP-EU Migration Action", None, "other"),
    "IFRC": ("International Federation of Red Cross and Red Crescent Societies", "IFRC", "other"),
    "ILO": ("International Labour Organization", "ILO", "un_agency"),
    "IOM": ("International Organization for Migration", "IOM", "un_agency"),
    "KNOMAD": ("Global Knowledge Partnership on Migration and Development", "KNOMAD", "other"),
    "OHCHR": (
        "Office of the United Nations High Commissioner for Human Rights",
        "OHCHR",
        "un_agency",
    ),
    "UNHCR": ("Office of the United Nations High Commissioner for Refugees", "UNHCR", "un_agency"),
    "World Bank": ("World Bank", None, "other"),
}
DEMO_DONORS = {
    "lakeside": ("Lakeside Foundation for Mobility" + DEMO, "foundation"),
    "corridor": ("Corridor Remittance Trust" + DEMO, "foundation"),
    "diaspora": ("Diaspora Skills Network" + DEMO, "civil_society"),
    "facility": ("Regional Labour Mobility Facility" + DEMO, "regional_body"),
}

SUMMIT_ZONES = {
    "Athens": "Europe/Athens",
    "Brussels": "Europe/Brussels",
    "Dhaka": "Asia/Dhaka",
    "Geneva": "Europe/Zurich",
    "Istanbul": "Europe/Istanbul",
    "Manila": "Asia/Manila",
    "Port Louis": "Indian/Mauritius",
    "Puerto Vallarta": "America/Bahia_Banderas",
    "Stockholm": "Europe/Stockholm",
}

# Illustrative values of one unit in US dollars, by period: the secretariat records its own
# rates (the machine may be offline), so the demo carries a fixed table instead of live ones.
USD_VALUE = {
    "2014": {
        "USD": "1",
        "EUR": "1.33",
        "CHF": "1.10",
        "SEK": "0.15",
        "TRY": "0.45",
        "BDT": "0.0128",
    },
    "2016": {
        "USD": "1",
        "EUR": "1.11",
        "CHF": "1.01",
        "SEK": "0.117",
        "TRY": "0.33",
        "BDT": "0.0127",
    },
    "now": {
        "USD": "1",
        "EUR": "1.08",
        "CHF": "1.12",
        "SEK": "0.095",
        "TRY": "0.029",
        "BDT": "0.0082",
        "KES": "0.0077",
    },
}
RATE_QUANTUM = Decimal("0.00000001")

AGENDA_OPENING = ("Opening and adoption of the agenda", 15)
AGENDA_CLOSING = ("Conclusions and closing", 15)
AGENDA_MIDDLE = (
    ("Report of the Chair", 30),
    ("Update from the roundtable co-chairs", 40),
    ("Budget and funding situation", 30),
    ("Preparations for the summit", 45),
    ("Presentation of the background paper", 40),
    ("Discussion of the draft outcomes", 60),
    ("Perspective of civil society and the private sector", 30),
    ("Work plan: deliverables due and at risk", 30),
    ("Any other business", 15),
)
SPEAKERS = {
    "Report of the Chair": "Representative of the Chair",
    "Update from the roundtable co-chairs": "Roundtable co-chairs",
    "Budget and funding situation": "GFMD Support Unit",
    "Presentation of the background paper": "Roundtable co-chairs; author of the paper",
    "Perspective of civil society and the private sector": "Civil society and business mechanisms",
}

# The loading steps in order, each with the label a progress bar shows.
STEPS = (
    ("governments and organisations", "parties"),
    ("chairmanships", "chairmanships"),
    ("work plans", "work_plans"),
    ("indicators", "load_indicators"),
    ("roundtables", "load_roundtables"),
    ("government teams", "load_teams"),
    ("meetings and agendas", "meetings"),
    ("the summit's programme", "load_programme"),
    ("accounts", "load_accounts"),
    ("documents", "load_documents"),
    ("deliverables and progress", "load_deliverables"),
    ("pledges and payments", "pledges"),
    ("good practices", "load_practices"),
    ("commitments", "load_commitments"),
    ("offers", "load_offers"),
)

ACCOUNTS = (
    ("secretariat", "secretariat", None, "Secretariat officer"),
    ("focal_point", "focal.phl", "PHL", "Philippines focal point"),
    ("focal_point", "focal.swe", "SWE", "Sweden focal point"),
    ("member", "member", None, "Forum member"),
)


@dataclass
class DemoAccount:
    """A demo account as the command prints it."""

    role: str
    email: str
    government: str | None


@dataclass
class DemoResult:
    """What seed-demo loaded: the accounts, their shared password, and row counts."""

    password: str
    accounts: list[DemoAccount] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def load_facts() -> dict:
    """The public facts about the forum that ship with the package."""
    source = resources.files("workplan").joinpath("data", "gfmd_facts.json")
    return json.loads(source.read_text(encoding="utf-8"))


def countries() -> list[tuple[str, str]]:
    """The UN member and observer states as (alpha-3 code, common name), in code order.

    Territories (Antarctica, Bouvet Island...) are not seeded: the secretariat adds one as a
    government when it becomes a party."""
    return sorted(
        (country.alpha_3, getattr(country, "common_name", None) or country.name)
        for country in pycountry.countries
        if is_un_state(country.alpha_3)
    )


def database_has_data() -> bool:
    """Whether someone already uses this database: any chairmanship or any account."""
    return any(
        db.session.scalar(select(model.id).limit(1)) is not None for model in (Chairmanship, User)
    )


def clear_database() -> None:
    """Delete every row of every table (the audit log too), keeping the schema."""
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())


def row_counts() -> dict[str, int]:
    """How many rows each table of the schema holds."""
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def seed(
    password: str | None = None,
    today: date | None = None,
    progress: Callable[[str], None] | None = None,
) -> DemoResult:
    """Load the facts and the invented demo records into the session; flush, never commit."""
    password = password if password is not None else secrets.token_urlsafe(12)
    accounts.check_password_strength(password)
    loader = _Loader(password, today or utcnow().date())
    for label, method in STEPS:
        getattr(loader, method)()
        db.session.flush()
        if progress:
            progress(label)
    return loader.result()


def rate_to_base(currency: str, period: str) -> Decimal | None:
    """The demo's illustrative rate from a currency to the reporting currency, if known."""
    base = current_app.config["BASE_CURRENCY"]
    values = USD_VALUE[period]
    if currency == base:
        return Decimal(1)
    if currency not in values or base not in values:
        return None
    return (Decimal(values[currency]) / Decimal(values[base])).quantize(RATE_QUANTUM)


def _instant(day: date, at: time, zone: str) -> datetime:
    """A local wall-clock time at a venue, as a UTC instant."""
    return datetime.combine(day, at, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def _spread(begin: datetime, finish: datetime, count: int) -> list[datetime]:
    """Count instants from begin to finish, evenly apart; never after finish."""
    begin = min(begin, finish - timedelta(hours=count))
    if count == 1:
        return [begin]
    step = (finish - begin) / (count - 1)
    return [begin + step * n for n in range(count)]


def _history(status: str, percent: int) -> list[tuple[str, int, str]]:
    """The progress a deliverable went through to reach its status: (status, percent, comment)."""
    start = ("planned", 0, "Assigned in the work plan.")
    if status == "planned":
        return [start]
    if status == "in_progress":
        return [
            start,
            ("in_progress", max(5, percent // 2), "Work started; outline agreed by the team."),
            ("in_progress", percent, "First draft circulated to the team."),
        ]
    if status == "at_risk":
        return [
            start,
            ("in_progress", percent, "Work started; outline agreed by the team."),
            ("at_risk", percent, "Behind schedule: contributions from the team are late."),
        ]
    if status == "completed":
        return [
            start,
            ("in_progress", 40, "Outline and first chapters drafted."),
            ("in_progress", 80, "Draft discussed at the preparatory meeting."),
            ("completed", 100, "Delivered and presented."),
        ]
    if status == "dropped":
        return [
            start,
            ("in_progress", percent, "Work started."),
            ("dropped", percent, "Dropped: the team merged it into another deliverable."),
        ]
    return [
        start,
        ("in_progress", percent, "Work started."),
        ("carried_over", percent, "Carried over to the next chairmanship."),
    ]


@dataclass
class _MeetingSpec:
    """An invented or factual meeting, in the venue's local time."""

    chair: str
    title: str
    kind: str
    day: date
    starts: time
    ends: time
    zone: str
    city: str | None = None
    venue: str | None = None
    state: str = "published"
    days: int = 1
    roundtable: str | None = None
    team: str | None = None
    online_url: str | None = None
    description: str | None = None
    is_demo: bool = True


class _Loader:
    """Builds the demo step by step; each step leaves the session flushed."""

    def __init__(self, password: str, today: date):
        self.password = password
        self.today = today
        self.now = utcnow()
        self.facts = load_facts()
        # A fixed seed: the same demo every time, apart from the dates kept around today.
        self.rng = random.Random(2014)
        self.governments: dict[str, Government] = {}
        self.organisations: dict[str, Organisation] = {}
        self.chairs: dict[str, Chairmanship] = {}
        self.objectives: dict[tuple[str, str], Objective] = {}
        self.roundtables: dict[tuple[str, str], Roundtable] = {}
        self.teams: dict[str, GovernmentTeam] = {}
        self.users: dict[str, User] = {}
        self.deliverables: dict[str, Deliverable] = {}
        self.last_update: dict[str, datetime] = {}
        self.accounts: list[DemoAccount] = []

    def result(self) -> DemoResult:
        """The accounts made and the rows now in the database."""
        return DemoResult(password=self.password, accounts=self.accounts, counts=row_counts())

    def day(self, offset: int) -> date:
        """A day relative to today."""
        return self.today + timedelta(days=offset)

    def gov(self, iso3: str) -> Government:
        """A government by its code."""
        return self.governments[iso3]

    def govs(self, codes) -> list[Government]:
        """Governments by their codes."""
        return [self.governments[code] for code in codes]

    def parties(self) -> None:
        """The UN states as governments, the organisations the facts name, demo donors."""
        existing = {g.iso3: g for g in db.session.scalars(select(Government))}
        for iso3, name in countries():
            government = existing.get(iso3)
            if government is None:
                government = Government(iso3=iso3, name=name)
                db.session.add(government)
            self.governments[iso3] = government
        named = {o.name: o for o in db.session.scalars(select(Organisation))}
        support_unit = self.facts["bodies"]["support_unit"]
        for key, (name, acronym, kind) in FACT_ORGANISATIONS.items():
            organisation = named.get(name)
            if organisation is None:
                organisation = Organisation(name=name, acronym=acronym, kind=kind)
                if key == "IOM":
                    organisation.description = f"Hosts the GFMD Support Unit: {support_unit}."
                db.session.add(organisation)
            self.organisations[key] = organisation
        for key, (name, kind) in DEMO_DONORS.items():
            organisation = named.get(name) or Organisation(
                name=name,
                kind=kind,
                is_demo=True,
                description="An invented donor, for the demo.",
            )
            db.session.add(organisation)
            self.organisations[key] = organisation

    def chairmanships(self) -> None:
        """The chairmanships in the facts, then a current and a next one invented for the demo."""
        for fact in self.facts["chairmanships"]:
            years = [int(y) for y in fact["label"].removeprefix("GFMD ").split("-")]
            # Where the facts give no dates the term is taken to be its calendar year(s).
            starts = date.fromisoformat(fact.get("starts_on") or f"{years[0]}-01-01")
            ends = date.fromisoformat(fact.get("ends_on") or f"{years[-1]}-12-31")
            summit = fact.get("summit") or [None, None]
            chairmanship = Chairmanship(
                label=fact["label"],
                theme=fact.get("theme"),
                starts_on=starts,
                ends_on=ends,
                summit_city=fact.get("summit_city"),
                summit_starts_on=date.fromisoformat(summit[0]) if summit[0] else None,
                summit_ends_on=date.fromisoformat(summit[1]) if summit[1] else None,
            )
            chairmanship.chairs = self.govs(fact["chairs"])
            db.session.add(chairmanship)
            self.chairs[fact["label"]] = chairmanship
        last_end = max(c.ends_on for c in self.chairs.values())
        starts = max(self.day(-240), last_end + timedelta(days=1))
        ends = starts + timedelta(days=540)
        summit = self.day(95)
        current = Chairmanship(
            label=f"GFMD {starts.year}-{ends.year}{DEMO}",
            theme="Human mobility and the future of work" + DEMO,
            starts_on=starts,
            ends_on=ends,
            summit_city="Nairobi",
            summit_starts_on=summit,
            summit_ends_on=summit + timedelta(days=2),
            is_demo=True,
        )
        current.chairs = self.govs(["KEN"])
        following_start = ends + timedelta(days=1)
        following_end = date(following_start.year + 1, 12, 31)
        following = Chairmanship(
            label=f"GFMD {following_start.year}-{following_end.year}{DEMO}",
            theme="Data, skills and sustainable reintegration" + DEMO,
            starts_on=following_start,
            ends_on=following_end,
            summit_city="Jakarta",
            opening_balance=Decimal("125000.00"),
            is_demo=True,
        )
        following.chairs = self.govs(["IDN", "NLD"])
        db.session.add_all([current, following])
        self.chairs[CURRENT] = current
        self.chairs[NEXT] = following

    def work_plans(self) -> None:
        """The multiannual work plan of the Swedish chairmanship, and a demo plan for today."""
        sweden = next(f for f in self.facts["chairmanships"] if f["chairs"] == ["SWE"])
        programme = WorkPlan(
            title="GFMD multi-annual work programme 2013-2015",
            first_year=2013,
            last_year=2015,
            description=(
                "Introduced under the Swedish chairmanship and "
                + sweden["note"].removeprefix("introduced the multi-annual work programme, ")
                + ". Its objectives here are invented for the demo."
            ),
        )
        current, following = self.chairs[CURRENT], self.chairs[NEXT]
        plan = WorkPlan(
            title=f"Work plan {current.starts_on.year}-{following.ends_on.year}{DEMO}",
            first_year=current.starts_on.year,
            last_year=following.ends_on.year,
            description="An invented multiannual plan, so that today's work hangs from objectives.",
            is_demo=True,
        )
        db.session.add_all([programme, plan])
        objectives = {
            ("2013", "1"): (programme, "Shared evidence on migration and development"),
            ("2013", "2"): (programme, "Migration in the post-2015 development agenda"),
            ("2013", "3"): (programme, "Protection of migrants throughout the migration cycle"),
            ("2013", "4"): (programme, "Partnerships with civil society and the private sector"),
            ("now", "A"): (plan, "Fair recruitment and decent work for migrant workers"),
            ("now", "B"): (plan, "Lower remittance costs, towards SDG target 10.c"),
            ("now", "C"): (plan, "Human mobility in situations of crisis and climate change"),
        }
        for (plan_key, code), (work_plan, title) in objectives.items():
            objective = Objective(work_plan=work_plan, code=code, title=title + DEMO, is_demo=True)
            db.session.add(objective)
            self.objectives[plan_key, code] = objective

    def load_indicators(self) -> None:
        """The remittance-cost indicator of the facts on the objective that aims at SDG target
        10.c: its real 2014 figure as baseline and first value, the SDG target, and later
        values invented for the demo and said to be; recruitment costs, not measured yet."""
        fact = self.facts["indicators"][0]
        [(year, value)] = fact["values"].items()
        cost = Indicator(
            objective=self.objectives["now", "B"],
            name=fact["name"],
            unit=fact["unit"],
            direction="down",
            baseline_value=Decimal(str(value)),
            baseline_year=int(year),
            target_value=Decimal(str(fact["target"]["value"])),
            target_year=fact["target"]["year"],
            sdg_indicator="10.c.1",
            is_demo=True,
        )
        cost.values.append(
            IndicatorValue(year=int(year), value=Decimal(str(value)), source=fact["source"])
        )
        for later, invented in ((2017, "7.2"), (2020, "6.6"), (2023, "6.3")):
            cost.values.append(
                IndicatorValue(
                    year=later, value=Decimal(invented), source="Invented for the demo" + DEMO
                )
            )
        recruitment = Indicator(
            objective=self.objectives["now", "A"],
            name="Recruitment cost borne by migrant workers" + DEMO,
            unit="months of earnings",
            direction="down",
            sdg_indicator="10.7.1",
            is_demo=True,
        )
        db.session.add_all([cost, recruitment])

    def load_roundtables(self) -> None:
        """The roundtables in the facts, then invented ones so every chairmanship has some."""
        for fact in self.facts["roundtables"]:
            roundtable = Roundtable(
                chairmanship=self.chairs[fact["chairmanship"]],
                number=fact["number"],
                title=fact["title"],
                cluster_title=fact.get("cluster"),
                description=f"Source: {fact['source']}.",
            )
            roundtable.co_chairs = self.govs(fact.get("co_chairs", []))
            for iso3 in fact.get("team_members", []):
                roundtable.members.append(RoundtableMember(government=self.gov(iso3)))
            for name in fact.get("partners", []):
                roundtable.members.append(RoundtableMember(organisation=self.organisations[name]))
            db.session.add(roundtable)
            self.roundtables[fact["chairmanship"], fact["number"]] = roundtable
        invented = [
            ("GFMD 2013-2014", "1.1", "Integrating migration in development planning",
             "Migration and development planning", ["SWE", "MAR"]),
            ("GFMD 2013-2014", "2.1", "Labour migration and skills matching",
             "Labour mobility", ["PHL", "DEU"]),
            ("GFMD 2014-2015", "2.1", "Remittances and diaspora investment",
             "Economic contributions of migrants", ["SWE", "MEX"]),
            ("GFMD 2014-2015", "3.1", "Migrants in countries in crisis",
             "Protection and crisis", ["PHL", "USA"]),
            (CURRENT, "1.1", "Fair recruitment and decent work for migrant workers",
             "Labour mobility", ["PHL", "SWE"]),
            (CURRENT, "1.2", "Lowering the cost of remittances",
             "Labour mobility", ["MEX", "SWE"]),
            (CURRENT, "2.1", "Skills partnerships between countries of origin and destination",
             "Skills and development", ["KEN", "PHL"]),
            (CURRENT, "2.2", "Climate change, disasters and human mobility",
             "Skills and development", ["BGD", "SWE"]),
            (NEXT, "1.1", "Data for evidence-based migration policy",
             "Evidence and data", ["IDN", "SWE"]),
            (NEXT, "1.2", "Sustainable return and reintegration",
             "Evidence and data", ["NLD", "PHL"]),
        ]  # fmt: skip
        pool = ["BGD", "CAN", "CHE", "DEU", "ECU", "ETH", "FRA", "GHA", "IDN", "ITA", "KEN"]
        pool += ["MAR", "MEX", "NGA", "NLD", "SEN", "SLV", "THA", "TUN", "TUR", "USA"]
        partners = ["IOM", "ILO", "UNHCR", "OHCHR", "World Bank", "KNOMAD", "IFRC"]
        for chair, number, title, cluster, co_chairs in invented:
            roundtable = Roundtable(
                chairmanship=self.chairs[chair],
                number=number,
                title=title + DEMO,
                cluster_title=cluster + DEMO,
                background_paper_url=f"https://example.org/gfmd-demo/rt-{number}.pdf",
                description="An invented roundtable: co-chairs and team are illustrative.",
                is_demo=True,
            )
            roundtable.co_chairs = self.govs(co_chairs)
            members = [c for c in pool if c not in co_chairs]
            for iso3 in sorted(self.rng.sample(members, self.rng.randint(4, 7))):
                roundtable.members.append(RoundtableMember(government=self.gov(iso3)))
            for name in sorted(self.rng.sample(partners, self.rng.randint(1, 2))):
                roundtable.members.append(RoundtableMember(organisation=self.organisations[name]))
            db.session.add(roundtable)
            self.roundtables[chair, number] = roundtable

    def load_teams(self) -> None:
        """Invented government teams whose members come and go over the years."""
        recent = self.today.year - 1
        teams = {
            "labour": ("Labour mobility government team", "PHL", 2013, None,
                       "Fair recruitment and the recognition of migrant workers' skills",
                       [("PHL", 2013, None), ("IDN", 2013, None), ("MEX", 2013, 2016),
                        ("BGD", 2014, None), ("SWE", 2016, None), ("KEN", recent, None),
                        ("ILO", 2013, None), ("IOM", 2014, None)]),
            "remittances": ("Remittances government team", "MEX", 2014, None,
                            "Cheaper, faster and safer remittances",
                            [("MEX", 2014, None), ("SWE", 2014, None), ("SLV", 2014, 2018),
                             ("PHL", 2015, None), ("World Bank", 2014, None),
                             ("KNOMAD", 2015, None), ("corridor", recent, None)]),
            "crisis": ("Migrants in crisis government team", "SWE", 2015, None,
                       "Protecting migrants caught in conflicts and disasters",
                       [("SWE", 2015, None), ("PHL", 2015, None), ("USA", 2015, 2017),
                        ("BGD", 2016, None), ("IFRC", 2015, None), ("UNHCR", 2016, None)]),
            "diaspora": ("Diaspora engagement government team", "SLV", 2016, None,
                         "Diaspora as partners in development",
                         [("SLV", 2016, None), ("MEX", 2016, None), ("PHL", 2017, None),
                          ("ITA", 2016, 2018), ("diaspora", 2017, None)]),
            "data": ("Migration data government team", "NLD", 2013, 2016,
                     "Better data on migration for development planning",
                     [("NLD", 2013, 2016), ("IDN", 2013, 2016), ("GHA", 2014, 2016),
                      ("KNOMAD", 2015, 2016)]),
        }  # fmt: skip
        for key, (name, lead, first, last, priority, members) in teams.items():
            team = GovernmentTeam(
                name=name + DEMO,
                policy_priority=priority + DEMO,
                lead_government=self.gov(lead),
                first_year=first,
                last_year=last,
                is_demo=True,
            )
            for party, joined, left in members:
                membership = TeamMembership(joined_year=joined, left_year=left)
                if party in self.governments:
                    membership.government = self.gov(party)
                else:
                    membership.organisation = self.organisations[party]
                team.memberships.append(membership)
            db.session.add(team)
            self.teams[key] = team

    def meetings(self) -> None:
        """The meetings in the facts and the summits they date, then invented ones around today."""
        specs = self._factual_meetings() + self._invented_meetings()
        for spec in specs:
            self._add_meeting(spec)

    def _factual_meetings(self) -> list[_MeetingSpec]:
        """Meetings the facts date; the time of day is not in the facts and is illustrative."""
        hours = {
            "steering_group": (time(10), time(13)),
            "friends_of_the_forum": (time(15), time(18)),
            "other": (time(10), time(12, 30)),
        }
        specs = []
        for fact in self.facts["meetings"]:
            days = [date.fromisoformat(d) for d in fact.get("dates") or [fact["date"]]]
            starts, ends = (
                hours.get(fact["kind"], (time(10), time(17)))
                if len(days) == 1
                else (time(9), time(18))
            )
            specs.append(
                _MeetingSpec(
                    chair=fact["chairmanship"],
                    title=fact["title"],
                    kind=fact["kind"],
                    day=days[0],
                    days=(days[-1] - days[0]).days + 1,
                    starts=starts,
                    ends=ends,
                    zone=fact["tz"],
                    city=fact["city"],
                    venue=fact.get("venue"),
                    description=f"Source: {fact['source']}. The time of day is illustrative.",
                    is_demo=False,
                )
            )
        dated = {(s.chair, s.kind) for s in specs}
        for fact in self.facts["chairmanships"]:
            if not fact.get("summit") or (fact["label"], "summit") in dated:
                continue
            first, last = (date.fromisoformat(d) for d in fact["summit"])
            specs.append(
                _MeetingSpec(
                    chair=fact["label"],
                    title=f"{fact['label']} Summit, {fact['summit_city']}",
                    kind="summit",
                    day=first,
                    days=(last - first).days + 1,
                    starts=time(9),
                    ends=time(18),
                    zone=SUMMIT_ZONES[fact["summit_city"]],
                    city=fact["summit_city"],
                    description=f"Source: {fact['source']}. The time of day is illustrative.",
                    is_demo=False,
                )
            )
        return specs

    def _invented_meetings(self) -> list[_MeetingSpec]:
        """Invented meetings: a few in the past terms, most around today in many time zones."""
        geneva = {"zone": "Europe/Zurich", "city": "Geneva", "venue": "Palais des Nations"}
        nairobi = {"zone": "Africa/Nairobi", "city": "Nairobi", "venue": "UN Office at Nairobi"}
        summit = self.chairs[CURRENT].summit_starts_on
        following = self.chairs[NEXT].starts_on
        m = _MeetingSpec
        return [
            m("GFMD 2013-2014", "RT 2.1 session" + DEMO, "roundtable_session",
              date(2014, 5, 15), time(14), time(17), "Europe/Stockholm", "Stockholm",
              roundtable="2.1"),
            m("GFMD 2014-2015", "RT 1.1 preparatory meeting" + DEMO, "preparatory",
              date(2015, 3, 10), time(10), time(13), roundtable="1.1", **geneva),
            m("GFMD 2014-2015", "RT 1.1 session" + DEMO, "roundtable_session",
              date(2015, 10, 15), time(14), time(17, 30), "Europe/Istanbul", "Istanbul",
              roundtable="1.1"),
            m(CURRENT, "1st Troika meeting" + DEMO, "troika", self.day(-215), time(10),
              time(12), **geneva),
            m(CURRENT, "1st Steering Group meeting" + DEMO, "steering_group", self.day(-200),
              time(10), time(13), **geneva),
            m(CURRENT, "1st Friends of the Forum meeting" + DEMO, "friends_of_the_forum",
              self.day(-200), time(15), time(18), **geneva),
            m(CURRENT, "RT 1.1 preparatory meeting" + DEMO, "preparatory", self.day(-60),
              time(9, 30), time(12, 30), "Asia/Manila", "Manila",
              "Department of Foreign Affairs", roundtable="1.1"),
            m(CURRENT, "RT 1.2 preparatory meeting, online" + DEMO, "preparatory",
              self.day(-20), time(9), time(11), "America/New_York", roundtable="1.2",
              online_url="https://meet.example.org/gfmd-rt-1-2-demo"),
            m(CURRENT, "Remittances team meeting" + DEMO, "other", self.day(-10), time(14),
              time(16), "America/New_York", "New York", "United Nations Headquarters",
              team="remittances"),
            m(CURRENT, "2nd Steering Group meeting" + DEMO, "steering_group", self.day(7),
              time(10), time(13), online_url="https://meet.example.org/gfmd-sg-demo",
              **geneva),
            m(CURRENT, "2nd Friends of the Forum meeting" + DEMO, "friends_of_the_forum",
              self.day(7), time(15), time(18), **geneva),
            m(CURRENT, "RT 2.1 preparatory meeting" + DEMO, "preparatory", self.day(14),
              time(9, 30), time(12, 30), "Africa/Casablanca", "Rabat", roundtable="2.1"),
            m(CURRENT, "RT 2.2 preparatory meeting" + DEMO, "preparatory", self.day(21),
              time(10), time(13), "Asia/Dhaka", "Dhaka", state="draft", roundtable="2.2"),
            m(CURRENT, "Labour mobility team meeting" + DEMO, "other", self.day(25),
              time(13), time(15), "Europe/Stockholm", "Stockholm", state="cancelled",
              team="labour"),
            m(CURRENT, "Side event at United Nations Headquarters" + DEMO, "other",
              self.day(40), time(13, 15), time(14, 45), "America/New_York", "New York",
              "United Nations Headquarters", state="draft"),
            m(CURRENT, "2nd Troika meeting" + DEMO, "troika", self.day(50), time(10),
              time(12), state="cancelled", **geneva),
            m(CURRENT, "Civil Society Days" + DEMO, "civil_society_days",
              summit - timedelta(days=2), time(9), time(18), days=2, **nairobi),
            m(CURRENT, "Summit: Government Days" + DEMO, "summit", summit, time(9),
              time(18), days=3, **nairobi),
            m(CURRENT, "RT 1.1 session" + DEMO, "roundtable_session", summit, time(14),
              time(16, 30), roundtable="1.1", **nairobi),
            m(CURRENT, "RT 1.2 session" + DEMO, "roundtable_session",
              summit + timedelta(days=1), time(9), time(11, 30), roundtable="1.2", **nairobi),
            m(CURRENT, "RT 2.1 session" + DEMO, "roundtable_session",
              summit + timedelta(days=1), time(14), time(16, 30), roundtable="2.1",
              **nairobi),
            m(CURRENT, "RT 2.2 session" + DEMO, "roundtable_session",
              summit + timedelta(days=2), time(9), time(11, 30), roundtable="2.2", **nairobi),
            m(NEXT, "Troika handover meeting" + DEMO, "troika", following + timedelta(days=14),
              time(10), time(12), "Asia/Jakarta", "Jakarta", state="draft"),
        ]  # fmt: skip

    def _add_meeting(self, spec: _MeetingSpec) -> None:
        """One meeting with an agenda of three to six items that fits in it."""
        chairmanship = self.chairs[spec.chair]
        starts_at = _instant(spec.day, spec.starts, spec.zone)
        ends_at = _instant(spec.day + timedelta(days=spec.days - 1), spec.ends, spec.zone)
        meeting = Meeting(
            chairmanship=chairmanship,
            roundtable=self.roundtables[spec.chair, spec.roundtable] if spec.roundtable else None,
            team=self.teams[spec.team] if spec.team else None,
            kind=spec.kind,
            title=spec.title,
            description=spec.description or "An invented meeting, for the demo.",
            starts_at=starts_at,
            ends_at=ends_at,
            timezone=spec.zone,
            city=spec.city,
            venue=spec.venue,
            online_url=spec.online_url,
            state=spec.state,
            is_demo=spec.is_demo,
        )
        # A multi-day meeting's agenda covers its first day.
        room = min(int((ends_at - starts_at).total_seconds() // 60), 8 * 60)
        items = [AGENDA_OPENING]
        used = AGENDA_OPENING[1] + AGENDA_CLOSING[1]
        for title, minutes in self.rng.sample(AGENDA_MIDDLE, len(AGENDA_MIDDLE)):
            if len(items) == 5 or (len(items) >= 2 and used + minutes > room):
                break
            if used + minutes <= room:
                items.append((title, minutes))
                used += minutes
        items.append(AGENDA_CLOSING)
        for position, (title, minutes) in enumerate(items):
            speakers = SPEAKERS.get(title)
            if meeting.roundtable is not None and title.startswith("Update from"):
                speakers = ", ".join(g.name for g in meeting.roundtable.co_chairs)
            meeting.agenda_items.append(
                AgendaItem(
                    position=position,
                    title=title + DEMO,
                    duration_minutes=minutes,
                    speakers=speakers,
                    links=(
                        meeting.roundtable.background_paper_url
                        if meeting.roundtable is not None and "background paper" in title
                        else None
                    ),
                )
            )
        db.session.add(meeting)

    def load_programme(self) -> None:
        """The current summit's first day as a programme: plenaries, the roundtables' parallel
        sessions in their rooms, and lunch, entered through the programme's own checks."""
        summit = db.session.scalar(
            select(Meeting).where(Meeting.title == "Summit: Government Days" + DEMO)
        )
        if summit is None:
            return
        day = summit.local_starts_at.date()
        for kind, title, starts, ends, room in (
            ("plenary", "Opening plenary", time(9), time(10, 30), "Plenary hall"),
            ("parallel", "RT 1.1 session", time(11), time(12, 30), "Room A"),
            ("parallel", "RT 1.2 session", time(11), time(12, 30), "Room B"),
            ("break", "Lunch", time(12, 30), time(14), None),
            ("parallel", "RT 2.1 session", time(14), time(15, 30), "Room A"),
            ("parallel", "RT 2.2 session", time(14), time(15, 30), "Room B"),
            ("plenary", "Reports of the roundtables", time(16), time(17, 30), "Plenary hall"),
        ):
            programme.add_session(
                summit,
                programme.SessionDetails(
                    kind=kind, title=title + DEMO, day=day, starts=starts, ends=ends, room=room
                ),
            )
        # The day's agenda runs in the plenaries: the opening's items while they fit, then the
        # closing plenary's.
        opening, closing = (s for s in summit.sessions if s.kind == "plenary")
        room, into = opening.ends_at - opening.starts_at, opening
        for item in summit.agenda_items:
            length = timedelta(minutes=item.duration_minutes)
            if into is opening and length > room:
                into = closing
            item.session, room = into, room - length
        db.session.flush()

    def load_practices(self) -> None:
        """Themes, and invented practices in every state of their review."""
        practices.load(self)

    def load_commitments(self) -> None:
        """Invented commitments, with reports that light each colour of the traffic light."""
        commitments.load(self)

    def load_offers(self) -> None:
        """Invented offers of governments: one waiting, one accepted, one declined."""
        offers.load(self)

    def load_accounts(self) -> None:
        """The four demo accounts: secretariat, two focal points, a member."""
        for role, local_part, iso3, name in ACCOUNTS:
            user = accounts.create_user(
                email=f"{local_part}@{EMAIL_DOMAIN}",
                name=name + DEMO,
                role=role,
                government_iso3=iso3,
                password=self.password,
                is_demo=True,
            )
            self.users[iso3 or role] = user
            government = f"{user.government.name} ({iso3})" if user.government else None
            self.accounts.append(DemoAccount(role=role, email=user.email, government=government))

    def load_documents(self) -> None:
        """Invented papers on the shelves of the current first roundtable and its session,
        put there the way the secretariat does, through the shelf's own checks."""
        roundtable = self.roundtables[CURRENT, "1.1"]
        session = db.session.scalar(select(Meeting).where(Meeting.roundtable_id == roundtable.id))
        code = roundtable.code
        papers = [
            (
                roundtable,
                "concept_note",
                "public",
                f"{code} concept note",
                "Note conceptuelle",
                "Nota conceptual",
            ),
            (roundtable, "background_paper", "members", f"{code} background paper", None, None),
        ]
        if session is not None:
            papers += [
                (session, "agenda", "public", f"{code} session: annotated agenda",
                 "Ordre du jour annoté", "Orden del día anotado"),
                (session, "presentation", "secretariat", f"{code} session: speakers' notes",
                 None, None),
            ]  # fmt: skip
        uploader = self.users["secretariat"]
        for shelf, kind, access, title, title_fr, title_es in papers:
            details = documents.DocumentDetails(
                title=title + DEMO,
                title_fr=title_fr and title_fr + " (démo)",
                title_es=title_es and title_es + " (demo)",
                kind=kind,
                access=access,
            )
            lines = [
                roundtable.title,
                "An invented paper, for the demo of the document shelf.",
            ]
            document = documents.shelve(
                shelf,
                details,
                "en",
                documents.Upload(f"{title}.pdf", one_page_pdf(title + DEMO, lines)),
                uploader,
            )
            document.is_demo = True
            if title_fr:
                french = one_page_pdf(title_fr + " (démo)", [roundtable.title, "Document fictif."])
                documents.add_file(
                    document, "fr", documents.Upload(f"{title_fr}.pdf", french), uploader
                )

    def reporter(self, responsible: list[str]) -> User:
        """Who posts progress: the focal point of a responsible government, else the secretariat."""
        for iso3 in ("PHL", "SWE"):
            if iso3 in responsible:
                return self.users[iso3]
        return self.users["secretariat"]

    def load_deliverables(self) -> None:
        """Invented deliverables in every status, each with its progress history."""
        tr, sw, bd = "GFMD 2014-2015", "GFMD 2013-2014", "GFMD 2016"
        following = self.chairs[NEXT].starts_on
        # key, chairmanship, owner (roundtable number or team), title, responsible, due,
        # status, percent, objective, predecessor
        specs = [
            ("s1", sw, "1.1", "Background paper on migration in national development plans",
             ["SWE", "MAR"], date(2014, 3, 31), "completed", 100, ("2013", "1"), None),
            ("s2", sw, "1.1", "Survey of mainstreaming pilots", ["SWE"], date(2014, 4, 15),
             "completed", 100, ("2013", "1"), None),
            ("s3", sw, "2.1", "Compendium of skills-matching practices", ["PHL", "DEU"],
             date(2014, 4, 30), "completed", 100, ("2013", "3"), None),
            ("s4", sw, "2.1", "Pilot on recognising migrant workers' qualifications", ["PHL"],
             date(2014, 5, 31), "carried_over", 40, ("2013", "3"), None),
            ("s5", sw, "labour", "Method to measure recruitment costs", ["PHL", "IDN"],
             date(2014, 6, 15), "carried_over", 30, ("2013", "1"), None),
            ("s6", sw, "remittances", "Remittance cost comparison study", ["MEX", "SWE"],
             date(2014, 5, 10), "completed", 100, ("2013", "1"), None),
            ("s7", sw, "1.1", "Update of the migration profiles toolkit", ["SWE"],
             date(2014, 6, 30), "dropped", 20, ("2013", "1"), None),
            ("s8", sw, "labour", "Input paper for the post-2015 development agenda",
             ["SWE", "BGD"], date(2014, 6, 30), "carried_over", 60, ("2013", "2"), None),
            ("t1", tr, "1.1", "Pilot on recognising migrant workers' qualifications", ["PHL"],
             date(2015, 6, 30), "completed", 100, ("2013", "3"), "s4"),
            ("t2", tr, "labour", "Method to measure recruitment costs", ["PHL", "IDN"],
             date(2015, 9, 30), "carried_over", 70, ("2013", "1"), "s5"),
            ("t3", tr, "3.1", "Input paper for the post-2015 development agenda",
             ["SWE", "BGD"], date(2015, 7, 31), "completed", 100, ("2013", "2"), "s8"),
            ("t4", tr, "1.1", "Report on partnerships for the inclusion of migrants",
             ["SLV", "PHL"], date(2015, 9, 15), "completed", 100, ("2013", "3"), None),
            ("t5", tr, "1.1", "Guidance on migrants' access to services", ["PHL", "SLV"],
             date(2015, 8, 31), "completed", 100, ("2013", "3"), None),
            ("t6", tr, "2.1", "Case studies of diaspora investment", ["SWE", "MEX"],
             date(2015, 6, 15), "completed", 100, ("2013", "4"), None),
            ("t7", tr, "2.1", "Remittance data dashboard", ["MEX"], date(2015, 9, 1),
             "dropped", 15, ("2013", "1"), None),
            ("t8", tr, "3.1", "Checklist for crisis preparedness", ["PHL", "USA"],
             date(2015, 10, 1), "carried_over", 50, ("2013", "3"), None),
            ("t9", tr, "remittances", "Note on monitoring remittance prices", ["MEX", "SWE"],
             date(2015, 5, 31), "completed", 100, ("2013", "1"), None),
            ("t10", tr, "3.1", "Note on consular cooperation in crises", ["SWE"],
             date(2015, 9, 30), "completed", 100, ("2013", "3"), None),
            ("b1", bd, "labour", "Method to measure recruitment costs", ["PHL", "IDN"],
             date(2016, 10, 31), "completed", 100, None, "t2"),
            ("b2", bd, "3.1", "Checklist for crisis preparedness", ["PHL", "USA"],
             date(2016, 9, 30), "completed", 100, None, "t8"),
            ("b3", bd, "1.1", "Indicators of the costs of migration", ["BGD", "PHL"],
             date(2016, 11, 15), "completed", 100, None, None),
            ("b4", bd, "2.2", "Review of practice on migrants' rights in all situations",
             ["SWE"], date(2016, 11, 30), "completed", 100, None, None),
            ("b5", bd, "3.2", "Options paper on safe and orderly migration", ["SWE", "BGD"],
             date(2016, 10, 15), "dropped", 35, None, None),
            ("b6", bd, "crisis", "Contingency planning template", ["SWE"],
             date(2016, 8, 31), "completed", 100, None, None),
            ("c1", CURRENT, "1.1", "Background paper on fair recruitment", ["PHL", "SWE"],
             self.day(12), "in_progress", 60, ("now", "A"), None),
            ("c2", CURRENT, "1.1", "Employer survey on recruitment fees", ["PHL"],
             self.day(-9), "at_risk", 25, ("now", "A"), None),
            ("c3", CURRENT, "1.1", "Model clauses for bilateral labour agreements",
             ["PHL", "KEN"], self.day(75), "planned", 0, ("now", "A"), None),
            ("c4", CURRENT, "1.2", "Remittance cost baseline for SDG target 10.c",
             ["MEX", "SWE"], self.day(-30), "completed", 100, ("now", "B"), None),
            ("c5", CURRENT, "1.2", "Report on the digital remittances pilot", ["SWE"],
             self.day(25), "in_progress", 45, ("now", "B"), None),
            ("c6", CURRENT, "1.2", "Refresh of the remittance price database", ["MEX"],
             self.day(5), "at_risk", 15, ("now", "B"), None),
            ("c7", CURRENT, "2.1", "Inventory of skills partnerships", ["KEN", "PHL"],
             self.day(-3), "in_progress", 30, ("now", "A"), None),
            ("c8", CURRENT, "2.1", "Guide to recognising skills", ["KEN"], self.day(120),
             "planned", 0, ("now", "A"), None),
            ("c9", CURRENT, "2.2", "Map of disaster displacement", ["BGD", "SWE"],
             self.day(40), "in_progress", 50, ("now", "C"), None),
            ("c10", CURRENT, "2.2", "Policy brief on climate mobility", ["BGD"],
             self.day(10), "dropped", 10, ("now", "C"), None),
            ("c11", CURRENT, "labour", "Recruitment costs: second measurement round",
             ["PHL", "IDN"], self.day(18), "in_progress", 70, ("now", "A"), None),
            ("c12", CURRENT, "remittances", "Review of diaspora bonds", ["MEX", "SWE"],
             self.day(-20), "at_risk", 40, ("now", "B"), None),
            ("c13", CURRENT, "crisis", "Crisis communication protocol", ["SWE"],
             self.day(-45), "completed", 100, ("now", "C"), None),
            ("c14", CURRENT, "crisis", "Handbook on evacuation cooperation", ["SWE", "PHL"],
             self.day(60), "carried_over", 55, ("now", "C"), None),
            ("c15", CURRENT, "1.1", "Summit outcome note on fair recruitment", ["PHL", "SWE"],
             self.day(110), "planned", 0, ("now", "A"), None),
            ("c16", CURRENT, "diaspora", "Map of diaspora engagement", ["SLV", "PHL"],
             self.day(28), "planned", 0, ("now", "B"), None),
            ("c17", CURRENT, "2.1", "Review of pre-departure training", ["PHL"],
             self.day(-60), "completed", 100, ("now", "A"), None),
            ("c18", CURRENT, "2.2", "Early-warning data sharing note", ["BGD", "SWE"],
             self.day(-14), "in_progress", 20, ("now", "C"), None),
            ("n1", NEXT, "crisis", "Handbook on evacuation cooperation", ["SWE", "PHL"],
             following + timedelta(days=180), "planned", 55, ("now", "C"), "c14"),
            ("n2", NEXT, "1.1", "Paper on standards for migration data", ["IDN", "SWE"],
             following + timedelta(days=200), "planned", 0, None, None),
            ("n3", NEXT, "1.2", "Review of reintegration support", ["NLD", "PHL"],
             following + timedelta(days=240), "planned", 0, None, None),
        ]  # fmt: skip
        for spec in specs:
            self._add_deliverable(*spec)

    def _add_deliverable(
        self, key, chair, owner, title, responsible, due, status, percent, objective, predecessor
    ) -> None:
        """One deliverable and the progress updates that brought it to its status."""
        chairmanship = self.chairs[chair]
        deliverable = Deliverable(
            chairmanship=chairmanship,
            objective=self.objectives[objective] if objective else None,
            roundtable=self.roundtables.get((chair, owner)),
            team=self.teams.get(owner),
            predecessor=self.deliverables[predecessor] if predecessor else None,
            title=title + DEMO,
            description="An invented deliverable, for the demo.",
            due_on=due,
            status=status,
            percent_complete=percent,
            is_demo=True,
        )
        deliverable.responsible_governments = self.govs(responsible)
        steps = _history(status, percent)
        if predecessor:
            # The successor starts where its predecessor stopped, when it was carried over.
            earlier = self.deliverables[predecessor]
            start = earlier.percent_complete
            steps = [("planned", start, f"Carried over from {earlier.chairmanship.label}.")] + [
                (s, 100 if s == "completed" else max(p, start), c) for s, p, c in steps[1:]
            ]
            begin = self.last_update[predecessor] + timedelta(minutes=5)
            finish = self.now - timedelta(hours=1)
        else:
            begin = datetime.combine(chairmanship.starts_on, time(9), tzinfo=UTC)
            begin = min(begin + timedelta(days=14), self.now - timedelta(days=len(steps) + 3))
            # Two days of slack, so a successor's history can follow its predecessor's.
            finish = self.now - timedelta(days=2)
        finish = min(datetime.combine(due, time(15), tzinfo=UTC), finish)
        reporter = self.reporter(responsible)
        previous = (None, None)
        for (new_status, new_percent, comment), at in zip(
            steps, _spread(begin, finish, len(steps)), strict=True
        ):
            deliverable.progress_updates.append(
                ProgressUpdate(
                    user=self.users["secretariat"] if new_status == "planned" else reporter,
                    created_at=at,
                    old_status=previous[0],
                    new_status=new_status,
                    old_percent=previous[1],
                    new_percent=new_percent,
                    comment=comment,
                )
            )
            previous = (new_status, new_percent)
            self.last_update[key] = at
        db.session.add(deliverable)
        self.deliverables[key] = deliverable

    def pledges(self) -> None:
        """Invented pledges in several currencies, cash and in kind, with their payments."""
        sw, tr, bd = "GFMD 2013-2014", "GFMD 2014-2015", "GFMD 2016"
        pledging_meeting = date(2014, 10, 22)
        # chairmanship, donor, amount, currency, in-kind service, earmark, pledged on,
        # committed on, payments as (share of the amount, day received), rate period
        d = self.day
        specs = [
            (sw, "SWE", "2000000", "SEK", None, "general", date(2013, 2, 1),
             date(2013, 3, 1), [("0.5", date(2013, 4, 2)), ("0.5", date(2013, 10, 1))], "2014"),
            (sw, "CHE", "250000", "CHF", None, "general", date(2013, 2, 15),
             date(2013, 4, 1), [("1", date(2013, 5, 6))], "2014"),
            (sw, "IOM", "150000", "USD", "Hosting of the GFMD Support Unit in Geneva",
             "GFMD Support Unit", date(2013, 1, 15), date(2013, 1, 31),
             [("1", date(2014, 6, 30))], "2014"),
            (sw, "PHL", "50000", "USD", None, "2.1", date(2013, 9, 2), None, [], "2014"),
            (tr, "TUR", "1500000", "TRY", None, "general", date(2014, 7, 1),
             date(2014, 9, 1), [("1", date(2014, 12, 1))], "2014"),
            (tr, "TUR", "2000000", "TRY", "Summit venue and logistics in Istanbul",
             "Istanbul Summit", date(2014, 7, 1), date(2015, 1, 15),
             [("1", date(2015, 10, 16))], "2016"),
            (tr, "SWE", "1000000", "SEK", None, "general", pledging_meeting,
             date(2014, 12, 1), [("0.6", date(2015, 2, 2))], "2014"),
            (tr, "CHE", "300000", "CHF", None, "general", pledging_meeting,
             date(2014, 11, 15), [("1", date(2015, 1, 20))], "2014"),
            (tr, "USA", "200000", "USD", None, "1.1", pledging_meeting, date(2015, 1, 10),
             [("0.5", date(2015, 3, 2)), ("0.5", date(2015, 7, 1))], "2014"),
            (tr, "DEU", "150000", "EUR", None, "Platform for Partnerships", pledging_meeting,
             date(2014, 12, 10), [("1.04", date(2015, 2, 16))], "2014"),
            (tr, "lakeside", "75000", "USD", None, "Civil Society Days", date(2015, 2, 1),
             date(2015, 3, 1), [("0.4", date(2015, 5, 4))], "2016"),
            (tr, "MEX", "40000", "USD", None, "2.1", pledging_meeting, None, [], "2014"),
            (bd, "BGD", "8000000", "BDT", "Summit venue and interpretation in Dhaka",
             "Dhaka Summit", date(2016, 1, 20), date(2016, 3, 1),
             [("1", date(2016, 12, 12))], "2016"),
            (bd, "SWE", "1500000", "SEK", None, "general", date(2016, 2, 1), date(2016, 3, 15),
             [("1", date(2016, 5, 2))], "2016"),
            (bd, "NLD", "100000", "EUR", None, "general", date(2016, 2, 10), date(2016, 4, 1),
             [("0.5", date(2016, 6, 1))], "2016"),
            (bd, "PHL", "30000", "USD", None, "1.1", date(2016, 4, 4), None, [], "2016"),
            (CURRENT, "KEN", "30000000", "KES", "Summit venue and interpretation in Nairobi",
             "Nairobi Summit", d(-230), d(-180), [("0.3", d(-40))], "now"),
            (CURRENT, "SWE", "2500000", "SEK", None, "general", d(-225), d(-190),
             [("0.5", d(-150)), ("0.25", d(-30))], "now"),
            (CURRENT, "CHE", "400000", "CHF", None, "general", d(-220), d(-200),
             [("1", d(-170))], "now"),
            (CURRENT, "PHL", "100000", "USD", None, "1.1", d(-200), d(-160),
             [("0.5", d(-100))], "now"),
            (CURRENT, "DEU", "250000", "EUR", None, "general", d(-200), None, [], "now"),
            (CURRENT, "USA", "300000", "USD", None, "Study of remittance costs", d(-150),
             None, [], "now"),
            (CURRENT, "corridor", "60000", "USD", None, "1.2", d(-140), d(-120),
             [("1", d(-90))], "now"),
            (CURRENT, "ILO", "45000", "CHF", "Expert support to RT 1.1", "1.1", d(-130),
             d(-125), [("1", d(-20))], "now"),
            (CURRENT, "World Bank", "30000", "USD", "Remittance price data for RT 1.2",
             "Remittance price data", d(-120), d(-110), [("0.5", d(-60))], "now"),
            (CURRENT, "NLD", "200000", "EUR", None, "general", d(-100), d(-15), [], "now"),
            (CURRENT, "MEX", "50000", "USD", None, "1.2", d(-90), None, [], "now"),
            (CURRENT, "diaspora", "20000", "EUR", None, "Civil Society Days", d(-80),
             d(-70), [("1", d(-35))], "now"),
            (CURRENT, "IDN", "75000", "USD", None, "general", d(-45), None, [], "now"),
            (CURRENT, "facility", "120000", "EUR", None, "2.1", d(-40), d(-25),
             [("0.25", d(-5))], "now"),
            (NEXT, "IDN", "150000", "USD", None, "general", d(-10), None, [], "now"),
            (NEXT, "NLD", "300000", "EUR", None, "general", d(-5), None, [], "now"),
        ]  # fmt: skip
        for spec in specs:
            self._add_pledge(*spec)
        # A pledge over three years, paid in instalments: the first is covered, the others
        # fall due in the terms ahead.
        multi_year = self._add_pledge(
            CURRENT, "CHE", "600000", "CHF", None, "general", d(-60), d(-50),
            [("0.25", d(-20))], "now",
        )  # fmt: skip
        for offset in (-30, 200, 560):
            multi_year.instalments.append(Instalment(due_on=d(offset), amount=Decimal("150000.00")))
        multi_year.instalments.append(Instalment(due_on=d(900), amount=Decimal("150000.00")))
        self._rate_table()
        self._budget()

    def _rate_table(self) -> None:
        """This year's rates as the secretariat keeps them: one a month for every currency
        pledged lately, so this year's pledges convert by the table, not by a typed rate."""
        base = current_app.config["BASE_CURRENCY"]
        month = self.day(-240).replace(day=1)
        while month <= self.today:
            for currency in sorted(set(USD_VALUE["now"]) - {base}):
                if rate_to_base(currency, "now") is None:
                    continue
                db.session.add(
                    ExchangeRate(
                        currency=currency,
                        month=month,
                        rate=rate_to_base(currency, "now"),
                        source="Illustrative demo rate (not the UN operational rate)",
                    )
                )
            month = (month + timedelta(days=32)).replace(day=1)

    def _budget(self) -> None:
        """The chairmanship in office's requirements, and the earmarked pledges set against
        them."""
        for ahead, share in ((NEXT, Decimal("1.1")),):
            for position, (name, amount) in enumerate(
                [("Summit", "900000"), ("Support Unit", "300000")]
            ):
                db.session.add(
                    BudgetLine(
                        chairmanship=self.chairs[ahead],
                        name=name,
                        amount=Decimal(amount) * share,
                        position=position,
                    )
                )
        chairmanship = self.chairs[CURRENT]
        lines = {}
        for position, (name, name_fr, name_es, amount) in enumerate(
            [
                ("Summit", "Sommet", "Cumbre", "900000"),
                (
                    "Roundtables and thematic meetings",
                    "Tables rondes et réunions thématiques",
                    "Mesas redondas y reuniones temáticas",
                    "450000",
                ),
                (
                    "Civil Society Days",
                    "Journées de la société civile",
                    "Días de la Sociedad Civil",
                    "150000",
                ),
                ("Support Unit", "Unité d’appui", "Unidad de Apoyo", "300000"),
            ]
        ):
            lines[name] = BudgetLine(
                chairmanship=chairmanship,
                name=name,
                name_fr=name_fr,
                name_es=name_es,
                amount=Decimal(amount),
                position=position,
            )
            db.session.add(lines[name])
        for pledge in db.session.scalars(
            select(Pledge).where(Pledge.chairmanship_id == chairmanship.id)
        ):
            if pledge.earmark == "roundtable":
                pledge.budget_line = lines["Roundtables and thematic meetings"]
            elif pledge.earmark_activity and pledge.earmark_activity.startswith("Nairobi Summit"):
                pledge.budget_line = lines["Summit"]
            elif pledge.earmark_activity and pledge.earmark_activity.startswith("Civil Society"):
                pledge.budget_line = lines["Civil Society Days"]

    def _add_pledge(
        self, chair, donor, amount, currency, service, earmark, pledged_on, committed_on,
        payments, period,
    ) -> Pledge:  # fmt: skip
        """One pledge, committed when dated so, with the payments received against it."""
        # This year's amounts convert by the rate table (see _rate_table); older ones carry
        # the rate the secretariat typed, as before the table existed.
        rate = None if period == "now" else rate_to_base(currency, period)
        amount = Decimal(amount)
        pledge = Pledge(
            chairmanship=self.chairs[chair],
            amount=amount,
            currency=currency,
            kind="in_kind" if service else "cash",
            in_kind_description=service + DEMO if service else None,
            pledged_on=pledged_on,
            status="committed" if committed_on else "pledged",
            committed_on=committed_on,
            rate_to_base=rate,
            notes="An invented pledge; the exchange rates are illustrative.",
            is_demo=True,
        )
        if donor in self.governments:
            pledge.donor_government = self.gov(donor)
        else:
            pledge.donor_organisation = self.organisations[donor]
        if earmark == "general":
            pledge.earmark = "general"
        elif (chair, earmark) in self.roundtables:
            pledge.earmark = "roundtable"
            pledge.earmark_roundtable = self.roundtables[chair, earmark]
        else:
            pledge.earmark = "activity"
            pledge.earmark_activity = earmark + DEMO
        for number, (share, received_on) in enumerate(payments, start=1):
            pledge.payments.append(
                Payment(
                    amount=(amount * Decimal(share)).quantize(Decimal("0.01")),
                    received_on=received_on,
                    rate_to_base=rate,
                    reference=f"Transfer {number} (demo)",
                )
            )
        db.session.add(pledge)
        return pledge
