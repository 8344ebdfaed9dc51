"""The secretariat records pledges and payments in the browser: exact amounts in their own
currency, the move from pledged to committed, payments on the pledge's page, and stale edits
refused with a 409 that keeps what was typed."""

import re
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from tests.helpers import (
    audit_events,
    changing_forms,
    field_error,
    row_counts,
    text_of,
)
from workplan.models import Payment, Pledge
from workplan.services import records


@pytest.fixture
def funds(make):
    """Two donors, two chairmanships with a roundtable each, a pledge with a payment, and the
    three roles (the focal point speaks for the donor government)."""
    sweden = make.government("SWE", "Sweden")
    turkey = make.government("TUR", "Turkey")
    iom = make.organisation("International Organization for Migration", acronym="IOM")
    gfmd_2014 = make.chairmanship(
        "GFMD 2014-2015", chairs=[turkey], starts_on=date(2014, 7, 1), ends_on=date(2015, 12, 31)
    )
    gfmd_2016 = make.chairmanship(
        "GFMD 2016", chairs=[sweden], starts_on=date(2016, 1, 1), ends_on=date(2016, 12, 31)
    )
    rt_2014 = make.roundtable(gfmd_2014, number="1.1", title="Empowering migrants")
    rt_2016 = make.roundtable(gfmd_2016, number="2.1", title="Migration and the SDGs")
    pledge = make.pledge(
        sweden, gfmd_2014, amount="500000.00", currency="SEK", pledged_on=date(2014, 10, 22)
    )
    payment = make.payment(pledge, amount="100000.00", reference="SIDA-1")
    return SimpleNamespace(
        sweden=sweden,
        turkey=turkey,
        iom=iom,
        gfmd_2014=gfmd_2014,
        gfmd_2016=gfmd_2016,
        rt_2014=rt_2014,
        rt_2016=rt_2016,
        pledge=pledge,
        payment=payment,
        secretariat=make.user(role="secretariat"),
        member=make.user(role="member"),
        focal_point=make.user(role="focal_point", government=sweden),
    )


def pledge_form(funds, **overrides) -> dict:
    data = {
        "donor": "gov:TUR",
        "chairmanship": str(funds.gfmd_2014.id),
        "amount": "250,000.50",
        "currency": "chf",
        "kind": "cash",
        "in_kind_description": "",
        "earmark": "general",
        "earmark_roundtable": "",
        "earmark_activity": "",
        "pledged_on": "2014-11-03",
        "rate_to_base": "1.0865",
        "notes": "Letter of the ministry",
    }
    data.update(overrides)
    return data


def edit_form(funds, pledge, **overrides) -> dict:
    """The edit form as the pledge's page fills it, with the version it was opened at."""
    saved = {
        "donor": "gov:SWE",
        "amount": "500000",
        "currency": "SEK",
        "pledged_on": "2014-10-22",
        "rate_to_base": "",
        "notes": "",
        "version": str(pledge.version),
    }
    return pledge_form(funds, **{**saved, **overrides})


def refused_without_writing(client, make, url, data, status=400):
    """POST bad input, check the status and that no row anywhere changed in number."""
    before = row_counts(make)
    response = client.post(url, data=data)
    assert response.status_code == status, text_of(response)[:2000]
    assert row_counts(make) == before
    return response


def newest_pledge(make) -> Pledge:
    make.session.expire_all()
    return make.session.scalars(select(Pledge).order_by(Pledge.id.desc())).first()


# Recording pledges


def test_secretariat_records_a_cash_pledge(client, auth, make, funds):
    """The amount is kept exactly, the currency in capitals, the rate as typed; audited."""
    auth.login(funds.secretariat)
    form = client.get(f"/pledges/new?chairmanship={funds.gfmd_2014.id}").get_data(as_text=True)
    assert f'<option selected value="{funds.gfmd_2014.id}">' in form
    assert 'value="USD"' in form  # the reporting currency is the default
    for label in ("Donor", "Amount", "Currency", "Kind", "For", "Pledged on", "Rate to USD"):
        assert f">{label}" in form, label
    response = client.post("/pledges/new", data=pledge_form(funds))
    assert response.status_code == 302
    pledge = newest_pledge(make)
    assert response.location.endswith(f"/pledges/{pledge.id}")
    assert pledge.donor_government_id == funds.turkey.id and pledge.donor_organisation_id is None
    assert pledge.amount == Decimal("250000.50") and pledge.currency == "CHF"
    assert pledge.rate_to_base == Decimal("1.0865")
    assert (pledge.kind, pledge.earmark, pledge.status) == ("cash", "general", "pledged")
    assert pledge.pledged_on == date(2014, 11, 3) and pledge.notes == "Letter of the ministry"
    [event] = audit_events(make, "Pledge", pledge.id)
    assert event.action == "create" and event.new_values["amount"] == "250000.50"
    assert "The pledge by Turkey is recorded." in text_of(client.get(response.location))


def test_in_kind_pledge_by_an_organisation_for_a_roundtable(client, auth, make, funds):
    """An organisation's pledge in kind, earmarked for a roundtable of the same chairmanship."""
    auth.login(funds.secretariat)
    response = client.post(
        "/pledges/new",
        data=pledge_form(
            funds,
            donor=f"org:{funds.iom.id}",
            kind="in_kind",
            in_kind_description="Venue and interpretation",
            earmark="roundtable",
            earmark_roundtable=str(funds.rt_2014.id),
            currency="USD",
            rate_to_base="",
        ),
    )
    assert response.status_code == 302
    pledge = newest_pledge(make)
    assert pledge.donor_organisation_id == funds.iom.id and pledge.donor_government_id is None
    assert pledge.in_kind_description == "Venue and interpretation"
    assert pledge.earmark_roundtable_id == funds.rt_2014.id and pledge.rate_to_base is None


def test_pledge_for_a_named_activity(client, auth, make, funds):
    """A pledge can be earmarked for a named activity."""
    auth.login(funds.secretariat)
    data = pledge_form(funds, earmark="activity", earmark_activity="Civil Society Days")
    assert client.post("/pledges/new", data=data).status_code == 302
    assert newest_pledge(make).earmark_activity == "Civil Society Days"


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("0", "more than zero"),
        ("0.00", "more than zero"),
        ("-5000", "more than zero"),
        ("lots", "Write a number"),
        ("1e6", "Write a number"),
        ("NaN", "Write a number"),
        ("250,5", "Write a number"),
        ("100.001", "at most two decimals"),
        ("", "Give the amount pledged"),
        ("99999999999999999", "too large"),
    ],
)
def test_bad_amount_is_refused_at_the_field(client, auth, make, funds, amount, words):
    """Zero, negative, non-numbers, fractions of a cent and absurd sizes are refused."""
    auth.login(funds.secretariat)
    response = refused_without_writing(
        client, make, "/pledges/new", pledge_form(funds, amount=amount)
    )
    assert words in field_error(response, "amount")
    assert f'value="{amount}"' in response.get_data(as_text=True) or not amount


@pytest.mark.parametrize("currency", ["XYZ", "US", "usd1", "€"])
def test_unknown_currency_is_refused(client, auth, make, funds, currency):
    """Only ISO 4217 codes are accepted."""
    auth.login(funds.secretariat)
    response = refused_without_writing(
        client, make, "/pledges/new", pledge_form(funds, currency=currency)
    )
    error = field_error(response, "currency")
    assert "ISO 4217" in error or "Field cannot be longer" in error


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"kind": "in_kind"}, "in_kind_description", "Describe the service"),
        ({"earmark": "activity"}, "earmark_activity", "Name the activity"),
        ({"earmark": "roundtable"}, "earmark_roundtable", "Choose the roundtable"),
        (
            {"earmark": "roundtable", "earmark_roundtable": "rt2016"},
            "earmark_roundtable",
            "RT 2.1 belongs to GFMD 2016, not to GFMD 2014-2015.",
        ),
        ({"donor": "gov:XXX"}, "donor", "not a government or an organisation on record"),
        ({"donor": ""}, "donor", "Choose the government or organisation"),
        ({"chairmanship": "999999"}, "chairmanship", "Choose the chairmanship"),
        ({"rate_to_base": "0"}, "rate_to_base", "more than zero"),
        ({"rate_to_base": "1.123456789"}, "rate_to_base", "at most eight decimals"),
        ({"currency": "USD", "rate_to_base": "0.9"}, "rate_to_base", "its rate is 1"),
        ({"pledged_on": ""}, "pledged_on", "Give the day of the pledge"),
        ({"kind": "loan"}, "kind", "Not a valid choice"),
    ],
)
def test_bad_pledge_is_refused_at_the_field(client, auth, make, funds, overrides, field, words):
    """Each rule's refusal stands next to its field, and nothing is written."""
    auth.login(funds.secretariat)
    if overrides.get("earmark_roundtable") == "rt2016":
        overrides["earmark_roundtable"] = str(funds.rt_2016.id)
    response = refused_without_writing(
        client, make, "/pledges/new", pledge_form(funds, **overrides)
    )
    assert words in field_error(response, field)


# Editing, and the stale edit


def test_secretariat_edits_a_pledge(client, auth, make, funds):
    """The edit form starts from the record and carries its version; saving raises it."""
    auth.login(funds.secretariat)
    form = client.get(f"/pledges/{funds.pledge.id}/edit").get_data(as_text=True)
    assert 'name="version" type="hidden" value="1"' in form
    assert 'value="500000.00"' in form and '<option selected value="gov:SWE">' in form
    response = client.post(
        f"/pledges/{funds.pledge.id}/edit",
        data=edit_form(funds, funds.pledge, amount="550000", notes="Raised in December"),
    )
    assert response.status_code == 302
    saved = make.fresh(Pledge, funds.pledge.id)
    assert saved.amount == Decimal("550000.00") and saved.version == 2
    event = audit_events(make, "Pledge", saved.id)[-1]
    assert event.old_values["amount"] == "500000.00" and event.new_values["amount"] == "550000.00"


def test_stale_edit_is_refused_with_409_keeping_the_typing(client, auth, make, funds):
    """Someone saved in between: the 409 page shows their values beside the typed ones, keeps
    the typing in the form, writes nothing; saving again from it is a deliberate replacement."""
    auth.login(funds.secretariat)
    client.get(f"/pledges/{funds.pledge.id}/edit")
    other = make.session.get(Pledge, funds.pledge.id)
    other.amount, other.notes = Decimal("600000.00"), "Changed by a colleague"
    make.session.commit()
    before = row_counts(make)

    # The form was opened at version 1; the colleague's save made it 2.
    typed = edit_form(funds, funds.pledge, amount="550000", notes="My own note", version="1")
    response = client.post(f"/pledges/{funds.pledge.id}/edit", data=typed)
    assert response.status_code == 409
    assert row_counts(make) == before
    saved = make.fresh(Pledge, funds.pledge.id)
    assert saved.amount == Decimal("600000.00") and saved.notes == "Changed by a colleague"

    page = response.get_data(as_text=True)
    text = text_of(response)
    assert "Someone else saved this record after you opened it" in text
    amount_row = re.search(r"<th scope=\"row\">Amount</th>(.*?)</tr>", page, re.S).group(1)
    assert "600,000.00" in amount_row and "550,000.00" in amount_row
    assert "Changed by a colleague" in text
    assert 'value="550000"' in page and "My own note</textarea>" in page
    assert 'name="version" type="hidden" value="2"' in page

    resend = dict(typed, version="2")
    assert client.post(f"/pledges/{funds.pledge.id}/edit", data=resend).status_code == 302
    saved = make.fresh(Pledge, funds.pledge.id)
    assert saved.amount == Decimal("550000.00") and saved.notes == "My own note"


def test_save_racing_another_is_a_409_too(client, auth, make, funds, monkeypatch):
    """When the other save lands between the version check and the write, the database's
    version check (StaleDataError) gives the same 409, and nothing of ours is written."""
    original = records.check_version

    def someone_saves_meanwhile(record, version):
        original(record, version)
        other = make.session.get(Pledge, record.id)
        other.notes = "Saved a moment earlier"
        make.session.commit()

    monkeypatch.setattr(records, "check_version", someone_saves_meanwhile)
    auth.login(funds.secretariat)
    response = client.post(
        f"/pledges/{funds.pledge.id}/edit",
        data=edit_form(funds, funds.pledge, amount="510000", notes="Mine"),
    )
    assert response.status_code == 409
    assert "Someone else saved this record" in text_of(response)
    saved = make.fresh(Pledge, funds.pledge.id)
    assert saved.amount == Decimal("500000.00") and saved.notes == "Saved a moment earlier"
    assert [e.action for e in audit_events(make, "Pledge", saved.id)] == ["create", "update"]
    assert 'value="510000"' in response.get_data(as_text=True)


# From pledged to committed


def test_secretariat_marks_a_pledge_committed(client, auth, make, funds):
    """The move to committed is its own action with the day the agreement was signed."""
    auth.login(funds.secretariat)
    page = client.get(f"/pledges/{funds.pledge.id}").get_data(as_text=True)
    assert ">Agreement signed on</label>" in page and "Mark as committed" in page
    response = client.post(
        f"/pledges/{funds.pledge.id}/commit", data={"committed_on": "2015-01-10", "version": "1"}
    )
    assert response.status_code == 302
    saved = make.fresh(Pledge, funds.pledge.id)
    assert (saved.status, saved.committed_on) == ("committed", date(2015, 1, 10))
    event = audit_events(make, "Pledge", saved.id)[-1]
    assert event.new_values == {"status": "committed", "committed_on": "2015-01-10"}
    page = text_of(client.get(f"/pledges/{funds.pledge.id}"))
    assert "The pledge by Sweden is committed." in page
    assert "400,000.00 SEK" in page  # outstanding: committed minus received
    assert "Mark as committed" not in page


def test_bad_commitments_are_refused(client, auth, make, funds):
    """Before the pledge, without a date, twice, or from a stale page: refused, nothing written."""
    auth.login(funds.secretariat)
    url = f"/pledges/{funds.pledge.id}/commit"
    response = refused_without_writing(
        client, make, url, {"committed_on": "2014-01-01", "version": "1"}
    )
    assert "the agreement cannot come before" in field_error(response, "committed_on")
    response = refused_without_writing(client, make, url, {"committed_on": "", "version": "1"})
    assert "Give the day the agreement was signed" in field_error(response, "committed_on")
    response = refused_without_writing(
        client, make, url, {"committed_on": "2015-01-10", "version": "0"}, 409
    )
    assert "Someone else saved this record after you opened it" in text_of(response)
    assert 'value="2015-01-10"' in response.get_data(as_text=True)
    assert make.fresh(Pledge, funds.pledge.id).status == "pledged"

    client.post(url, data={"committed_on": "2015-01-10", "version": "1"})
    response = refused_without_writing(
        client, make, url, {"committed_on": "2015-02-01", "version": "2"}
    )
    assert "already committed on 10 January 2015" in text_of(response)


# Payments


def test_payments_are_recorded_and_listed_on_the_pledge(client, auth, make, funds):
    """A payment in the pledge's currency, with its date, rate and reference."""
    auth.login(funds.secretariat)
    page = client.get(f"/pledges/{funds.pledge.id}").get_data(as_text=True)
    assert ">Amount received (SEK)</label>" in page and "Record payment" in page
    response = client.post(
        f"/pledges/{funds.pledge.id}/payments",
        data={
            "amount": "150000.25",
            "received_on": "2015-03-02",
            "rate_to_base": "0.118",
            "reference": "SIDA-2",
        },
    )
    assert response.status_code == 302
    payment = make.session.scalars(select(Payment).where(Payment.reference == "SIDA-2")).one()
    assert payment.amount == Decimal("150000.25") and payment.rate_to_base == Decimal("0.118")
    assert payment.received_on == date(2015, 3, 2) and payment.pledge_id == funds.pledge.id
    page = text_of(client.get(f"/pledges/{funds.pledge.id}"))
    assert "150,000.25 SEK" in page and "SIDA-2" in page and "250,000.25 SEK" in page
    assert [e.action for e in audit_events(make, "Payment", payment.id)] == ["create"]


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"amount": "0"}, "amount", "more than zero"),
        ({"amount": "-10"}, "amount", "more than zero"),
        ({"amount": "ten"}, "amount", "Write a number"),
        ({"amount": "10.005"}, "amount", "at most two decimals"),
        ({"received_on": ""}, "received_on", "Give the day the payment arrived"),
        ({"rate_to_base": "-1"}, "rate_to_base", "more than zero"),
        ({"rate_to_base": "one"}, "rate_to_base", "Write a number"),
        ({"rate_to_base": "0"}, "rate_to_base", "more than zero"),
    ],
)
def test_bad_payment_is_refused_at_the_field(client, auth, make, funds, data, field, words):
    """The pledge page comes back (400) with the message at the field; nothing is written."""
    auth.login(funds.secretariat)
    payment = {"amount": "1000", "received_on": "2015-03-02", "rate_to_base": "", **data}
    response = refused_without_writing(
        client, make, f"/pledges/{funds.pledge.id}/payments", payment
    )
    assert words in field_error(response, field)
    assert "Pledge by Sweden" in text_of(response)


def test_secretariat_removes_a_payment_after_confirming(client, auth, make, funds):
    """Removal asks for confirmation, deletes the payment and leaves its values in the audit."""
    auth.login(funds.secretariat)
    page = client.get(f"/pledges/{funds.pledge.id}").get_data(as_text=True)
    assert re.search(
        rf'action="/pledges/{funds.pledge.id}/payments/{funds.payment.id}/remove"'
        r'[^>]* data-confirm="Remove the payment of 100,000.00 SEK received on 15 January 2015\?',
        page,
    )
    response = client.post(f"/pledges/{funds.pledge.id}/payments/{funds.payment.id}/remove")
    assert response.status_code == 302
    gone = make.session.scalar(select(func.count()).where(Payment.id == funds.payment.id))
    assert gone == 0
    deleted = audit_events(make, "Payment", funds.payment.id)[-1]
    assert deleted.action == "delete" and deleted.old_values["amount"] == "100000.00"
    assert deleted.old_values["reference"] == "SIDA-1" and deleted.actor == funds.secretariat.email
    assert "The payment of 100,000.00 SEK is removed." in text_of(client.get(response.location))


def test_payment_of_another_pledge_is_not_removed_here(client, auth, make, funds):
    """A payment id from another pledge answers 404 and stays."""
    other = make.pledge(funds.turkey, funds.gfmd_2014)
    auth.login(funds.secretariat)
    refused_without_writing(
        client, make, f"/pledges/{other.id}/payments/{funds.payment.id}/remove", {}, 404
    )


# Archive and restore


def test_archive_hides_a_pledge_and_restore_brings_it_back(client, auth, make, funds):
    """Archived pledges leave lists, pages and totals for members; both steps are audited."""
    auth.login(funds.secretariat)
    page = client.get(f"/pledges/{funds.pledge.id}").get_data(as_text=True)
    assert 'data-confirm="Archive this pledge?' in page
    assert client.post(f"/pledges/{funds.pledge.id}/archive").status_code == 302
    archived = text_of(client.get("/pledges/?archived=1"))
    assert "Archived pledges" in archived and "Sweden" in archived
    detail = text_of(client.get(f"/pledges/{funds.pledge.id}"))
    assert ">Restore</button>" in detail and "Record payment" not in detail

    auth.logout()
    auth.login(funds.focal_point)
    assert client.get(f"/pledges/{funds.pledge.id}").status_code == 404
    assert "500,000.00 SEK" not in text_of(client.get(f"/chairmanships/{funds.gfmd_2014.id}"))
    assert client.get("/pledges/?archived=1").status_code == 403

    auth.logout()
    auth.login(funds.secretariat)
    assert client.post(f"/pledges/{funds.pledge.id}/restore").status_code == 302
    assert make.fresh(Pledge, funds.pledge.id).archived_at is None
    events = audit_events(make, "Pledge", funds.pledge.id)
    assert [e.action for e in events] == ["create", "update", "update"]
    assert events[-1].new_values == {"archived_at": None}


def test_archived_pledge_takes_no_payment(client, auth, make, funds):
    """Restore first: an archived pledge's payment routes answer 404 and write nothing."""
    auth.login(funds.secretariat)
    client.post(f"/pledges/{funds.pledge.id}/archive")
    refused_without_writing(
        client,
        make,
        f"/pledges/{funds.pledge.id}/payments",
        {"amount": "10", "received_on": "2015-03-02"},
        404,
    )


# Who may do it


def write_requests(funds) -> list[tuple[str, str, dict]]:
    p, pay = funds.pledge.id, funds.payment.id
    return [
        ("GET", "/pledges/new", {}),
        ("POST", "/pledges/new", pledge_form(funds)),
        ("GET", f"/pledges/{p}/edit", {}),
        ("POST", f"/pledges/{p}/edit", edit_form(funds, funds.pledge, amount="1")),
        ("POST", f"/pledges/{p}/commit", {"committed_on": "2015-01-10", "version": "1"}),
        ("POST", f"/pledges/{p}/archive", {}),
        ("POST", f"/pledges/{p}/restore", {}),
        ("POST", f"/pledges/{p}/payments", {"amount": "10", "received_on": "2015-03-02"}),
        ("POST", f"/pledges/{p}/payments/{pay}/remove", {}),
    ]


@pytest.mark.parametrize("role", ["member", "focal_point"])
def test_only_the_secretariat_records_pledges_and_payments(client, auth, make, funds, role):
    """A member, and a focal point even for their own government's pledge, get 403 everywhere
    and change nothing."""
    auth.login(getattr(funds, role))
    before = row_counts(make)
    for method, url, data in write_requests(funds):
        assert client.open(url, method=method, data=data).status_code == 403, f"{method} {url}"
    assert row_counts(make) == before
    saved = make.fresh(Pledge, funds.pledge.id)
    assert (saved.amount, saved.status, saved.archived_at) == (
        Decimal("500000.00"),
        "pledged",
        None,
    )


def test_visitors_are_sent_to_log_in(client, make, funds):
    """Someone not logged in is asked to log in, and nothing is written."""
    before = row_counts(make)
    for method, url, data in write_requests(funds):
        response = client.open(url, method=method, data=data)
        assert response.status_code == 302 and "/auth/login" in response.location, url
    assert row_counts(make) == before


@pytest.mark.parametrize("role", ["member", "focal_point"])
def test_members_and_focal_points_see_no_pledge_buttons(client, auth, funds, role):
    """They read pledges (the focal point their own government's) but see no way to change them."""
    auth.login(getattr(funds, role))
    for url in ("/pledges/", f"/pledges/{funds.pledge.id}", f"/chairmanships/{funds.gfmd_2014.id}"):
        page = client.get(url).get_data(as_text=True)
        assert "Pledge by Sweden" in page or "Sweden" in page, url
        for words in (
            "/pledges/new",
            ">Edit</a>",
            ">Archive</button>",
            "Mark as committed",
            "Record payment",
            "Remove payment",
            'name="archived"',
        ):
            assert words not in page, f"{words} on {url}"
        assert not changing_forms(page), url


def test_secretariat_sees_the_pledge_buttons(client, auth, funds):
    """New pledge on the list and the chairmanship; Edit, Archive, commit and payments on the
    pledge."""
    auth.login(funds.secretariat)
    assert 'href="/pledges/new"' in client.get("/pledges/").get_data(as_text=True)
    chair = client.get(f"/chairmanships/{funds.gfmd_2014.id}").get_data(as_text=True)
    assert f'href="/pledges/new?chairmanship={funds.gfmd_2014.id}"' in chair
    page = client.get(f"/pledges/{funds.pledge.id}").get_data(as_text=True)
    for words in (
        ">Edit</a>",
        ">Archive</button>",
        "Mark as committed",
        "Record payment",
        "Remove payment of 100,000.00 SEK",
    ):
        assert words in page, words


# The list: filters, search and sorting in the URL


def test_pledge_list_filters_searches_and_sorts(client, auth, make, funds):
    """Kind, currency, text and sort are query parameters a person can bookmark."""
    make.pledge(
        funds.iom,
        funds.gfmd_2016,
        amount="75000.00",
        currency="USD",
        kind="in_kind",
        in_kind_description="Venue for the Civil Society Days",
    )
    auth.login(funds.member)

    def table(url):
        response = client.get(url)
        assert response.status_code == 200, url
        page = text_of(response)
        return page[page.index("<table") :] if "<table" in page else ""

    assert "Sweden" not in table("/pledges/?kind=in_kind") and "IOM" not in table(
        "/pledges/?kind=cash"
    )
    assert "International Organization" in table("/pledges/?kind=in_kind")
    assert "International Organization" not in table("/pledges/?currency=SEK")
    assert "Sweden" not in table("/pledges/?q=civil society")
    assert "International Organization" not in table("/pledges/?q=swe")
    by_donor = table("/pledges/?sort=donor")
    assert by_donor.index("International Organization") < by_donor.index("Sweden")
    oldest = table("/pledges/?sort=pledged_on")
    assert oldest.index("Sweden") < oldest.index("International Organization")
    assert "No pledges match" in text_of(client.get("/pledges/?currency=jpy"))
    for bad in ("?kind=loan", "?currency=ABC", "?currency=dollars", "?sort=value"):
        assert client.get(f"/pledges/{bad}").status_code == 400, bad
