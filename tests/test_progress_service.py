"""The rules of progress: coherent updates, a permanent timeline, stale edits refused,
bulk updates all-or-nothing, carry-over linking both ways, reminders sent once a day."""

import functools
import logging
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from workplan import permissions
from workplan.extensions import db
from workplan.models import Deliverable, ProgressUpdate, ReminderLog, User
from workplan.services import DomainError, StaleEdit
from workplan.services.progress import (
    ProgressChange,
    apply_bulk,
    carry_over,
    check_bulk,
    update_progress,
)
from workplan.services.reminders import send_reminders


def _update(app, deliverable_id, user_id, **kw):
    with app.app_context():
        deliverable = db.session.get(Deliverable, deliverable_id)
        user = db.session.get(User, user_id) if user_id else None
        change = ProgressChange(deliverable_id=deliverable_id, **kw)
        update_progress(deliverable, user, change)
        db.session.commit()


def _send(today) -> int:
    """Send a day's reminders as the command does, committing after each one."""
    sent = 0
    for _digest in send_reminders(today, "http://example.org"):
        db.session.commit()
        sent += 1
    return sent


def _timeline(app, deliverable_id):
    with app.app_context():
        return [
            (u.old_status, u.new_status, u.old_percent, u.new_percent, u.comment)
            for u in db.session.scalars(
                select(ProgressUpdate)
                .where(ProgressUpdate.deliverable_id == deliverable_id)
                .order_by(ProgressUpdate.id)
            )
        ]


def test_update_adds_to_the_timeline(app, make):
    """Each update records from what to what, with its comment."""
    deliverable = make.deliverable()
    user = make.user(role="secretariat")
    _update(app, deliverable.id, user.id, status="in_progress", percent=30, comment="Draft out")
    _update(app, deliverable.id, user.id, status="completed", percent=100)
    assert _timeline(app, deliverable.id) == [
        ("planned", "in_progress", 0, 30, "Draft out"),
        ("in_progress", "completed", 30, 100, None),
    ]
    fresh = make.fresh(Deliverable, deliverable.id)
    assert (fresh.status, fresh.percent_complete, fresh.version) == ("completed", 100, 3)


@pytest.mark.parametrize(
    ("status", "percent", "comment", "message"),
    [
        ("completed", 90, "", "100 percent"),
        ("dropped", 10, "", "why the deliverable is dropped"),
        ("in_progress", 101, "", "from 0 to 100"),
        ("in_progress", -1, "", "from 0 to 100"),
        ("carried_over", 10, "", "not a status you can report"),
        ("finished", 10, "", "not a status you can report"),
        ("planned", 0, "", "Nothing changed"),
        ("in_progress", 10, "x" * 2001, "under 2000"),
    ],
)
def test_incoherent_updates_are_refused(app, make, status, percent, comment, message):
    """Completed means 100, dropped needs a comment, and nothing incoherent gets in."""
    deliverable = make.deliverable()
    with pytest.raises(DomainError, match=message):
        _update(app, deliverable.id, None, status=status, percent=percent, comment=comment)
    assert _timeline(app, deliverable.id) == []


def test_stale_version_is_refused(app, make):
    """Two people start from version 1: the second save is refused, not merged silently."""
    deliverable = make.deliverable()
    _update(app, deliverable.id, None, status="in_progress", percent=20, version=1)
    with pytest.raises(StaleEdit) as refused:
        _update(app, deliverable.id, None, status="at_risk", percent=20, version=1)
    with app.app_context():
        assert refused.value.current().percent_complete == 20
    assert len(_timeline(app, deliverable.id)) == 1


def test_bulk_is_all_or_nothing(app, make):
    """One bad row stops the whole bulk update; good rows apply together."""
    government = make.government()
    focal = make.user(role="focal_point", government=government)
    mine = [make.deliverable(responsible=[government]) for _ in range(3)]
    theirs = make.deliverable(responsible=[make.government()])
    with app.app_context():
        user = db.session.get(User, focal.id)
        rows = [ProgressChange(d.id, "in_progress", 50, "", 1) for d in mine]
        rows.append(ProgressChange(theirs.id, "in_progress", 50, "", 1))
        may_update = functools.partial(permissions.can_update_progress, user)
        _, valid = check_bulk(rows, may_update)
        assert not valid
        assert rows[-1].errors == ["Your government is not responsible for this deliverable."]
        with pytest.raises(DomainError):
            apply_bulk(user, rows, may_update)
        db.session.rollback()
        assert db.session.scalar(select(func.count(ProgressUpdate.id))) == 0
        apply_bulk(user, rows[:-1], may_update)
        db.session.commit()
        assert db.session.scalar(select(func.count(ProgressUpdate.id))) == 3


def test_carry_over_links_both_ways(app, make):
    """Open work moves to the next chairmanship; finished work stays; both ends know each other."""
    first = make.chairmanship(starts_on=date(2013, 1, 1), ends_on=date(2014, 6, 30))
    second = make.chairmanship(starts_on=date(2014, 7, 1), ends_on=date(2015, 12, 31))
    government = make.government()
    open_one = make.deliverable(
        chairmanship=first,
        owner=make.team(),
        responsible=[government],
        status="at_risk",
        percent_complete=40,
    )
    done = make.deliverable(
        chairmanship=first, owner=make.team(), status="completed", percent_complete=100
    )
    with app.app_context():
        moved = carry_over(
            db.session.get(type(first), first.id), db.session.get(type(second), second.id), None
        )
        db.session.commit()
        assert len(moved) == 1
        successor = db.session.get(Deliverable, moved[0].id)
        assert successor.predecessor.id == open_one.id
        assert successor.predecessor.successor.id == successor.id
        assert successor.predecessor.status == "carried_over"
        assert (successor.status, successor.percent_complete) == ("at_risk", 40)
        assert [g.id for g in successor.responsible_governments] == [government.id]
        assert db.session.get(Deliverable, done.id).status == "completed"
        with pytest.raises(DomainError):
            carry_over(
                db.session.get(type(second), second.id), db.session.get(type(first), first.id), None
            )


def test_reminders_sent_once_a_day(app, make, caplog):
    """Focal points get a digest of overdue and soon-due work, and never twice on one day."""
    today = date(2030, 3, 1)
    government = make.government(name="Philippines")
    make.user(role="focal_point", government=government, email="fp@example.org")
    make.deliverable(responsible=[government], title="Overdue paper", due_on=today - timedelta(3))
    make.deliverable(responsible=[government], title="Soon paper", due_on=today + timedelta(10))
    make.deliverable(responsible=[government], title="Later paper", due_on=today + timedelta(30))
    make.deliverable(
        responsible=[government],
        title="Finished paper",
        due_on=today,
        status="completed",
        percent_complete=100,
    )
    with app.app_context(), caplog.at_level(logging.INFO):
        assert _send(today) == 1
        assert _send(today) == 0
        assert db.session.scalar(select(func.count(ReminderLog.id))) == 1
    assert caplog.text.count("fp@example.org") == 1
    assert "Overdue paper" in caplog.text and "Soon paper" in caplog.text
    assert "Later paper" not in caplog.text and "Finished paper" not in caplog.text
    with app.app_context():
        assert _send(today + timedelta(days=1)) == 1
