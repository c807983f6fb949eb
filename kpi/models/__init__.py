from .boards import BoardVersion
from .definitions import DefinitionApproval, DefinitionAuditEntry, DefinitionVersion, KpiDefinition
from .events import CallLog, EmailTouch, Lead, Meeting
from .ingestion import ColumnMapping, ImportJob, Integration
from .jobs import JobRun
from .planning import FsCapacity, LeadSupply, Plan
from .reviews import ReviewEntry, ReviewItem, ReviewRule
from .rollups import MEASURE_FIELDS, Granularity, HourRollup, Rollup, Scope
from .targets import CompanyHoliday, Target

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
]
