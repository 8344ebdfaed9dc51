"""The audit log in people's words: labels for fields, names for ids, kinds of record in words.

One function, `describe(events)`, turns audit events into entries that the audit log, the
security page and the dashboard's recent changes all show the same way. It costs one query per
kind of record named on the page, however many events there are.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from babel import Locale, UnknownLocaleError
from sqlalchemy import String, cast, func, literal, select, union_all

from workplan import formatting
from workplan.audit import ACCOUNT_ACTIVITY
from workplan.extensions import db
from workplan.formatting import lazy_gettext as _l
from workplan.models import (
    AgendaItem,
    AuditEvent,
    BudgetLine,
    Chairmanship,
    Commitment,
    Deliverable,
    ExchangeRate,
    Government,
    GovernmentTeam,
    Meeting,
    Objective,
    Offer,
    Organisation,
    Pledge,
    Practice,
    Roundtable,
    Theme,
    User,
    WorkPlan,
)

# The kinds of record, by the name the log stores, in words.
KINDS = {
    "AgendaItem": _l("Agenda item"),
    "BudgetLine": _l("Budget line"),
    "Chairmanship": _l("Chairmanship"),
    "Commitment": _l("Commitment"),
    "Deliverable": _l("Deliverable"),
    "Document": _l("Document"),
    "DocumentFile": _l("Document file"),
    "ExchangeRate": _l("Exchange rate"),
    "Government": _l("Government"),
    "GovernmentTeam": _l("Government team"),
    "Indicator": _l("Indicator"),
    "IndicatorValue": _l("Value of an indicator"),
    "Instalment": _l("Instalment"),
    "Meeting": _l("Meeting"),
    "MeetingOutcome": _l("Decision or action item"),
    "MeetingSession": _l("Session of a programme"),
    "Minutes": _l("Minutes"),
    "MinutesComment": _l("Comment on minutes"),
    "Objective": _l("Objective"),
    "Offer": _l("Offer"),
    "Organisation": _l("Organisation"),
    "Payment": _l("Payment"),
    "Pledge": _l("Pledge"),
    "Practice": _l("Good practice"),
    "PracticeAdoption": _l("Practice taken up"),
    "Roundtable": _l("Roundtable"),
    "RoundtableMember": _l("Roundtable member"),
    "TeamMembership": _l("Team membership"),
    "Theme": _l("Theme"),
    "User": _l("User"),
    "WorkPlan": _l("Work plan"),
    ACCOUNT_ACTIVITY: _l("Account activity"),
}
# Every kind of record the audit log follows, by the name the log stores.
MODELS = {
    mapper.class_.__name__: mapper.class_
    for mapper in db.Model.registry.mappers
    if getattr(mapper.class_, "__audited__", False)
}
MODELS[ACCOUNT_ACTIVITY] = User
# Where a kind of record has its own page: (endpoint, the id's parameter).
PAGES = {
    "Chairmanship": ("chairmanships.detail", "chairmanship_id"),
    "Commitment": ("commitments.detail", "commitment_id"),
    "Deliverable": ("deliverables.detail", "deliverable_id"),
    "Document": ("documents.detail", "document_id"),
    "Government": ("governments.detail", "government_id"),
    "GovernmentTeam": ("teams.detail", "team_id"),
    "Meeting": ("meetings.detail", "meeting_id"),
    "Offer": ("offers.detail", "offer_id"),
    "Organisation": ("organisations.detail", "organisation_id"),
    "Pledge": ("pledges.detail", "pledge_id"),
    "Practice": ("practices.detail", "practice_id"),
    "Roundtable": ("roundtables.detail", "roundtable_id"),
    "Theme": ("themes.detail", "theme_id"),
    "User": ("admin.user", "user_id"),
    ACCOUNT_ACTIVITY: ("admin.user", "user_id"),
    "WorkPlan": ("workplans.detail", "work_plan_id"),
}

LABELS = {
    "access": _l("Who may read it"),
    "acronym": _l("Acronym"),
    "active": _l("Can sign in"),
    "agenda": _l("Agenda order"),
    "agenda_item_id": _l("Agenda item"),
    "amount": _l("Amount"),
    "answer": _l("Answer"),
    "answered_at": _l("Answered"),
    "answered_by_id": _l("Answered by"),
    "approved_at": _l("Approved"),
    "archived_at": _l("Archived"),
    "author_id": _l("Written by"),
    "background_paper_url": _l("Background paper"),
    "baseline_value": _l("Baseline"),
    "baseline_year": _l("Baseline year"),
    "budget_line_id": _l("Budget line"),
    "chairmanship_id": _l("Chairmanship"),
    "chairs": _l("Chairs"),
    "circulated_at": _l("Circulated for comment"),
    "city": _l("City"),
    "cluster_title": _l("Cluster"),
    "co_chairs": _l("Co-chairs"),
    "co_chairs_publish": _l("Co-chairs publish its meetings"),
    "code": _l("Code"),
    "committed_on": _l("Committed on"),
    "content_type": _l("File type"),
    "countries": _l("Countries"),
    "currency": _l("Currency"),
    "deliverable_id": _l("Deliverable"),
    "description": _l("Description"),
    "direction": _l("Progress is"),
    "document_id": _l("Document"),
    "donor_government_id": _l("Donor government"),
    "donor_organisation_id": _l("Donor organisation"),
    "due_on": _l("Due"),
    "duration_minutes": _l("Duration"),
    "earmark": _l("Earmark"),
    "earmark_activity": _l("Earmarked activity"),
    "earmark_roundtable_id": _l("Earmarked roundtable"),
    "email": _l("Email"),
    "ends_at": _l("Ends"),
    "ends_on": _l("Ends"),
    "entered_at": _l("Entered"),
    "entered_by_id": _l("Entered by"),
    "filename": _l("File"),
    "first_year": _l("First year"),
    "government_id": _l("Government"),
    "in_kind_description": _l("In-kind contribution"),
    "indicator_id": _l("Indicator"),
    "is_demo": _l("Demonstration record"),
    "iso3": _l("ISO code"),
    "joined_year": _l("Joined in"),
    "kind": _l("Kind"),
    "label": _l("Label"),
    "language": _l("Language"),
    "last_login_at": _l("Signed in"),
    "last_year": _l("Last year"),
    "lead_government_id": _l("Lead government"),
    "left_year": _l("Left in"),
    "links": _l("Links"),
    "locale": _l("Language"),
    "meeting_id": _l("Meeting"),
    "minutes_id": _l("Minutes"),
    "month": _l("Month"),
    "name": _l("Name"),
    "name_es": _l("Name (Spanish)"),
    "name_fr": _l("Name (French)"),
    "note": _l("What changed"),
    "notes": _l("Notes"),
    "number": _l("Number"),
    "objective_id": _l("Objective"),
    "offered_by_id": _l("Offered by"),
    "online_url": _l("Online link"),
    "opening_balance": _l("Opening balance"),
    "organisation_id": _l("Organisation"),
    "partner_governments": _l("Partner governments"),
    "partner_organisations": _l("Partner organisations"),
    "partners": _l("Partners"),
    "percent_complete": _l("Progress"),
    "pledge_id": _l("Pledge"),
    "pledged_on": _l("Pledged on"),
    "policy_priority": _l("Policy priority"),
    "position": _l("Place on the agenda"),
    "practice_id": _l("Practice"),
    "predecessor_id": _l("Carried over from"),
    "published_at": _l("Published"),
    "rate": _l("Rate"),
    "rate_to_base": _l("Rate to the base currency"),
    "reason": _l("Why"),
    "received_on": _l("Received on"),
    "recorded_at": _l("Recorded"),
    "recorded_by_id": _l("Recorded by"),
    "reference": _l("Reference"),
    "registered_on": _l("Registered"),
    "report_every_months": _l("Reports every (months)"),
    "resources": _l("Resources"),
    "responsible_governments": _l("Responsible"),
    "result": _l("Result"),
    "review_comment": _l("What it needs"),
    "revision_number": _l("On version"),
    "role": _l("Role"),
    "room": _l("Room"),
    "roundtable_id": _l("Roundtable"),
    "sdg_indicator": _l("SDG indicator"),
    "second_factor_since": _l("Second factor since"),
    "session_id": _l("Session of the programme"),
    "sessions_in_feed": _l("One calendar event per session"),
    "sha256": _l("SHA-256 fingerprint"),
    "size_bytes": _l("Size in bytes"),
    "source": _l("Source"),
    "speakers": _l("Speakers"),
    "starts_at": _l("Starts"),
    "starts_on": _l("Starts"),
    "state": _l("State"),
    "status": _l("Status"),
    "submitted_at": _l("Submitted"),
    "summary": _l("Summary"),
    "summary_es": _l("Summary (Spanish)"),
    "summary_fr": _l("Summary (French)"),
    "summit_city": _l("Summit city"),
    "summit_ends_on": _l("Summit ends"),
    "summit_starts_on": _l("Summit starts"),
    "target_value": _l("Target"),
    "target_year": _l("Target year"),
    "team_id": _l("Government team"),
    "text": _l("Text"),
    "theme": _l("Theme"),
    "theme_es": _l("Theme (Spanish)"),
    "theme_fr": _l("Theme (French)"),
    "themes": _l("Themes"),
    "timezone": _l("Time zone"),
    "title": _l("Title"),
    "title_es": _l("Title (Spanish)"),
    "title_fr": _l("Title (French)"),
    "unit": _l("Unit"),
    "uploaded_at": _l("Uploaded"),
    "uploaded_by_id": _l("Uploaded by"),
    "value": _l("Value"),
    "venue": _l("Venue"),
    "work_plan_id": _l("Work plan"),
    "year": _l("Year"),
}
# Values that say nothing to a reader: the record's own id, the calendar's revision counter.
HIDDEN = frozenset({"id", "sequence", "totp_last_step", "search_text"})
# Lists of ids kept for a relation, and the kind of record they name.
RELATIONS = {
    "agenda": AgendaItem,
    "chairs": Government,
    "co_chairs": Government,
    "countries": Government,
    "partner_governments": Government,
    "partner_organisations": Organisation,
    "partners": Organisation,
    "responsible_governments": Government,
    "themes": Theme,
}
STATUSES = frozenset({"status", "state"})
KIND_FIELDS = frozenset({"kind", "role", "earmark", "access"})
LONG_TEXT = 160

ACTIONS = {"create": _l("Created"), "update": _l("Changed"), "delete": _l("Deleted")}
AGENDA_REORDERED = _l("Agenda reordered")
ACTIVITY = {
    "last_login_at": _l("Signed in"),
    "locale": _l("Changed language"),
    "timezone": _l("Changed time zone"),
    "second_factor_since": _l("Changed the second factor"),
}


@dataclass(frozen=True)
class Change:
    """One field of a record: its label and its value before and after, in words (None: none)."""

    label: str
    old: str | None
    new: str | None


@dataclass
class Entry:
    """One audit event as a person reads it."""

    event: AuditEvent
    who: str
    action: str
    kind: str
    name: str | None = None
    link: tuple[str, dict] | None = None
    changes: list[Change] = field(default_factory=list)
    # Account activity: the record is the person's own account, so who did it goes unsaid.
    own: bool = False

    @property
    def shows_old(self) -> bool:
        """Whether the entry has a before and an after (an update), or one value per field."""
        return self.event.action == "update"


def kind_label(record_type: str) -> str:
    """A kind of record in words; a kind the forum does not know stays as it was stored."""
    label = KINDS.get(record_type)
    return str(label) if label else record_type


def kind_choices(record_types) -> list[tuple[str, str]]:
    """The kinds of record for a filter: (stored value, words), sorted by the words."""
    return sorted(((t, kind_label(t)) for t in record_types), key=lambda c: c[1].casefold())


def _target(record_type: str, key: str):
    """The model an id field points to, from the foreign key of the stored column."""
    if key in RELATIONS:
        return RELATIONS[key]
    model = MODELS.get(record_type)
    if model is None or not key.endswith("_id") or key not in model.__table__.c:
        return None
    for foreign_key in model.__table__.c[key].foreign_keys:
        table = foreign_key.column.table
        for candidate in MODELS.values():
            if candidate.__table__ is table:
                return candidate
    return None


def _wanted(events) -> dict[type, set[int]]:
    """Every id the events name, grouped by the model it belongs to."""
    wanted: dict[type, set[int]] = defaultdict(set)
    for event in events:
        model = MODELS.get(event.record_type)
        if model is not None and event.action != "delete":
            wanted[model].add(event.record_id)
        for values in (event.old_values or {}, event.new_values or {}):
            for key, value in values.items():
                target = _target(event.record_type, key)
                if target is None:
                    continue
                for item in value if isinstance(value, list) else [value]:
                    if isinstance(item, int) and not isinstance(item, bool):
                        wanted[target].add(item)
    return wanted


def _name_queries():
    """What each kind of record is called, as an SQL expression, with the joins it needs."""
    donor = func.coalesce(Government.name, Organisation.acronym, Organisation.name)
    return {
        AgendaItem: (AgendaItem.title, ()),
        BudgetLine: (BudgetLine.name, ()),
        ExchangeRate: (ExchangeRate.currency, ()),
        Chairmanship: (Chairmanship.label, ()),
        Commitment: (Commitment.title, ()),
        Deliverable: (Deliverable.title, ()),
        Government: (Government.name, ()),
        GovernmentTeam: (GovernmentTeam.name, ()),
        Meeting: (Meeting.title, ()),
        Objective: (Objective.code + literal(". ") + Objective.title, ()),
        Offer: (
            func.coalesce(
                literal("RT ") + cast(Roundtable.number, String), GovernmentTeam.name, Offer.theme
            ),
            (
                (Roundtable, Offer.roundtable_id == Roundtable.id),
                (GovernmentTeam, Offer.team_id == GovernmentTeam.id),
            ),
        ),
        Organisation: (func.coalesce(Organisation.acronym, Organisation.name), ()),
        Pledge: (
            donor,
            (
                (Government, Pledge.donor_government_id == Government.id),
                (Organisation, Pledge.donor_organisation_id == Organisation.id),
            ),
        ),
        Practice: (Practice.title, ()),
        Roundtable: (literal("RT ") + cast(Roundtable.number, String), ()),
        Theme: (Theme.name, ()),
        User: (User.name, ()),
        WorkPlan: (WorkPlan.title, ()),
    }


def _names(wanted: dict[type, set[int]]) -> dict[type, dict[int, str]]:
    """The names of the records wanted, in one query whatever their kinds and number (a
    payment or a membership has no name of its own)."""
    expressions = _name_queries()
    parts = []
    for model, ids in sorted(wanted.items(), key=lambda pair: pair[0].__name__):
        if model not in expressions or not ids:
            continue
        name, joins = expressions[model]
        query = select(
            literal(model.__name__, String).label("kind"),
            model.id.label("id"),
            cast(name, String).label("name"),
        ).select_from(model)
        for target, on in joins:
            query = query.outerjoin(target, on)
        parts.append(query.where(model.id.in_(sorted(ids))))
    names: dict[type, dict[int, str]] = defaultdict(dict)
    if not parts:
        return names
    statement = parts[0] if len(parts) == 1 else union_all(*parts)
    for kind, record_id, name in db.session.execute(statement):
        names[MODELS[kind]][record_id] = name
    return names


def _deleted_name(values: dict) -> str | None:
    """A deleted record's name, from its last values."""
    for key in ("title", "name", "label"):
        if values.get(key):
            return str(values[key])
    return None


def _language(code: str) -> str:
    try:
        return Locale.parse(code).get_display_name(formatting.locale()) or code
    except (ValueError, UnknownLocaleError):
        return code


def _instant(value: str) -> str:
    try:
        return formatting.local_time(datetime.fromisoformat(value))
    except ValueError:
        return value


def _day(value: str) -> str:
    try:
        return formatting.day(date.fromisoformat(value))
    except ValueError:
        return value


def _decimal(value) -> str:
    try:
        return formatting.number(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return str(value)


def _words(key: str, value, target, names) -> str | None:
    """A stored value in words; None for an empty one."""
    if value is None or value == "" or value == []:
        return None
    if target is not None:
        known = names.get(target, {})
        items = value if isinstance(value, list) else [value]
        # A record deleted since keeps its kind and number.
        shown = [known.get(item) or f"{kind_label(target.__name__)} {item}" for item in items]
        if key != "agenda":
            # A set of governments reads best in alphabetical order; an agenda keeps its own.
            shown.sort(key=str.casefold)
        return ", ".join(shown)
    if isinstance(value, bool):
        return str(_l("Yes") if value else _l("No"))
    if key in STATUSES:
        return formatting.status(value)
    if key in KIND_FIELDS:
        return formatting.kind(value)
    if key == "locale":
        return _language(str(value))
    if key == "duration_minutes" and isinstance(value, int):
        return formatting.duration(value)
    if key == "percent_complete" and isinstance(value, int | float):
        return formatting.percent(value)
    if isinstance(value, str) and key.endswith("_at"):
        return _instant(value)
    if isinstance(value, str) and (key.endswith("_on") or key == "month"):
        return _day(value)
    if key in {"amount", "opening_balance", "rate", "rate_to_base"}:
        return _decimal(value)
    text = " ".join(str(value).split())
    return text if len(text) <= LONG_TEXT else text[: LONG_TEXT - 1] + "…"


def _label(key: str) -> str:
    label = LABELS.get(key)
    return str(label) if label else key.replace("_", " ").capitalize()


def _changes(event: AuditEvent, names) -> list[Change]:
    """Each changed field of an event, labelled, with its values in words."""
    old, new = event.old_values or {}, event.new_values or {}
    changes = []
    for key in [k for k in dict.fromkeys([*old, *new]) if k not in HIDDEN]:
        if event.record_type == ACCOUNT_ACTIVITY and key == "last_login_at":
            # The entry's time is the sign-in; the one before it adds nothing.
            continue
        target = _target(event.record_type, key)
        before = _words(key, old.get(key), target, names)
        after = _words(key, new.get(key), target, names)
        if event.action == "create" and after is None:
            continue
        if event.action == "delete" and before is None:
            continue
        changes.append(Change(_label(key), before, after))
    return changes


def _action(event: AuditEvent) -> str:
    """What happened, in words."""
    keys = set(event.new_values or {}) | set(event.old_values or {})
    if event.record_type == ACCOUNT_ACTIVITY:
        return "; ".join(str(ACTIVITY.get(key, _label(key))) for key in sorted(keys))
    if event.action == "update" and keys == {"agenda"}:
        return str(AGENDA_REORDERED)
    label = ACTIONS.get(event.action)
    return str(label) if label else event.action


def describe(events) -> list[Entry]:
    """The events in people's words, in the order given."""
    events = list(events)
    names = _names(_wanted(events))
    entries = []
    for event in events:
        model = MODELS.get(event.record_type)
        if event.action == "delete":
            name = _deleted_name(event.old_values or {})
        else:
            name = names.get(model, {}).get(event.record_id) if model else None
        page = PAGES.get(event.record_type)
        link = None
        if page and event.action != "delete" and name is not None:
            link = (page[0], {page[1]: event.record_id})
        who = event.user.name if event.user else event.actor
        own = event.record_type == ACCOUNT_ACTIVITY
        if own and name:
            who = name
        entries.append(
            Entry(
                event=event,
                who=who,
                action=_action(event),
                # A person's own activity names the account; "Account activity" adds nothing.
                kind="" if own else kind_label(event.record_type),
                name=name,
                link=link,
                changes=_changes(event, names),
                own=own,
            )
        )
    return entries
