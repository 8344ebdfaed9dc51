"""Commitments: a government registers what it will do, by when, with whom and with what
means; it reports every few months through a form shaped like the progress form, each report
kept on a timeline, a stale report refused; a traffic light says whether the next report is on
time, due or overdue; reminders and a calendar feed carry the deadlines."""

import logging
from datetime import UTC, date, datetime, timedelta

import icalendar
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from tests.helpers import field_error, post_edit, refused_without_writing, text_of
from workplan.models import Commitment, CommitmentReport, utcnow
from workplan.services.commitments import add_months, light, next_report_on

COMMITMENT = {
    "title": "Halve recruitment fees charged to migrant workers",
    "title_es": "Reducir a la mitad las comisiones de contratación",
    "description": "Cap the fees agencies may charge, and inspect them.",
    # Ten years after it is registered, whenever the test runs: registration is today.
    "due_on": (utcnow().date() + timedelta(days=3650)).isoformat(),
    "resources": "Two inspectors and USD 200,000 a year.",
    "report_every_months": "6",
}


@pytest.fixture
def forum(make):
    philippines = make.government("PHL", "Philippines")
    sweden = make.government("SWE", "Sweden")
    return {
        "PHL": philippines,
        "focal": make.user("focal_point", government=philippines, email="pia@example.org"),
        "other_focal": make.user("focal_point", government=sweden),
        "secretariat": make.user("secretariat"),
        "member": make.user("member"),
        "ilo": make.organisation("International Labour Organization", acronym="ILO"),
        "theme": make.theme("Labour mobility"),
    }


def _commitment(make, owner, **kw) -> Commitment:
    kw.setdefault("title", "Consular desks")
    return make.commitment(owner, **kw)


def test_a_focal_point_registers_and_reports_and_the_timeline_keeps_each_report(
    client, make, auth, forum, db_session
):
    auth.login(forum["focal"])
    data = {
        **COMMITMENT,
        "partners": [f"org:{forum['ilo'].id}"],
        "themes": [str(forum["theme"].id)],
    }
    # A focal point commits for their own government, whatever the form says.
    created = client.post("/commitments/new", data={**data, "owner": "gov:SWE"})
    assert created.status_code == 302, text_of(created)[:3000]
    commitment = db_session.scalars(select(Commitment)).one()
    assert commitment.government_id == forum["PHL"].id
    assert [o.acronym for o in commitment.partner_organisations] == ["ILO"]
    assert commitment.report_every_months == 6
    url = f"/commitments/{commitment.id}"

    for status, percent, text in (
        ("on_track", "25", "Fees capped by decree."),
        ("delayed", "40", "Inspections slipped."),
    ):
        version = str(make.fresh(Commitment, commitment.id).version)
        sent = client.post(
            f"{url}/reports",
            data={"status": status, "percent_complete": percent, "text": text, "version": version},
        )
        assert sent.status_code == 302, text_of(sent)[:3000]
    page = text_of(client.get(url))
    assert page.index("Inspections slipped.") < page.index("Fees capped by decree.")
    fresh = make.fresh(Commitment, commitment.id)
    assert (fresh.status, fresh.percent_complete) == ("delayed", 40)

    # A report from the page as it was before the last one is refused, with the newer state.
    stale = client.post(
        f"{url}/reports",
        data={"status": "achieved", "percent_complete": "100", "text": "Done.", "version": "1"},
    )
    assert stale.status_code == 409
    assert "it now stands at 40%" in text_of(stale)
    assert db_session.scalar(select(func.count()).select_from(CommitmentReport)) == 2
    spanish = text_of(client.get(url, headers={"Accept-Language": "es"}))
    assert "<h1>Reducir a la mitad las comisiones de contratación" in spanish


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            {"status": "achieved", "percent_complete": "80"},
            "percent_complete",
            "100 percent complete",
        ),
        ({"text": "  "}, "text", "Say what was done since the last report."),
        ({"percent_complete": "140"}, "percent_complete", "from 0 to 100"),
    ],
)
def test_a_bad_report_is_refused_and_nothing_is_written(
    client, make, auth, forum, change, field, message
):
    commitment = _commitment(make, forum["PHL"])
    auth.login(forum["focal"])
    data = {"status": "on_track", "percent_complete": "50", "text": "Going well.", "version": "1"}
    refused = refused_without_writing(
        client, make, f"/commitments/{commitment.id}/reports", {**data, **change}
    )
    assert message in field_error(refused, field)


def test_only_its_government_and_the_secretariat_report(client, make, auth, forum):
    commitment = _commitment(make, forum["PHL"])
    data = {"status": "on_track", "percent_complete": "50", "text": "Going well.", "version": "1"}
    url = f"/commitments/{commitment.id}/reports"
    auth.login(forum["other_focal"])
    assert client.post(url, data=data).status_code == 403
    assert client.get(f"/commitments/{commitment.id}/edit").status_code == 403
    auth.logout()
    auth.login(forum["member"])
    assert client.post(url, data=data).status_code == 403
    assert client.get("/commitments/new").status_code == 403
    auth.logout()
    # Anyone reads it.
    assert client.get(f"/commitments/{commitment.id}").status_code == 200


def test_the_secretariat_registers_an_organisations_commitment(client, make, auth, forum):
    auth.login(forum["secretariat"])
    sent = client.post("/commitments/new", data={**COMMITMENT, "owner": f"org:{forum['ilo'].id}"})
    assert sent.status_code == 302
    commitment = make.session.scalars(select(Commitment)).one()
    assert (commitment.organisation_id, commitment.government_id) == (forum["ilo"].id, None)
    bad = refused_without_writing(
        client, make, "/commitments/new", {**COMMITMENT, "owner": "gov:XXX"}
    )
    assert "is not a government or an organisation" in field_error(bad, "owner")
    early = refused_without_writing(
        client, make, "/commitments/new", {**COMMITMENT, "owner": "gov:PHL", "due_on": "2001-01-01"}
    )
    assert "cannot come before it was registered" in field_error(early, "due_on")


def test_an_edit_from_a_stale_copy_is_refused(client, make, auth, forum):
    commitment = _commitment(make, forum["PHL"])
    auth.login(forum["focal"])
    url = f"/commitments/{commitment.id}/edit"
    assert post_edit(client, url, {**COMMITMENT, "title": "First"}).status_code == 302
    stale = client.post(url, data={**COMMITMENT, "title": "Second", "version": "1"})
    assert stale.status_code == 409
    assert make.fresh(Commitment, commitment.id).title == "First"


@given(
    day=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
    months=st.sampled_from((3, 6, 12)),
)
def test_adding_months_keeps_the_day_or_the_months_last(day, months):
    later = add_months(day, months)
    assert (later.year * 12 + later.month) - (day.year * 12 + day.month) == months
    assert later.day == day.day or (later.day < day.day and (later + timedelta(days=1)).day == 1)


def test_the_light_turns_from_on_time_to_due_to_overdue():
    commitment = Commitment(
        registered_on=date(2030, 1, 31),
        due_on=date(2035, 1, 1),
        report_every_months=12,
        status="on_track",
    )
    assert next_report_on(commitment, None) == date(2031, 1, 31)
    assert next_report_on(commitment, date(2030, 8, 31)) == date(2031, 8, 31)
    # Never after the commitment itself is due.
    commitment.due_on = date(2030, 6, 30)
    assert next_report_on(commitment, None) == date(2030, 6, 30)
    assert light(date(2030, 6, 30), date(2030, 5, 1)) == "on_time"
    assert light(date(2030, 6, 30), date(2030, 6, 1)) == "due"
    assert light(date(2030, 6, 30), date(2030, 7, 1)) == "overdue"
    # Past its date, still open: reports follow each other a period apart again.
    assert next_report_on(commitment, date(2030, 7, 15)) == date(2031, 7, 15)
    commitment.status = "achieved"
    assert next_report_on(commitment, None) is None and light(None, date(2030, 7, 1)) is None


def test_reminders_and_the_calendar_feed_carry_the_report_deadlines(
    runner, client, make, forum, caplog
):
    overdue = _commitment(
        make, forum["PHL"], title="Consular desks", registered_on=date(2028, 1, 10)
    )
    make._save(
        CommitmentReport(
            commitment_id=overdue.id,
            status="on_track",
            percent_complete=30,
            text="Opened two.",
            created_at=datetime(2029, 1, 20, 9, tzinfo=UTC),
        )
    )
    _commitment(make, forum["PHL"], title="Far off", registered_on=date(2030, 2, 1))
    with caplog.at_level(logging.INFO):
        result = runner.invoke(args=["send-reminders", "--date", "2030-03-01"])
    assert "1" in result.output
    assert "pia@example.org" in caplog.text
    assert "1 commitment report of Philippines due" in caplog.text
    assert (
        f"Consular desks (report due 2030-01-20): http://127.0.0.1:5000/commitments/{overdue.id}"
        in caplog.text
    )
    assert "Far off" not in caplog.text

    feed = client.get("/commitments/deadlines/PHL.ics")
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    events = icalendar.Calendar.from_ical(feed.data).walk("VEVENT")
    summaries = sorted(str(e["SUMMARY"]) for e in events)
    assert summaries == ["Report due: Consular desks", "Report due: Far off"]
    assert client.get("/commitments/deadlines/XXX.ics").status_code == 404
