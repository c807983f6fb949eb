"""The image and CI run the same build steps, and every vendored asset is self-contained."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_dockerfile_builds_with_the_steps_ci_runs():
    runs = [line[4:].strip() for line in (ROOT / "Dockerfile").read_text().splitlines() if line.startswith("RUN ")]
    assert runs[:2] == ["sh scripts/build.sh deps", "sh scripts/build.sh static"]
    prodcheck = (ROOT / "Makefile").read_text().split("\nprodcheck:")[1]
    assert "sh scripts/build.sh deps" in prodcheck
    assert "sh scripts/build.sh static" in prodcheck
    assert "make prodcheck" in (ROOT / ".ci" / "run").read_text()


def test_vendored_assets_name_no_file_that_is_not_there():
    for asset in (ROOT / "static").rglob("*"):
        if asset.suffix not in {".js", ".css"}:
            continue
        text = asset.read_text(encoding="utf-8", errors="replace")
        for name in re.findall(r"sourceMappingURL=([^\s*]+)", text):
            assert (asset.parent / name).exists(), f"{asset.name} names {name}, which is not vendored"
        assert "//cdn." not in text and "https://unpkg" not in text, asset.name


def test_templates_load_no_script_or_stylesheet_from_elsewhere():
    for template in (ROOT / "templates").rglob("*.html"):
        html = template.read_text()
        assert not re.search(r'<(script|link)[^>]+(src|href)="(https?:)?//', html), template.name
