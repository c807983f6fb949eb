"""Factories for the cast of characters tests use."""

from datetime import datetime
from zoneinfo import ZoneInfo

import factory

from accounts.models import Department, Team, User
from kpi import periods
from kpi.models import CallLog, EmailTouch, Meeting

TOKYO = ZoneInfo("Asia/Tokyo")


def tokyo(*args) -> datetime:
    return datetime(*args, tzinfo=TOKYO)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")
    department = factory.LazyFunction(lambda: Department.objects.get(code="is"))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.jp")
    name = factory.Sequence(lambda n: f"User {n}")
    role = User.Role.REP
    password = factory.PostGenerationMethodCall("set_password", "pass-1234")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CallLog

    source = "test"
    external_id = factory.Sequence(lambda n: f"call-{n}")
    rep = factory.SubFactory(UserFactory)
    started_at = factory.LazyFunction(lambda: tokyo(2026, 11, 2, 10, 0))
    local_date = factory.LazyAttribute(lambda o: periods.local_date(o.started_at))
    local_hour = factory.LazyAttribute(lambda o: periods.local_datetime(o.started_at).hour)
    duration_seconds = 0
    result = CallLog.Result.NO_ANSWER


class EmailFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmailTouch

    source = "test"
    external_id = factory.Sequence(lambda n: f"email-{n}")
    rep = factory.SubFactory(UserFactory)
    sent_at = factory.LazyFunction(lambda: tokyo(2026, 11, 2, 10, 0))
    local_date = factory.LazyAttribute(lambda o: periods.local_date(o.sent_at))


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    source = "test"
    external_id = factory.Sequence(lambda n: f"meeting-{n}")
    rep = factory.SubFactory(UserFactory)
    set_at = factory.LazyFunction(lambda: tokyo(2026, 11, 2, 10, 0))
    local_date = factory.LazyAttribute(lambda o: periods.local_date(o.set_at))
