"""Calendar feeds over HTTP, the page to subscribe to them, and one-meeting downloads."""

from urllib.parse import urlencode

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import force_locale
from flask_login import current_user

from workplan import feeds, formatting, metrics, permissions, web
from workplan.extensions import db
from workplan.i18n import DEFAULT_LANGUAGE, LANGUAGES
from workplan.models import Chairmanship, GovernmentTeam, Meeting, Roundtable, utcnow
from workplan.services import chairmanships, roundtables
from workplan.services import teams as team_service

bp = Blueprint("calendar", __name__, url_prefix="/calendar")


@bp.record_once
def _create_cache(state) -> None:
    """Give the app its cache of built feeds before the first request can race to make one."""
    state.app.extensions.setdefault("workplan.feed_cache", feeds.new_body_cache())


# Feeds whose address carries the language of the page that hands it out.
PUBLIC_FEEDS = {
    "calendar.meetings_feed",
    "calendar.chairmanship_feed",
    "calendar.roundtable_feed",
    "calendar.team_feed",
}


@bp.app_url_defaults
def _feed_in_readers_language(endpoint: str, values: dict) -> None:
    """A public feed's address, handed out on a French page, gives the feed in French."""
    if endpoint in PUBLIC_FEEDS and "lang" not in values:
        language = formatting.locale()
        if language != DEFAULT_LANGUAGE:
            values["lang"] = language


CONTENT_TYPE = "text/calendar; charset=utf-8"
GZIP_SUFFIX = "-gzip"
# Calendar servers poll hourly at most; five minutes lets a proxy absorb bursts without letting
# a change wait long.
PUBLIC_CACHE = "public, max-age=300"
PRIVATE_CACHE = "private, max-age=300"


def _not_modified(checked: feeds.Validator) -> bool:
    """Whether the request's validators name exactly this version of the feed."""
    if request.if_none_match:
        # RFC 9110: when If-None-Match is present, If-Modified-Since is ignored.
        return any(
            request.if_none_match.contains_weak(etag)
            for etag in (checked.etag, checked.etag + GZIP_SUFFIX)
        )
    since = request.if_modified_since
    # Only the exact date counts: a feed's Last-Modified can move backwards when rows leave it,
    # and a later date must not hide that change.
    return since is not None and since == checked.last_modified


def feed_language(owner=None) -> str:
    """The language a feed speaks: ?lang= in its address, else its owner's, else the client's.

    Calendar servers poll without a session, so the subscribe page puts the reader's language
    in the address it hands out.
    """
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        return asked
    if owner is not None and owner.locale in LANGUAGES:
        return owner.locale
    return request.accept_languages.best_match(list(LANGUAGES), DEFAULT_LANGUAGE)


def serve_feed(make_scope, *, owner=None, attachment: bool = False) -> Response:
    """serve_scope() for the scope make_scope() gives, made in the feed's language."""
    with force_locale(feed_language(owner)):
        return serve_scope(make_scope(), attachment=attachment)


def serve_scope(scope: feeds.Scope, *, attachment: bool = False) -> Response:
    """Answer a feed request: 304 from the validator alone, otherwise the (cached) body."""
    links = feeds.links()
    checked = feeds.validator(scope, links)
    compressed = bool(request.accept_encodings["gzip"])
    if _not_modified(checked):
        response = Response(status=304)
        metrics.feed_answered("not_modified")
    else:
        builds = feeds.body_cache().builds
        checked, body = feeds.feed_body(scope, checked, links)
        metrics.feed_answered("built" if feeds.body_cache().builds != builds else "cached")
        if compressed:
            body = feeds.gzipped_body(scope, checked.etag, body)
        response = Response(body, content_type=CONTENT_TYPE)
        if compressed:
            response.headers["Content-Encoding"] = "gzip"
        disposition = "attachment" if attachment else "inline"
        response.headers["Content-Disposition"] = f'{disposition}; filename="{scope.filename}"'
    # What a shared cache must key on: the body is compressed or not, and a feed asked for
    # without ?lang= speaks the client's language.
    response.vary.update(("Accept-Encoding", "Accept-Language"))
    # A strong ETag names one sequence of bytes, so the compressed one has its own.
    response.set_etag(checked.etag + GZIP_SUFFIX if compressed else checked.etag)
    response.last_modified = checked.last_modified
    response.headers["Cache-Control"] = PRIVATE_CACHE if scope.private else PUBLIC_CACHE
    return response


@bp.app_template_global("calendar_links")
def calendar_links(address: str, name: str) -> dict[str, str]:
    """One-click subscription links for a feed address, one per kind of calendar."""
    webcal = "webcal://" + address.split("://", 1)[1]
    return {
        "https": address,
        "webcal": webcal,
        "google": "https://calendar.google.com/calendar/render?" + urlencode({"cid": webcal}),
        "outlook_com": "https://outlook.live.com/calendar/0/addfromweb?"
        + urlencode({"url": address, "name": name}),
        "outlook_365": "https://outlook.office.com/calendar/0/addfromweb?"
        + urlencode({"url": address, "name": name}),
    }


def _not_found() -> Response:
    """A bare 404: nothing says whether the address ever existed."""
    return Response(status=404, headers={"Cache-Control": "no-store"})


@bp.get("/")
def subscribe():
    """The public feeds, each with one-click subscription links."""
    listed = chairmanships.listed()
    wanted = web.query_int("chairmanship")
    if wanted is not None:
        chosen = next((c for c in listed if c.id == wanted), None)
        if chosen is None:
            abort(404)
    else:
        chosen = chairmanships.current_chairmanship(utcnow().date())
    shown_roundtables = roundtables.chosen_or_in(chosen.id, None) if chosen else []
    teams = team_service.active_since(utcnow().year)
    return render_template(
        "calendar/subscribe.html",
        chairmanships=listed,
        chosen=chosen,
        roundtables=shown_roundtables,
        teams=teams,
        can_own_tokens=permissions.can_own_calendar_tokens(current_user),
    )


@bp.get("/meetings.ics")
def meetings_feed():
    """Every published meeting, cancelled ones included and marked."""
    return serve_feed(feeds.public_scope)


@bp.get("/chairmanships/<int:chairmanship_id>.ics")
def chairmanship_feed(chairmanship_id: int):
    """The published meetings of one chairmanship."""
    chairmanship = web.get_or_404(Chairmanship, chairmanship_id)
    return serve_feed(lambda: feeds.chairmanship_scope(chairmanship))


@bp.get("/roundtables/<int:roundtable_id>.ics")
def roundtable_feed(roundtable_id: int):
    """The published meetings of one roundtable."""
    roundtable = web.get_or_404(Roundtable, roundtable_id)
    return serve_feed(lambda: feeds.roundtable_scope(roundtable))


@bp.get("/teams/<int:team_id>.ics")
def team_feed(team_id: int):
    """The published meetings of one government team."""
    team = web.get_or_404(GovernmentTeam, team_id)
    return serve_feed(lambda: feeds.team_scope(team))


@bp.get("/private/<token>.ics")
def private_feed(token: str):
    """A user's own feed, for calendar servers that cannot log in; a dead token is a bare 404."""
    found = feeds.token_owner(token)
    if found is None or not permissions.can_own_calendar_tokens(found[1]):
        return _not_found()
    calendar_token, user = found
    response = serve_feed(lambda: feeds.private_scope(user), owner=user)
    # Written after the answer is made, so the commit does not expire what the feed reads.
    if feeds.note_token_use(calendar_token):
        db.session.commit()
    return response


@bp.get("/meetings/<int:meeting_id>.ics")
def meeting_download(meeting_id: int):
    """One published or cancelled meeting as a file, for "Add to calendar"."""
    meeting = db.session.get(Meeting, meeting_id)
    # Drafts are never handed out, not even to the secretariat: a downloaded copy cannot be
    # withdrawn when the draft changes or is dropped.
    if (
        meeting is None
        or not meeting.is_public
        or not permissions.can_see_meeting(current_user, meeting)
    ):
        abort(404)
    # A download is made by the person on the page, in the page's language.
    return serve_scope(feeds.meeting_scope(meeting), attachment=True)
