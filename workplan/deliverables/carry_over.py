"""Carry-over: a chairmanship's open work moves into the next one, linked both ways."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.exc import IntegrityError

from workplan import web
from workplan.deliverables.views import _user, bp, manages
from workplan.extensions import db
from workplan.models import Chairmanship, utcnow
from workplan.numbers import record_id
from workplan.services import DomainError, StaleEdit, chairmanships, progress
from workplan.services import deliverables as deliverable_service


@bp.get("/carry-over")
@manages
def carry_over_form():
    """Show a chairmanship's open deliverables and the chairmanship they would move into."""
    chairmanship_id = web.query_int("chairmanship")
    if chairmanship_id is None:
        return render_template(
            "deliverables/carry_over.html", chairmanship=None, chairmanships=chairmanships.listed()
        )
    chairmanship = web.get_or_404(Chairmanship, chairmanship_id)
    open_ones = deliverable_service.open_in(chairmanship)
    return render_template(
        "deliverables/carry_over.html",
        chairmanship=chairmanship,
        successor=progress.next_chairmanship(chairmanship),
        open_ones=open_ones,
        today=utcnow().date(),
    )


@bp.post("/carry-over")
@manages
def carry_over():
    """Carry a chairmanship's open deliverables into the next chairmanship, in one action."""
    chairmanship = _posted_chairmanship("chairmanship")
    successor = _posted_chairmanship("successor")
    try:
        moved = progress.carry_over(chairmanship, successor, _user())
    except DomainError as error:
        db.session.rollback()
        abort(400, error.message)
    except (StaleEdit, IntegrityError):
        # Someone changed or carried the same work at the same moment: nothing of ours moved.
        db.session.rollback()
        abort(
            409,
            _("A deliverable changed while it was being carried over; nothing moved. Try again."),
        )
    db.session.commit()
    if not moved:
        flash(
            _(
                "%(chairmanship)s has no open deliverables; nothing moved.",
                chairmanship=chairmanship.label,
            ),
            "info",
        )
        return redirect(url_for(".carry_over_form", chairmanship=chairmanship.id))
    flash(
        ngettext(
            "%(num)d deliverable carried over from %(chairmanship)s to %(successor)s.",
            "%(num)d deliverables carried over from %(chairmanship)s to %(successor)s.",
            len(moved),
            chairmanship=chairmanship.label,
            successor=successor.label,
        ),
        "success",
    )
    return redirect(url_for(".carried_over", chairmanship=chairmanship.id))


def _posted_chairmanship(name: str) -> Chairmanship:
    """A chairmanship named by a posted id, or 400 saying which field was wrong."""
    chairmanship_id = record_id(request.form.get(name))
    if chairmanship_id is None:
        abort(400, _("The “%(name)s” field must name a chairmanship.", name=name))
    return web.get_or_404(Chairmanship, chairmanship_id)


@bp.get("/carried-over")
def carried_over():
    """What moved out of a chairmanship: each predecessor and its successor."""
    chairmanship_id = web.query_int("chairmanship")
    if chairmanship_id is None:
        abort(400, _("The “chairmanship” parameter is needed: which chairmanship's work moved?"))
    chairmanship = web.get_or_404(Chairmanship, chairmanship_id)
    return render_template(
        "deliverables/carried_over.html",
        chairmanship=chairmanship,
        moved=deliverable_service.carried_from(chairmanship),
    )
