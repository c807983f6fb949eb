"""kpi/catalog.py: the catalogue's default call results list every result of the file contract."""

import pytest

from kpi import catalog
from kpi.models import CallLog

pytestmark = pytest.mark.django_db


def test_catalogue_default_lists_every_result_of_the_file_contract():
    assert set(catalog.ALL_RESULTS) == set(CallLog.Result.values)
