"""Ingestion from files: call logs (calls.py) and reps (reps.py).

reader: encoding detection and a streaming CSV reader; columns: header and value words;
validate: one row into typed values or errors; store: staging COPY and one set-based insert.
"""

from .calls import ImportResult, calls_import

__all__ = ["ImportResult", "calls_import"]
