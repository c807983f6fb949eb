"""KPI definitions as agreed contracts: versioned, validated parameters, co-signed by IS, FS and
marketing, applying from an effective date. The catalogue itself (keys, formulas) is in kpi/catalog.py."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class KpiDefinition(models.Model):
    key = models.CharField(max_length=48, unique=True)
    name_ja = models.CharField(max_length=100)
    name_en = models.CharField(max_length=100)
    description_ja = models.TextField(blank=True)
    description_en = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "key"]

    def __str__(self) -> str:
        return self.key


class DefinitionVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    definition = models.ForeignKey(KpiDefinition, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    # Validated against the schema in kpi/services/definitions.py; never code.
    params = models.JSONField()
    effective_from = models.DateField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    reason = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["definition", "number"]
        constraints = [models.UniqueConstraint(fields=["definition", "number"], name="definition_version_number")]

    def __str__(self) -> str:
        return f"{self.definition.key} v{self.number}"


class DefinitionApproval(models.Model):
    class Decision(models.TextChoices):
        APPROVE = "approve", _("Approved")
        REJECT = "reject", _("Rejected")

    version = models.ForeignKey(DefinitionVersion, on_delete=models.CASCADE, related_name="approvals")
    department = models.CharField(max_length=16)
    decision = models.CharField(max_length=8, choices=Decision.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    comment = models.TextField(blank=True)
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "department"], name="one_decision_per_department"),
        ]


class DefinitionAuditEntry(models.Model):
    """Who changed what, when: drafts, approvals, rejections, activation, backfills."""

    definition = models.ForeignKey(KpiDefinition, on_delete=models.CASCADE, related_name="audit")
    version = models.ForeignKey(DefinitionVersion, null=True, blank=True, on_delete=models.CASCADE)
    action = models.CharField(max_length=32)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    changes = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
