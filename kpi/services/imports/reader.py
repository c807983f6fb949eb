"""Read an uploaded CSV as a stream of rows, whatever its encoding, without holding it in memory.

Japanese offices export CSV from Excel as Shift_JIS (really cp932, Microsoft's superset with NEC and
IBM extensions such as ① and ㈱); phone systems and newer Excel write UTF-8, often with a BOM. The
encoding is decided from the first megabyte: a BOM wins, then strict UTF-8, then cp932.

A file that is not CSV text is refused whole, with a reason that names what it is: UTF-16 (Excel's
"Unicode text", with a BOM or NUL bytes between the letters), binary content (a workbook, a PDF, an
image), or a quoted field that never closes (read leniently, it would swallow every later row into
one value and the import would "succeed" with most rows lost).
"""

import codecs
import csv
import io
from collections.abc import Iterator
from pathlib import Path

from ...errors import ApplicationError

SAMPLE_BYTES = 1 << 20
UTF8, UTF8_BOM, CP932 = "utf-8", "utf-8-sig", "cp932"
# A file that is not text in a supported encoding, or not CSV at all, raises ApplicationError: the
# import records it as the job's one "unreadable" error.
_MAGIC = (
    (b"PK\x03\x04", "a ZIP archive or an Excel workbook (.xlsx), not CSV: save it as CSV first"),
    (b"\xd0\xcf\x11\xe0", "an old Excel workbook (.xls), not CSV: save it as CSV first"),
    (b"%PDF", "a PDF document, not CSV"),
    (b"\x89PNG", "a PNG image, not CSV"),
    (b"\xff\xd8\xff", "a JPEG image, not CSV"),
    (b"\x1f\x8b", "a gzip archive, not CSV: unpack it first"),
)
UTF16 = 'UTF-16 text (Excel\'s "Unicode text"), not UTF-8 or Shift_JIS: save it as CSV UTF-8'
BINARY = "binary content, not CSV text"
# Control characters no CSV export writes: not tab, line feed, form feed, carriage return, DOS's end
# of file (26), nor NUL (counted on its own above: a stray one is a row's nul_character).
_CONTROL = bytes(b for b in range(1, 32) if b not in (9, 10, 12, 13, 26))


def sniff_problem(sample: bytes) -> str | None:
    """What the file is when it is not CSV text, from its first bytes; None when it may be."""
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return UTF16
    for magic, what in _MAGIC:
        if sample.startswith(magic):
            return what
    if not sample:
        return None
    nuls = sample.count(0)
    if nuls * 10 >= len(sample) * 3:
        # UTF-16 without a BOM: Latin letters and digits carry a NUL on every other byte.
        even = sample[0::2].count(0)
        if max(even, nuls - even) * 10 >= nuls * 9:
            return UTF16
        return BINARY
    # A stray NUL in a note is a row's error (nul_character); many control bytes are not text at all.
    controls = sum(sample.count(bytes([b])) for b in _CONTROL)
    if controls * 100 > len(sample) and controls >= 4:
        return BINARY
    return None


def detect_encoding(sample: bytes) -> str:
    problem = sniff_problem(sample)
    if problem:
        raise ApplicationError(problem)
    if sample.startswith(codecs.BOM_UTF8):
        return UTF8_BOM
    try:
        # final=False: a multi-byte character cut at the end of the sample is not an error.
        codecs.getincrementaldecoder(UTF8)().decode(sample, final=False)
        return UTF8
    except UnicodeDecodeError:
        pass
    try:
        codecs.getincrementaldecoder(CP932)().decode(sample, final=False)
        return CP932
    except UnicodeDecodeError as exc:
        raise ApplicationError("not UTF-8 or Shift_JIS (cp932) text") from exc


def _csv_problem(exc: csv.Error, start_line: int) -> str:
    text = str(exc)
    if "unexpected end of data" in text or "field larger than field limit" in text:
        return (
            f"an unterminated quote: the quoted value that starts on line {start_line} never closes "
            "(every later row would be read into it)"
        )
    if "expected after" in text:
        return f'a quote (") inside the quoted value that starts on line {start_line}: double it ("") or remove it'
    return f"line {start_line}: {text}"


class CsvStream:
    """Iterate (row_number, fields) over a CSV file; row 1 is the header, data rows start at 2."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        with self.path.open("rb") as fh:
            self.encoding = detect_encoding(fh.read(SAMPLE_BYTES))
        self.header: list[str] = next(self._reader(), [])

    def _reader(self):
        raw = self.path.open("rb")
        text = io.TextIOWrapper(raw, encoding=self.encoding, newline="", errors="strict")
        # strict: a quote that never closes (or stray text after a closing quote) is an error, not a
        # value that runs to the end of the file.
        reader = csv.reader(text, strict=True)
        start = 1
        try:
            for fields in reader:
                yield fields
                start = reader.line_num + 1
        except UnicodeDecodeError as exc:
            raise ApplicationError(f"bytes that are not {self.encoding} text") from exc
        except csv.Error as exc:
            raise ApplicationError(_csv_problem(exc, start)) from exc
        finally:
            text.close()

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        reader = self._reader()
        next(reader, None)
        line = 1
        try:
            for line, fields in enumerate(reader, start=2):
                if fields:
                    yield line, fields
        except ApplicationError as exc:
            raise ApplicationError(f"row {line + 1}: {exc}") from exc
        finally:
            reader.close()
