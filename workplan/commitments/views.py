"""The commitments pages: the public list by theme, government and status; a commitment's page
with its reports and traffic light; registering, changing and reporting; and each government's
report deadlines as a calendar feed."""

from datetime import timedelta

from flask import Blueprint, Response, abort, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from icalendar import Calendar, Event

from workplan import editing, formatting, permissions, web
from workplan.addresses import external_url
from workplan.commitments.forms import CommitmentForm, ReportForm
from workplan.extensions import db
from workplan.formatting import lazy_gettext as _l
from workplan.models import COMMITMENT_STATUSES, Commitment, Government, utcnow
from workplan.services import commitments, parties, themes

bp = Blueprint("commitments", __name__, url_prefix="/commitments")

SORTS = {"due": _l("Due first"), "title": _l("Title"), "latest": _l("Latest first")}
SAID = {
    editing.CREATED: _l("The commitment is registered."),
    editing.SAVED: _l("The commitment is saved."),
    editing.ARCHIVED: _l("The commitment is archived. Find it under “Archived” to restore it."),
    editing.RESTORED: _l("The commitment is restored."),
}


@bp.get("/")
def index():
    """Commitments of governments and organisations, by theme, government and status."""
    # Read once: the filter's choices, and what a chosen government is checked against.
    governments = parties.governments(formatting.locale())
    filters = web.list_filters(
        commitments.CommitmentFilters,
        SORTS,
        theme=web.query_int("theme"),
        government=web.query_choice("government", [g.iso3 for g in governments]),
        status=web.query_choice("status", COMMITMENT_STATUSES),
    )
    page = web.paginate(commitments.listing(filters), per_page=25)
    return render_template(
        "commitments/index.html",
        page=page,
        standings=commitments.standings(page.items, utcnow().date()),
        filters=filters,
        sorts=SORTS,
        themes=themes.live(),
        governments=governments,
        statuses=COMMITMENT_STATUSES,
    )


def _commitment(commitment_id: int) -> Commitment:
    return web.shown_or_404(Commitment, commitment_id)


def _page(commitment: Commitment, *, report_form=None, refusal=None, newer=None, status=200):
    """A commitment: what, by when, with whom; its reports and when the next one is due."""
    [standing] = commitments.standings([commitment], utcnow().date())
    reporter = permissions.can_report_on_commitment(current_user, commitment)
    if reporter and report_form is None and not commitment.is_closed:
        report_form = ReportForm(
            formdata=None,
            status=commitment.status,
            percent_complete=commitment.percent_complete,
            version=commitment.version,
        )
    page = render_template(
        "commitments/detail.html",
        commitment=commitment,
        standing=standing,
        report_form=report_form if reporter else None,
        refusal=refusal,
        newer=newer,
    )
    return page, status


def detail(commitment_id: int):
    """A commitment: what, by when, with whom; its reports and when the next one is due."""
    return _page(_commitment(commitment_id))


bp.add_url_rule("/<int:commitment_id>", "detail", detail)


@bp.route("/new", methods=["GET", "POST"])
@web.require(permissions.can_register_commitments)
def create():
    """Register a commitment."""
    form = CommitmentForm.for_new()
    return editing.save(
        form,
        lambda: commitments.create(form.details(), current_user),
        page=editing.form_page("commitments/form.html", commitment=None),
        done=lambda c: str(SAID[editing.CREATED]),
        then=lambda c: url_for(".detail", commitment_id=c.id),
    )


@bp.route("/<int:commitment_id>/edit", methods=["GET", "POST"])
def edit(commitment_id: int):
    """Change a commitment."""
    web.authorize(permissions.can_read_private)
    commitment = _commitment(commitment_id)
    web.authorize(permissions.can_report_on_commitment, commitment)
    form = CommitmentForm.for_record(commitment)
    return editing.save_edit(
        form,
        commitment,
        lambda record, details, version: commitments.update(record, details, version, current_user),
        page=editing.form_page("commitments/form.html", commitment=commitment),
        done=lambda c: str(SAID[editing.SAVED]),
        then=lambda c: url_for(".detail", commitment_id=c.id),
    )


@bp.post("/<int:commitment_id>/reports")
def report(commitment_id: int):
    """Report on a commitment: where it stands, how far it has come, what was done."""
    web.authorize(permissions.can_read_private)
    commitment = _commitment(commitment_id)
    web.authorize(permissions.can_report_on_commitment, commitment)
    form = ReportForm()

    def change():
        commitments.report(
            commitment,
            current_user,
            form.status.data,
            form.percent_complete.data,
            form.text.data,
            form.version.data,
        )
        return commitment

    def page(form, status, newer=None):
        # After a refusal the commitment reads as the database holds it.
        shown = newer.record if newer else db.session.get(Commitment, commitment_id)
        return _page(shown, report_form=form, newer=newer, status=status)

    return editing.save(
        form,
        change,
        page=page,
        done=lambda saved: _("Your report is on the commitment's timeline."),
        then=lambda saved: url_for(".detail", commitment_id=saved.id, _anchor="reports"),
    )


def _changes_state(change, said: str):
    def view(commitment_id: int):
        commitment = web.get_or_404(Commitment, commitment_id, include_archived=True)
        return editing.commit_or_refuse(
            lambda: change(commitment),
            refused=lambda message: _page(commitment, refusal=message, status=409),
            done=str(said),
            then=url_for(".detail", commitment_id=commitment.id),
        )

    return web.require(permissions.is_secretariat)(view)


bp.add_url_rule(
    "/<int:commitment_id>/archive",
    "archive",
    _changes_state(commitments.archive, SAID[editing.ARCHIVED]),
    methods=["POST"],
)
bp.add_url_rule(
    "/<int:commitment_id>/restore",
    "restore",
    _changes_state(commitments.restore, SAID[editing.RESTORED]),
    methods=["POST"],
)


@bp.get("/deadlines/<iso3>.ics")
def deadlines(iso3: str):
    """A government's commitment report deadlines, as a calendar its focal points subscribe to."""
    government = db.session.scalar(
        db.select(Government).where(
            Government.iso3 == iso3.upper(), Government.archived_at.is_(None)
        )
    )
    if government is None:
        abort(404)
    calendar = Calendar()
    calendar.add("prodid", "-//GFMD work plan//commitment deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add(
        "x-wr-calname",
        _("GFMD: report deadlines of %(government)s", government=formatting.party_name(government)),
    )
    stamp = utcnow()
    for standing in commitments.open_of_government(government.id, stamp.date()):
        c = standing.commitment
        event = Event()
        event.add(
            "uid", f"commitment-{c.id}-report-{standing.next_report_on.isoformat()}@gfmd-workplan"
        )
        event.add("dtstamp", stamp)
        event.add("dtstart", standing.next_report_on)
        event.add("dtend", standing.next_report_on + timedelta(days=1))
        event.add("summary", _("Report due: %(title)s", title=formatting.shown(c, "title")))
        # On the public address, as every feed's links are (see workplan.addresses).
        page = external_url("commitments.detail", commitment_id=c.id)
        event.add("url", page)
        event.add("description", page)
        calendar.add_component(event)
    response = Response(calendar.to_ical(), mimetype="text/calendar")
    response.headers["Content-Disposition"] = (
        f'inline; filename="gfmd-commitments-{government.iso3}.ics"'
    )
    return response
