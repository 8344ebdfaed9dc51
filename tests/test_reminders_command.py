"""`flask send-reminders [--date YYYY-MM-DD]`, run by cron: each focal point gets one digest a day
of their government's overdue and soon-due deliverables, and the command says how many went."""

import logging
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from workplan.models import ReminderLog, utcnow


@pytest.fixture
def owed(make):
    """Two governments with a focal point each and work due around 1 March 2030."""
    day = date(2030, 3, 1)
    philippines = make.government("PHL", "Philippines")
    mexico = make.government("MEX", "Mexico")
    make.user("focal_point", government=philippines, email="pia@example.org")
    make.user("focal_point", government=mexico, email="marco@example.org")
    make.user("focal_point", government=make.government("CHL", "Chile"), email="idle@example.org")
    make.deliverable([philippines], title="Overdue toolkit", due_on=day - timedelta(days=2))
    make.deliverable([mexico], title="Report due soon", due_on=day + timedelta(days=7))
    make.deliverable([mexico], title="Report due later", due_on=day + timedelta(days=60))
    return day


def sent_count(output: str) -> int:
    """The number the command printed on its last line (a progress bar may come before)."""
    last = [line for line in output.splitlines() if line.strip()][-1]
    numbers = re.findall(r"\d+", last)
    assert numbers, output
    return int(numbers[0])


def test_command_sends_each_digest_once_a_day(runner, make, owed, caplog):
    """The first run sends two digests, the second run the same day sends none."""
    with caplog.at_level(logging.INFO):
        first = runner.invoke(args=["send-reminders", "--date", owed.isoformat()])
    assert first.exit_code == 0, first.output
    assert sent_count(first.output) == 2
    assert "pia@example.org" in caplog.text and "marco@example.org" in caplog.text
    assert "idle@example.org" not in caplog.text
    assert "Overdue toolkit" in caplog.text and "Report due soon" in caplog.text
    assert "Report due later" not in caplog.text

    second = runner.invoke(args=["send-reminders", "--date", owed.isoformat()])
    assert second.exit_code == 0, second.output
    assert sent_count(second.output) == 0
    assert make.session.scalar(select(func.count(ReminderLog.id))) == 2

    next_day = runner.invoke(
        args=["send-reminders", "--date", (owed + timedelta(days=1)).isoformat()]
    )
    assert sent_count(next_day.output) == 2


def test_command_defaults_to_today(runner, make):
    """Without --date the command reminds about today."""
    government = make.government("PHL", "Philippines")
    make.user("focal_point", government=government)
    make.deliverable([government], due_on=utcnow().date() + timedelta(days=3))
    result = runner.invoke(args=["send-reminders"])
    assert result.exit_code == 0, result.output
    assert sent_count(result.output) == 1
    logged = make.session.scalar(select(ReminderLog.sent_on))
    # "Today" may be the machine's local day or the UTC day; near midnight they differ.
    assert logged in {date.today(), utcnow().date()}


def test_command_refuses_a_malformed_date(runner, make, owed):
    """A date that is not YYYY-MM-DD is a usage error and sends nothing."""
    result = runner.invoke(args=["send-reminders", "--date", "1 March"])
    assert result.exit_code != 0
    assert make.session.scalar(select(func.count(ReminderLog.id))) == 0


def test_a_government_with_an_overdue_instalment_is_reminded(runner, make, caplog):
    """Chile owes no work but an instalment of its pledge is overdue: its focal point hears."""
    chile = make.government("CHL", "Chile")
    make.user("focal_point", government=chile, email="carla@example.org")
    pledge = make.pledge(donor=chile, amount="3000.00", pledged_on=date(2029, 1, 1))
    make.instalment(pledge, due_on=date(2029, 6, 30), amount="1000.00")
    make.instalment(pledge, due_on=date(2029, 12, 31), amount="1000.00")
    make.payment(pledge, amount="1000.00", received_on=date(2029, 7, 1))
    with caplog.at_level(logging.INFO):
        result = runner.invoke(args=["send-reminders", "--date", "2030-03-01"])
    assert sent_count(result.output) == 1
    assert "carla@example.org" in caplog.text
    assert "1 instalment of Chile overdue" in caplog.text
    assert f"1,000.00 USD due 2029-12-31: http://127.0.0.1:5000/pledges/{pledge.id}" in caplog.text
    assert "due 2029-06-30" not in caplog.text
