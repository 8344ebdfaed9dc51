"""An objective's page: what it is, the deliverables that serve it, and its indicators with how
far each has come; the secretariat's screens to give it indicators and record their values."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from workplan import editing, formatting, permissions, web
from workplan.extensions import db
from workplan.models import Deliverable, Indicator, IndicatorValue, Objective, utcnow
from workplan.services import charts, deliverables, indicators
from workplan.workplans.forms import IndicatorForm, IndicatorValueForm, IndicatorValuesFileForm
from workplan.workplans.views import _objective, bp

manages_indicators = web.require(permissions.can_manage_indicators)


def chart_of(indicator: Indicator) -> charts.Chart | None:
    """The indicator's baseline, values and target as bars, one a year."""
    rows: list[tuple[str, object]] = []
    if indicator.baseline_value is not None:
        rows.append(
            (_("Baseline %(year)s", year=indicator.baseline_year), indicator.baseline_value)
        )
    rows += [(str(v.year), v.value) for v in indicator.values]
    if indicator.target_value is not None:
        rows.append((_("Target %(year)s", year=indicator.target_year), indicator.target_value))
    if not indicator.values:
        return None
    name = formatting.shown(indicator, "name")
    return charts.bar_chart(
        f"indicator-{indicator.id}",
        name,
        [label for label, _value in rows],
        [charts.Series(indicator.unit, [value for _label, value in rows])],
        axis_label=indicator.unit,
        description=_(
            "%(name)s: the baseline, each year's value and the target, in %(unit)s.",
            name=name,
            unit=indicator.unit,
        ),
    )


def _own_ids(form, indicator: Indicator):
    """Each indicator has its own forms on the page: their fields' ids name the indicator, so
    every label points at its own field (the names the server reads stay the same)."""
    for each in form:
        each.id = f"{each.name}-{indicator.id}"
    return form


def _objective_page(
    objective: Objective,
    *,
    indicator_form=None,
    value_forms=None,
    file_forms=None,
    status: int = 200,
):
    """The objective's page; a refused form is shown as typed, under its own indicator."""
    managing = permissions.can_manage_indicators(current_user) and objective.archived_at is None
    shown = indicators.indicators_of(objective)
    if managing and indicator_form is None:
        indicator_form = IndicatorForm(formdata=None)
    value_forms, file_forms = value_forms or {}, file_forms or {}
    return (
        render_template(
            "workplans/objective.html",
            work_plan=objective.work_plan,
            objective=objective,
            deliverables=deliverables.live_where(Deliverable.objective_id == objective.id),
            indicators=[
                (
                    indicator,
                    indicators.progress(indicator),
                    chart_of(indicator),
                    _own_ids(
                        value_forms.get(indicator.id) or IndicatorValueForm(formdata=None),
                        indicator,
                    ),
                    _own_ids(
                        file_forms.get(indicator.id) or IndicatorValuesFileForm(formdata=None),
                        indicator,
                    ),
                )
                for indicator in shown
            ],
            managing=managing,
            indicator_form=indicator_form,
            sdg_name=indicators.sdg_indicator_name,
            today=utcnow().date(),
        ),
        status,
    )


@bp.get("/<int:work_plan_id>/objectives/<int:objective_id>")
def objective(work_plan_id: int, objective_id: int):
    """An objective: its deliverables and its indicators."""
    _work_plan, found = _objective(work_plan_id, objective_id)
    return _objective_page(found)


def _indicators_url(indicator: Indicator) -> str:
    objective = indicator.objective
    return url_for(
        ".objective",
        work_plan_id=objective.work_plan_id,
        objective_id=objective.id,
        _anchor=f"indicator-{indicator.id}",
    )


@bp.post("/<int:work_plan_id>/objectives/<int:objective_id>/indicators")
@manages_indicators
def add_indicator(work_plan_id: int, objective_id: int):
    """Give an objective an indicator."""
    _work_plan, found = _objective(work_plan_id, objective_id)
    form = IndicatorForm()
    return editing.save(
        form,
        lambda: indicators.add_indicator(found, form.details()),
        page=lambda form, status, newer=None: _objective_page(
            found, indicator_form=form, status=status
        ),
        done=lambda indicator: _("“%(name)s” is added.", name=indicator.name),
        then=_indicators_url,
    )


def _indicator(indicator_id: int) -> Indicator:
    """An indicator of an objective that is not archived; else a 404."""
    indicator = db.session.get(Indicator, indicator_id)
    if indicator is None or indicator.objective.archived_at is not None:
        abort(404)
    return indicator


@bp.route("/indicators/<int:indicator_id>/edit", methods=["GET", "POST"])
@manages_indicators
def edit_indicator(indicator_id: int):
    """Change an indicator; a stale copy is refused, never merged."""
    indicator = _indicator(indicator_id)
    form = IndicatorForm.for_record(indicator)

    return editing.save_edit(
        form,
        indicator,
        indicators.update_indicator,
        page=editing.form_page("workplans/indicator_form.html", indicator=indicator),
        done=lambda saved: _("“%(name)s” is saved.", name=saved.name),
        then=_indicators_url,
    )


def _on_values(indicator: Indicator, form, field, change, said, *, forms: str):
    """Record values through a form under the indicator: on success say what was done, else
    show the objective's page with that form as typed (`forms` names which of its forms)."""
    sent, result = editing.submitted(form, field, change)
    if not sent:
        objective = db.session.get(Objective, indicator.objective_id)
        return _objective_page(objective, **{forms: {indicator.id: form}}, status=400)
    db.session.commit()
    flash(said(result), "success")
    return redirect(_indicators_url(indicator))


@bp.post("/indicators/<int:indicator_id>/values")
@manages_indicators
def record_value(indicator_id: int):
    """Record the value an indicator was observed at in a year."""
    indicator = _indicator(indicator_id)
    form = IndicatorValueForm()
    return _on_values(
        indicator,
        form,
        form.value,
        lambda: indicators.record_value(
            indicator, form.year.data, form.value.data, form.source.data, current_user
        ),
        lambda result: (
            _("The value for %(year)s is replaced.", year=result[0].year)
            if result[1]
            else _("The value for %(year)s is recorded.", year=result[0].year)
        ),
        forms="value_forms",
    )


@bp.post("/indicators/<int:indicator_id>/values/import")
@manages_indicators
def import_values(indicator_id: int):
    """Record every value of a CSV file, or none when one of its lines is refused."""
    indicator = _indicator(indicator_id)
    form = IndicatorValuesFileForm()
    return _on_values(
        indicator,
        form,
        form.file,
        lambda: indicators.import_values(indicator, form.file.data.read(), current_user),
        lambda imported: ngettext(
            "%(num)d value imported: %(added)s new, %(replaced)s replacing the year's earlier one.",
            "%(num)d values imported: %(added)s new, %(replaced)s replacing the year's earlier "
            "one.",
            imported.added + imported.replaced,
            added=imported.added,
            replaced=imported.replaced,
        ),
        forms="file_forms",
    )


@bp.post("/indicators/<int:indicator_id>/values/<int:value_id>/remove")
@manages_indicators
def remove_value(indicator_id: int, value_id: int):
    """Take a value off the record; the audit log keeps what it was."""
    indicator = _indicator(indicator_id)
    value = db.session.get(IndicatorValue, value_id)
    if value is None or value.indicator_id != indicator.id:
        abort(404)
    year = value.year
    return editing.commit_or_refuse(
        lambda: indicators.remove_value(value),
        refused=lambda message: abort(409, message),
        done=_("The value for %(year)s is removed.", year=year),
        then=_indicators_url(indicator),
    )
