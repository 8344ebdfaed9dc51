"""Every role against every route that changes a deliverable: who may, who is sent to log in,
who is refused with 403, and that a refusal leaves the database exactly as it was."""

import csv
import io
from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import func, select

from workplan.deliverables.bulk import TEMPLATE_COLUMNS
from workplan.models import Deliverable, ProgressUpdate, utcnow

ROLES = ("anonymous", "member", "focal_a", "focal_b", "secretariat")


@dataclass
class World:
    """Government A with a deliverable, government B, two chairmanships, a user per role."""

    a: object
    b: object
    first: object
    second: object
    roundtable: object
    deliverable: object
    archived: object
    users: dict


@pytest.fixture
def world(make) -> World:
    a = make.government("SWE", "Sweden")
    b = make.government("TUR", "Turkey")
    first = make.chairmanship(
        "GFMD 2013-2014", starts_on=date(2013, 1, 1), ends_on=date(2014, 6, 30)
    )
    second = make.chairmanship(
        "GFMD 2014-2015", starts_on=date(2014, 7, 1), ends_on=date(2015, 12, 31)
    )
    roundtable = make.roundtable(first, number="1.1")
    deliverable = make.deliverable([a], owner=roundtable, title="Swedish paper")
    archived = make.deliverable([a], owner=roundtable, title="Archived paper", archived_at=utcnow())
    users = {
        "member": make.user("member"),
        "focal_a": make.user("focal_point", government=a),
        "focal_b": make.user("focal_point", government=b),
        "secretariat": make.user("secretariat"),
    }
    return World(a, b, first, second, roundtable, deliverable, archived, users)


def snapshot(make) -> tuple:
    """Everything a deliverable route could change."""
    make.session.expire_all()
    deliverables = make.session.execute(
        select(
            Deliverable.id,
            Deliverable.title,
            Deliverable.status,
            Deliverable.percent_complete,
            Deliverable.version,
            Deliverable.archived_at,
            Deliverable.chairmanship_id,
            Deliverable.due_on,
        ).order_by(Deliverable.id)
    ).all()
    updates = make.session.scalar(select(func.count(ProgressUpdate.id)))
    return tuple(deliverables), updates


def _csv(w: World) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(TEMPLATE_COLUMNS)
    writer.writerow([w.deliverable.id, "Swedish paper", "", "planned", 0, 1, "at_risk", 20, "x"])
    return out.getvalue().encode()


def _bulk_row(w: World) -> dict:
    return {
        "rows-0-deliverable_id": str(w.deliverable.id),
        "rows-0-version": "1",
        "rows-0-status": "at_risk",
        "rows-0-percent_complete": "20",
        "rows-0-comment": "Late",
    }


def _deliverable_form(w: World) -> dict:
    return {
        "title": "Retitled",
        "chairmanship": str(w.first.id),
        "owner": f"roundtable:{w.roundtable.id}",
        "responsible_governments": [str(w.a.id)],
        "due_on": "2014-05-01",
        "version": "1",
    }


# Each route: (method, url, request keyword arguments) and the status for each role when
# allowed. Roles not listed are refused with 403 (anonymous visitors are sent to log in).
ROUTES = {
    "progress": (
        lambda w: (
            "post",
            f"/deliverables/{w.deliverable.id}/progress",
            {
                "data": {
                    "status": "at_risk",
                    "percent_complete": "20",
                    "comment": "x",
                    "version": "1",
                }
            },
        ),
        {"focal_a": 302, "secretariat": 302},
    ),
    "bulk form": (
        lambda w: ("get", f"/deliverables/bulk?government={w.a.id}", {}),
        {"focal_a": 200, "secretariat": 200},
    ),
    "bulk template": (
        lambda w: ("get", f"/deliverables/bulk/template.csv?government={w.a.id}", {}),
        {"focal_a": 200, "secretariat": 200},
    ),
    "bulk preview": (
        lambda w: ("post", f"/deliverables/bulk?government={w.a.id}", {"data": _bulk_row(w)}),
        {"focal_a": 200, "secretariat": 200},
    ),
    "bulk preview of A's row from B's own page": (
        lambda w: ("post", "/deliverables/bulk", {"data": _bulk_row(w)}),
        {"focal_a": 200, "secretariat": 200},
    ),
    "bulk CSV preview": (
        lambda w: (
            "post",
            "/deliverables/bulk/upload",
            {
                "data": {"file": (io.BytesIO(_csv(w)), "progress.csv")},
                "content_type": "multipart/form-data",
            },
        ),
        {"focal_a": 200, "secretariat": 200},
    ),
    "bulk confirm": (
        lambda w: ("post", "/deliverables/bulk/confirm", {"data": _bulk_row(w)}),
        {"focal_a": 302, "secretariat": 302},
    ),
    "create form": (lambda w: ("get", "/deliverables/new", {}), {"secretariat": 200}),
    "create": (
        lambda w: ("post", "/deliverables/new", {"data": _deliverable_form(w)}),
        {"secretariat": 302},
    ),
    "edit form": (
        lambda w: ("get", f"/deliverables/{w.deliverable.id}/edit", {}),
        {"secretariat": 200},
    ),
    "edit": (
        lambda w: (
            "post",
            f"/deliverables/{w.deliverable.id}/edit",
            {"data": _deliverable_form(w)},
        ),
        {"secretariat": 302},
    ),
    "archive": (
        lambda w: ("post", f"/deliverables/{w.deliverable.id}/archive", {}),
        {"secretariat": 302},
    ),
    "restore": (
        lambda w: ("post", f"/deliverables/{w.archived.id}/restore", {}),
        {"secretariat": 302},
    ),
    "carry-over page": (
        lambda w: ("get", f"/deliverables/carry-over?chairmanship={w.first.id}", {}),
        {"secretariat": 200},
    ),
    "carry-over": (
        lambda w: (
            "post",
            "/deliverables/carry-over",
            {"data": {"chairmanship": str(w.first.id), "successor": str(w.second.id)}},
        ),
        {"secretariat": 302},
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", list(ROUTES))
def test_every_role_against_every_route(client, auth, make, world, route, role):
    """Allowed roles get their answer; others 403 (or the login page) and nothing changes."""
    prepare, allowed = ROUTES[route]
    if role != "anonymous":
        auth.login(world.users[role])
    method, url, kwargs = prepare(world)
    before = snapshot(make)
    response = getattr(client, method)(url, **kwargs)
    if role == "anonymous":
        assert response.status_code == 302
        assert response.location.startswith("/auth/login")
        assert snapshot(make) == before
    elif role in allowed:
        assert response.status_code == allowed[role], response.get_data(as_text=True)[-1500:]
        if method == "post" and allowed[role] == 302:
            assert snapshot(make) != before
    else:
        assert response.status_code == 403, response.get_data(as_text=True)[-1500:]
        assert snapshot(make) == before


def test_focal_point_of_b_sees_no_controls_on_a_deliverable(client, auth, world):
    """No progress form, no Save progress button, no edit, archive or update links."""
    auth.login(world.users["focal_b"])
    page = client.get(f"/deliverables/{world.deliverable.id}").get_data(as_text=True)
    assert "Swedish paper" in page
    assert "Save progress" not in page
    assert f"/deliverables/{world.deliverable.id}/progress" not in page
    assert 'name="status"' not in page and 'name="percent_complete"' not in page
    assert "/edit" not in page and "/archive" not in page
    government = client.get(f"/governments/{world.a.id}").get_data(as_text=True)
    assert "Swedish paper" in government
    assert "#progress" not in government and "/deliverables/bulk" not in government


def test_focal_point_of_a_sees_the_form_on_their_deliverable(client, auth, world):
    """The same page shows the form to whoever may use it."""
    auth.login(world.users["focal_a"])
    page = client.get(f"/deliverables/{world.deliverable.id}").get_data(as_text=True)
    assert "Save progress" in page
    assert "/edit" not in page and "/archive" not in page


def test_focal_point_of_b_cannot_use_a_template_of_a(client, auth, make, world):
    """A CSV listing A's deliverable is refused row by row for B's focal point: 403."""
    auth.login(world.users["focal_b"])
    before = snapshot(make)
    response = client.post(
        f"/deliverables/bulk/upload?government={world.b.id}",
        data={"file": (io.BytesIO(_csv(world)), "progress.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 403
    assert "Your government is not responsible for this deliverable." in response.get_data(
        as_text=True
    )
    assert snapshot(make) == before


def test_deactivated_focal_point_is_sent_to_log_in(client, auth, make, world):
    """An account switched off mid-session can change nothing."""
    auth.login(world.users["focal_a"])
    user = make.session.get(type(world.users["focal_a"]), world.users["focal_a"].id)
    user.active = False
    make.session.commit()
    before = snapshot(make)
    response = client.post(
        f"/deliverables/{world.deliverable.id}/progress",
        data={"status": "at_risk", "percent_complete": "20", "version": "1"},
    )
    assert response.status_code == 302 and response.location.startswith("/auth/login")
    assert snapshot(make) == before
