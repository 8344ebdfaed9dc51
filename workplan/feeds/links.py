"""The absolute addresses events link to: the meeting's and the deliverable's pages, and the
papers on a meeting's shelf."""

from workplan.addresses import base_url, external_url
from workplan.feeds.writer import Links
from workplan.models.document import DOCUMENT_LANGUAGES

_SENTINEL = 918273645546372


def links() -> Links:
    """Page addresses for events, on the public address (see workplan.addresses)."""

    # url_for once per feed, not once per event: the id is swapped into a template.
    def template(endpoint: str, arg: str, **fixed) -> str:
        address = external_url(endpoint, **{arg: _SENTINEL}, **fixed)
        head, _, tail = address.rpartition(str(_SENTINEL))
        return "{}".join(part.replace("{", "{{").replace("}", "}}") for part in (head, tail))

    return Links(
        base=base_url(),
        meeting=template("meetings.detail", "meeting_id"),
        deliverable=template("deliverables.detail", "deliverable_id"),
        document={
            language: template("documents.latest", "document_id", language=language)
            for language in DOCUMENT_LANGUAGES
        },
    )
