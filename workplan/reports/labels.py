"""Every word the reports show a reader, in one place, ready to be marked for translation.

Field names (the keys of JSON objects and CSV columns) are not here: they are a stable contract
and never translated. Only what a person reads is.
"""

from workplan import formatting
from workplan.formatting import STATUS_LABELS
from workplan.formatting import lazy_gettext as _l


class Worded(dict):
    """Labels marked for translation, worded in the reader's language when they are read.

    Reports hand labels to the CSV and Excel writers and to WeasyPrint, which want plain text
    rather than lazy translations.
    """

    def __getitem__(self, key):
        value = super().__getitem__(key)
        return tuple(str(v) for v in value) if isinstance(value, tuple) else str(value)

    def get(self, key, default=None):
        try:
            return self[key]
        except KeyError:
            return default


REPORT_TITLES = Worded(
    {
        "chairmanship": _l("Chairmanship report"),
        "multiannual": _l("Multiannual report"),
        "government": _l("Government report"),
        "handover": _l("Handover pack for the next chair"),
    }
)

FORMATS = {"csv": "CSV", "xlsx": "Excel", "pdf": "PDF", "json": "JSON"}

FACTS = Worded(
    {
        "chair": _l("Chair"),
        "term": _l("Term"),
        "theme": _l("Theme"),
        "summit_city": _l("Summit"),
        "generated_on": _l("Made on"),
        "base_currency": _l("Reporting currency"),
        "government": _l("Government"),
        "iso3": _l("ISO 3166 code"),
        "chairmanships": _l("Chairmanships"),
        "next_chairmanship": _l("Next chair"),
    }
)

SECTIONS = Worded(
    {
        "summary": _l("Summary"),
        "deliverables": _l("Deliverables"),
        "watch": _l("Overdue and at risk"),
        "meetings": _l("Meetings"),
        "funding": _l("Funding"),
        "ledger": _l("Pledges one by one"),
        "years": _l("Deliverables chairmanship by chairmanship"),
        "objectives": _l("Work-plan objectives"),
        "trails": _l("Carried-over work"),
        "indicators": _l("Indicators: from baseline to target"),
        "money": _l("Funding across the years"),
        "roles": _l("Chairs, roundtables and teams"),
        "payments": _l("Payments"),
        "balances": _l("Balances and unspent funds"),
        "budget": _l("The budget's state"),
        "open_money": _l("Open pledges and instalments"),
        "open_work": _l("Open and carried-over deliverables"),
        "unconverted": _l("Amounts not converted"),
    }
)

TABLES = Worded(
    {
        "summary": (_l("Summary"), _l("Summary")),
        "deliverables_totals": (_l("Deliverables by status"), _l("Status")),
        "deliverables_by_roundtable": (_l("Deliverables by roundtable"), _l("By roundtable")),
        "deliverables_by_team": (_l("Deliverables by government team"), _l("By team")),
        "deliverables_by_objective": (
            _l("Deliverables by work-plan objective"),
            _l("By objective"),
        ),
        "overdue": (_l("Overdue deliverables"), _l("Overdue")),
        "at_risk": (_l("Deliverables at risk"), _l("At risk")),
        "meetings_by_kind": (_l("Meetings held against planned"), _l("Meetings")),
        "funding_by_donor": (_l("Funding by donor"), _l("By donor")),
        "funding_by_earmark": (_l("Funding by earmark"), _l("By earmark")),
        "funding_by_kind": (_l("Funding by kind"), _l("By kind")),
        "funding_by_currency": (_l("Funding by currency"), _l("By currency")),
        "unconverted": (
            _l("Pledges without a rate (not converted, not counted)"),
            _l("Unconverted"),
        ),
        "overpaid": (_l("Overpaid pledges"), _l("Overpaid")),
        "budget": (_l("Budget: requirements and coverage"), _l("Budget")),
        "pledges": (_l("Pledges"), _l("Pledges")),
        "years": (_l("Deliverables per chairmanship"), _l("Per chairmanship")),
        "objectives": (_l("Deliverables per objective and chairmanship"), _l("Objectives")),
        "indicators": (_l("Indicators of the work-plan objectives"), _l("Indicators")),
        "trails": (_l("Carry-over trail"), _l("Carry-over")),
        "funding_by_chairmanship": (_l("Funding per chairmanship"), _l("Funding")),
        "chairmanships": (_l("Chairmanships held"), _l("Chairmanships")),
        "roundtables": (_l("Roundtables"), _l("Roundtables")),
        "teams": (_l("Government teams"), _l("Teams")),
        "deliverables": (_l("Deliverables"), _l("Deliverables")),
        "deliverables_by_chairmanship": (
            _l("Deliverables per chairmanship"),
            _l("Per chairmanship"),
        ),
        "payments": (_l("Payments received"), _l("Payments")),
        "open_pledges": (_l("Pledges not yet paid in full"), _l("Open pledges")),
        "instalments": (_l("Instalments not yet covered by payments"), _l("Instalments")),
        "open_deliverables": (_l("Deliverables open or carried over"), _l("Open work")),
    }
)

COLUMNS = Worded(
    {
        "id": _l("#"),
        "measure": _l("Measure"),
        "value": _l("Value"),
        "unit": _l("Unit"),
        "roundtable": _l("Roundtable"),
        "team": _l("Team"),
        "objective": _l("Objective"),
        "work_plan": _l("Work plan"),
        "title": _l("Title"),
        "indicator": _l("Indicator"),
        "sdg_indicator": _l("SDG indicator"),
        "direction": _l("Progress is"),
        "baseline_value": _l("Baseline"),
        "baseline_year": _l("Baseline year"),
        "target_value": _l("Target"),
        "target_year": _l("Target year"),
        "latest_value": _l("Latest value"),
        "latest_year": _l("Latest year"),
        "percent_of_way": _l("Share of the way to the target"),
        "total": _l("Deliverables"),
        "overdue": _l("Overdue"),
        "percent_complete": _l("Percent complete"),
        "deliverable": _l("Deliverable"),
        "owner": _l("Owner"),
        "responsible": _l("Responsible governments"),
        "status": _l("Status"),
        "due_on": _l("Due"),
        "days_overdue": _l("Days overdue"),
        "kind": _l("Kind"),
        "planned": _l("Planned"),
        "held": _l("Held"),
        "upcoming": _l("Still to come"),
        "cancelled": _l("Cancelled"),
        "donor": _l("Donor"),
        "donor_type": _l("Donor type"),
        "earmark": _l("Earmark"),
        "earmark_name": _l("For"),
        "currency": _l("Currency"),
        "pledges": _l("Pledges"),
        "unconverted": _l("Unconverted pledges"),
        "pledged": _l("Pledged"),
        "committed": _l("Committed"),
        "received": _l("Received"),
        "outstanding": _l("Outstanding"),
        "overpaid": _l("Overpaid"),
        "received_unconverted": _l("Received, not converted"),
        "pledged_base": _l("Pledged ({base})"),
        "committed_base": _l("Committed ({base})"),
        "received_base": _l("Received ({base})"),
        "outstanding_base": _l("Outstanding ({base})"),
        "overpaid_base": _l("Overpaid ({base})"),
        "pledged_before_start_base": _l("Pledged before the term ({base})"),
        "pledged_before_start_share": _l("Share pledged before the term"),
        "pledge": _l("Pledge"),
        "chairmanship": _l("Chairmanship"),
        "stage": _l("Stage"),
        "pledged_on": _l("Pledged on"),
        "committed_on": _l("Committed on"),
        "amount": _l("Amount"),
        "rate_to_base": _l("Rate to {base}"),
        "amount_base": _l("Amount ({base})"),
        "in_kind_description": _l("Service in kind"),
        "starts_on": _l("Starts"),
        "ends_on": _l("Ends"),
        "opening_balance": _l("Opening balance ({base})"),
        "opened_from": _l("Carried from"),
        "in_hand_base": _l("Opening balance + received ({base})"),
        "completed": _l("Completed"),
        "carried_over": _l("Carried over"),
        "dropped": _l("Dropped"),
        "open": _l("Open"),
        "trail": _l("Trail"),
        "step": _l("Step"),
        "role": _l("Role"),
        "first_year": _l("From"),
        "last_year": _l("To"),
        "chairs": _l("Chair"),
        "received_on": _l("Received on"),
        "reference": _l("Reference"),
        "budget_line": _l("Budget line"),
        "requirements": _l("Requirements ({base})"),
        "coverage": _l("Covered (committed)"),
        "gap": _l("Funding gap ({base})"),
        "missing_rates": _l("Rates missing"),
        "state": _l("State"),
        "pledged_for_term_base": _l("Promised for the term ({base})"),
        "requirements_pledged_before_term_share": _l("Requirements pledged before the term"),
        **{f"n_{status}": label for status, label in STATUS_LABELS.items()},
    }
)

MEASURES = Worded(
    {
        "deliverables": _l("Deliverables"),
        "percent_complete": _l("Percent complete (mean, see the rule)"),
        "overdue": _l("Overdue deliverables"),
        "at_risk": _l("Deliverables at risk"),
        "meetings_planned": _l("Meetings planned"),
        "meetings_held": _l("Meetings held"),
        "meetings_cancelled": _l("Meetings cancelled"),
        "opening_balance": _l("Opening balance"),
        "requirements": _l("Budget requirements"),
        "coverage": _l("Share of the requirements covered by committed pledges"),
        "gap": _l("Funding gap"),
        "ahead_requirements": _l("Requirements of the chairmanships beginning within two years"),
        "ahead_pledged_base": _l("Already promised for them"),
        "ahead_share": _l("Share of the next two years' requirements already pledged"),
        "pledged_base": _l("Pledged"),
        "committed_base": _l("Committed"),
        "received_base": _l("Received"),
        "outstanding_base": _l("Outstanding"),
        "overpaid_base": _l("Overpaid"),
        "pledged_before_start_share": _l("Share of the money pledged before the term began"),
        "pledges": _l("Pledges"),
        "unconverted": _l("Pledges without a rate (not counted)"),
        "chairmanships": _l("Chairmanships"),
        "objectives": _l("Work-plan objectives"),
        "trails": _l("Deliverables carried over (chains)"),
        "indicators": _l("Indicators of the objectives"),
        "payments": _l("Payments"),
        "in_hand_base": _l("Opening balance + received (unspent: no spending is recorded)"),
        "open_pledges": _l("Pledges not yet paid in full"),
        "open_instalments": _l("Instalments not yet covered"),
        "open_deliverables": _l("Deliverables open or carried over"),
    }
)

INSTALMENT_STATES = Worded({"due": _l("Due"), "overdue": _l("Overdue")})

ROLES = Worded(
    {
        "co_chair": _l("Co-chair"),
        "member": _l("Member"),
        "lead": _l("Lead"),
        "chair": _l("Chair"),
    }
)
DONOR_TYPES = Worded({"government": _l("Government"), "organisation": _l("Organisation")})
NO_OBJECTIVE = _l("No objective")
NOT_CONVERTED = _l("not converted")
NOT_SET_AGAINST_A_LINE = _l("Not set against a line")
WHOLE_BUDGET = _l("Whole budget (every converted pledge)")

RULES = Worded(
    {
        "indicators": (
            _l(
                "An indicator's progress is the share of the way from its baseline to its target "
                "that its latest value has covered: 100% at the target, more past it, less than "
                "0% when it moved the wrong way."
            )
        ),
        "rollup": (
            _l(
                "Percent complete is the plain mean of each deliverable's percent complete (by "
                "count, not weighted), leaving out dropped and carried-over deliverables: dropped"
                " work is no longer expected, and carried-over work is counted in its successor."
            )
        ),
        "overdue": (
            _l(
                "Overdue: planned, in progress or at risk, with its due date before the day the "
                "report was made."
            )
        ),
        "meetings": (
            _l(
                "Planned counts published meetings; held, the published meetings that have ended."
                " Drafts are not yet part of the programme and are not counted; cancelled "
                "meetings are counted apart."
            )
        ),
        "money": (
            _l(
                "Amounts are converted to {base} by one rule: a rate recorded on the payment or "
                "its pledge; else 1 for amounts in {base}; else the exchange-rate table's rate for"
                " the currency and the month of the amount's date. Each amount is rounded to the "
                "cent, then added up. Each original amount and currency stands beside the "
                "converted amount."
            )
        ),
        "stages": (
            _l(
                "Pledged counts every pledge, whatever its stage; committed, the pledges with a "
                "signed agreement. Pledges are reported, never counted as money in hand. "
                "Outstanding is committed minus received for each pledge, in the pledge's "
                "currency at the pledge's rate, and never below zero; money received beyond a "
                "pledge is shown as overpaid, not set off against other pledges."
            )
        ),
        "unconverted": (
            _l(
                "A pledge converts only as a whole, with all its payments. One with an amount "
                "that has no rate to {base} is listed apart with the rates it lacks, and left out"
                " of every converted total: it is never counted as zero. A payment against a "
                "pledge not yet committed commits it on the day the money arrived."
            )
        ),
        "budget": (
            _l(
                "Budget: the chairmanship's requirements by line. Covered is committed as a share"
                " of the requirements; the gap is the requirements not yet committed, never below"
                " zero. Pledges set against no line count in the whole budget only."
            )
        ),
        "predictability": (
            _l(
                "Predictability: the share of the converted pledges that were pledged before the "
                "chairmanship's term began. The opening balance is shown apart and not in that "
                "share."
            )
        ),
        "ahead": (
            _l(
                "Predictability ahead: money is counted for the chairmanship it will serve (each "
                "instalment of a multi-year pledge for the chairmanship in office on its due date,"
                " at its pledge's rate). The share of the next two years' requirements already "
                "pledged is what is promised for the chairmanships beginning within two years, "
                "against their budgets; requirements pledged before the term is the same for "
                "money pledged before each term began."
            )
        ),
        "handover": (
            _l(
                "What this chair hands the next: the money in the books (no spending is recorded "
                "here, so what came in is also unspent), the budget's state, pledges and "
                "instalments still open, work still open or carried over, and amounts that "
                "cannot be converted."
            )
        ),
        "years": (
            _l(
                "The forum plans by chairmanship, not by calendar year: each row is one chair's "
                "term."
            )
        ),
        "trails": (
            _l(
                "A trail follows a deliverable carried over from one chairmanship to the next, to"
                " where it stands now."
            )
        ),
        "opening": (
            _l(
                "Opening balance: what the previous chair's books handed over, as recorded with "
                "each chairmanship in {base}. No spending is recorded here, so opening balance "
                "plus received is money that came in, not a closing balance."
            )
        ),
        "largest_donors": _l(
            "The {count} largest donors by converted pledges; the table lists them all."
        ),
    }
)

CHARTS = Worded(
    {
        "status": (_l("Deliverables by status"), _l("Number of deliverables")),
        "owners": (_l("Percent complete by roundtable and team"), _l("Percent complete")),
        "funding": (_l("Funding in {base}"), _l("{base}")),
        "donors": (_l("Pledged and received by donor, in {base}"), _l("{base}")),
        "years": (_l("Deliverables per chairmanship"), _l("Number of deliverables")),
        "money": (_l("Funding per chairmanship, in {base}"), _l("{base}")),
        "government_money": (_l("Pledged and received per chairmanship, in {base}"), _l("{base}")),
        "budget": (_l("Requirements and committed by budget line, in {base}"), _l("{base}")),
        "indicators": (
            _l("Progress toward each target"),
            _l("Share of the way from baseline to target"),
        ),
    }
)
SERIES = Worded(
    {
        "deliverables": _l("Deliverables"),
        "percent_complete": _l("Percent complete"),
        "amount": _l("Amount"),
        "planned": _l("Planned"),
        "completed": _l("Completed"),
        "carried_over": _l("Carried over"),
        "opening_balance": _l("Opening balance"),
        "pledged_base": _l("Pledged"),
        "committed_base": _l("Committed"),
        "received_base": _l("Received"),
        "outstanding_base": _l("Outstanding"),
        "overpaid_base": _l("Overpaid"),
        "requirements": _l("Requirements"),
        "percent_of_way": _l("Share of the way to the target"),
    }
)

EMPTY = Worded(
    {
        "table": _l("Nothing to show."),
        "overdue": _l("No deliverable is overdue."),
        "at_risk": _l("No deliverable is at risk."),
        "unconverted": _l("Every pledge has a rate to the reporting currency."),
        "overpaid": _l("No pledge is overpaid."),
        "budget": _l("No budget has been entered for this chairmanship."),
        "instalments": _l("No instalment is waiting for money."),
        "open_pledges": _l("Every pledge is paid in full."),
        "trails": _l("No deliverable has been carried over."),
        "indicators": _l("No objective has an indicator yet."),
        "chart": _l("Nothing to chart yet."),
    }
)

DIRECTIONS = Worded(
    {
        "down": _l("a falling value"),
        "up": _l("a rising value"),
    }
)

PAGE = Worded(
    {
        "download": _l("Download this report"),
        "about_sheet": _l("About"),
        "index_title": _l("Reports"),
        "index_lead": (
            _l(
                "Progress summaries and funding reports for the Steering Group, the Friends of "
                "the Forum, donors and the next chair. Each report can be downloaded as CSV, "
                "Excel, PDF or JSON."
            )
        ),
        "chart_numbers": _l("The numbers in this chart"),
        "rules": _l("How the numbers are counted"),
        "government_lookup": _l("Report on one government"),
        "government_code": _l("Government (ISO 3166 alpha-3 code, e.g. SWE)"),
        "show": _l("Show report"),
        "multiannual_link": _l("Multiannual report: objectives and funding across chairmanships"),
        "made_on": _l("Made on {day}"),
        "page": _l("Page"),
        "of": _l("of"),
        "no_chairmanships": _l("No chairmanship has been set up yet."),
        "unknown_government": _l("No government has the code “{code}”."),
    }
)


def status(value: str | None) -> str:
    """A deliverable, meeting or pledge status in words."""
    return formatting.status(value) if value else ""


def kind(value: str | None) -> str:
    """A kind, earmark or role in words."""
    return formatting.kind(value) if value else ""
