"""Counts of bad and hostile inputs tried by the robustness tests, printed after the run.

Tests call ``tally(kind, outcome)``; counts go to a JSON-lines file (shared by pytest-xdist
workers through an environment variable set by the controlling process) and the terminal summary
prints one table: for each kind of input, how many were tried and how each ended.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

_ENV = "ANALYTICS_ROBUSTNESS_LOG"


def tally(kind: str, outcome: str, n: int = 1) -> None:
    """Record ``n`` inputs of ``kind`` that ended as ``outcome`` (refused, flagged, ok, crashed…)."""
    path = os.environ.get(_ENV)
    if not path:
        return
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps({"kind": kind, "outcome": outcome, "n": n}, ensure_ascii=False) + "\n")


def pytest_configure(config):
    if os.environ.get(_ENV) is None:  # the controller (or a plain run): start a fresh log
        fd, path = tempfile.mkstemp(prefix="robustness-", suffix=".jsonl")
        os.close(fd)
        os.environ[_ENV] = path
        config._robustness_log = path


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    path = getattr(config, "_robustness_log", None)
    if not path or not Path(path).exists():
        return
    counts: dict[str, Counter] = defaultdict(Counter)
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        counts[row["kind"]][row["outcome"]] += row["n"]
    Path(path).unlink(missing_ok=True)
    if not counts:
        return
    tr = terminalreporter
    tr.section("bad and hostile inputs tried")
    width = max(len(k) for k in counts) + 2
    tr.write_line(f"{'input kind':<{width}}{'tried':>7}  outcomes")
    total = Counter()
    for kind in sorted(counts):
        c = counts[kind]
        total.update(c)
        detail = ", ".join(f"{o} {n}" for o, n in sorted(c.items()))
        tr.write_line(f"{kind:<{width}}{sum(c.values()):>7}  {detail}")
    crashed = total.get("crashed", 0) + total.get("lost", 0)
    tr.write_line(f"{'all':<{width}}{sum(total.values()):>7}  "
                  + ", ".join(f"{o} {n}" for o, n in sorted(total.items())))
    tr.write_line("none crashed the tool and nothing already loaded was lost" if not crashed
                  else f"{crashed} input(s) crashed the tool or lost data")
