"""Hostile input: SQL injection into every query and every filter, and uploads that try to escape
their folder or smuggle in another file type.

The queries run on a read-write connection to a real warehouse, so an injection that got through
could really drop or change a table; every check ends by counting the rows of every table. A
string value must act as an opaque value: the result equals the result for an ordinary value that
matches nothing (or, for the name search, the rows whose name contains the string). Identifiers
outside the allow-lists are refused with ``ValueError``.
"""

from __future__ import annotations

import inspect
import os
import shutil
import stat
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from analytics.warehouse import reviewdb
from analytics.dashboard import queries, uploads
from fixtures.corpus import REAL
from fixtures.gold_warehouse import build_warehouse
from robustness_plugin import tally

ROOT = Path(__file__).parents[1]
INJECTIONS = [
    "'; DROP TABLE reports; --",
    "1 OR 1=1",
    "' OR '1'='1",
    '" OR ""="',
    "\\'; DELETE FROM cells; --",
    "平潭'); DROP TABLE agencies; --",
    "＇ OR １=１ --",  # full-width quote and digits
    "\u202e' OR 1=1 --",  # right-to-left override
    "' UNION SELECT report_id, agency_id, agency_id, year, template, dataset FROM reports --",
    "$province",
    "{where}",
    "%",
    "_",
    "NULL",
    "a\x00b",
]
HARMLESS = "不存在的取值"
STRING_PARAMS = {"province", "city", "county", "q", "agency_id"}
LIST_PARAMS = {"levels", "kinds", "datasets", "agencies", "rules", "severities", "metrics"}
IDENT_PARAMS = {"metric", "order", "group", "status"}
# decisions are in the review store beside the warehouse; `rw` registers them as readers do
TABLES = ["agencies", "reports", "cells", "findings", "ingest_log", "report_wide"]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    return build_warehouse(tmp_path_factory.mktemp("hostile") / "warehouse.duckdb")


def _counts(con) -> dict[str, int]:
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


@pytest.fixture(scope="module")
def rw(warehouse, tmp_path_factory):
    """A read-write connection to a copy: an injected statement would really run here."""
    copy = tmp_path_factory.mktemp("rw") / "warehouse.duckdb"
    shutil.copyfile(warehouse, copy)
    con = duckdb.connect(str(copy))
    reviewdb.register(con, warehouse)  # decisions are read from the review store beside it
    yield con
    con.close()


def _params_of(fn, example: dict) -> set[str]:
    sig = inspect.signature(fn)
    return set(example) | {n for n, p in sig.parameters.items() if p.kind is p.KEYWORD_ONLY}


def _injected_calls():
    for name, (fn, example) in queries.CATALOGUE.items():
        for param in sorted(_params_of(fn, example) & (STRING_PARAMS | LIST_PARAMS | IDENT_PARAMS)):
            yield name, param


CALLS = list(_injected_calls())
PER_CALL = 4  # injections per (query, parameter); they rotate so every one meets every kind of parameter


def _rotation(i: int) -> list[str]:
    return [INJECTIONS[(i * PER_CALL + k) % len(INJECTIONS)] for k in range(PER_CALL)]


@pytest.mark.parametrize("i,name,param", [(i, n, p) for i, (n, p) in enumerate(CALLS)],
                         ids=[f"{n}-{p}" for n, p in CALLS])
def test_catalogue_treats_injection_as_a_value(rw, i, name, param):
    fn, example = queries.CATALOGUE[name]
    before = _counts(rw)
    texts = _rotation(i)
    if param in IDENT_PARAMS:
        for text in texts:
            with pytest.raises(ValueError):
                fn(rw, **{**example, param: text})
        tally("SQL injection (identifier)", "refused", len(texts))
    else:
        wrap = (lambda v: [v]) if param in LIST_PARAMS else (lambda v: v)
        reference = fn(rw, **{**example, param: wrap(HARMLESS)})
        for text in texts:
            got = fn(rw, **{**example, param: wrap(text)})
            if param == "q":
                # the name search: exactly the current reports whose name contains the text
                assert all(text in n for n in got["name"])
                assert got.empty
            else:
                pd.testing.assert_frame_equal(got.reset_index(drop=True), reference.reset_index(drop=True))
        tally("SQL injection (value)", "inert", len(texts))
    assert _counts(rw) == before


def test_search_still_finds_real_names(rw):
    """The control for the injection checks: the same search does find what it should."""
    from analytics.dashboard import filters

    got = queries.report_search(rw, **filters.example(year_from=2000, year_to=2100), q="平潭", limit=300)
    assert len(got) > 0 and all("平潭" in n for n in got["name"])


def test_every_table_survives(rw, warehouse):
    ro = duckdb.connect(str(warehouse), read_only=True)
    try:
        assert _counts(rw) == _counts(ro)
    finally:
        ro.close()


# ------------------------------------------------------------------ the app itself


PAGES = ["overview", "compare", "trends", "outcomes", "review", "active", "quality", "report", "upload"]


def _url(i: int) -> dict[str, str]:
    pick = lambda k: INJECTIONS[(i + k) % len(INJECTIONS)]  # noqa: E731
    return {"years": pick(0), "province": pick(1), "city": pick(2), "county": pick(3),
            "level": pick(4) + ",city", "kind": pick(5), "dataset": pick(6) + ",real", "report": pick(7)}


@pytest.fixture
def app_env(warehouse, tmp_path, monkeypatch):
    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(warehouse, copy)
    monkeypatch.setenv("ANALYTICS_DB", str(copy))
    monkeypatch.setenv("ANALYTICS_UPLOADS", str(tmp_path / "uploads"))
    return copy


def _app(page: str, url: dict[str, str]):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    for k, v in url.items():
        at.query_params[k] = v
    at.run()
    if page != "overview":
        at.switch_page(f"pages/{page}.py")
        at.run()
    return at


@pytest.mark.parametrize("i,page", list(enumerate(PAGES)), ids=PAGES)
def test_pages_take_hostile_urls(app_env, i, page):
    at = _app(page, _url(i))
    assert not at.exception, [e.value for e in at.exception]
    assert at.title and at.title[0].value  # the page rendered, it did not stop on an error
    # Only allow-listed values reach the sidebar: the injected region is not offered or chosen.
    for box in at.selectbox:
        if box.key in ("f_province", "f_city", "f_county"):
            assert box.value == "全部"
    con = duckdb.connect(str(app_env), read_only=True)
    try:
        assert all(n > 0 for t, n in _counts(con).items() if t in ("reports", "cells", "agencies"))
    finally:
        con.close()
    tally("hostile URL parameters", "inert", len(_url(i)))


def test_search_box_and_decision_note_take_injection(app_env):
    at = _app("report", {})
    for text in INJECTIONS[:6]:
        at.text_input(key="rp_q").set_value(text).run()
        assert not at.exception, [e.value for e in at.exception]
        assert any("没有符合条件的报告" in w.value for w in at.warning)
    at.text_input(key="rp_q").set_value("平潭").run()
    assert not at.exception and not at.warning
    tally("search box injection", "inert", 6)

    at = _app("quality", {})
    assert not at.exception
    note = INJECTIONS[0] + " " + INJECTIONS[5]
    fp = at.selectbox(key="q_fp").value
    at.text_input(key="q_note").set_value(note)
    at.button(key="q_dismiss").click().run()
    assert not at.exception, [e.value for e in at.exception]
    con = duckdb.connect(str(app_env), read_only=True)
    reviewdb.register(con, app_env)
    try:
        stored = con.execute("SELECT status, note FROM finding_decisions WHERE fingerprint = ?", [fp]).fetchall()
        assert stored == [("dismissed", note)]  # stored verbatim, as a value
        assert all(n > 0 for t, n in _counts(con).items() if t in ("reports", "cells", "agencies", "findings"))
    finally:
        con.close()
    tally("decision note injection", "stored verbatim", 1)


# ------------------------------------------------------------------ uploads


EVIL_NAMES = [
    "../../etc/passwd.html",
    "..\\..\\x.pdf",
    "/etc/cron.d/evil.txt",
    "C:\\Windows\\system32\\evil.docx",
    "report.pdf\x00.sh",
    "..",
    ".htaccess",
    "a" * 400 + ".txt",
    "\u202egnp.txt",
    "~/.bashrc.md",
    "report.html; rm -rf ~",
    "$(touch pwned).txt",
]


@pytest.mark.parametrize("name", EVIL_NAMES, ids=range(len(EVIL_NAMES)))
def test_upload_names_never_reach_the_file_system(name, tmp_path):
    folder = tmp_path / "uploads"
    data = (REAL / "平潭综合实验区管委会_2021.txt").read_bytes()
    up = uploads.accept(name, data, folder=folder)
    assert up.ok, up.error
    assert up.stored.parent == folder
    assert up.format in ("text", "markdown") and up.stored.name == f"{up.sha256}.{up.format}"
    assert sorted(p.name for p in tmp_path.rglob("*")) == sorted(["uploads", up.stored.name])
    assert not up.stored.stat().st_mode & (stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    assert up.name == name  # kept for display only
    tally("hostile upload file names", "stored by hash", 1)


def test_upload_type_is_decided_by_content(tmp_path):
    folder = tmp_path / "uploads"
    html = (REAL / "平潭综合实验区管委会_2021_网页.html").read_bytes()
    pdf = (REAL / "淮安市洪泽区人民政府_2024.pdf").read_bytes()
    png = b"GIF89a" + bytes(200)  # a picture format the tool does not read (PNG is read by OCR)
    script = b"#!/bin/sh\ntouch /tmp/pwned-by-upload\n"
    elf = b"\x7fELF\x02\x01\x01" + bytes(500)
    cases = [("report.pdf", html, "html"), ("report.txt", pdf, "pdf"), ("scan.pdf", png, None),
             ("run.txt", script, None), ("tool.docx", elf, None), ("page.html", b"<script>alert(1)</script>", None)]
    for name, data, fmt in cases:
        up = uploads.accept(name, data, folder=folder)
        if fmt:
            assert up.ok and up.format == fmt and up.stored.suffix == f".{fmt}", (name, up.error)
        else:
            assert not up.ok and up.error, name
        tally("uploads mislabelled by name", "typed by content" if fmt else "refused", 1)
    assert not Path("/tmp/pwned-by-upload").exists()
    for p in folder.iterdir():
        assert p.suffix in {".pdf", ".docx", ".doc", ".html", ".text", ".markdown", ".image"}
        assert not os.access(p, os.X_OK)


def test_manifest_paths_are_reduced_to_base_names():
    data = ("path,agency,year\n../../etc/passwd.html,某局,2023\n..\\..\\x.pdf,'; DROP TABLE reports; --,2022\n"
            ).encode("utf-8")
    rows = uploads.read_manifest(data)
    assert set(rows) == {"passwd.html", "..\\..\\x.pdf"}
    assert rows["..\\..\\x.pdf"]["agency"] == "'; DROP TABLE reports; --"


def test_upload_page_stores_hostile_names_inside_its_folder(app_env, tmp_path):
    data = (REAL / "平潭综合实验区管委会_2021.txt").read_bytes()
    at = _app("upload", {})
    at.file_uploader(key="up_files").set_value([("../../../escape.txt", data, "text/plain")])
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    stored = sorted((tmp_path / "uploads").iterdir())
    assert [p.suffix for p in stored] == [".text"] and len(stored) == 1
    for base in (tmp_path / "uploads", ROOT, Path.cwd()):
        assert not (base / "../../../escape.txt").resolve().exists()
    tally("hostile upload file names", "stored by hash (page)", 1)
