"""What many tests share: counting SQL statements, reading a page's form, posting an edit as a
browser does."""

import re
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from sqlalchemy import event

from workplan.extensions import db

_VERSION = re.compile(r'name="version" type="hidden" value="(\d+)"')


@contextmanager
def counting_queries(app: Flask) -> Iterator[list[str]]:
    """Collect the SQL statements the app sends to the database inside the block."""
    with app.app_context():
        engine = db.engine
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def version_on(page: str) -> str:
    """The record version an edit form carries (its hidden field)."""
    found = _VERSION.search(page)
    assert found, "the page has no version field"
    return found.group(1)


def post_edit(client, url: str, data: dict):
    """Open an edit form and send it with the version it carried, as a browser does."""
    page = client.get(url).get_data(as_text=True)
    return client.post(url, data={"version": version_on(page), **data})
