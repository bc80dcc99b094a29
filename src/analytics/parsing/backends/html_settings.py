"""Settings of the HTML backend."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class HtmlSettings:
    # The folder the page was read from: a table picture the page names by a relative path
    # ("images/t3.png", a saved page's files) is read from inside it, never from elsewhere.
    # ``read_report`` sets it from the file's path; bytes without a path have none.
    folder: str | None = None


DEFAULT = HtmlSettings()
