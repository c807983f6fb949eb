"""Shared fixtures: a small organisation cast (two teams, reps, a manager, FS, marketing, ops)."""

import os

import pytest

from accounts.models import User

from .factories import TeamFactory, UserFactory


def pytest_configure(config):
    # CI must exercise the real services: a missing PostgreSQL is a failure there, never a quiet SQLite run.
    if os.environ.get("CI") == "true" and not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise pytest.UsageError("CI runs the suite on PostgreSQL: set DATABASE_URL=postgres://...")


# Playwright's sync API runs an event loop in the test thread; Django would refuse ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def team_a(db):
    return TeamFactory(name="東京第1チーム")


@pytest.fixture
def team_b(db):
    return TeamFactory(name="大阪チーム")


@pytest.fixture
def rep(team_a):
    return UserFactory(email="rep@example.jp", name="佐藤 花子", team=team_a)


@pytest.fixture
def teammate(team_a):
    return UserFactory(email="mate@example.jp", name="鈴木 一郎", team=team_a)


@pytest.fixture
def outsider(team_b):
    return UserFactory(email="outsider@example.jp", name="高橋 健", team=team_b)


@pytest.fixture
def manager(team_a):
    user = UserFactory(email="manager@example.jp", name="田中 部長", role=User.Role.MANAGER, team=team_a)
    team_a.managers.add(user)
    return user


@pytest.fixture
def fs_user(db):
    return UserFactory(email="fs@example.jp", name="FS 担当", role=User.Role.FS)


@pytest.fixture
def marketer(db):
    return UserFactory(email="mk@example.jp", name="マーケ 担当", role=User.Role.MARKETING)


@pytest.fixture
def ops(db):
    return UserFactory(email="ops@example.jp", name="運用 管理者", role=User.Role.OPS)


@pytest.fixture(autouse=True)
def _empty_cache(settings):
    """Rendered boards are cached (kpi/services/board_cache.py): every test starts with an empty
    local-memory cache, never a shared one a CACHE_URL in .env may name (clear() would flush it)."""
    from django.core.cache import cache

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}}
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # PBKDF2 at production strength makes every factory user cost ~100 ms.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _load_builtin_rows() -> None:
    """The rows data migrations create (departments, the KPI catalogue); idempotent."""
    import importlib

    from django.apps import apps

    importlib.import_module("accounts.migrations.0002_departments").create(apps, None)
    importlib.import_module("kpi.migrations.0002_builtin_catalogue").load(apps, None)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # A reused test database may have been flushed by an earlier run's transactional tests.
    with django_db_blocker.unblock():
        _load_builtin_rows()


@pytest.fixture(autouse=True)
def _builtin_rows(request):
    """Transactional tests (live server, Celery worker) flush the tables after each test, which
    removes the rows data migrations create; pytest-django runs them last, and each puts them back."""
    if not ({"transactional_db", "live_server"} & set(request.fixturenames)) and not _marked_transactional(request):
        return
    request.getfixturevalue("transactional_db")
    _load_builtin_rows()


def _marked_transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction"))
