"""The absolute addresses events link to: the meeting's and the deliverable's pages."""

from urllib.parse import urlsplit

from flask import current_app, has_request_context, request, url_for

from workplan.feeds.writer import Links

_SENTINEL = 918273645546372


def links() -> Links:
    """Page addresses for events: the request's host, or PUBLIC_BASE_URL outside a request."""
    if has_request_context():

        def build(endpoint: str, arg: str) -> str:
            return url_for(endpoint, **{arg: _SENTINEL}, _external=True)

        base = request.url_root.rstrip("/")
    else:
        parts = urlsplit(current_app.config["PUBLIC_BASE_URL"])
        adapter = current_app.url_map.bind(
            parts.netloc, url_scheme=parts.scheme or "http", script_name=parts.path or "/"
        )

        def build(endpoint: str, arg: str) -> str:
            return adapter.build(endpoint, {arg: _SENTINEL}, force_external=True)

        base = f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"

    # url_for once per feed, not once per event: the id is swapped into a template.
    def template(endpoint: str, arg: str) -> str:
        head, _, tail = build(endpoint, arg).rpartition(str(_SENTINEL))
        return "{}".join(part.replace("{", "{{").replace("}", "}}") for part in (head, tail))

    return Links(
        base=base,
        meeting=template("meetings.detail", "meeting_id"),
        deliverable=template("deliverables.detail", "deliverable_id"),
    )
