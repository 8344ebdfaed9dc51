"""How a view carries out one change the rules may refuse: an archive, a restore, a removal."""

from collections.abc import Callable

from flask import flash, redirect
from flask.typing import ResponseReturnValue

from workplan.extensions import db
from workplan.services import DomainError


def commit_or_refuse(
    change: Callable[[], object],
    *,
    refused: Callable[[str], ResponseReturnValue],
    done: str,
    then: str,
) -> ResponseReturnValue:
    """Commit the change, say ``done`` and go to ``then``; or roll back and show the refusal.

    ``refused`` receives the rule's sentence and returns the page to show (usually the record's
    page with a 409) or aborts.
    """
    try:
        change()
    except DomainError as error:
        db.session.rollback()
        return refused(error.message)
    db.session.commit()
    flash(done, "success")
    return redirect(then)
