"""What a figure module outside this package (tools/bench/imports.py) receives: run(ctx)."""

import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class BenchContext:
    scale: dict  # {"reps": ..., "days": ..., "import_rows": ...}
    tmpdir: Path  # removed after the run
    rep_emails: list[str]  # the synthetic reps' logins, for import files and API payloads
    emit: Callable[[dict], dict]  # prints one JSON line (the scale is added)


def run_module(name: str, ctx: BenchContext) -> bool:
    """Run `tools.bench.<name>.run(ctx)` when that module exists and defines run(); False otherwise."""
    module_name = f"{__package__}.{name}"
    if importlib.util.find_spec(module_name) is None:
        return False
    run = getattr(importlib.import_module(module_name), "run", None)
    if run is None:
        return False
    run(ctx)
    return True
