"""The README and docs name real commands and real files."""

from __future__ import annotations

import re
from pathlib import Path

from analytics.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", ROOT / "docs" / "architecture.md", ROOT / "docs" / "warehouse.md"]


def _doc_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in DOCS if p.exists())


def test_every_command_in_the_docs_exists():
    commands = set(build_parser()._subparsers._group_actions[0].choices)
    named = set(re.findall(r"^analytics (\w+)", _doc_text(), flags=re.M))
    named |= set(re.findall(r"`analytics (\w+)", _doc_text()))
    assert named, "the README shows no analytics command"
    assert named <= commands, f"documented but missing: {sorted(named - commands)}"


def test_every_path_in_the_docs_exists():
    paths = set(re.findall(r"`((?:src|docs|tests|data|benchmarks|pages|scripts)/[^`<> ]*|app\.py)`", _doc_text()))
    paths |= set(re.findall(r"\]\(((?:src|docs|data)/[^)]+)\)", _doc_text()))
    assert len(paths) > 10
    missing = sorted(p for p in paths if not (ROOT / p).exists())
    assert not missing, f"documented but missing: {missing}"


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "./test" in readme
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "exec ./test" in ci


def test_every_backend_named_in_the_registry_is_documented():
    from analytics.parsing import BACKENDS

    for module in set(BACKENDS.values()):
        rel = "src/" + module.replace(".", "/") + ".py"
        assert (ROOT / rel).exists(), rel
