"""Indicators of the work plan's objectives: a baseline, a target and the values observed year by
year, progress toward the target computed whichever way is better, values typed or imported from
a CSV file, all or none."""

import io
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from workplan.models import Indicator, IndicatorValue
from workplan.services.indicators import progress_between

measures = st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False)


@given(baseline=measures, target=measures, share=st.decimals(min_value=-2, max_value=3, places=2))
def test_progress_is_the_share_of_the_way_covered_whichever_way_is_better(baseline, target, share):
    """0 at the baseline, 1 at the target, past 1 beyond it, below 0 the wrong way: the same
    for a falling target (a cost) as for a rising one."""
    if baseline == target:
        assert progress_between(baseline, target, baseline) is None
        return
    latest = baseline + share * (target - baseline)
    assert progress_between(baseline, target, latest) == share.quantize(Decimal("0.0001"))
    assert progress_between(baseline, target, baseline) == 0
    assert progress_between(baseline, target, target) == 1


@given(value=measures)
def test_without_a_baseline_target_or_value_there_is_no_progress(value):
    assert progress_between(None, value, value) is None
    assert progress_between(value, None, value) is None
    assert progress_between(value, value + 1, None) is None


@pytest.fixture
def secretariat(make, auth):
    user = make.user("secretariat")
    auth.login(user)
    return user


def _count(db_session, model) -> int:
    db_session.expire_all()
    return db_session.scalar(select(func.count()).select_from(model))


INDICATOR = {
    "name": "Average cost of sending USD 200",
    "unit": "percent",
    "direction": "down",
    "baseline_value": "7.9",
    "baseline_year": "2014",
    "target_value": "3",
    "target_year": "2030",
    "sdg_indicator": "10.c.1",
    "name_fr": "Coût moyen d'un envoi de 200 USD",
    "name_es": "",
}


def test_the_secretariat_follows_remittance_costs_toward_the_sdg_target(
    client, make, secretariat, db_session
):
    objective = make.objective(title="Cheaper remittances")
    page = f"/workplans/{objective.work_plan_id}/objectives/{objective.id}"
    assert client.post(f"{page}/indicators", data=INDICATOR).status_code == 302
    indicator = db_session.scalars(select(Indicator)).one()
    assert (indicator.baseline_value, indicator.target_value) == (Decimal("7.9"), Decimal("3"))

    url = f"/workplans/indicators/{indicator.id}/values"
    for year, value in (("2019", "6.8"), ("2023", "6.35")):
        sent = client.post(url, data={"year": year, "value": value, "source": "World Bank RPW"})
        assert sent.status_code == 302
    shown = client.get(page).get_data(as_text=True)
    # From 7.9 to 6.35 on the way to 3: 1.55 of 4.9, 31.6 percent.
    assert 'value="31.6"' in shown
    assert "6.35 in 2023: 31.6% of the way from the baseline of 7.9 (2014)" in shown
    assert "<svg" in shown and "SDG 10.c.1" in shown
    assert "World Bank RPW" in shown

    again = client.post(url, data={"year": "2023", "value": "6.2", "source": "World Bank RPW"})
    assert again.status_code == 302
    assert _count(db_session, IndicatorValue) == 2  # the year's value replaced, not doubled

    french = client.get(page, headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Coût moyen d&#39;un envoi de 200 USD" in french


def _upload(client, url: str, content: bytes):
    boundary, body = encode_multipart(
        {"file": FileStorage(stream=io.BytesIO(content), filename="values.csv")}
    )
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def test_values_come_from_a_csv_file_all_or_none(client, make, secretariat, db_session):
    indicator = make.indicator(values={2014: 7.9})
    url = f"/workplans/indicators/{indicator.id}/values/import"
    good = b"year,value,source\n2016,7.4,World Bank\n2018,7.0,World Bank\n"
    refused = _upload(client, url, good + b"2020,cheap,World Bank\n")
    assert refused.status_code == 400
    assert "Line 4: the value is not a number such as 6.2." in refused.get_data(as_text=True)
    assert _count(db_session, IndicatorValue) == 1

    # A European spreadsheet's file: a byte-order mark and semicolons.
    semicolons = b"\xef\xbb\xbfyear;value;source\n2014;8.0;Corrected\n2016;7.4;World Bank\n"
    imported = _upload(client, url, semicolons)
    assert imported.status_code == 302
    values = {v.year: (v.value, v.source) for v in db_session.scalars(select(IndicatorValue)).all()}
    assert values == {2014: (Decimal("8.0"), "Corrected"), 2016: (Decimal("7.4"), "World Bank")}
    # Cells beyond the named columns are left aside.
    extra = _upload(client, url, b"year,value,source\n2019,7.1,World Bank,checked twice\n")
    assert extra.status_code == 302
    # A decimal comma is not guessed at: 7,4 could be seven thousand four hundred.
    comma = _upload(client, url, b'year,value,source\n2018,"7,4",World Bank\n')
    assert "Line 2: the value is not a number such as 6.2." in comma.get_data(as_text=True)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"when,amount\n2016,7\n", "The first line must name the columns: year, value, source."),
        (b"year,value,source\n", "The file holds no values under its first line."),
        (b"year,value,source\n1850,7,Old\n", "Line 2: Give a year between 1990 and 2100."),
        (b"year,value,source\n2020,7,\n", "Line 2: Say where the figure comes from"),
        (b"year,value,source\n2020,7.12345,X\n", "Line 2: Give at most four decimals."),
        (b"year,value,source\n2020,1e30,X\n", "Line 2: Give a number of at most 16 digits."),
        (b"\xff\xfe\x00y", "Save the file as CSV in UTF-8"),
    ],
)
def test_a_wrong_csv_is_refused_with_a_sentence(
    client, make, secretariat, db_session, content, message
):
    indicator = make.indicator()
    response = _upload(client, f"/workplans/indicators/{indicator.id}/values/import", content)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _count(db_session, IndicatorValue) == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"target_value": "9"}, "A target is lower than the baseline when a falling value"),
        ({"direction": "up"}, "A target is higher than the baseline when a rising value"),
        ({"target_year": "2010"}, "The target&#39;s year comes after the baseline&#39;s."),
        ({"baseline_year": ""}, "Give the baseline&#39;s value and its year, or neither."),
        ({"target_value": "3.00001"}, "Give at most four decimals."),
        ({"sdg_indicator": "1.1.1"}, "Not a valid choice"),
        ({"name": " "}, "Name the indicator."),
        ({"unit": ""}, "Give its unit"),
        ({"direction": "sideways"}, "Not a valid choice"),
    ],
)
def test_a_wrong_indicator_is_refused_at_its_field(
    client, make, secretariat, db_session, changes, message
):
    objective = make.objective()
    response = client.post(
        f"/workplans/{objective.work_plan_id}/objectives/{objective.id}/indicators",
        data={**INDICATOR, **changes},
    )
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _count(db_session, Indicator) == 0


def test_an_indicator_without_baseline_or_target_says_what_it_lacks(client, make, secretariat):
    indicator = make.indicator(
        baseline_value=None, baseline_year=None, target_value=None, target_year=None
    )
    page = f"/workplans/{indicator.objective.work_plan_id}/objectives/{indicator.objective_id}"
    assert "No value recorded yet." in client.get(page).get_data(as_text=True)
    client.post(
        f"/workplans/indicators/{indicator.id}/values",
        data={"year": "2024", "value": "42", "source": "Survey"},
    )
    shown = client.get(page).get_data(as_text=True)
    assert "Give it a baseline and a target to see how far it has come." in shown


def test_a_target_passed_and_a_wrong_turn_are_said_as_such(client, make, secretariat):
    passed = make.indicator(values={2020: 2.5})
    wrong = make.indicator(objective=passed.objective, name="Recruitment cost", values={2021: 9})
    page = f"/workplans/{passed.objective.work_plan_id}/objectives/{passed.objective_id}"
    shown = client.get(page).get_data(as_text=True)
    assert "Target reached: 2.5 in 2020" in shown
    assert "Moving away from the target: 9 in 2021" in shown
    assert wrong.name in shown


def test_a_stale_edit_of_an_indicator_is_refused(client, make, secretariat, db_session):
    indicator = make.indicator()
    url = f"/workplans/indicators/{indicator.id}/edit"
    version = indicator.version
    mine = {**INDICATOR, "name": "Mine", "version": version}
    assert client.post(url, data=mine).status_code == 302
    theirs = client.post(url, data={**INDICATOR, "name": "Theirs", "version": version})
    assert theirs.status_code == 409
    db_session.expire_all()
    assert db_session.get(Indicator, indicator.id).name == "Mine"


def test_a_value_removed_leaves_the_others(client, make, secretariat, db_session):
    indicator = make.indicator(values={2019: 7.0, 2021: 6.4})
    first = min(indicator.values, key=lambda v: v.year)
    removed = client.post(f"/workplans/indicators/{indicator.id}/values/{first.id}/remove")
    assert removed.status_code == 302
    db_session.expire_all()
    assert [v.year for v in db_session.scalars(select(IndicatorValue))] == [2021]


def test_members_read_indicators_and_only_the_secretariat_changes_them(
    app, client, make, auth, db_session
):
    indicator = make.indicator(values={2020: 6.5})
    page = f"/workplans/{indicator.objective.work_plan_id}/objectives/{indicator.objective_id}"
    assert client.get(page).status_code == 302  # to the login page
    focal = make.user("focal_point")
    auth.login(focal)
    shown = client.get(page).get_data(as_text=True)
    assert "Average cost of sending USD 200" in shown and "Record a value" not in shown
    refused = client.post(
        f"/workplans/indicators/{indicator.id}/values",
        data={"year": "2024", "value": "5", "source": "Mine"},
    )
    assert refused.status_code == 403
    assert _count(db_session, IndicatorValue) == 1
