"""The numbers behind the progress and funding reports, computed in SQL, one module a report.

Every sum and count runs in the database (GROUP BY), a fixed number of queries per report
whatever the amount of data. The results are plain dataclasses, so the page, the CSV, the
workbook, the PDF and the JSON all render the very same numbers.

Rules (stated on the reports and in docs/reports.md):

- Percent complete is rolled up as the plain mean of `percent_complete` over the deliverables
  counted (by count, not weighted), leaving out dropped and carried-over deliverables: dropped
  work is no longer expected, and carried-over work is counted in its successor.
- Overdue: still open (planned, in progress, at risk) with its due date before today.
- Meetings planned: published meetings (drafts are not yet part of the programme, cancelled ones
  are counted apart); held: published meetings that have ended.
- Money: converted by the one rule of `workplan.services.exchange_rates` (a recorded rate, else
  1 for the reporting currency, else the table's rate for the month), rounded to the cent, then
  summed. A pledge converts only as a whole, with all its payments; otherwise it is listed apart
  as unconverted and left out of every converted total: it is never counted as zero.
- Pledged counts every pledge whatever its stage; committed those with a signed agreement;
  outstanding is committed minus received per pledge, never below zero; overpaid is what
  arrived beyond the amount of a pledge, shown rather than netted against other pledges.
"""

from workplan.services.reports.chairmanship import (
    ChairmanshipReport,
    Headline,
    chairmanship_budget,
    chairmanship_headlines,
    chairmanship_report,
)
from workplan.services.reports.common import (
    DELIVERABLE_STATUSES,
    Budget,
    BudgetRow,
    DeliverableItem,
    FundingRow,
    IndicatorProgress,
    PledgeLine,
    StatusRow,
)
from workplan.services.reports.government import GovernmentReport, government_report
from workplan.services.reports.handover import HandoverReport, handover_report
from workplan.services.reports.multiannual import MultiannualReport, multiannual_report

__all__ = [
    "DELIVERABLE_STATUSES",
    "Budget",
    "BudgetRow",
    "ChairmanshipReport",
    "DeliverableItem",
    "FundingRow",
    "GovernmentReport",
    "HandoverReport",
    "Headline",
    "IndicatorProgress",
    "MultiannualReport",
    "PledgeLine",
    "StatusRow",
    "chairmanship_budget",
    "chairmanship_headlines",
    "chairmanship_report",
    "government_report",
    "handover_report",
    "multiannual_report",
]
