"""English, French and Spanish: how the language is chosen, and how things are written in it."""

from datetime import date
from decimal import Decimal

from babel.numbers import format_decimal
from hypothesis import given, settings
from hypothesis import strategies as st

from workplan import formatting


def test_accept_language_chooses_french(client):
    """A browser asking for French gets the page marked as French."""
    page = client.get("/auth/login", headers={"Accept-Language": "fr-CH, fr;q=0.9, en;q=0.5"})
    assert '<html lang="fr">' in page.get_data(as_text=True)


def test_unknown_language_falls_back_to_english(client):
    """A language the forum does not work in falls back to English."""
    page = client.get("/auth/login", headers={"Accept-Language": "de-DE"})
    assert '<html lang="en">' in page.get_data(as_text=True)


def test_switcher_beats_the_browser(client):
    """The visible switcher overrides Accept-Language for the rest of the visit."""
    response = client.post("/language", data={"lang": "es", "next": "/auth/login"})
    assert response.status_code == 302 and response.headers["Location"] == "/auth/login"
    page = client.get("/auth/login", headers={"Accept-Language": "fr"})
    assert '<html lang="es">' in page.get_data(as_text=True)


def test_switcher_refuses_unknown_language_and_foreign_next(client):
    """Only the three working languages, and never a redirect off the site."""
    assert client.post("/language", data={"lang": "de"}).status_code == 400
    response = client.post("/language", data={"lang": "fr", "next": "//evil.example"})
    assert response.headers["Location"] == "/"


def test_profile_language_beats_the_switcher(client, make, auth, db_session):
    """A signed-in user's choice is kept in their profile and wins over the session."""
    from workplan.models import User

    user = make.user()
    auth.login(user)
    client.post("/language", data={"lang": "fr"})
    assert make.fresh(User, user.id).locale == "fr"
    page = client.get("/", headers={"Accept-Language": "es"})
    assert '<html lang="fr">' in page.get_data(as_text=True)


def test_dates_and_money_follow_the_locale(app):
    """Dates and amounts are written the way each language writes them."""
    amount, day = Decimal("1234567.89"), date(2014, 10, 21)
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert formatting.day(day) == "21 October 2014"
        assert formatting.money(amount, "USD") == "1,234,567.89 USD"
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        assert formatting.day(day) == "21 octobre 2014"
        assert formatting.money(amount, "EUR").replace("\u202f", " ") == "1 234 567,89 EUR"
    with app.test_request_context(headers={"Accept-Language": "es"}):
        assert formatting.day(day) == "21 de octubre de 2014"
        assert formatting.money(amount, "CHF") == "1.234.567,89 CHF"


@settings(max_examples=300, deadline=None, database=None)
@given(
    amount=st.decimals(
        min_value=Decimal("-1e13"), max_value=Decimal("1e13"), places=4, allow_nan=False
    ),
    language=st.sampled_from(["en", "fr", "es"]),
)
def test_amounts_are_written_exactly_as_babel_writes_them(amount, language):
    """The fast path for money gives Babel's own text, separators and rounding included."""
    assert formatting._amount(amount, language) == format_decimal(
        amount, formatting.MONEY_PATTERN, locale=language
    )
