from .boards import BoardVersion
from .calendar import CompanyHoliday
from .definitions import DefinitionApproval, DefinitionAuditEntry, DefinitionVersion, KpiDefinition
from .events import CallLog, EmailTouch, Lead, Meeting, RecordRevision, UndoneCall
from .feeds import CallDuplicate, FeedAlert
from .imports import ImportJob, ImportProfile, RepAlias
from .integrations import Integration
from .jobs import JobRun, TaskOutbox
from .lead_supply import FsCapacity, LeadSupply
from .notices import Notice, NoticeSettings, TeamWebhook, WebhookDelivery
from .plans import Plan
from .reviews import ReviewCheck, ReviewEntry, ReviewItem, ReviewRule
from .rollups import MEASURE_FIELDS, Granularity, HourRollup, Rollup, Scope
from .targets import Target, TargetChange

__all__ = [
    "MEASURE_FIELDS",
    "BoardVersion",
    "CallDuplicate",
    "CallLog",
    "CompanyHoliday",
    "DefinitionApproval",
    "DefinitionAuditEntry",
    "DefinitionVersion",
    "EmailTouch",
    "FeedAlert",
    "FsCapacity",
    "Granularity",
    "HourRollup",
    "ImportJob",
    "ImportProfile",
    "Integration",
    "JobRun",
    "KpiDefinition",
    "Lead",
    "LeadSupply",
    "Meeting",
    "Notice",
    "NoticeSettings",
    "Plan",
    "RecordRevision",
    "RepAlias",
    "ReviewCheck",
    "ReviewEntry",
    "ReviewItem",
    "ReviewRule",
    "Rollup",
    "Scope",
    "Target",
    "TargetChange",
    "TaskOutbox",
    "TeamWebhook",
    "UndoneCall",
    "WebhookDelivery",
]
