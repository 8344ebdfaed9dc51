"""The forum's records, one module per concept; importing this registers them all."""

from workplan.models.audit import AuditEvent
from workplan.models.chairmanship import Chairmanship, chairmanship_chairs
from workplan.models.commitment import (
    CLOSED_COMMITMENT_STATUSES,
    COMMITMENT_STATUSES,
    REPORTING_MONTHS,
    Commitment,
    CommitmentReport,
)
from workplan.models.deliverable import (
    CLOSED_STATUSES,
    DELIVERABLE_STATUSES,
    Deliverable,
    ProgressUpdate,
    deliverable_governments,
)
from workplan.models.document import (
    ACCESS_LEVELS,
    DOCUMENT_KINDS,
    DOCUMENT_LANGUAGES,
    Document,
    DocumentFile,
)
from workplan.models.indicator import DIRECTIONS, SDG_INDICATORS, Indicator, IndicatorValue
from workplan.models.meeting import (
    MEETING_KINDS,
    MEETING_STATES,
    SESSION_KINDS,
    AgendaItem,
    Meeting,
    MeetingNotice,
    MeetingSession,
)
from workplan.models.minutes import (
    MINUTES_STATES,
    OUTCOME_KINDS,
    MeetingOutcome,
    Minutes,
    MinutesComment,
    MinutesRevision,
)
from workplan.models.offer import OFFER_KINDS, OFFER_STATES, Offer
from workplan.models.parties import ORGANISATION_KINDS, Government, Organisation
from workplan.models.pledge import (
    EARMARKS,
    PLEDGE_KINDS,
    PLEDGE_STATUSES,
    BudgetLine,
    ExchangeRate,
    Instalment,
    Payment,
    Pledge,
)
from workplan.models.practice import (
    PRACTICE_STATES,
    SDG_TARGETS,
    Practice,
    PracticeAdoption,
    PracticeTarget,
)
from workplan.models.roundtable import Roundtable, RoundtableMember, roundtable_co_chairs
from workplan.models.team import GovernmentTeam, TeamMembership
from workplan.models.theme import Theme
from workplan.models.types import utcnow
from workplan.models.user import (
    ROLES,
    AccountLink,
    CalendarFollow,
    CalendarToken,
    LoginSession,
    RecoveryCode,
    ReminderLog,
    User,
)
from workplan.models.workplan import Objective, WorkPlan

__all__ = [
    "CLOSED_COMMITMENT_STATUSES",
    "COMMITMENT_STATUSES",
    "Commitment",
    "CommitmentReport",
    "REPORTING_MONTHS",
    "DIRECTIONS",
    "Indicator",
    "IndicatorValue",
    "SDG_INDICATORS",
    "ACCESS_LEVELS",
    "DOCUMENT_KINDS",
    "DOCUMENT_LANGUAGES",
    "Document",
    "DocumentFile",
    "AccountLink",
    "AgendaItem",
    "AuditEvent",
    "BudgetLine",
    "CLOSED_STATUSES",
    "CalendarFollow",
    "CalendarToken",
    "Chairmanship",
    "DELIVERABLE_STATUSES",
    "Deliverable",
    "EARMARKS",
    "ExchangeRate",
    "Government",
    "GovernmentTeam",
    "Instalment",
    "LoginSession",
    "MEETING_KINDS",
    "MEETING_STATES",
    "Meeting",
    "MeetingNotice",
    "MeetingOutcome",
    "MeetingSession",
    "SESSION_KINDS",
    "MINUTES_STATES",
    "Minutes",
    "MinutesComment",
    "MinutesRevision",
    "OUTCOME_KINDS",
    "ORGANISATION_KINDS",
    "Objective",
    "OFFER_KINDS",
    "OFFER_STATES",
    "Offer",
    "Organisation",
    "PLEDGE_KINDS",
    "PLEDGE_STATUSES",
    "Payment",
    "Pledge",
    "PRACTICE_STATES",
    "Practice",
    "PracticeAdoption",
    "PracticeTarget",
    "SDG_TARGETS",
    "Theme",
    "ProgressUpdate",
    "ROLES",
    "RecoveryCode",
    "ReminderLog",
    "Roundtable",
    "RoundtableMember",
    "TeamMembership",
    "User",
    "WorkPlan",
    "chairmanship_chairs",
    "deliverable_governments",
    "roundtable_co_chairs",
    "utcnow",
]
