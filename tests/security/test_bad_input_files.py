"""Bad input through the file imports (calls and reps): a file that is not CSV text is refused whole
with a reason that names what it is, a bad value is refused on its row, never a server error, and a
refused file writes no row anywhere."""

import codecs

import pytest

from kpi.models import CallLog
from kpi.services.imports import calls_import
from kpi.services.imports.reps import reps_import
from tests.kpi.services.imports.helpers import EN_HEADER, write_csv
from tests.security.helpers import BAD_TEXT, EDGE_DATETIMES, HUGE_NUMBERS, row_counts

pytestmark = pytest.mark.django_db


def _rows(rep_email: str, n: int = 100) -> list[list]:
    return [
        [f"c-{i}", rep_email, f"2026-11-20 10:{i % 60:02d}", 30, "outbound", "connected", "", "", "", ""]
        for i in range(n)
    ]


def _refused(path, **kwargs):
    before = row_counts()
    result = calls_import(path=path, **kwargs)
    assert result.refused
    assert row_counts() == before
    return result


def test_an_unterminated_quote_refuses_the_file_naming_the_line(tmp_path, rep, now):
    # Read leniently, row 3's note swallowed the 98 rows after it and the import reported success.
    rows = _rows(rep.email)
    rows[1][-1] = '"called back, said'
    result = _refused(write_csv(tmp_path / "calls.csv", EN_HEADER, rows))
    assert [(e["row"], e["code"]) for e in result.errors] == [(0, "unreadable")]
    assert result.errors[0]["value"] == (
        "row 3: an unterminated quote: the quoted value that starts on line 3 never closes "
        "(every later row would be read into it)"
    )
    assert CallLog.objects.count() == 0


def test_a_quote_inside_a_quoted_value_refuses_the_file(tmp_path, rep, now):
    rows = _rows(rep.email, 3)
    rows[2][-1] = '"he said "yes" twice"'
    result = _refused(write_csv(tmp_path / "calls.csv", EN_HEADER, rows))
    assert 'a quote (") inside the quoted value that starts on line 4' in result.errors[0]["value"]


def test_a_well_quoted_note_with_line_breaks_and_quotes_imports(tmp_path, rep, now):
    rows = _rows(rep.email, 3)
    rows[1][-1] = '"line one\r\nsaid ""yes"", twice"'
    result = calls_import(path=write_csv(tmp_path / "calls.csv", EN_HEADER, rows))
    assert (result.refused, result.created) == (False, 3)
    assert CallLog.objects.get(external_id="c-1").note == 'line one\r\nsaid "yes", twice'


@pytest.mark.parametrize(
    "encode,reason",
    [
        (lambda text: text.encode("utf-16"), "UTF-16"),  # with a BOM (Excel's "Unicode text")
        (lambda text: text.encode("utf-16-le"), "UTF-16"),  # without: NULs between the letters
        (lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"), "UTF-16"),
        (lambda text: b"PK\x03\x04" + bytes(range(256)) * 40, "Excel workbook (.xlsx)"),
        (lambda text: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(200), ".xls"),
        (lambda text: b"%PDF-1.7\n" + bytes(range(256)) * 4, "PDF"),
        (lambda text: bytes(range(256)) * 40, "binary content"),
        (lambda text: b"\x81\x00\xff\xfe" * 100, "not UTF-8 or Shift_JIS"),
    ],
)
def test_files_that_are_not_csv_text_are_refused_by_name(tmp_path, rep, now, encode, reason):
    text = "\r\n".join([",".join(EN_HEADER)] + [",".join(map(str, r)) for r in _rows(rep.email, 5)]) + "\r\n"
    path = tmp_path / "calls.csv"
    path.write_bytes(encode(text))
    result = _refused(path)
    assert result.errors[0]["code"] == "unreadable"
    assert reason in result.errors[0]["value"]


# "1e-9999" is read as 0 s, as "0.0" is: a whole number written as a float.
@pytest.mark.parametrize("value", [*(v for v in HUGE_NUMBERS if v != "1e-9999"), "86401"])
def test_durations_out_of_range_are_refused_on_their_row(tmp_path, rep, now, value):
    rows = _rows(rep.email, 3)
    rows[1][3] = value
    result = _refused(write_csv(tmp_path / "calls.csv", EN_HEADER, rows))
    assert [(e["row"], e["column"]) for e in result.errors] == [(3, "duration_seconds")]


@pytest.mark.parametrize("value", [*EDGE_DATETIMES, "1999-12-31 23:59", "2026-11-22 10:00"])
def test_times_outside_the_window_are_refused_on_their_row(tmp_path, rep, now, value):
    rows = _rows(rep.email, 3)
    rows[1][2] = value
    result = _refused(write_csv(tmp_path / "calls.csv", EN_HEADER, rows))
    assert [(e["row"], e["column"]) for e in result.errors] == [(3, "started_at")]
    assert result.errors[0]["code"] in ("bad_date", "date_out_of_range", "future_date")


def test_the_first_day_of_the_window_is_accepted(tmp_path, rep, now):
    rows = _rows(rep.email, 1)
    rows[0][2] = "2000-01-01 00:00"
    assert calls_import(path=write_csv(tmp_path / "calls.csv", EN_HEADER, rows)).created == 1


@pytest.mark.parametrize("value", BAD_TEXT)
def test_nul_in_any_text_column_is_refused_on_its_row(tmp_path, rep, now, value):
    for column in (0, 8, 9):  # external_id, lead_external_id, note
        rows = _rows(rep.email, 2)
        rows[1][column] = value
        result = _refused(write_csv(tmp_path / "calls.csv", EN_HEADER, rows))
        assert result.errors[0]["code"] == "nul_character"


@pytest.mark.parametrize("column", ["email", "name", "team", "role"])
def test_nul_in_the_reps_import_is_refused_on_its_row(tmp_path, column):
    values = {"email": "new@example.jp", "name": "新人 太郎", "team": "東京第1チーム", "role": "rep"}
    values[column] = values[column] + "\x00"
    path = write_csv(tmp_path / "reps.csv", list(values), [list(values.values())])
    before = row_counts()
    result = reps_import(path=path)
    assert result.refused
    assert [(e["row"], e["column"], e["code"]) for e in result.errors] == [(2, column, "nul_character")]
    assert row_counts() == before


def test_a_utf16_reps_file_is_refused_by_name(tmp_path):
    path = tmp_path / "reps.csv"
    path.write_bytes("email,name,team,role\r\nnew@example.jp,新人,,rep\r\n".encode("utf-16"))
    result = reps_import(path=path)
    assert result.refused and "UTF-16" in result.errors[0]["value"]
