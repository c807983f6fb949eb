"""Users, roles, departments and teams.

Roles decide what a person sees (see accounts/permissions.py); departments decide whose approval a
KPI definition needs (IS, FS and marketing must each approve).
"""

from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils.translation import gettext_lazy as _


class Department(models.Model):
    class Code(models.TextChoices):
        IS = "is", _("Inside sales")
        FS = "fs", _("Field sales")
        MARKETING = "marketing", _("Marketing")
        OPS = "ops", _("Operations")

    code = models.CharField(max_length=16, choices=Code.choices, unique=True)
    name = models.CharField(max_length=100)

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    name = models.CharField(max_length=100, unique=True)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="teams")
    managers = models.ManyToManyField("User", blank=True, related_name="managed_teams")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> "User":
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "User":
        fields.update(is_staff=True, is_superuser=True, role=User.Role.OPS)
        return self.create_user(email, password, **fields)


# Which department each role belongs to; a user's department follows from the role.
ROLE_DEPARTMENT = {
    "rep": Department.Code.IS,
    "manager": Department.Code.IS,
    "fs": Department.Code.FS,
    "marketing": Department.Code.MARKETING,
    "ops": Department.Code.OPS,
}


class User(AbstractBaseUser, PermissionsMixin):
    class Role(models.TextChoices):
        REP = "rep", _("Rep")
        MANAGER = "manager", _("Manager")
        FS = "fs", _("Field sales")
        MARKETING = "marketing", _("Marketing")
        OPS = "ops", _("Ops")

    email = models.EmailField(unique=True)
    name = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.REP)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members")
    # Hours a rep works on a working day (calls per hour uses it) and the weekdays they work
    # (0 = Monday ... 6 = Sunday); both feed the business-day calendar and daily targets.
    work_hours_per_day = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("8"))
    workdays = models.CharField(max_length=7, default="01234")
    is_active = models.BooleanField(default=True)
    # A leaver's last working day: boards show them for periods up to it and keep their history.
    last_day = models.DateField(null=True, blank=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(auto_now_add=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["name", "email"]
        indexes = [models.Index(fields=["team", "role"])]

    def __str__(self) -> str:
        return self.name or self.email

    @property
    def department_code(self) -> str:
        return ROLE_DEPARTMENT[self.role]

    @property
    def workday_set(self) -> frozenset[int]:
        return frozenset(int(c) for c in self.workdays)

    def active_on(self, day) -> bool:
        """Whether the user was still working on `day` (deactivated users until their last day)."""
        if self.last_day is not None:
            return day <= self.last_day
        return self.is_active

    @property
    def is_ops(self) -> bool:
        return self.role == self.Role.OPS or self.is_superuser
