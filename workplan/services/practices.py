"""The good-practice library's rules: a practice is written, submitted for review, published
or returned with a comment; published ones are searched and filtered; governments record
that they took one up.

A focal point writes for their government and may change a practice while it is a draft or
returned to them; the secretariat reviews, and may correct any practice. The texts every
language gives are folded into one search text (see practice_search) whenever they change.
"""

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import Select, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from workplan import countries
from workplan.extensions import db
from workplan.formatting import party_name
from workplan.models import (
    SDG_TARGETS,
    Deliverable,
    Government,
    Meeting,
    Organisation,
    Practice,
    PracticeAdoption,
    PracticeTarget,
    Roundtable,
    Theme,
    utcnow,
)
from workplan.numbers import record_id
from workplan.services import DomainError, check_version, flush_or_stale, records, themes
from workplan.services.checks import (
    is_http_url,
    limited,
    plausible_year,
    required,
    translations,
)
from workplan.services.parties import find_governments, find_parties
from workplan.services.practice_search import fold, matches

TITLE_LIMIT = 300
SUMMARY_LIMIT = 10_000
COMMENT_LIMIT = 2000
RESULT_LIMIT = 2000
MAX_LINKS = 10
# Practices are recorded from the forum's first years; earlier ones are welcome too.
FIRST_YEAR = 1990
# Where a practice may say it came from, as a form names it: "roundtable:5".
ORIGINS = {"roundtable": Roundtable, "meeting": Meeting, "deliverable": Deliverable}


@dataclass
class PracticeDetails:
    """What its authors type about a practice."""

    title: str
    summary: str
    year: int | None
    title_fr: str | None = None
    title_es: str | None = None
    summary_fr: str | None = None
    summary_es: str | None = None
    countries: list[str] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)
    themes: list[int] = field(default_factory=list)
    sdg_targets: list[str] = field(default_factory=list)
    origin: str | None = None
    links: str | None = None


def origin_key(practice: Practice) -> str:
    """Where a practice came from, as its form names it ("roundtable:5"), or ""."""
    origin = practice.origin
    return f"{type(origin).__name__.lower()}:{origin.id}" if origin is not None else ""


def _origin(key: str | None, current: Practice | None) -> dict:
    columns = {f"{name}_id": None for name in ORIGINS}
    if not key:
        return columns
    kind, _colon, ident = key.partition(":")
    if current is not None and key == origin_key(current):
        # Unchanged: kept even if that meeting or deliverable was archived since.
        columns[f"{kind}_id"] = current.origin.id
        return columns
    model = ORIGINS.get(kind)
    record = db.session.get(model, record_id(ident)) if model and record_id(ident) else None
    if record is None or record.archived_at is not None:
        raise DomainError(
            _("Choose a roundtable, meeting or deliverable on record, or none."), "origin"
        )
    if isinstance(record, Meeting) and not record.is_public:
        raise DomainError(_("Choose a meeting that is published."), "origin")
    columns[f"{kind}_id"] = record.id
    return columns


def _links(typed: str | None) -> str | None:
    lines = [line.strip() for line in (typed or "").splitlines() if line.strip()]
    if len(lines) > MAX_LINKS:
        raise DomainError(_("Give at most %(count)s links.", count=MAX_LINKS), "links")
    for line in lines:
        if len(line) > 500 or not is_http_url(line):
            raise DomainError(
                _(
                    "“%(value)s” is not a web address: write one a line, starting with "
                    "http:// or https://.",
                    value=line[:60],
                ),
                "links",
            )
    return "\n".join(lines) or None


def _partners(keys: list[str]) -> list[Organisation]:
    partners = find_parties(keys, "partners")
    if any(not isinstance(partner, Organisation) for partner in partners):
        raise DomainError(
            _("Partners are organisations; name the countries under “Countries”."), "partners"
        )
    return partners


def checked(details: PracticeDetails, current: Practice | None = None) -> dict:
    """Check what was typed about a practice; the values to store."""
    targets = list(dict.fromkeys(details.sdg_targets))
    if any(target not in SDG_TARGETS for target in targets):
        raise DomainError(_("Choose SDG targets from the list."), "sdg_targets")
    return {
        "title": required(details.title, _("Give the practice a title."), "title", TITLE_LIMIT),
        "summary": required(
            details.summary, _("Say in a few lines what was done."), "summary", SUMMARY_LIMIT
        ),
        **translations(
            {
                "title_fr": details.title_fr,
                "title_es": details.title_es,
                "summary_fr": details.summary_fr,
                "summary_es": details.summary_es,
            },
            {"title": TITLE_LIMIT, "summary": SUMMARY_LIMIT},
        ),
        "year": plausible_year(details.year, "year", first=FIRST_YEAR),
        "countries": find_governments(
            details.countries, "countries", _("Countries are governments on record.")
        ),
        "partners": _partners(details.partners),
        "themes": themes.chosen(details.themes, current.themes if current else ()),
        "targets": targets,
        **_origin(details.origin, current),
        "links": _links(details.links),
    }


def search_text(practice: Practice) -> str:
    """Everything a search may find a practice by, in every language, folded. Themes are not
    in it: they are a filter, and a theme renamed later would leave the text stale."""
    parts = [practice.title, practice.title_fr, practice.title_es]
    parts += [practice.summary, practice.summary_fr, practice.summary_es]
    for country in practice.countries:
        parts += [country.name, country.iso3]
        parts += [countries.local_name(country.iso3, country.name, lang) for lang in ("fr", "es")]
    for partner in practice.partners:
        parts += [partner.name, partner.acronym]
    return fold(" ".join(part for part in parts if part))


def _store(practice: Practice, values: dict) -> None:
    targets = values.pop("targets")
    for key, value in values.items():
        setattr(practice, key, value)
    kept = {t.target: t for t in practice.sdg_targets}
    practice.sdg_targets = [kept.get(code) or PracticeTarget(target=code) for code in targets]
    practice.search_text = search_text(practice)


def create(details: PracticeDetails, user, government_id: int | None) -> Practice:
    """A new practice, as a draft of the government its author writes for (None: the
    secretariat's own)."""
    values = checked(details)
    practice = Practice(state="draft", author_id=user.id, government_id=government_id)
    _store(practice, values)
    db.session.add(practice)
    db.session.flush()
    return practice


def update(practice: Practice, details: PracticeDetails, version: int | None) -> None:
    """Change a practice from the version its editor saw."""
    check_version(practice, version)
    if practice.archived_at is not None:
        raise DomainError(_("Restore this practice before changing it."))
    _store(practice, checked(details, practice))
    practice.updated_at = utcnow()
    flush_or_stale(practice)


def _moved(practice: Practice, version: int | None, allowed: tuple[str, ...], refusal: str):
    check_version(practice, version)
    if practice.archived_at is not None:
        raise DomainError(_("Restore this practice before changing it."))
    if practice.state not in allowed:
        raise DomainError(refusal)


def submit(practice: Practice, version: int | None) -> None:
    """Send a draft (or a returned practice, once changed) to the secretariat for review."""
    _moved(
        practice,
        version,
        ("draft", "returned"),
        _("This practice is already with the secretariat."),
    )
    practice.state = "submitted"
    practice.submitted_at = utcnow()
    flush_or_stale(practice)


def publishable(practice: Practice) -> bool:
    """Whether a practice may be published: once its authors submitted it, or at once when the
    secretariat wrote it down itself."""
    return practice.state == "submitted" or (
        practice.state == "draft" and practice.government_id is None
    )


def publish(practice: Practice, version: int | None) -> None:
    """Make a submitted practice public, in the library."""
    _moved(
        practice,
        version,
        ("draft", "submitted", "returned", "published"),
        _("This practice is already published."),
    )
    if practice.state == "published":
        raise DomainError(_("This practice is already published."))
    if not publishable(practice):
        raise DomainError(
            _("Its authors have not submitted this practice: it is published once they do.")
        )
    practice.state = "published"
    practice.published_at = utcnow()
    practice.review_comment = None
    flush_or_stale(practice)


def return_to_authors(practice: Practice, version: int | None, comment: str | None) -> None:
    """Send a submitted practice back to its authors, saying what it needs."""
    comment = required(
        comment, _("Say what the practice needs before it can be published."), "comment", 2000
    )
    _moved(
        practice,
        version,
        ("submitted", "published"),
        _("Only a practice submitted for review, or published, can be returned."),
    )
    practice.state = "returned"
    practice.review_comment = comment
    practice.published_at = None
    flush_or_stale(practice)


archive, restore = records.archive, records.restore


def adopt(
    practice: Practice, government: Government, year: int | None, result: str | None, user
) -> PracticeAdoption:
    """Record that a government took a published practice up, when, and with what result."""
    if practice.state != "published" or practice.archived_at is not None:
        raise DomainError(_("Only a published practice can be taken up."))
    adoption = PracticeAdoption(
        practice_id=practice.id,
        government_id=government.id,
        year=plausible_year(year, "year", first=FIRST_YEAR),
        result=limited(result, "result", RESULT_LIMIT),
        recorded_by_id=user.id,
    )
    try:
        with db.session.begin_nested():
            db.session.add(adoption)
    except IntegrityError as error:
        raise DomainError(
            _(
                "%(government)s has already said it took this practice up.",
                government=party_name(government),
            ),
            "government",
        ) from error
    return adoption


# What the pages read


@dataclass(frozen=True)
class PracticeFilters:
    """What the library is narrowed to: words, a theme, a country, an SDG target, a year, a
    region, and (for those who see more than the published library) a state."""

    text: str = ""
    theme: int | None = None
    country: str | None = None
    target: str | None = None
    year: int | None = None
    region: str | None = None
    state: str | None = None
    sort: str = "relevance"
    archived: bool = False

    @property
    def narrowed(self) -> bool:
        return bool(
            self.text
            or self.theme
            or self.country
            or self.target
            or self.year
            or self.region
            or self.state
            or self.archived
        )


def _visible(secretariat: bool, government_id: int | None):
    """The practices a reader may find in the library: published ones; their own government's
    in any state for a focal point; every one for the secretariat."""
    if secretariat:
        return None
    published = Practice.state == "published"
    if government_id is None:
        return published
    return or_(published, Practice.government_id == government_id)


def listing(filters: PracticeFilters, *, secretariat: bool, government_id: int | None) -> Select:
    """The practices that match, the best match first when words were typed, else the latest;
    of those the reader may find (see `_visible`)."""
    query = select(Practice).where(records.listed(Practice, filters.archived))
    visible = _visible(secretariat, government_id)
    if visible is not None:
        query = query.where(visible)
    if filters.state:
        query = query.where(Practice.state == filters.state)
    if filters.theme:
        query = query.where(Practice.themes.any(Theme.id == filters.theme))
    if filters.country:
        query = query.where(Practice.countries.any(Government.iso3 == filters.country))
    if filters.region:
        in_region = countries.in_region(filters.region)
        query = query.where(Practice.countries.any(Government.iso3.in_(in_region)))
    if filters.target:
        query = query.where(Practice.sdg_targets.any(PracticeTarget.target == filters.target))
    if filters.year:
        query = query.where(Practice.year == filters.year)
    matched = matches(filters.text) if filters.text else None
    if matched is not None:
        query = query.join(matched, matched.c.id == Practice.id)
        if filters.sort == "relevance":
            query = query.order_by(matched.c.score, Practice.id.desc())
    elif filters.text:
        # Only punctuation was typed: nothing can match it.
        query = query.where(Practice.id.is_(None))
    if filters.sort == "title":
        query = query.order_by(Practice.title, Practice.id)
    elif filters.sort == "year" or matched is None:
        query = query.order_by(Practice.year.desc(), Practice.id.desc())
    return query.options(selectinload(Practice.countries), selectinload(Practice.themes))


def years() -> list[int]:
    """The years published practices began in, latest first."""
    return list(
        db.session.scalars(
            select(Practice.year)
            .where(Practice.state == "published", Practice.archived_at.is_(None))
            .distinct()
            .order_by(Practice.year.desc())
        ).all()
    )


def origins() -> list[tuple[str, str, str]]:
    """Where a practice may come from, as (key, words, group): roundtables and published
    meetings, latest first."""
    found = []
    for roundtable in db.session.scalars(
        select(Roundtable)
        .where(Roundtable.archived_at.is_(None))
        .options(selectinload(Roundtable.chairmanship))
        .order_by(Roundtable.id.desc())
    ):
        found.append(
            (
                f"roundtable:{roundtable.id}",
                f"{roundtable.code}: {roundtable.title}",
                roundtable.chairmanship.label,
            )
        )
    for meeting in db.session.scalars(
        select(Meeting)
        .where(Meeting.archived_at.is_(None), Meeting.state != "draft")
        .order_by(Meeting.starts_at.desc())
    ):
        found.append((f"meeting:{meeting.id}", meeting.title, "meeting"))
    return found


def adoptions_by_government(government: Government) -> list[PracticeAdoption]:
    """The practices a government took up, latest first."""
    return list(
        db.session.scalars(
            select(PracticeAdoption)
            .where(PracticeAdoption.government_id == government.id)
            .options(selectinload(PracticeAdoption.practice))
            .order_by(PracticeAdoption.year.desc())
        ).all()
    )
