"""Timing helpers and the JSON line every figure is printed as."""

import json
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection


@dataclass
class Emitter:
    """Prints one JSON line per figure (with the run's scale) and keeps them for the caller."""

    scale: dict
    write: Callable[[str], None]
    lines: list[dict] = field(default_factory=list)

    def emit(self, line: dict) -> dict:
        line = {**line, "scale": self.scale}
        self.lines.append(line)
        self.write(json.dumps(line, ensure_ascii=False, default=str))
        return line

    def figure(
        self,
        name: str,
        value: float,
        unit: str,
        *,
        anchor: dict | None = None,
        goal: str | None = None,
        ok: bool | None = None,
        **extra,
    ) -> dict:
        """`anchor` is an earlier figure line; ratio is always value / anchor value (same unit)."""
        line = {"figure": name, "value": round(value, 6), "unit": unit}
        if anchor is not None:
            line["anchor"] = anchor["value"]
            line["anchor_figure"] = anchor["figure"]
            line["ratio"] = round(value / anchor["value"], 3) if anchor["value"] else None
        else:
            line["anchor"] = line["ratio"] = None
        line["goal"] = goal
        line["ok"] = ok
        return self.emit({**line, **extra})


def seconds(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def repeat_ms(fn: Callable[[], object], *, runs: int, warmup: int = 1) -> list[float]:
    for _ in range(warmup):
        fn()
    return [seconds(fn) * 1000 for _ in range(runs)]


def median(values: list[float]) -> float:
    return statistics.median(values)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def sql(statement: str, params=None) -> Callable[[], None]:
    """A callable that runs one statement and fetches its rows (what a reader would pay)."""

    def run() -> None:
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
            if cursor.description:
                cursor.fetchall()

    return run
