"""Every create, update and delete of a domain record leaves an audit event in its transaction."""

from datetime import date

from sqlalchemy import select

from workplan.audit import acting_as
from workplan.models import AuditEvent, Chairmanship, Deliverable, User


def events(session, record_type=None):
    session.expire_all()
    query = select(AuditEvent).order_by(AuditEvent.id)
    if record_type:
        query = query.where(AuditEvent.record_type == record_type)
    return session.scalars(query).all()


def test_create_records_new_values(app, make, db_session):
    """Creating a record writes who made it and every value it was made with."""
    with acting_as("unit test"):
        government = make.government(iso3="SWE", name="Sweden")
    [event] = events(db_session, "Government")
    assert (event.action, event.record_id, event.actor) == ("create", government.id, "unit test")
    assert event.old_values is None
    assert event.new_values["iso3"] == "SWE" and event.new_values["name"] == "Sweden"


def test_update_records_old_and_new(make, db_session):
    """An update records only what changed, before and after."""
    deliverable = make.deliverable(title="Background paper")
    record = db_session.get(Deliverable, deliverable.id)
    record.status, record.percent_complete = "in_progress", 40
    db_session.commit()
    event = events(db_session, "Deliverable")[-1]
    assert event.action == "update"
    assert event.old_values == {"status": "planned", "percent_complete": 0}
    assert event.new_values == {"status": "in_progress", "percent_complete": 40}


def test_update_of_unloaded_value_still_knows_the_old_one(make, db_session):
    """Even when the old value was never loaded, the event says what it was."""
    chairmanship = make.chairmanship(
        label="GFMD 2016", starts_on=date(2016, 1, 1), ends_on=date(2016, 12, 31)
    )
    db_session.expire_all()
    record = db_session.get(Chairmanship, chairmanship.id)
    db_session.expire(record, ["ends_on"])
    record.ends_on = date(2017, 6, 30)
    db_session.commit()
    event = events(db_session, "Chairmanship")[-1]
    assert event.old_values == {"ends_on": "2016-12-31"}
    assert event.new_values == {"ends_on": "2017-06-30"}


def test_relation_changes_are_recorded(make, db_session):
    """Changing a chairmanship's chairs is an update with the lists of government ids."""
    sweden, turkey = make.government(iso3="SWE"), make.government(iso3="TUR")
    chairmanship = make.chairmanship(chairs=[sweden])
    record = db_session.get(Chairmanship, chairmanship.id)
    record.chairs.append(db_session.merge(turkey))
    db_session.commit()
    event = events(db_session, "Chairmanship")[-1]
    assert event.old_values == {"chairs": [sweden.id]}
    assert event.new_values == {"chairs": sorted([sweden.id, turkey.id])}


def test_delete_records_old_values(make, db_session):
    """Deleting keeps the last values in the log."""
    organisation = make.organisation(name="IOM")
    db_session.delete(db_session.get(type(organisation), organisation.id))
    db_session.commit()
    event = events(db_session, "Organisation")[-1]
    assert event.action == "delete" and event.old_values["name"] == "IOM"


def test_rolled_back_change_leaves_no_event(make, db_session):
    """The event is in the same transaction: a rollback takes it away too."""
    before = len(events(db_session))
    db_session.add(
        Chairmanship(label="Never", starts_on=date(2020, 1, 1), ends_on=date(2020, 2, 1))
    )
    db_session.flush()
    assert len(db_session.scalars(select(AuditEvent)).all()) == before + 1
    db_session.rollback()
    assert len(events(db_session)) == before


def test_secrets_never_enter_the_log(make, db_session):
    """Password hashes and second-factor secrets are left out of audit values."""
    make.user(email="someone@example.org")
    event = events(db_session, "User")[-1]
    assert "password_hash" not in event.new_values and "totp_secret" not in event.new_values
    assert event.new_values["email"] == "someone@example.org"


def test_changes_through_the_web_name_the_user(client, make, auth, db_session):
    """A change made through a page is attributed to the person logged in."""
    admin = make.user(role="secretariat", email="admin@example.org")
    target = make.user(email="target@example.org")
    auth.login(admin)
    client.post(f"/admin/users/{target.id}/deactivate")
    event = events(db_session, "User")[-1]
    assert event.user_id == admin.id and event.actor == "admin@example.org"
    assert event.old_values == {"active": True} and event.new_values == {"active": False}
    page = client.get("/admin/audit?type=User").get_data(as_text=True)
    assert f'User <a href="/admin/users/{target.id}">{target.name}</a>' in page
    assert "Can sign in:" in page


def test_audit_filters(client, make, auth):
    """The audit log filters by record type and date, and refuses a malformed date."""
    sweden = make.government(iso3="SWE")
    auth.login(make.user(role="secretariat"))
    created = f'Government <a href="/governments/{sweden.id}">'
    assert created in client.get("/admin/audit?type=Government").get_data(True)
    assert created not in client.get("/admin/audit?type=User").get_data(True)
    assert created not in client.get("/admin/audit?from=2999-01-01").get_data(True)
    assert client.get("/admin/audit?from=yesterday").status_code == 400


def test_user_is_audited_once_per_flush(make, db_session):
    """One change, one event."""
    user = make.user()
    record = db_session.get(User, user.id)
    record.name = "Renamed"
    db_session.commit()
    updates = [e for e in events(db_session, "User") if e.action == "update"]
    assert len(updates) == 1
