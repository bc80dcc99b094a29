"""Reading the warehouse's ``.sql`` files and filling their identifier slots.

Values are always bound as parameters. The only text ever put into a query is an identifier or a
key taken from an allow-list (the field keys of fields.csv, the metric names of metrics.py), and
every such piece is checked against ``_SAFE`` before it goes in.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

_SAFE = re.compile(r"^[a-z][a-z0-9_]*$")


@lru_cache(maxsize=None)
def read(name: str, package: str = "analytics.warehouse") -> str:
    """The text of ``sql/<name>.sql`` of ``package`` (the warehouse's unless said; ``name`` may
    contain a sub-folder, e.g. ``rules/t3_flow``)."""
    return resources.files(package).joinpath(f"sql/{name}.sql").read_text(encoding="utf-8")


def all_names(package: str = "analytics.warehouse") -> list[str]:
    """Every .sql file of the package, as names for ``read``."""
    root = resources.files(package).joinpath("sql")
    out = []

    def walk(node, prefix):
        for child in node.iterdir():
            if child.is_dir():
                walk(child, f"{prefix}{child.name}/")
            elif child.name.endswith(".sql"):
                out.append(prefix + child.name[:-4])

    walk(root, "")
    return sorted(out)


def ident(name: str) -> str:
    """An identifier or key from an allow-list, refused if it could carry anything else."""
    if not _SAFE.match(name):
        raise ValueError(f"not an allowed identifier: {name!r}")
    return name


def lit(key: str) -> str:
    """A field key from fields.csv as a SQL string literal (keys are checked, never user text)."""
    return f"'{ident(key)}'"


def render(name: str, **slots: str) -> str:
    """The query of ``name`` with its ``{slot}`` placeholders replaced by generated SQL fragments."""
    text = read(name)
    for key, value in slots.items():
        text = text.replace("{" + key + "}", value)
    if re.search(r"\{[a-z_]+\}", text):
        raise ValueError(f"{name}.sql has an unfilled slot")
    return text
