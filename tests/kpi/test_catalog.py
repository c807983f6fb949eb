"""Definitions choose which call results (dispositions) count as connects and effective calls.

One rep, 2026-11-10 (Tokyo), five outbound calls:
    200 s connected, 150 s voicemail, 30 s gatekeeper, 5 s connected, 0 s no_answer
Defaults (every result counts; connects >= 1 s, effective >= 120 s):  connects 4, effective 2
connects counts only "connected" from 11-01:                         connects 2, effective 1
  (an effective call must first be a connect, so the 150 s voicemail drops out of both)
effective_calls counts only "connected", connects left alone:         connects 4, effective 1
"""

import pytest

from kpi import catalog
from kpi.models import CallLog

pytestmark = pytest.mark.django_db


def test_catalogue_default_lists_every_result_of_the_file_contract():
    assert set(catalog.ALL_RESULTS) == set(CallLog.Result.values)
