"""The parser version is a digest of the parser's sources: any edit of the parser gives a new one,
so ``analytics setup`` rebuilds, and an edit elsewhere does not."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import analytics
from analytics.parsing import version

PACKAGE = Path(analytics.__file__).resolve().parent


def _version_of(src: Path) -> str:
    """``analytics.PARSER_VERSION`` as a fresh interpreter importing the package from ``src`` sees it."""
    env = {**os.environ, "PYTHONPATH": str(src), "PYTHONDONTWRITEBYTECODE": "1"}
    out = subprocess.run([sys.executable, "-c", "import analytics; print(analytics.__file__, analytics.PARSER_VERSION)"],
                         env=env, capture_output=True, text=True, check=True, timeout=120).stdout.split()
    assert Path(out[0]).resolve().is_relative_to(src.resolve())  # the copy was imported, not the original
    return out[1]


def _copy(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    shutil.copytree(PACKAGE, src / "analytics", ignore=shutil.ignore_patterns("__pycache__"))
    return src


def _append(path: Path, text: str) -> None:
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(text)


def test_editing_any_parser_file_changes_the_version(tmp_path):
    src = _copy(tmp_path)
    pkg = src / "analytics"
    original = _version_of(src)
    assert original == analytics.PARSER_VERSION  # a faithful copy has the same version
    seen = {original}

    _append(pkg / "dashboard" / "charts.py", "\n# not the parser\n")
    assert _version_of(src) == original

    for edited in ("parsing/tokens.py", "parsing/backends/pdf_settings.py", "spec/fields.csv"):
        _append(pkg / edited, "\n" if edited.endswith(".csv") else "\n# changed\n")
        now = _version_of(src)
        assert now not in seen, edited
        seen.add(now)

    (pkg / "parsing" / "backends" / "rtf.py").write_text('"""A new backend."""\n', encoding="utf-8")
    assert _version_of(src) not in seen


def test_the_version_is_stable_and_short():
    assert version.parser_version() == analytics.PARSER_VERSION
    assert len(analytics.PARSER_VERSION) == 12 and int(analytics.PARSER_VERSION, 16) >= 0


def _imported_outside_parsing(path: Path) -> set[str]:
    """Package files outside parsing/ that a parser module imports (relative imports only)."""
    rel = path.relative_to(PACKAGE)
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = list(rel.parent.parts)[: len(rel.parent.parts) - (node.level - 1)]
            target = base + (node.module.split(".") if node.module else [])
            names = [target] if node.module else [target + [a.name] for a in node.names]
            for parts in names:
                if parts and parts[0] != "parsing":
                    out.add("/".join(parts) + ".py")
        elif isinstance(node, ast.Import):
            out |= {n.name.removeprefix("analytics.").replace(".", "/") + ".py" for n in node.names
                    if n.name.startswith("analytics.") and not n.name.startswith("analytics.parsing")}
    return out


def test_every_file_the_parser_depends_on_is_in_the_digest():
    hashed = {p.relative_to(PACKAGE).as_posix() for p in version.source_files()}
    parser = sorted((PACKAGE / "parsing").rglob("*.py"))
    assert {p.relative_to(PACKAGE).as_posix() for p in parser} <= hashed
    needed = set().union(*(_imported_outside_parsing(p) for p in parser))
    assert needed and needed <= hashed, needed - hashed
    assert "spec/fields.csv" in hashed  # read by fields.py, not imported
