"""Read an uploaded CSV as a stream of rows, whatever its encoding, without holding it in memory.

Japanese offices export CSV from Excel as Shift_JIS (really cp932, Microsoft's superset with NEC and
IBM extensions such as ① and ㈱); phone systems and newer Excel write UTF-8, often with a BOM. The
encoding is decided from the first megabyte: a BOM wins, then strict UTF-8, then cp932.
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


def detect_encoding(sample: bytes) -> str:
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
        try:
            yield from csv.reader(text)
        except UnicodeDecodeError as exc:
            raise ApplicationError(f"bytes that are not {self.encoding} text") from exc
        except csv.Error as exc:
            raise ApplicationError(str(exc)) from exc
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
