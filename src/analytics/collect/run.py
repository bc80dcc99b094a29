"""Collect a column: walk its list pages, fetch each year's report page and its attachments,
save them as published, and write the manifest that ``analytics ingest --manifest`` reads.

The output folder holds ``<host>/<year>/<file>``, ``manifest.csv`` and ``.collect/`` (what was
fetched, by URL, and the validators for conditional requests). What a page or attachment holds is
judged by its content (``content.py``): a page without the template's tables is not saved (a
notice, an interpretation) and, when it is a summary, only its attachments that hold the tables
are; a copy of a saved report's tables (a re-post under a new title) is not saved again, and a
report's year is the year its tables are about. A rerun, or a run after an
interruption, asks only for the list pages again (conditionally) and never fetches a saved report
page or attachment twice; files are written atomically and the state after each report.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..errors import ReportError
from ..manifest import COLUMNS as INGEST_COLUMNS
from . import content, listing, pick
from .fetch import Fetcher, FetchFailed, write_atomic

# The manifest's own columns first (ingest reads them), then the provenance of each file.
PROVENANCE = ["role", "url", "page_url", "title", "fetched_at", "sha256"]
MANIFEST_COLUMNS = ["path", "agency", "year", "published", *PROVENANCE]
assert set(MANIFEST_COLUMNS[:4]) <= set(INGEST_COLUMNS)
PAGE_SUFFIXES = (".html", ".htm", ".shtml")


@dataclass
class Target:
    url: str
    agency: str | None = None  # given beside the URL in a list file: wins over the titles


@dataclass
class Outcome:
    saved: list[dict] = field(default_factory=list)  # manifest rows written this run
    already: int = 0  # report pages or attachments found in the state and not fetched again
    duplicates: list[str] = field(default_factory=list)  # URLs whose body was already saved
    filtered: int = 0  # reports older than --since
    not_reports: list[str] = field(default_factory=list)  # pages and files that hold no report (title or content)
    failures: list[str] = field(default_factory=list)  # one Chinese line each
    manifest: Path | None = None
    rows: int = 0  # rows in the manifest (this run and earlier ones)


def read_targets(args: Iterable[str]) -> list[Target]:
    """URLs given directly, or files listing one URL a line (optionally followed by the agency's
    name; blank lines and # comments skipped)."""
    out = []
    for arg in args:
        if arg.startswith(("http://", "https://")):
            out.append(Target(arg))
            continue
        path = Path(arg)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ReportError(f"既不是网址也无法读取为网址列表（{exc.strerror}）", arg) from None
        text = data.decode("utf-8-sig") if _utf8(data) else data.decode("gb18030", "replace")
        out.extend(targets_in(text, arg))
    if not out:
        raise ReportError("请至少给出一个年报栏目的网址，或列有网址的文件")
    return out


def targets_in(text: str, source: str) -> list[Target]:
    """The columns a list names: one URL a line, optionally followed by the agency's name (blank
    lines and # comments skipped); ``source`` names the list in an error."""
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        url, agency = (re.split(r"[\s,，]+", line, maxsplit=1) + [""])[:2]
        if not url.startswith(("http://", "https://")):
            raise ReportError(f"第 {n} 行不是网址：{line[:80]}", source)
        out.append(Target(url, agency.strip(" ,，\t") or None))
    return out


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8-sig")
        return True
    except UnicodeDecodeError:
        return False


class _State:
    """What earlier runs saved, by URL, kept in ``.collect/state.json``."""

    def __init__(self, folder: Path):
        self.file = folder / ".collect" / "state.json"
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        self.docs: dict[str, dict] = data.get("documents", {})
        self.pages: dict[str, dict] = data.get("pages", {})  # report page URL → its attachments
        # Pages looked at and not kept (no report by their own title, or a copy of a saved file):
        # a rerun does not open them again.
        self.skipped: dict[str, str] = data.get("skipped", {})
        # Report pages that only summarise: what their attachments are saved with.
        self.summaries: dict[str, dict] = data.get("summaries", {})
        self.out = folder
        self.hashes = {d["sha256"]: url for url, d in self.docs.items() if self.exists(d)}
        self.prints = {d["tables_sha256"]: url for url, d in self.docs.items()
                       if d.get("tables_sha256") and self.exists(d)}

    def exists(self, doc: dict) -> bool:
        return (self.out / doc["path"]).is_file()

    def known(self, url: str) -> bool:
        doc = self.docs.get(url)
        return doc is not None and self.exists(doc)

    def save(self) -> None:
        self.file.parent.mkdir(parents=True, exist_ok=True)
        data = {"documents": self.docs, "pages": self.pages, "skipped": self.skipped, "summaries": self.summaries}
        write_atomic(self.file, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))


@dataclass
class _Run:
    """One collection: where it writes, what it has done, and how it judges what it fetched."""

    out: Path
    since: int | None
    fetcher: Fetcher
    state: "_State"
    outcome: Outcome
    fail: Callable[[FetchFailed], None]
    judge: Callable[[bytes, str], content.Content]
    # Re-posts whose title names another year than their tables: kept only if, once the whole
    # column is seen, no saved report has the same tables.
    deferred: list = field(default_factory=list)


def collect(urls: Iterable[str | Target], out: str | Path, *, since: int | None = None,
            fetcher: Fetcher | None = None, progress: bool = False,
            on_failure: Callable[[str], None] | None = None, bar=None) -> Outcome:
    """Collect every report of the columns at ``urls`` into ``out``; returns what happened.

    A failed page or file is a line in ``Outcome.failures`` (and given to ``on_failure`` as it
    happens); the rest goes on. The manifest lists every file saved in ``out`` so far. ``bar``
    is a progress display with tqdm's ``total``, ``update``, ``set_description``, ``refresh`` and
    ``close`` (the app passes its own); otherwise ``progress`` asks for tqdm on stderr.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    own = fetcher is None
    fetcher = fetcher or Fetcher(out / ".collect")
    state = _State(out)
    outcome = Outcome()
    bar = bar or _bar(progress)

    def fail(exc: FetchFailed) -> None:
        line = str(exc)
        outcome.failures.append(line)
        if on_failure:
            on_failure(line)

    judge = content.Judge()
    run = _Run(out, since, fetcher, state, outcome, fail, judge)
    try:
        for target in [t if isinstance(t, Target) else Target(t) for t in urls]:
            _collect_column(run, target, bar)
    finally:
        judge.close()
        state.save()
        outcome.manifest, outcome.rows = write_manifest(out, state)
        bar.close()
        if own:
            fetcher.close()
    return outcome


def _collect_column(run: _Run, target: Target, bar) -> None:
    column = listing.column_of(target.url)
    site = urlsplit(target.url).netloc.lower()
    queue, seen_lists, seen_links = [listing.clean_url(target.url)], set(), set()
    while queue and len(seen_lists) < listing.MAX_LIST_PAGES:
        list_url = queue.pop(0)
        if list_url in seen_lists:
            continue
        seen_lists.add(list_url)
        bar.set_description(f"栏目页 {len(seen_lists)}")
        try:
            page = run.fetcher.get(list_url, conditional=True)
        except FetchFailed as exc:
            run.fail(exc)
            continue
        found = listing.parse_listing(listing.decode(page.body, page.charset), page.final_url, column)
        queue.extend(p for p in found.pages if p not in seen_lists and listing.in_column(p, column))
        for link in found.links:
            if link.url in seen_links or urlsplit(link.url).netloc.lower() != site:
                continue  # off the site: never followed
            if not (pick.is_report_title(link.text) or pick.looks_truncated(link.text)):
                continue
            seen_links.add(link.url)
            hint = pick.report_year(link.text)
            if run.since and hint and hint < run.since:
                run.outcome.filtered += 1
                continue
            bar.total = (bar.total or 0) + 1
            bar.refresh()
            _collect_report(run, link, list_url, target, site)
            bar.update(1)
            run.state.save()
    # A re-post is judged once the column is seen: a copy of a saved report is not kept twice.
    deferred, run.deferred = run.deferred, []
    for page, role, name, meta, judged in deferred:
        _keep(run, page, role, name, meta, judged, defer=False)
    run.state.save()


def _collect_report(run: _Run, link, list_url, target, site) -> None:
    state, outcome = run.state, run.outcome
    if pick.attachment_suffix(link.url):
        # The list links the report's file itself: no page in between.
        year = pick.report_year(link.text)
        meta = {"agency": target.agency or pick.agency_from_title(link.text), "year": year,
                "published": link.date, "title": link.text, "page_url": list_url}
        _attachment(run, link.url, link.text, meta, site, judge=True)
        return
    if link.url in state.skipped:
        outcome.already += 1
        return
    if link.url in state.pages and (state.known(link.url) or link.url in state.summaries):
        outcome.already += 1
        meta = dict(state.summaries.get(link.url) or
                    {k: state.docs[link.url].get(k) for k in ("agency", "year", "published", "title")})
        meta["page_url"] = link.url
        for url, text in state.pages[link.url]:
            _attachment(run, url, text, meta, site)
        return
    try:
        page = run.fetcher.get(link.url, conditional=True)
    except FetchFailed as exc:
        run.fail(exc)
        return
    tree = listing.parse_document(listing.decode(page.body, page.charset), page.final_url)
    info = pick.read_report_page(tree, page.final_url)
    title = next((t for t in (info.title, link.text) if t and pick.is_report_title(t)), None)
    if title is None:
        outcome.not_reports.append(link.url)
        state.skipped[link.url] = "not_report"
        return
    year = pick.report_year(title)
    if run.since and year and year < run.since:
        outcome.filtered += 1
        return
    meta = {"agency": target.agency or pick.agency_from_title(title), "year": year,
            "published": info.published or link.date, "title": title, "page_url": list_url}
    name = _page_name(page.final_url)
    judged = run.judge(page.body, name)
    attachments = [(u, t) for u, t in info.attachments if _same_site(u, site)]
    if judged.verdict == content.NO_TABLES:
        # A summary page: its attachments hold the tables (or it is a notice or an
        # interpretation, and none does). The page itself is nothing to load.
        state.summaries[link.url] = {k: meta[k] for k in ("agency", "year", "published", "title")}
        state.pages[link.url] = attachments
        kept = [_attachment(run, url, text, {**meta, "page_url": link.url}, site, judge=True)
                for url, text in attachments]
        if not any(kept) and not any(state.known(u) for u, _ in attachments):
            outcome.not_reports.append(link.url)
        return
    _keep(run, page, "page", name, meta, judged)
    meta = {**meta, "page_url": link.url}  # an attachment came from the report page
    state.pages[link.url] = attachments
    for url, text in attachments:
        _attachment(run, url, text, meta, site)


def _attachment(run: _Run, url, text, meta, site, judge: bool = False) -> bool:
    """Fetch and keep an attachment; ``judge``: only if it holds the tables (or cannot be
    judged here). False when it was not kept."""
    state = run.state
    if state.known(url):
        run.outcome.already += 1
        return False
    if url in state.skipped or not _same_site(url, site):
        return False
    try:
        page = run.fetcher.get(url, conditional=False)
    except FetchFailed as exc:
        run.fail(exc)
        return False
    name = _attachment_name(page, text)
    judged = run.judge(page.body, name) if judge else content.Content(content.UNREAD)
    if judged.verdict == content.NO_TABLES:
        state.skipped[url] = "no_tables"  # an interpretation, a form, a picture of the report
        run.outcome.not_reports.append(url)
        return False
    return _keep(run, page, "attachment", name, meta, judged)


def _keep(run: _Run, page, role, name, meta, judged: content.Content, defer: bool = True) -> bool:
    """Save what was judged a report, or could not be judged, unless it is a copy of a report
    already saved; its year is the year its tables are about. False when it was not kept."""
    state, outcome = run.state, run.outcome
    if judged.verdict == content.REPORT:
        if defer and judged.year and meta.get("year") and judged.year != meta["year"]:
            run.deferred.append((page, role, name, meta, judged))  # its title names another year
            return True  # decided at the column's end, not dropped
        copy_of = state.prints.get(judged.fingerprint)
        if copy_of and copy_of != page.url:
            outcome.duplicates.append(page.url)  # the same tables under another URL or title
            state.skipped[page.url] = "copy:" + copy_of
            return False
        if judged.year and judged.year != meta.get("year"):
            meta = {**meta, "year": judged.year}
    return _save(page, role, name, meta, run.out, state, outcome, judged.fingerprint)


def _save(page, role, name, meta, out, state, outcome, fingerprint: str | None = None) -> bool:
    sha = page.sha256
    if sha in state.hashes and state.hashes[sha] != page.url:
        outcome.duplicates.append(page.url)  # the same bytes under another URL (a re-post)
        state.skipped[page.url] = "duplicate:" + state.hashes[sha]
        return False
    folder = out / _safe(urlsplit(page.url).netloc) / str(meta.get("year") or "未知年度")
    folder.mkdir(parents=True, exist_ok=True)
    path = _free(folder / name)
    write_atomic(path, page.body)
    row = {"path": str(path.relative_to(out)), "agency": meta.get("agency") or "",
           "year": meta.get("year") or "", "published": meta.get("published") or "", "role": role,
           "url": page.url, "page_url": meta.get("page_url") or "", "title": meta.get("title") or "",
           "fetched_at": page.fetched_at, "sha256": sha}
    if fingerprint:
        row["tables_sha256"] = fingerprint  # kept in the state, not the manifest
        state.prints[fingerprint] = page.url
    state.docs[page.url] = row
    state.hashes[sha] = page.url
    outcome.saved.append(row)
    return True


def _same_site(url: str, site: str) -> bool:
    # Attachments often sit on a file host of the same domain (file.xx.gov.cn for www.xx.gov.cn).
    host = urlsplit(url).netloc.lower()
    domain = site.removeprefix("www.")
    return host == site or host == domain or host.endswith("." + domain)


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def _safe(name: str) -> str:
    name = _UNSAFE.sub("_", name).strip(" .") or "file"
    stem, dot, suffix = name.rpartition(".")
    if dot and len(name.encode("utf-8")) > 180:
        return stem[:60] + "." + suffix[:10]
    return name[:120]


def _page_name(url: str) -> str:
    base = unquote(urlsplit(url).path.rsplit("/", 1)[-1]) or "index.html"
    stem, dot, suffix = base.rpartition(".")
    if not dot or "." + suffix.lower() not in PAGE_SUFFIXES:
        base = (stem if dot else base) + ".html"  # ingest knows a page by its suffix
    return _safe(base)


def _attachment_name(page, text: str) -> str:
    suffix = pick.attachment_suffix(page.final_url) or pick.attachment_suffix(page.url) or ""
    name = page.filename or unquote(urlsplit(page.final_url).path.rsplit("/", 1)[-1])
    if not pick.attachment_suffix("x/" + name):
        name = (text or name or "附件")[:60] + suffix
    return _safe(name)


def _free(path: Path) -> Path:
    """``path``, or ``name-2.ext`` … when another file already has that name."""
    n = 1
    candidate = path
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return candidate


def write_manifest(out: Path, state: _State) -> tuple[Path, int]:
    rows = sorted((d for d in state.docs.values() if state.exists(d)),
                  key=lambda d: (str(d.get("year")), d["path"]))
    buf = io.StringIO(newline="")
    writer = csv.DictWriter(buf, MANIFEST_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path = out / "manifest.csv"
    write_atomic(path, buf.getvalue().encode("utf-8"))
    return path, len(rows)


class _NoBar:
    total = None

    def set_description(self, *_):
        pass

    def refresh(self):
        pass

    def update(self, *_):
        pass

    def close(self):
        pass


def _bar(enabled: bool):
    if not enabled:
        return _NoBar()
    from tqdm import tqdm

    return tqdm(total=0, unit="份", desc="采集", file=sys.stderr, leave=False)
