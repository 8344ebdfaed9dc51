"""Every route of the URL map, for every role, against the status the matrix implies.

A new route that is not in ROUTES fails the test: whoever adds a route decides who may use it.
Requests that a role may not make must also leave the database unchanged.
"""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests import samples
from workplan.models import (
    AuditEvent,
    CalendarToken,
    LoginSession,
    MeetingOutcome,
    Minutes,
    MinutesRevision,
    ProgressUpdate,
    utcnow,
)
from workplan.services.accounts import token_digest

ROLES = ("anonymous", "member", "focal_a", "focal_b", "secretariat")
LOGIN = "login"  # a redirect to the login page
OK = "ok"  # allowed: any answer below 500 that is neither a refusal nor a login redirect

# Who may do what, by access class: the expected answer per role.
ACCESS = {
    "public": dict.fromkeys(ROLES, OK),
    "signed_in": {"anonymous": LOGIN, **dict.fromkeys(ROLES[1:], OK)},
    "secretariat": {
        "anonymous": LOGIN,
        "member": 403,
        "focal_a": 403,
        "focal_b": 403,
        "secretariat": OK,
    },
    "progress": {
        "anonymous": LOGIN,
        "member": 403,
        "focal_a": OK,
        "focal_b": 403,
        "secretariat": OK,
    },
    "co_chairs": {  # the focal points of a roundtable's co-chair governments, for that roundtable
        "anonymous": LOGIN,
        "member": 403,
        "focal_a": OK,
        "focal_b": 403,
        "secretariat": OK,
    },
    "focal_points": {  # what only a government's focal point does: offer, for their government
        "anonymous": LOGIN,
        "member": 403,
        "focal_a": OK,
        "focal_b": OK,
        "secretariat": 403,
    },
    "own_offer": {  # an offer of government A: its focal points and the secretariat
        "anonymous": LOGIN,
        "member": 403,
        "focal_a": OK,
        "focal_b": 404,
        "secretariat": OK,
    },
    "withdraw_own_offer": {
        "anonymous": LOGIN,
        "member": 403,
        "focal_a": OK,
        "focal_b": 404,
        "secretariat": 403,
    },
    "answer_offer": {
        "anonymous": LOGIN,
        "member": 403,
        "focal_a": 403,
        "focal_b": 403,
        "secretariat": OK,
    },
    "secretariat_json": {  # a script's endpoint: no redirect to a login page, a plain refusal
        "anonymous": 403,
        "member": 403,
        "focal_a": 403,
        "focal_b": 403,
        "secretariat": OK,
    },
    "commenters": {  # circulated minutes: read by focal points, who comment on them
        "anonymous": LOGIN,
        "member": 404,
        "focal_a": OK,
        "focal_b": OK,
        "secretariat": 403,
    },
    "reporters": {  # pages for people who report progress: focal points and the secretariat
        "anonymous": LOGIN,
        "member": 403,
        "focal_a": OK,
        "focal_b": OK,
        "secretariat": OK,
    },
}

ROUTES = {
    "/": {"GET": "public"},
    "/healthz": {"GET": "public"},
    "/metrics": {"GET": "public"},  # from this machine; elsewhere only with the token
    "/language": {"POST": "public"},
    "/auth/login": {"GET": "public", "POST": "public"},
    "/auth/logout": {"POST": "signed_in"},
    "/auth/forgot-password": {"GET": "public", "POST": "public"},
    "/auth/set-password/<token>": {"GET": "public", "POST": "public"},
    "/auth/two-factor": {"GET": "public", "POST": "public"},
    "/auth/two-factor/setup": {"GET": "signed_in", "POST": "signed_in"},
    "/auth/two-factor/disable": {"POST": "signed_in"},
    "/auth/two-factor/recovery-codes": {"POST": "signed_in"},
    "/account/calendar": {"GET": "signed_in"},
    "/account/calendar/follows": {"POST": "signed_in"},
    "/account/calendar/tokens": {"POST": "signed_in"},
    "/account/calendar/tokens/<int:token_id>/revoke": {"POST": "signed_in"},
    "/account/security": {"GET": "signed_in"},
    "/account/password": {"POST": "signed_in"},
    "/account/sessions/<int:session_id>/end": {"POST": "signed_in"},
    "/account/sessions/end-others": {"POST": "signed_in"},
    "/admin/audit": {"GET": "secretariat"},
    "/admin/security": {"GET": "secretariat"},
    "/admin/users": {"GET": "secretariat"},
    "/admin/users/new": {"GET": "secretariat", "POST": "secretariat"},
    "/admin/users/<int:user_id>": {"GET": "secretariat"},
    "/admin/users/<int:user_id>/deactivate": {"POST": "secretariat"},
    "/admin/users/<int:user_id>/reactivate": {"POST": "secretariat"},
    "/admin/users/<int:user_id>/reset-link": {"POST": "secretariat"},
    "/admin/users/<int:user_id>/reset-second-factor": {"POST": "secretariat"},
    "/admin/users/<int:user_id>/end-sessions": {"POST": "secretariat"},
    "/calendar/": {"GET": "public"},
    "/calendar/meetings.ics": {"GET": "public"},
    "/calendar/chairmanships/<int:chairmanship_id>.ics": {"GET": "public"},
    "/calendar/roundtables/<int:roundtable_id>.ics": {"GET": "public"},
    "/calendar/teams/<int:team_id>.ics": {"GET": "public"},
    "/calendar/meetings/<int:meeting_id>.ics": {"GET": "public"},
    "/calendar/private/<token>.ics": {"GET": "public"},
    "/chairmanships/": {"GET": "public"},
    "/chairmanships/new": {"GET": "secretariat", "POST": "secretariat"},
    "/chairmanships/<int:chairmanship_id>": {"GET": "public"},
    "/chairmanships/<int:chairmanship_id>/edit": {"GET": "secretariat", "POST": "secretariat"},
    "/chairmanships/<int:chairmanship_id>/archive": {"POST": "secretariat"},
    "/chairmanships/<int:chairmanship_id>/restore": {"POST": "secretariat"},
    "/chairmanships/<int:chairmanship_id>/budget": {"POST": "secretariat"},
    "/chairmanships/<int:chairmanship_id>/summary": {"GET": "signed_in"},
    "/chairmanships/<int:chairmanship_id>/summary.<any(pdf, docx):file_format>": {
        "GET": "signed_in"
    },
    "/chairmanships/<int:chairmanship_id>/budget/<int:line_id>/edit": {
        "GET": "secretariat",
        "POST": "secretariat",
    },
    "/chairmanships/<int:chairmanship_id>/budget/<int:line_id>/remove": {"POST": "secretariat"},
    "/deliverables/": {"GET": "signed_in"},
    "/deliverables/new": {"GET": "co_chairs", "POST": "co_chairs"},
    "/deliverables/<int:deliverable_id>": {"GET": "signed_in"},
    "/deliverables/<int:deliverable_id>/edit": {"GET": "co_chairs", "POST": "co_chairs"},
    "/deliverables/<int:deliverable_id>/archive": {"POST": "secretariat"},
    "/deliverables/<int:deliverable_id>/restore": {"POST": "secretariat"},
    "/deliverables/<int:deliverable_id>/progress": {"POST": "progress"},
    "/deliverables/<int:deliverable_id>/history": {"GET": "signed_in"},
    "/deliverables/<int:deliverable_id>/history.csv": {"GET": "signed_in"},
    "/deliverables/bulk": {"GET": "reporters", "POST": "reporters"},
    "/deliverables/bulk/confirm": {"POST": "reporters"},
    "/deliverables/bulk/template.csv": {"GET": "reporters"},
    "/deliverables/bulk/upload": {"POST": "reporters"},
    "/deliverables/carry-over": {"GET": "secretariat", "POST": "secretariat"},
    "/deliverables/carried-over": {"GET": "signed_in"},
    "/documents/new": {"GET": "secretariat", "POST": "secretariat"},
    "/documents/<int:document_id>": {"GET": "public"},
    "/documents/<int:document_id>/edit": {"GET": "secretariat", "POST": "secretariat"},
    "/documents/<int:document_id>/versions": {"POST": "secretariat"},
    "/documents/<int:document_id>/archive": {"POST": "secretariat"},
    "/documents/<int:document_id>/restore": {"POST": "secretariat"},
    "/documents/<int:document_id>/<any(en, fr, es):language>": {"GET": "public"},
    "/documents/<int:document_id>/files/<int:file_id>/<path:filename>": {"GET": "public"},
    "/governments/": {"GET": "public"},
    "/governments/new": {"GET": "secretariat", "POST": "secretariat"},
    "/governments/<int:government_id>": {"GET": "public"},
    "/governments/<int:government_id>/edit": {"GET": "secretariat", "POST": "secretariat"},
    "/governments/<int:government_id>/archive": {"POST": "secretariat"},
    "/governments/<int:government_id>/restore": {"POST": "secretariat"},
    "/meetings/": {"GET": "public"},
    "/meetings/calendar": {"GET": "public"},
    "/meetings/new": {"GET": "co_chairs", "POST": "co_chairs"},
    "/meetings/<int:meeting_id>": {"GET": "public"},
    "/meetings/<int:meeting_id>/edit": {"GET": "secretariat", "POST": "secretariat"},
    "/meetings/<int:meeting_id>/reschedule": {"GET": "secretariat", "POST": "secretariat"},
    "/meetings/<int:meeting_id>/publish": {"POST": "secretariat"},
    "/meetings/<int:meeting_id>/cancel": {"POST": "secretariat"},
    "/meetings/<int:meeting_id>/archive": {"POST": "secretariat"},
    "/meetings/<int:meeting_id>/restore": {"POST": "secretariat"},
    "/meetings/<int:meeting_id>/agenda": {"POST": "secretariat"},
    "/meetings/<int:meeting_id>/record": {"GET": "signed_in"},
    "/meetings/<int:meeting_id>/programme": {"GET": "public", "POST": "secretariat"},
    "/meetings/<int:meeting_id>/programme/<int:meeting_session_id>/edit": {
        "GET": "secretariat",
        "POST": "secretariat",
    },
    "/meetings/<int:meeting_id>/programme/<int:meeting_session_id>/remove": {"POST": "secretariat"},
    "/meetings/<int:meeting_id>/programme/calendar": {"POST": "secretariat"},
    "/meetings/<int:meeting_id>/minutes": {"POST": "secretariat"},
    "/meetings/<int:meeting_id>/minutes/circulate": {"POST": "secretariat"},
    "/meetings/<int:meeting_id>/minutes/approve": {"POST": "secretariat"},
    "/meetings/<int:meeting_id>/minutes/comments": {"POST": "commenters"},
    "/meetings/<int:meeting_id>/outcomes": {"POST": "secretariat"},
    "/meetings/<int:meeting_id>/outcomes/<int:outcome_id>/remove": {"POST": "secretariat"},
    "/meetings/<int:meeting_id>/outcomes/<int:outcome_id>/deliverable": {"POST": "secretariat"},
    "/meetings/<int:meeting_id>/outcomes/<int:outcome_id>/link": {"POST": "secretariat"},
    "/meetings/<int:meeting_id>/agenda/order": {"POST": "secretariat_json"},
    "/meetings/<int:meeting_id>/agenda/print": {"GET": "public"},
    "/meetings/<int:meeting_id>/agenda/<int:item_id>/edit": {
        "GET": "secretariat",
        "POST": "secretariat",
    },
    "/meetings/<int:meeting_id>/agenda/<int:item_id>/move": {"POST": "secretariat"},
    "/meetings/<int:meeting_id>/agenda/<int:item_id>/remove": {"POST": "secretariat"},
    "/offers/": {"GET": "reporters"},
    "/offers/new": {"GET": "focal_points", "POST": "focal_points"},
    "/offers/<int:offer_id>": {"GET": "own_offer"},
    "/offers/<int:offer_id>/answer": {"POST": "answer_offer"},
    "/offers/<int:offer_id>/withdraw": {"POST": "withdraw_own_offer"},
    "/organisations/": {"GET": "public"},
    "/organisations/new": {"GET": "secretariat", "POST": "secretariat"},
    "/organisations/<int:organisation_id>": {"GET": "public"},
    "/organisations/<int:organisation_id>/edit": {"GET": "secretariat", "POST": "secretariat"},
    "/organisations/<int:organisation_id>/archive": {"POST": "secretariat"},
    "/organisations/<int:organisation_id>/restore": {"POST": "secretariat"},
    "/pledges/": {"GET": "signed_in"},
    "/pledges/new": {"GET": "secretariat", "POST": "secretariat"},
    "/pledges/<int:pledge_id>": {"GET": "signed_in"},
    "/pledges/<int:pledge_id>/edit": {"GET": "secretariat", "POST": "secretariat"},
    "/pledges/<int:pledge_id>/archive": {"POST": "secretariat"},
    "/pledges/<int:pledge_id>/restore": {"POST": "secretariat"},
    "/pledges/<int:pledge_id>/commit": {"POST": "secretariat"},
    "/pledges/<int:pledge_id>/payments": {"POST": "secretariat"},
    "/pledges/<int:pledge_id>/payments/<int:payment_id>/remove": {"POST": "secretariat"},
    "/pledges/rates": {"GET": "signed_in", "POST": "secretariat"},
    "/pledges/<int:pledge_id>/instalments": {"POST": "secretariat"},
    "/pledges/<int:pledge_id>/instalments/<int:instalment_id>/remove": {"POST": "secretariat"},
    "/pledges/rates/import": {"POST": "secretariat"},
    "/pledges/rates/<int:rate_id>/remove": {"POST": "secretariat"},
    "/reports/": {"GET": "signed_in"},
    "/reports/multiannual": {"GET": "signed_in"},
    "/reports/multiannual.<any(csv, xlsx, pdf, json):fmt>": {"GET": "signed_in"},
    "/reports/chairmanships/<int:chairmanship_id>": {"GET": "signed_in"},
    "/reports/chairmanships/<int:chairmanship_id>/handover": {"GET": "signed_in"},
    "/reports/chairmanships/<int:chairmanship_id>/handover.<any(csv, xlsx, pdf, json):fmt>": {
        "GET": "signed_in"
    },
    "/reports/chairmanships/<int:chairmanship_id>.<any(csv, xlsx, pdf, json):fmt>": {
        "GET": "signed_in"
    },
    "/reports/governments": {"GET": "signed_in"},
    "/reports/governments/<int:government_id>": {"GET": "signed_in"},
    "/reports/governments/<int:government_id>.<any(csv, xlsx, pdf, json):fmt>": {
        "GET": "signed_in"
    },
    "/roundtables/": {"GET": "public"},
    "/roundtables/new": {"GET": "secretariat", "POST": "secretariat"},
    "/roundtables/<int:roundtable_id>": {"GET": "public"},
    "/roundtables/<int:roundtable_id>/report": {"GET": "signed_in"},
    "/roundtables/<int:roundtable_id>/report.<any(pdf, docx):file_format>": {"GET": "signed_in"},
    "/roundtables/themes": {"GET": "signed_in"},
    "/roundtables/<int:roundtable_id>/edit": {"GET": "secretariat", "POST": "secretariat"},
    "/roundtables/<int:roundtable_id>/description": {"GET": "co_chairs", "POST": "co_chairs"},
    "/roundtables/<int:roundtable_id>/archive": {"POST": "secretariat"},
    "/roundtables/<int:roundtable_id>/restore": {"POST": "secretariat"},
    "/roundtables/<int:roundtable_id>/members": {"POST": "secretariat"},
    "/roundtables/<int:roundtable_id>/members/<int:member_id>/remove": {"POST": "secretariat"},
    "/teams/": {"GET": "public"},
    "/teams/new": {"GET": "secretariat", "POST": "secretariat"},
    "/teams/<int:team_id>": {"GET": "public"},
    "/teams/<int:team_id>/edit": {"GET": "secretariat", "POST": "secretariat"},
    "/teams/<int:team_id>/archive": {"POST": "secretariat"},
    "/teams/<int:team_id>/restore": {"POST": "secretariat"},
    "/teams/<int:team_id>/members": {"POST": "secretariat"},
    "/teams/<int:team_id>/members/<int:membership_id>/leave": {"POST": "secretariat"},
    "/workplans/": {"GET": "signed_in"},
    "/workplans/new": {"GET": "secretariat", "POST": "secretariat"},
    "/workplans/<int:work_plan_id>": {"GET": "signed_in"},
    "/workplans/<int:work_plan_id>/edit": {"GET": "secretariat", "POST": "secretariat"},
    "/workplans/<int:work_plan_id>/archive": {"POST": "secretariat"},
    "/workplans/<int:work_plan_id>/restore": {"POST": "secretariat"},
    "/workplans/<int:work_plan_id>/objectives": {"POST": "secretariat"},
    "/workplans/<int:work_plan_id>/objectives/<int:objective_id>/edit": {
        "GET": "secretariat",
        "POST": "secretariat",
    },
    "/workplans/<int:work_plan_id>/objectives/<int:objective_id>": {"GET": "signed_in"},
    "/workplans/<int:work_plan_id>/objectives/<int:objective_id>/indicators": {
        "POST": "secretariat"
    },
    "/workplans/indicators/<int:indicator_id>/edit": {"GET": "secretariat", "POST": "secretariat"},
    "/workplans/indicators/<int:indicator_id>/values": {"POST": "secretariat"},
    "/workplans/indicators/<int:indicator_id>/values/import": {"POST": "secretariat"},
    "/workplans/indicators/<int:indicator_id>/values/<int:value_id>/remove": {
        "POST": "secretariat"
    },
    "/workplans/<int:work_plan_id>/objectives/<int:objective_id>/archive": {"POST": "secretariat"},
    "/workplans/<int:work_plan_id>/objectives/<int:objective_id>/restore": {"POST": "secretariat"},
    # The good-practice library (the matrix's practice is published: its authors no longer
    # change it; drafts' readers are in test_practices).
    "/practices/": {"GET": "public"},
    "/practices/new": {"GET": "reporters", "POST": "reporters"},
    "/practices/<int:practice_id>": {"GET": "public"},
    "/practices/<int:practice_id>/edit": {"GET": "secretariat", "POST": "secretariat"},
    "/practices/<int:practice_id>/submit": {"POST": "secretariat"},
    "/practices/<int:practice_id>/publish": {"POST": "secretariat"},
    "/practices/<int:practice_id>/return": {"POST": "secretariat"},
    "/practices/<int:practice_id>/archive": {"POST": "secretariat"},
    "/practices/<int:practice_id>/restore": {"POST": "secretariat"},
    "/practices/<int:practice_id>/adoptions": {"POST": "reporters"},
    "/commitments/": {"GET": "public"},
    "/commitments/new": {"GET": "reporters", "POST": "reporters"},
    "/commitments/<int:commitment_id>": {"GET": "public"},
    "/commitments/<int:commitment_id>/edit": {"GET": "progress", "POST": "progress"},
    "/commitments/<int:commitment_id>/reports": {"POST": "progress"},
    "/commitments/<int:commitment_id>/archive": {"POST": "secretariat"},
    "/commitments/<int:commitment_id>/restore": {"POST": "secretariat"},
    "/commitments/deadlines/<iso3>.ics": {"GET": "public"},
    "/themes/": {"GET": "public"},
    "/themes/new": {"GET": "secretariat", "POST": "secretariat"},
    "/themes/<int:theme_id>": {"GET": "public"},
    "/themes/<int:theme_id>/edit": {"GET": "secretariat", "POST": "secretariat"},
    "/themes/<int:theme_id>/archive": {"POST": "secretariat"},
    "/themes/<int:theme_id>/restore": {"POST": "secretariat"},
}
SERVED_FILES = ("/static/<path:filename>", "/bootstrap/static/<path:filename>")
TOKEN = "route-matrix-calendar-token"


def test_every_route_is_in_the_table(app):
    """A route nobody classified is a route nobody decided the access rules of."""
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.rule in SERVED_FILES:
            continue
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
        listed = ROUTES.get(rule.rule, {})
        missing += [f"{m} {rule.rule}" for m in methods if m not in listed]
    assert missing == [], "routes missing from ROUTES: " + ", ".join(missing)
    known = {r.rule for r in app.url_map.iter_rules()}
    assert set(ROUTES) <= known, f"stale entries: {set(ROUTES) - known}"


@pytest.fixture
def world(make, db_session):
    """One of everything, owned by government A, and a user of each role."""
    a, b = make.government(iso3="AAA"), make.government(iso3="BBB")
    chairmanship = make.chairmanship()
    roundtable = make.roundtable(chairmanship=chairmanship, co_chairs=[a])
    member_row = make.roundtable_member(roundtable, b)
    team = make.team(lead=a)
    membership = make.team_membership(team, a)
    meeting = make.meeting(chairmanship=chairmanship, roundtable=roundtable)
    item = make.agenda_item(meeting)
    document = make.document(meeting, samples.pdf())
    programme_session = make.meeting_session(meeting)
    outcome = MeetingOutcome(meeting_id=meeting.id, kind="action", text="Follow up")
    minutes = Minutes(meeting_id=meeting.id, state="circulated", text="Opened.")
    minutes.revisions.append(MinutesRevision(number=1, state="draft", text="Opened."))
    db_session.add_all([outcome, minutes])
    db_session.commit()
    deliverable = make.deliverable(responsible=[a], owner=roundtable, chairmanship=chairmanship)
    pledge = make.pledge(donor=a, chairmanship=chairmanship)
    payment = make.payment(pledge)
    line = make.budget_line(chairmanship)
    instalment = make.instalment(pledge, due_on=pledge.pledged_on)
    rate = make.exchange_rate()
    organisation = make.organisation()
    objective = make.objective()
    indicator = make.indicator(objective, values={2020: 6.5})
    theme = make.theme()
    practice = make.practice(government=a, countries=[a], themes=[theme])
    commitment = make.commitment(a)
    offer = make.offer(a, theme="Diaspora bonds")
    users = {
        "member": make.user(role="member"),
        "focal_a": make.user(role="focal_point", government=a),
        "focal_b": make.user(role="focal_point", government=b),
        "secretariat": make.user(role="secretariat"),
    }
    token = CalendarToken(user_id=users["member"].id, label="Phone", token_hash=token_digest(TOKEN))
    db_session.add(token)
    elsewhere = LoginSession(
        user_id=users["member"].id,
        token_hash=token_digest("member-elsewhere"),
        expires_at=utcnow() + timedelta(hours=1),
    )
    db_session.add(elsewhere)
    db_session.commit()
    params = {
        "chairmanship_id": chairmanship.id,
        "roundtable_id": roundtable.id,
        "member_id": member_row.id,
        "team_id": team.id,
        "membership_id": membership.id,
        "meeting_id": meeting.id,
        "item_id": item.id,
        "document_id": document.id,
        "outcome_id": outcome.id,
        "meeting_session_id": programme_session.id,
        "file_id": document.files[0].id,
        "filename": document.files[0].filename,
        "language": "en",
        "deliverable_id": deliverable.id,
        "pledge_id": pledge.id,
        "payment_id": payment.id,
        "line_id": line.id,
        "instalment_id": instalment.id,
        "rate_id": rate.id,
        "organisation_id": organisation.id,
        "government_id": a.id,
        "work_plan_id": objective.work_plan_id,
        "indicator_id": indicator.id,
        "value_id": indicator.values[0].id,
        "objective_id": objective.id,
        "practice_id": practice.id,
        "theme_id": theme.id,
        "commitment_id": commitment.id,
        "offer_id": offer.id,
        "iso3": "AAA",
        "user_id": users["member"].id,
        "token_id": token.id,
        "session_id": elsewhere.id,
        "token": TOKEN,
        "fmt": "csv",
        "file_format": "docx",
    }
    return users, params


def _url(rule: str, params: dict) -> str:
    import re

    def value(match):
        name = match.group(1).split(":")[-1]
        return str(params[name])

    return re.sub(r"<([^>]+)>", value, rule)


def _writes(db_session) -> tuple[int, int]:
    db_session.expire_all()
    return (
        db_session.scalar(select(func.count(AuditEvent.id))),
        db_session.scalar(select(func.count(ProgressUpdate.id))),
    )


CASES = [(rule, method) for rule, methods in ROUTES.items() for method in methods]


@pytest.mark.parametrize(("rule", "method"), CASES, ids=[f"{m} {r}" for r, m in CASES])
def test_route_for_every_role(rule, method, app, world, db_session):
    """Each role gets what the matrix says, and a refused request changes nothing."""
    users, params = world
    url = _url(rule, params)
    for role in ROLES:
        client = app.test_client()
        if role != "anonymous":
            login = client.post(
                "/auth/login",
                data={"email": users[role].email, "password": "correct horse battery"},
            )
            assert login.status_code == 302
        expected = ACCESS[ROUTES[rule][method]][role]
        before = _writes(db_session)
        response = client.open(url, method=method, data={})
        status = response.status_code
        where = f"{method} {url} as {role}: got {status}"
        assert status < 500, where
        if expected == LOGIN:
            assert status == 302 and "/auth/login?next=" in response.headers["Location"], where
        elif expected == OK:
            assert status != 403, where
            location = response.headers.get("Location", "")
            assert not (status == 302 and "/auth/login?next=" in location), where
        else:
            assert status == expected, where
        if expected != OK:
            assert _writes(db_session) == before, f"{where}: a refused request changed data"
