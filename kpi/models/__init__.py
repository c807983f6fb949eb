from .boards import BoardVersion
from .calendar import CompanyHoliday
from .definitions import DefinitionApproval, DefinitionAuditEntry, DefinitionVersion, KpiDefinition
from .events import CallLog, EmailTouch, Lead, Meeting, UndoneCall
from .imports import ColumnMapping, ImportJob
from .integrations import Integration
from .jobs import JobRun
from .lead_supply import FsCapacity, LeadSupply
from .plans import Plan
from .reviews import ReviewEntry, ReviewItem, ReviewRule
from .rollups import MEASURE_FIELDS, Granularity, HourRollup, Rollup, Scope
from .targets import Target

__all__ = [
    "MEASURE_FIELDS",
    "BoardVersion",
    "CallLog",
    "ColumnMapping",
    "CompanyHoliday",
    "DefinitionApproval",
    "DefinitionAuditEntry",
    "DefinitionVersion",
    "EmailTouch",
    "FsCapacity",
    "Granularity",
    "HourRollup",
    "ImportJob",
    "Integration",
    "JobRun",
    "KpiDefinition",
    "Lead",
    "LeadSupply",
    "Meeting",
    "Plan",
    "ReviewEntry",
    "ReviewItem",
    "ReviewRule",
    "Rollup",
    "Scope",
    "Target",
    "UndoneCall",
]
