"""Every word the reports show a reader, in one place, ready to be marked for translation.

Field names (the keys of JSON objects and CSV columns) are not here: they are a stable contract
and never translated. Only what a person reads is.
"""

from workplan import formatting
from workplan.formatting import STATUS_LABELS

REPORT_TITLES = {
    "chairmanship": "Chairmanship report",
    "multiannual": "Multiannual report",
    "government": "Government report",
}

FORMATS = {"csv": "CSV", "xlsx": "Excel", "pdf": "PDF", "json": "JSON"}

FACTS = {
    "chair": "Chair",
    "term": "Term",
    "theme": "Theme",
    "summit_city": "Summit",
    "generated_on": "Made on",
    "base_currency": "Reporting currency",
    "government": "Government",
    "iso3": "ISO 3166 code",
    "chairmanships": "Chairmanships",
}

SECTIONS = {
    "summary": "Summary",
    "deliverables": "Deliverables",
    "watch": "Overdue and at risk",
    "meetings": "Meetings",
    "funding": "Funding",
    "ledger": "Pledges one by one",
    "years": "Deliverables chairmanship by chairmanship",
    "objectives": "Work-plan objectives",
    "trails": "Carried-over work",
    "money": "Funding across the years",
    "roles": "Chairs, roundtables and teams",
    "payments": "Payments",
}

TABLES = {
    "summary": ("Summary", "Summary"),
    "deliverables_totals": ("Deliverables by status", "Status"),
    "deliverables_by_roundtable": ("Deliverables by roundtable", "By roundtable"),
    "deliverables_by_team": ("Deliverables by government team", "By team"),
    "deliverables_by_objective": ("Deliverables by work-plan objective", "By objective"),
    "overdue": ("Overdue deliverables", "Overdue"),
    "at_risk": ("Deliverables at risk", "At risk"),
    "meetings_by_kind": ("Meetings held against planned", "Meetings"),
    "funding_by_donor": ("Funding by donor", "By donor"),
    "funding_by_earmark": ("Funding by earmark", "By earmark"),
    "funding_by_kind": ("Funding by kind", "By kind"),
    "funding_by_currency": ("Funding by currency", "By currency"),
    "unconverted": ("Pledges without a rate (not converted, not counted)", "Unconverted"),
    "overpaid": ("Overpaid pledges", "Overpaid"),
    "pledges": ("Pledges", "Pledges"),
    "years": ("Deliverables per chairmanship", "Per chairmanship"),
    "objectives": ("Deliverables per objective and chairmanship", "Objectives"),
    "trails": ("Carry-over trail", "Carry-over"),
    "funding_by_chairmanship": ("Funding per chairmanship", "Funding"),
    "chairmanships": ("Chairmanships held", "Chairmanships"),
    "roundtables": ("Roundtables", "Roundtables"),
    "teams": ("Government teams", "Teams"),
    "deliverables": ("Deliverables", "Deliverables"),
    "deliverables_by_chairmanship": ("Deliverables per chairmanship", "Per chairmanship"),
    "payments": ("Payments received", "Payments"),
}

COLUMNS = {
    "id": "#",
    "measure": "Measure",
    "value": "Value",
    "unit": "Unit",
    "roundtable": "Roundtable",
    "team": "Team",
    "objective": "Objective",
    "work_plan": "Work plan",
    "title": "Title",
    "total": "Deliverables",
    "overdue": "Overdue",
    "percent_complete": "Percent complete",
    "deliverable": "Deliverable",
    "owner": "Owner",
    "responsible": "Responsible governments",
    "status": "Status",
    "due_on": "Due",
    "days_overdue": "Days overdue",
    "kind": "Kind",
    "planned": "Planned",
    "held": "Held",
    "upcoming": "Still to come",
    "cancelled": "Cancelled",
    "donor": "Donor",
    "donor_type": "Donor type",
    "earmark": "Earmark",
    "earmark_name": "For",
    "currency": "Currency",
    "pledges": "Pledges",
    "unconverted": "Unconverted pledges",
    "pledged": "Pledged",
    "committed": "Committed",
    "received": "Received",
    "outstanding": "Outstanding",
    "overpaid": "Overpaid",
    "received_unconverted": "Received, not converted",
    "pledged_base": "Pledged ({base})",
    "committed_base": "Committed ({base})",
    "received_base": "Received ({base})",
    "outstanding_base": "Outstanding ({base})",
    "overpaid_base": "Overpaid ({base})",
    "pledged_before_start_base": "Pledged before the term ({base})",
    "pledged_before_start_share": "Share pledged before the term",
    "pledge": "Pledge",
    "chairmanship": "Chairmanship",
    "stage": "Stage",
    "pledged_on": "Pledged on",
    "committed_on": "Committed on",
    "amount": "Amount",
    "rate_to_base": "Rate to {base}",
    "amount_base": "Amount ({base})",
    "in_kind_description": "Service in kind",
    "starts_on": "Starts",
    "ends_on": "Ends",
    "opening_balance": "Opening balance ({base})",
    "opened_from": "Carried from",
    "in_hand_base": "Opening balance + received ({base})",
    "completed": "Completed",
    "carried_over": "Carried over",
    "dropped": "Dropped",
    "open": "Open",
    "trail": "Trail",
    "step": "Step",
    "role": "Role",
    "first_year": "From",
    "last_year": "To",
    "chairs": "Chair",
    "received_on": "Received on",
    "reference": "Reference",
    **{f"n_{status}": label for status, label in STATUS_LABELS.items()},
}

MEASURES = {
    "deliverables": "Deliverables",
    "percent_complete": "Percent complete (mean, see the rule)",
    "overdue": "Overdue deliverables",
    "at_risk": "Deliverables at risk",
    "meetings_planned": "Meetings planned",
    "meetings_held": "Meetings held",
    "meetings_cancelled": "Meetings cancelled",
    "opening_balance": "Opening balance",
    "pledged_base": "Pledged",
    "committed_base": "Committed",
    "received_base": "Received",
    "outstanding_base": "Outstanding",
    "overpaid_base": "Overpaid",
    "pledged_before_start_share": "Share of the money pledged before the term began",
    "pledges": "Pledges",
    "unconverted": "Pledges without a rate (not counted)",
    "chairmanships": "Chairmanships",
    "objectives": "Work-plan objectives",
    "trails": "Deliverables carried over (chains)",
    "payments": "Payments",
}

ROLES = {
    "co_chair": "Co-chair",
    "member": "Member",
    "lead": "Lead",
    "chair": "Chair",
}
DONOR_TYPES = {"government": "Government", "organisation": "Organisation"}
NO_OBJECTIVE = "No objective"
NOT_CONVERTED = "not converted"

RULES = {
    "rollup": (
        "Percent complete is the plain mean of each deliverable's percent complete (by count, "
        "not weighted), leaving out dropped and carried-over deliverables: dropped work is no "
        "longer expected, and carried-over work is counted in its successor."
    ),
    "overdue": (
        "Overdue: planned, in progress or at risk, with its due date before the day the report "
        "was made."
    ),
    "meetings": (
        "Planned counts published meetings; held, the published meetings that have ended. "
        "Drafts are not yet part of the programme and are not counted; cancelled meetings are "
        "counted apart."
    ),
    "money": (
        "Amounts are converted to {base} at the rate the secretariat recorded with each pledge "
        "and payment (a payment without a rate takes its pledge's), rounded to the cent, then "
        "added up. Amounts already in {base} need no rate. Each original amount and currency "
        "stands beside the converted amount."
    ),
    "stages": (
        "Pledged counts every pledge, whatever its stage; committed, the pledges with a signed "
        "agreement. Pledges are reported, never counted as money in hand. Outstanding is "
        "committed minus received for each pledge, in the pledge's currency at the pledge's "
        "rate, and never below zero; money received beyond a pledge is shown as overpaid, not "
        "set off against other pledges."
    ),
    "unconverted": (
        "A pledge recorded without a rate to {base} is listed as unconverted and left out of "
        "the converted totals: it is never counted as zero."
    ),
    "predictability": (
        "Predictability: the share of the converted pledges that were pledged before the "
        "chairmanship's term began. The opening balance is shown apart and not in that share."
    ),
    "years": (
        "The forum plans by chairmanship, not by calendar year: each row is one chair's term."
    ),
    "trails": (
        "A trail follows a deliverable carried over from one chairmanship to the next, to "
        "where it stands now."
    ),
    "opening": (
        "Opening balance: what the previous chair's books handed over, as recorded with each "
        "chairmanship in {base}. No spending is recorded here, so opening balance plus received "
        "is money that came in, not a closing balance."
    ),
    "largest_donors": "The {count} largest donors by converted pledges; the table lists them all.",
}

CHARTS = {
    "status": ("Deliverables by status", "Number of deliverables"),
    "owners": ("Percent complete by roundtable and team", "Percent complete"),
    "funding": ("Funding in {base}", "{base}"),
    "donors": ("Pledged and received by donor, in {base}", "{base}"),
    "years": ("Deliverables per chairmanship", "Number of deliverables"),
    "money": ("Funding per chairmanship, in {base}", "{base}"),
    "government_money": ("Pledged and received per chairmanship, in {base}", "{base}"),
}
SERIES = {
    "deliverables": "Deliverables",
    "percent_complete": "Percent complete",
    "amount": "Amount",
    "planned": "Planned",
    "completed": "Completed",
    "carried_over": "Carried over",
    "opening_balance": "Opening balance",
    "pledged_base": "Pledged",
    "committed_base": "Committed",
    "received_base": "Received",
    "outstanding_base": "Outstanding",
    "overpaid_base": "Overpaid",
}

EMPTY = {
    "table": "Nothing to show.",
    "overdue": "No deliverable is overdue.",
    "at_risk": "No deliverable is at risk.",
    "unconverted": "Every pledge has a rate to the reporting currency.",
    "overpaid": "No pledge is overpaid.",
    "trails": "No deliverable has been carried over.",
    "chart": "Nothing to chart yet.",
}

PAGE = {
    "download": "Download this report",
    "about_sheet": "About",
    "index_title": "Reports",
    "index_lead": (
        "Progress summaries and funding reports for the Steering Group, the Friends of the "
        "Forum, donors and the next chair. Each report can be downloaded as CSV, Excel, PDF or "
        "JSON."
    ),
    "chart_numbers": "The numbers in this chart",
    "rules": "How the numbers are counted",
    "government_lookup": "Report on one government",
    "government_code": "Government (ISO 3166 alpha-3 code, e.g. SWE)",
    "show": "Show report",
    "multiannual_link": "Multiannual report: objectives and funding across chairmanships",
    "made_on": "Made on {day}",
    "page": "Page",
    "of": "of",
    "no_chairmanships": "No chairmanship has been set up yet.",
    "unknown_government": "No government has the code “{code}”.",
}


def status(value: str | None) -> str:
    """A deliverable, meeting or pledge status in words."""
    return formatting.status(value) if value else ""


def kind(value: str | None) -> str:
    """A kind, earmark or role in words."""
    return formatting.kind(value) if value else ""
