"""What happened: leads, calls, email touches and meetings. Raw facts, written by ingestion only.

Every event carries (source, external_id), unique together, so that re-sending the same record from
a file, a phone system or an API never duplicates it. `local_date` is the organisation-local day,
stored at ingest so that rollups group on a plain column instead of converting a time zone per row.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Lead(models.Model):
    class Channel(models.TextChoices):
        WEB = "web", _("Web inquiry")
        DOWNLOAD = "download", _("Content download")
        SEMINAR = "seminar", _("Seminar / webinar")
        EVENT = "event", _("Trade show")
        LIST = "list", _("Purchased list")
        REFERRAL = "referral", _("Referral")
        AD = "ad", _("Advertising")
        OTHER = "other", _("Other")

    source = models.CharField(max_length=64, default="manual")
    external_id = models.CharField(max_length=128)
    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.OTHER)
    company = models.CharField(max_length=200, blank=True)
    contact_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "external_id"], name="lead_source_external_id")]
        indexes = [
            models.Index(fields=["channel", "created_at"]),
            # Events name their lead by external id only; imports resolve it across sources.
            models.Index(fields=["external_id"], name="lead_external_id"),
        ]

    def __str__(self) -> str:
        return self.company or self.external_id


class CallLog(models.Model):
    class Direction(models.TextChoices):
        OUTBOUND = "outbound", _("Outbound")
        INBOUND = "inbound", _("Inbound")

    class Result(models.TextChoices):
        NO_ANSWER = "no_answer", _("No answer")
        BUSY = "busy", _("Busy")
        VOICEMAIL = "voicemail", _("Voicemail")
        GATEKEEPER = "gatekeeper", _("Gatekeeper")
        CONNECTED = "connected", _("Connected")
        WRONG_NUMBER = "wrong_number", _("Wrong number")
        FAILED = "failed", _("Failed")

    source = models.CharField(max_length=64)
    external_id = models.CharField(max_length=128)
    # No index of its own: (rep, local_date) below starts with rep. Index upkeep is most of an
    # import's cost, so every index on the event tables has to earn its place.
    rep = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="calls", db_index=False)
    lead = models.ForeignKey(Lead, null=True, blank=True, on_delete=models.SET_NULL, related_name="calls")
    lead_external_id = models.CharField(max_length=128, blank=True)
    started_at = models.DateTimeField()
    local_date = models.DateField()
    local_hour = models.PositiveSmallIntegerField()
    duration_seconds = models.PositiveIntegerField(default=0)
    direction = models.CharField(max_length=8, choices=Direction.choices, default=Direction.OUTBOUND)
    result = models.CharField(max_length=16, choices=Result.choices)
    reached_target = models.BooleanField(default=False)
    appointment_set = models.BooleanField(default=False)
    # A further touch on a lead already contacted (decided at ingest from earlier touches).
    is_follow_up = models.BooleanField(default=False)
    # The contact agreed to further sales contact.
    permission_granted = models.BooleanField(default=False)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "external_id"], name="call_source_external_id")]
        indexes = [
            # Per-rep day rollups and "my calls today" read (rep, local_date) ranges.
            models.Index(fields=["rep", "local_date"], name="call_rep_local_date"),
            # "Everything on one local day" (incremental refresh, nightly reconcile).
            models.Index(fields=["local_date"], name="call_local_date"),
            # Follow-up detection looks up a lead's earlier touches on every import and API batch;
            # without this it scans the whole call log. Partial: most calls of a list have no lead id.
            models.Index(
                fields=["lead_external_id", "started_at"],
                name="call_lead_touch",
                condition=~models.Q(lead_external_id=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.external_id}"


class EmailTouch(models.Model):
    source = models.CharField(max_length=64)
    external_id = models.CharField(max_length=128)
    rep = models.ForeignKey(  # indexed by (rep, local_date), as calls
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="emails", db_index=False
    )
    lead = models.ForeignKey(Lead, null=True, blank=True, on_delete=models.SET_NULL, related_name="emails")
    lead_external_id = models.CharField(max_length=128, blank=True)
    sent_at = models.DateTimeField()
    local_date = models.DateField()
    delivered = models.BooleanField(default=True)
    opened = models.BooleanField(default=False)
    replied = models.BooleanField(default=False)
    # Addressed to the intended person (decision maker); a reply from them is a target connect.
    to_target = models.BooleanField(default=True)
    is_follow_up = models.BooleanField(default=False)
    permission_granted = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "external_id"], name="email_source_external_id")]
        indexes = [
            models.Index(fields=["rep", "local_date"], name="email_rep_local_date"),
            models.Index(fields=["local_date"], name="email_local_date"),
            models.Index(
                fields=["lead_external_id", "sent_at"],
                name="email_lead_touch",
                condition=~models.Q(lead_external_id=""),
            ),
        ]


class Meeting(models.Model):
    """An appointment set by an IS rep and handed to field sales.

    Outcomes (qualified, won with amount) are attributed to the IS rep and to the day the meeting was
    set, so funnel ratios compare the same cohort of meetings (decision recorded in the README).
    """

    class Kind(models.TextChoices):
        FIRST = "first", _("First appointment")
        PROPOSAL = "proposal", _("Proposal")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        NO_SHOW = "no_show", _("No-show")
        QUALIFIED = "qualified", _("Qualified")
        DISQUALIFIED = "disqualified", _("Disqualified")
        WON = "won", _("Won")
        LOST = "lost", _("Lost")

    # Statuses that mean FS judged the meeting to have order potential.
    QUALIFIED_STATUSES = (Status.QUALIFIED, Status.WON, Status.LOST)

    source = models.CharField(max_length=64)
    external_id = models.CharField(max_length=128)
    rep = models.ForeignKey(  # indexed by (rep, local_date), as calls
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="meetings_set", db_index=False
    )
    fs_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings_owned"
    )
    lead = models.ForeignKey(Lead, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings")
    lead_external_id = models.CharField(max_length=128, blank=True)
    call = models.ForeignKey(CallLog, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.FIRST)
    set_at = models.DateTimeField()
    local_date = models.DateField()
    scheduled_for = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    amount = models.DecimalField(max_digits=14, decimal_places=0, null=True, blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "external_id"], name="meeting_source_external_id")]
        indexes = [
            models.Index(fields=["rep", "local_date"], name="meeting_rep_local_date"),
            models.Index(fields=["local_date"], name="meeting_local_date"),
            models.Index(fields=["status", "scheduled_for"], name="meeting_status_scheduled"),
        ]


class RecordRevision(models.Model):
    """The previous values of an event a source re-sent with changed fields (the ingest API's audit
    trail): which record, each changed field as [old, new], when, and by which integration (or, for a
    payload an ops user replayed by hand, which user)."""

    class Kind(models.TextChoices):
        CALL = "call", _("Call")
        EMAIL = "email", _("Email")
        MEETING = "meeting", _("Meeting")

    kind = models.CharField(max_length=8, choices=Kind.choices)
    source = models.CharField(max_length=64)
    external_id = models.CharField(max_length=128)
    changes = models.JSONField()
    integration = models.ForeignKey("kpi.Integration", null=True, blank=True, on_delete=models.SET_NULL)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "source", "external_id", "at"], name="revision_record")]

    def __str__(self) -> str:
        return f"{self.kind} {self.source}:{self.external_id} @ {self.at:%Y-%m-%d %H:%M}"


class UndoneCall(models.Model):
    """The audit trail of a quick-logged call its rep took back within the undo window: what was
    logged, when, and the appointment it had set (deleted with it)."""

    rep = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="undone_calls")
    call_external_id = models.CharField(max_length=128)
    started_at = models.DateTimeField()
    local_date = models.DateField()
    result = models.CharField(max_length=16, choices=CallLog.Result.choices)
    duration_seconds = models.PositiveIntegerField(default=0)
    meeting_external_id = models.CharField(max_length=128, blank=True)
    undone_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["rep", "undone_at"], name="undone_call_rep_at")]
