"""Writing the demo corpus: documents, ``manifest.csv``, ``planted.json`` and ``truth.jsonl``.

    summary = write_corpus("var/demo", seed=2025, scale=1.0)

The output is a pure function of (seed, scale, years): the same arguments give the same bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import multiprocessing
import shutil
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

import numpy as np

from . import prose, render_docx, render_html, render_pdf, render_text
from ..errors import ReportError
from ..fields import TEMPLATE_2021_FIRST_YEAR
from ..manifest import COLUMNS as MANIFEST_COLUMNS
from .errors_planted import Draft, pick_copies, plant
from .figures import YEARS, agency_rng, population_figures
from .population import Agency, build_population
from .report import Report, Style, numeric_tables, printed_tables, truth_record

from .version import DEFAULT_SEED, GENERATOR_VERSION  # noqa: F401  (re-exported)

FORMATS = ["html", "text", "docx", "pdf"]
_FORMAT_WEIGHTS = [0.45, 0.25, 0.20, 0.10]
_EXT = {"html": "html", "text": "txt", "docx": "docx", "pdf": "pdf"}
_RENDER = {"html": render_html.render, "text": render_text.render, "docx": render_docx.render,
           "pdf": render_pdf.render}


def _habits(seed: int, agency: Agency) -> Style:
    """How an agency lays out its reports, the same from year to year unless it changes its ways."""
    rng = agency_rng(seed, agency.name, salt=2)
    fmt = FORMATS[int(rng.choice(len(FORMATS), p=_FORMAT_WEIGHTS))]
    small = agency.kind == "township"
    return Style(
        format=fmt,
        single_other=rng.random() < 0.1,
        normative_label="规范性文件" if rng.random() < 0.15 else "行政规范性文件",
        heading_variant=int(rng.choice(5, p=[0.55, 0.22, 0.13, 0.05, 0.05])),
        blank_zeros=rng.random() < (0.5 if small else 0.05),
        slash_regulations=agency.role != "city_gov" and rng.random() < (0.3 if small else 0.1),
        encoding=str(rng.choice(["utf-8", "gb18030", "utf-8-sig"], p=[0.6, 0.3, 0.1])),
        page_breaks=rng.random() < 0.3,
        cms_page=rng.random() < 0.6,
        table_captions=rng.random() < 0.15,
    )


def _published(rng: np.random.Generator, agency: Agency, year: int) -> str:
    start = dt.date(year + 1, 1, 8)
    deadline = dt.date(year + 1, 3, 31) if agency.kind == "government" else dt.date(year + 1, 1, 31)
    span = (deadline - start).days
    late = int(rng.integers(3, 60)) if rng.random() < 0.05 else 0
    return (start + dt.timedelta(days=int(rng.integers(0, span + 1)) + late)).isoformat()


def _missing(seed: int, agencies: list[Agency], years: list[int], n: int) -> set[tuple[str, int]]:
    """A few agencies skip a year inside the range (never the first or last year, never a government)."""
    if len(years) < 3 or n <= 0:
        return set()
    rng = np.random.default_rng([seed, 3])
    candidates = [a for a in agencies if a.kind != "government"]
    picks = rng.choice(len(candidates), size=min(n, len(candidates)), replace=False)
    return {(candidates[int(i)].name, years[int(rng.integers(1, len(years) - 1))]) for i in picks}


def _ensure_coverage(entries: list[tuple[Agency, int, Style]]) -> None:
    """Small corpora still hold every format, the kept （六） row and a GB18030 text file."""
    present = {style.format for _, _, style in entries}
    for i, fmt in enumerate(f for f in FORMATS if f not in present):
        entries[(7 * i + 3) % len(entries)][2].format = fmt
    texts = [style for _, _, style in entries if style.format == "text"]
    if texts and not any(style.encoding == "gb18030" for style in texts):
        texts[0].encoding = "gb18030"
    later = [style for _, year, style in entries if year >= TEMPLATE_2021_FIRST_YEAR]
    if later and not any(style.single_other for style in later):
        later[-1].single_other = True


def build_reports(seed: int = DEFAULT_SEED, scale: float = 1.0, years: list[int] | None = None):
    """Everything the corpus holds, before rendering: (agencies, reports, planted)."""
    years = sorted(years or YEARS)
    agencies = build_population(seed, scale)
    figures = population_figures(seed, agencies)
    missing = _missing(seed, agencies, years, max(1, round(4 * scale)))
    entries: list[tuple[Agency, int, Style]] = []
    for agency in agencies:
        habits = _habits(seed, agency)
        rng = agency_rng(seed, agency.name, salt=4)
        for year in years:
            style = replace(habits)
            if rng.random() < 0.15:  # an agency sometimes publishes another way for a year
                style.format = FORMATS[int(rng.choice(len(FORMATS), p=_FORMAT_WEIGHTS))]
            if (agency.name, year) not in missing:
                entries.append((agency, year, style))
    _ensure_coverage(entries)
    drafts: list[Draft] = []
    for agency, year, style in entries:
        template = "2021" if year >= TEMPLATE_2021_FIRST_YEAR else "2019"
        active, apps, review = numeric_tables(figures[agency.name][year], template, style.single_other)
        prev = year - 1 in years and (agency.name, year - 1) not in missing
        drafts.append(Draft(agency, year, template, style, active, apps, review, prev))
    planted = plant(drafts, np.random.default_rng([seed, 5]), per_rule=max(1, round(2 * scale)))
    planted += [{"agency": name, "year": year, "rule": "X_MISSING_YEAR", "detail": "该年度报告缺失"}
                for name, year in sorted(missing)]
    # One report copies another agency's prose of the same year (its own name and figures in it).
    prose_from = {}
    for source, copier in pick_copies(drafts, np.random.default_rng([seed, 6]), max(1, round(scale))):
        prose_from[(copier.agency.name, copier.year)] = source.agency.name
        planted.append({"agency": copier.agency.name, "year": copier.year, "rule": "DUPLICATE_TEXT",
                        "detail": f"正文照搬{source.agency.name} {source.year} 年度报告"})
    reports = []
    for d in drafts:
        active, apps, review = printed_tables(d.active, d.apps, d.review, d.style)
        rng = agency_rng(seed, d.agency.name, salt=10_000 + d.year)
        report = Report(d.agency, d.year, d.template, _published(rng, d.agency, d.year), d.style, active, apps, review)
        writer = prose_from.get((d.agency.name, d.year), d.agency.name)
        prose.write_prose(report, agency_rng(seed, writer, salt=20_000 + d.year))
        report.path = f"{d.year}/{d.agency.name}_{d.year}.{_EXT[d.style.format]}"
        reports.append(report)
    return agencies, reports, planted


def _render_one(report: Report, seed: int) -> bytes:
    rng = agency_rng(seed, report.agency.name, salt=30_000 + report.year)
    return _RENDER[report.style.format](report, rng)


def _rendered(reports: list[Report], seed: int, workers: int):
    if workers <= 1 or len(reports) < 50:
        for report in reports:
            yield _render_one(report, seed)
        return
    # spawn, not fork: the caller may hold a DuckDB connection or a progress-bar thread.
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        yield from pool.map(_render_one, reports, [seed] * len(reports), chunksize=16)


def write_corpus(out: str | Path, seed: int = DEFAULT_SEED, scale: float = 1.0, years: list[int] | None = None,
                 progress=None, workers: int = 1) -> dict:
    """Render every report into ``out`` and write the manifest, truth and planted files.

    ``workers`` > 1 renders in that many processes (PDF rendering is most of the time).
    """
    final = Path(out)
    if final.exists() and (not final.is_dir() or (any(final.iterdir()) and not (final / "summary.json").exists())):
        # Never delete a folder this generator did not write.
        raise ReportError(f"{final} 已存在且不是演示语料文件夹；请选择一个空文件夹或新文件夹")
    # Written beside the target and moved into place at the end: a reader (or a rerun after a
    # crash) never mistakes a half-written corpus for a finished one.
    out = final.with_name(final.name + ".partial")
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    agencies, reports, planted = build_reports(seed, scale, years)
    counts: dict[str, int] = {}
    with open(out / "manifest.csv", "w", newline="", encoding="utf-8") as mf, \
            open(out / "truth.jsonl", "w", encoding="utf-8") as tf:
        writer = csv.writer(mf)
        writer.writerow(MANIFEST_COLUMNS)
        for report, data in zip(reports, _rendered(reports, seed, workers)):
            a = report.agency
            path = out / report.path
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            counts[report.style.format] = counts.get(report.style.format, 0) + 1
            # published is left to the document, which prints its own date
            writer.writerow([report.path, a.name, report.year, a.province, a.city, a.county, a.level, a.kind,
                             a.parent, ""])
            tf.write(json.dumps(truth_record(report), ensure_ascii=False, separators=(",", ":")) + "\n")
            if progress:
                progress(1)
    summary = {
        "generator_version": GENERATOR_VERSION, "seed": seed, "scale": scale,
        "years": sorted(years or YEARS), "agencies": len(agencies), "documents": len(reports),
        "formats": counts, "planted": len(planted),
    }
    (out / "planted.json").write_text(json.dumps(planted, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (out / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if final.exists():
        shutil.rmtree(final)
    out.rename(final)
    return summary
