"""The forum's working languages: English, French and Spanish.

The language comes from the user's profile, then the switcher (kept in the session), then the
browser's Accept-Language, then English.
"""

from flask import Blueprint, abort, has_request_context, redirect, request, session
from flask_babel import gettext as _
from flask_login import current_user

from workplan.extensions import db
from workplan.web import is_safe_next

LANGUAGES = {"en": "English", "fr": "Français", "es": "Español"}
DEFAULT_LANGUAGE = "en"

bp = Blueprint("language", __name__)


def select_locale() -> str:
    """The language for this request."""
    if not has_request_context():
        return DEFAULT_LANGUAGE
    if current_user and current_user.is_authenticated and current_user.locale in LANGUAGES:
        return current_user.locale
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(list(LANGUAGES), DEFAULT_LANGUAGE)


@bp.post("/language")
def choose():
    """Switch the interface language; signed-in users keep it in their profile."""
    language = request.form.get("lang", "")
    if language not in LANGUAGES:
        abort(400, _("Choose English, Français or Español."))
    session["lang"] = language
    if current_user.is_authenticated:
        current_user.locale = language
        db.session.commit()
    target = request.form.get("next")
    return redirect(target if is_safe_next(target) else "/")
