"""The good-practice library's pages: the public library, searched and filtered; a practice's
page with who took it up; the forms to write, submit and review one; and the themes."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from workplan import countries, editing, formatting, permissions, web
from workplan.extensions import db
from workplan.formatting import lazy_gettext as _l
from workplan.models import PRACTICE_STATES, SDG_TARGETS, Government, Practice, Theme
from workplan.numbers import whole_number
from workplan.practices.forms import AdoptionForm, PracticeForm, ReviewForm, ThemeForm
from workplan.services import parties, practices, themes
from workplan.services.parties import find_government

bp = Blueprint("practices", __name__, url_prefix="/practices")
themes_bp = Blueprint("themes", __name__, url_prefix="/themes")

SORTS = {"relevance": _l("Best match"), "year": _l("Latest first"), "title": _l("Title")}


@bp.get("/")
def index():
    """The good-practice library: search it, and narrow it by theme, country, region, SDG
    target and year."""
    seen_states = PRACTICE_STATES if permissions.can_submit_practices(current_user) else ()
    language = formatting.locale()
    # Read once: the filter's choices, and what a chosen country is checked against.
    governments = parties.governments(language)
    filters = web.list_filters(
        practices.PracticeFilters,
        SORTS,
        theme=web.query_int("theme"),
        country=web.query_choice("country", [g.iso3 for g in governments]),
        region=web.query_choice("region", countries.REGIONS),
        target=web.query_choice("target", SDG_TARGETS),
        year=web.query_int("year"),
        state=web.query_choice("state", seen_states) if seen_states else None,
    )
    return web.list_page(
        "practices/index.html",
        practices.listing(
            filters,
            secretariat=permissions.is_secretariat(current_user),
            government_id=permissions.own_government_id(current_user),
        ),
        filters,
        sorts=SORTS,
        themes=themes.live(),
        governments=governments,
        regions=[(code, countries.region_name(code, language)) for code in countries.REGIONS],
        targets=SDG_TARGETS,
        years=practices.years(),
        states=seen_states,
        per_page=20,
    )


def _practice(practice_id: int) -> Practice:
    practice = db.session.get(Practice, practice_id)
    if practice is None or not permissions.can_read_practice(current_user, practice):
        abort(404)
    return practice


def _adopters(practice: Practice) -> list[Government]:
    """The governments the viewer may say took the practice up, and have not said so yet."""
    if practice.state != "published" or practice.archived_at is not None:
        return []
    done = {adoption.government_id for adoption in practice.adoptions}
    if permissions.is_secretariat(current_user):
        candidates = parties.governments(formatting.locale())
    elif current_user.is_authenticated and current_user.government is not None:
        candidates = [current_user.government]
    else:
        return []
    return [
        g
        for g in candidates
        if g.id not in done and permissions.can_record_adoption(current_user, g)
    ]


def _page(practice: Practice, *, review_form=None, adoption_form=None, refusal=None, status=200):
    """A practice: what was done, where, with whom; its review; who took it up."""
    adopters = _adopters(practice)
    if adoption_form is None and adopters:
        adoption_form = AdoptionForm(formdata=None, governments=adopters)
    reviewer = permissions.can_review_practices(current_user)
    if reviewer and review_form is None:
        review_form = ReviewForm(formdata=None, version=practice.version)
    page = render_template(
        "practices/detail.html",
        practice=practice,
        review_form=review_form if reviewer else None,
        adoption_form=adoption_form if adopters or adoption_form else None,
        refusal=refusal,
    )
    return page, status


@bp.get("/<int:practice_id>")
def detail(practice_id: int):
    """A good practice: what was done, where, with whom, and who took it up."""
    return _page(_practice(practice_id))


def _form_page(practice: Practice | None):
    return editing.form_page("practices/form.html", practice=practice)


@bp.route("/new", methods=["GET", "POST"])
@web.require(permissions.can_submit_practices)
def create():
    """Write a good practice down, as a draft to submit for review."""
    form = PracticeForm()
    return editing.save(
        form,
        lambda: practices.create(
            form.details(), current_user, permissions.own_government_id(current_user)
        ),
        page=_form_page(None),
        done=lambda p: _(
            "The practice is saved as a draft. Submit it for review when it is ready."
        ),
        then=lambda p: url_for(".detail", practice_id=p.id),
    )


@bp.route("/<int:practice_id>/edit", methods=["GET", "POST"])
def edit(practice_id: int):
    """Change a practice."""
    web.authorize(permissions.can_read_private)
    practice = _practice(practice_id)
    web.authorize(permissions.can_edit_practice, practice)
    form = PracticeForm.for_record(practice)

    return editing.save_edit(
        form,
        practice,
        practices.update,
        page=_form_page(practice),
        done=lambda p: _("The practice is saved."),
        then=lambda p: url_for(".detail", practice_id=p.id),
    )


def _step(practice_id: int, change, done: str, rule=None):
    """A one-button change of a practice; the view's decorator, or `rule` asked of the
    practice, decides who may."""
    practice = _practice(practice_id)
    if rule is not None:
        web.authorize(rule, practice)
    return editing.commit_or_refuse(
        lambda: change(practice),
        refused=lambda message: _page(practice, refusal=message, status=409),
        done=done,
        then=url_for(".detail", practice_id=practice.id),
    )


def _version() -> int | None:
    return whole_number(request.form.get("version", ""))


@bp.post("/<int:practice_id>/submit")
def submit(practice_id: int):
    """Send a practice to the secretariat for review."""
    web.authorize(permissions.can_submit_practices)
    return _step(
        practice_id,
        lambda practice: practices.submit(practice, _version()),
        _("The practice is with the secretariat for review."),
        rule=permissions.can_edit_practice,
    )


@bp.post("/<int:practice_id>/publish")
@web.require(permissions.can_review_practices)
def publish(practice_id: int):
    """Publish a practice in the library, for everyone to read."""
    return _step(
        practice_id,
        lambda practice: practices.publish(practice, _version()),
        _("The practice is published in the library."),
    )


@bp.post("/<int:practice_id>/return")
@web.require(permissions.can_review_practices)
def return_to_authors(practice_id: int):
    """Return a practice to its authors, saying what it needs."""
    practice = _practice(practice_id)
    form = ReviewForm()
    if not form.validate_on_submit():
        return _page(practice, review_form=form, status=400)
    return _step(
        practice_id,
        lambda practice: practices.return_to_authors(
            practice, form.version.data, form.comment.data
        ),
        _("The practice is returned to its authors with your comment."),
    )


@bp.post("/<int:practice_id>/archive")
@web.require(permissions.can_review_practices)
def archive(practice_id: int):
    """Take a practice out of the library; the secretariat can restore it."""
    return _step(
        practice_id,
        practices.archive,
        _("The practice is archived. Find it under “Archived” to restore it."),
    )


@bp.post("/<int:practice_id>/restore")
@web.require(permissions.can_review_practices)
def restore(practice_id: int):
    """Bring an archived practice back."""
    return _step(
        practice_id,
        practices.restore,
        _("The practice is restored."),
    )


@bp.post("/<int:practice_id>/adoptions")
def adopt(practice_id: int):
    """Record that a government took a practice up, when, and with what result."""
    web.authorize(permissions.can_read_private)
    practice = _practice(practice_id)
    adopters = _adopters(practice)
    if not adopters:
        abort(403)
    form = AdoptionForm(governments=adopters)

    def change():
        government = find_government(
            form.government.data, "government", _("Only governments take practices up.")
        )
        if not permissions.can_record_adoption(current_user, government):
            abort(403)
        return practices.adopt(practice, government, form.year.data, form.result.data, current_user)

    recorded, _adoption = editing.submitted(form, form.government, change)
    if not recorded:
        return _page(db.session.get(Practice, practice_id), adoption_form=form, status=400)
    db.session.commit()
    flash(_("It is recorded that the practice was taken up."), "success")
    return redirect(url_for(".detail", practice_id=practice_id, _anchor="adoptions"))


# The themes: one taxonomy for everything the forum files by subject.

THEME_SAID = {
    editing.CREATED: _l("The theme %(name)s is recorded."),
    editing.SAVED: _l("The theme %(name)s is saved."),
    editing.ARCHIVED: _l("The theme %(name)s is archived. Find it under “Archived” to restore it."),
    editing.RESTORED: _l("The theme %(name)s is restored."),
}


@themes_bp.get("/", endpoint="index")
def index_themes():
    """The themes the forum files its work under."""
    archived = web.archived_filter()
    return render_template(
        "practices/themes.html",
        themes=db.session.scalars(themes.listing(archived)).all(),
        archived=archived,
    )


def _theme_page(theme: Theme, refusal: str | None = None, status: int = 200):
    """A theme: the published practices filed under it."""
    page = render_template(
        "practices/theme.html",
        theme=theme,
        practices=themes.published_practices(theme),
        commitments=themes.commitments_under(theme),
        roundtables=themes.roundtables_under(theme),
        deliverables=(
            themes.deliverables_under(theme) if permissions.can_read_private(current_user) else []
        ),
        refusal=refusal,
    )
    return page, status


editing.add_record_routes(
    themes_bp, "theme", Theme, ThemeForm, themes, page=_theme_page, said=THEME_SAID
)
