"""The absolute addresses events link to: the meeting's and the deliverable's pages."""

from workplan.addresses import base_url, external_url
from workplan.feeds.writer import Links

_SENTINEL = 918273645546372


def links() -> Links:
    """Page addresses for events, on the public address (see workplan.addresses)."""

    # url_for once per feed, not once per event: the id is swapped into a template.
    def template(endpoint: str, arg: str) -> str:
        head, _, tail = external_url(endpoint, **{arg: _SENTINEL}).rpartition(str(_SENTINEL))
        return "{}".join(part.replace("{", "{{").replace("}", "}}") for part in (head, tail))

    return Links(
        base=base_url(),
        meeting=template("meetings.detail", "meeting_id"),
        deliverable=template("deliverables.detail", "deliverable_id"),
    )
