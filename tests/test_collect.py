"""``analytics collect`` against a mirror of agency report columns on a loopback HTTP server."""

from __future__ import annotations

import csv
import hashlib

import pytest

from analytics.cli import main
from analytics.collect import listing, pick
from analytics.collect.fetch import Fetcher
from analytics.collect.run import collect
from analytics.warehouse import connect_read
from fixtures.mirror_site import REAL, MirrorServer
from fixtures.records import fresh_warehouse

FAST = dict(delay=0.005, timeout=0.5, retries=2, backoff=0.01)
OPTS = ["--delay", "0.005", "--timeout", "0.5", "--retries", "2", "--backoff", "0.01", "--quiet"]


def _columns(server):
    return [f"{server.base}/ptzx/zfxxgknb/index.html", f"{server.base}/hzq/zfxxgknb/list.html?page=1"]


def _manifest(out):
    with open(out / "manifest.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def site():
    with MirrorServer() as server:
        yield server


@pytest.fixture(scope="module")
def first_run(site, tmp_path_factory):
    """One collection of both columns through the CLI, with what it printed."""
    out = tmp_path_factory.mktemp("collect") / "采集"
    list_file = out.parent / "栏目.txt"
    list_file.write_text("# 年报栏目\n" + "\n".join(_columns(site)) + "\n", encoding="utf-8")
    before = len(site.log)
    capture = pytest.MonkeyPatch()
    import io
    import sys

    err, std = io.StringIO(), io.StringIO()
    capture.setattr(sys, "stderr", err)
    capture.setattr(sys, "stdout", std)
    try:
        code = main(["collect", str(list_file), "--out", str(out), *OPTS])
    finally:
        capture.undo()
    return {"out": out, "code": code, "err": err.getvalue(), "stdout": std.getvalue(),
            "log": site.log[before:]}


def test_every_report_and_attachment_is_saved_once_with_its_metadata(first_run):
    out = first_run["out"]
    assert first_run["code"] == 0
    rows = _manifest(out)
    by_url = {r["url"].split(":", 2)[2].split("/", 1)[1]: r for r in rows}
    pages = {(r["agency"], r["year"]) for r in rows if r["role"] == "page"}
    # Hongze's pages only summarise: their attachments are what holds the tables.
    assert pages == {("平潭综合实验区", "2025"), ("平潭综合实验区", "2023"), ("平潭综合实验区", "2021"),
                     ("平潭综合实验区", "2019")}
    attachments = {r["path"]: r for r in rows if r["role"] == "attachment"}
    # The 2021 page's DOCX is headed 2022: the year its tables are about is the document's own.
    assert {(r["agency"], r["year"]) for r in attachments.values()} == {
        ("淮安市洪泽区人民政府", "2024"), ("淮安市洪泽区人民政府", "2023"), ("", "2022")}
    # Saved byte for byte as published, names from the URL or the Content-Disposition.
    pdf24 = by_url["hzq/zfxxgknb/files/P020250110.pdf"]
    assert (out / pdf24["path"]).read_bytes() == (REAL / "淮安市洪泽区人民政府_2024.pdf").read_bytes()
    assert pdf24["page_url"].endswith("/hzq/zfxxgknb/content_2024.html")
    assert (pdf24["agency"], pdf24["year"], pdf24["published"]) == ("淮安市洪泽区人民政府", "2024", "2025-01-10")
    pdf23 = next(r for r in attachments.values() if r["year"] == "2023")
    assert pdf23["path"].endswith("2023/洪泽区2023年报.pdf")
    assert hashlib.sha256((out / pdf23["path"]).read_bytes()).hexdigest() == pdf23["sha256"]
    # The date the page states (its PubDate), the fetch time, and the list page it was found on.
    p21 = by_url["ptzx/zfxxgknb/202202/t20220208_5001.htm"]
    assert p21["published"] == "2022-02-08" and p21["fetched_at"][:2] == "20"
    assert p21["page_url"].endswith("/ptzx/zfxxgknb/index_1.html")
    assert p21["path"].endswith(".htm")
    gbk = (out / p21["path"]).read_bytes()
    assert "平潭综合实验区2021年度".encode("gbk") in gbk  # kept in the encoding it was served in
    assert len({r["sha256"] for r in rows}) == len(rows)


def test_failures_are_one_chinese_line_each_and_the_batch_goes_on(first_run, site):
    lines = [line for line in first_run["err"].splitlines() if line.strip()]
    assert len(lines) == 2, lines
    broken = next(line for line in lines if "t20230210_404.htm" in line)
    assert broken.startswith("采集失败 http://") and "HTTP 404（页面不存在）" in broken
    forbidden = next(line for line in lines if "/ptzx/private/" in line)
    assert "robots.txt 不允许抓取" in forbidden
    paths = [p for p, _ in first_run["log"]]
    # Nothing forbidden and nothing off the site was asked for; robots.txt was read once.
    assert not any(p.startswith("/ptzx/private/") for p in paths)
    assert all(host == f"127.0.0.1:{site.port}" for _, host in first_run["log"])
    assert paths.count("/robots.txt") == 1
    # The page that failed with a 500 and the one that timed out were retried and saved.
    assert paths.count("/ptzx/zfxxgknb/202001/t20200120_3001.htm") == 2
    assert paths.count("/ptzx/zfxxgknb/202202/t20220208_5001.htm") == 2
    # The 解读 article was opened (its list title is cut off) but is no report; the re-post of
    # the 2023 page has the same bytes and is not saved twice.
    assert paths.count("/ptzx/zfxxgknb/202403/t20240312_87990.htm") == 1
    assert "新保存 7 个文件（年报网页 4，附件 3）" in first_run["stdout"]
    assert "内容重复 2" in first_run["stdout"] and "失败 2" in first_run["stdout"]


def test_a_rerun_fetches_nothing_new(first_run, site, capsys):
    out = first_run["out"]
    before = len(site.log)
    manifest = (out / "manifest.csv").read_bytes()
    assert main(["collect", *_columns(site), "--out", str(out), *OPTS]) == 0
    asked = sorted(p for p, _ in site.log[before:])
    # Only robots.txt, the list pages (answered 304) and the link that failed were asked again:
    # no saved report page or attachment, nor the re-post and the 解读 looked at last time.
    assert asked == ["/hzq/zfxxgknb/list.html?page=1", "/hzq/zfxxgknb/list.html?page=2",
                     "/ptzx/zfxxgknb/202302/t20230210_404.htm", "/ptzx/zfxxgknb/index.html",
                     "/ptzx/zfxxgknb/index_1.html", "/robots.txt"]
    printed = capsys.readouterr().out
    assert "新保存 0 个文件" in printed and "已有未重取 15" in printed
    assert "未变 4" in printed
    assert (out / "manifest.csv").read_bytes() == manifest


def test_an_interrupted_run_resumes_without_fetching_twice(site, tmp_path):
    out = tmp_path / "采集"
    fetcher = Fetcher(out / ".collect", **FAST)
    # The first run stops after the first column (as if killed): its files and state are kept.
    collect([_columns(site)[1]], out, fetcher=fetcher)
    done = {r["url"] for r in _manifest(out)}
    assert len(done) == 3  # the three attachments: the pages only summarise
    before = len(site.log)
    outcome = collect(_columns(site), out, fetcher=Fetcher(out / ".collect", **FAST))
    again = {site.base + p for p, _ in site.log[before:]}
    assert not again & done
    assert len(_manifest(out)) == 7 and outcome.already == 6


def test_since_keeps_later_years_only(site, tmp_path):
    out = tmp_path / "采集"
    before = len(site.log)
    outcome = collect(_columns(site), out, since=2023, fetcher=Fetcher(out / ".collect", **FAST))
    years = sorted({int(r["year"]) for r in _manifest(out)})
    assert years == [2023, 2024, 2025]
    assert outcome.filtered >= 3
    # Years before 2023 are judged from the list's titles: their pages are never requested.
    assert not any("t20200120_3001" in p or "content_2021" in p for p, _ in site.log[before:])


def test_collected_reports_load_into_the_warehouse(first_run, tmp_path, capsys):
    out = first_run["out"]
    db = fresh_warehouse(tmp_path / "w.duckdb")
    assert main(["ingest", "--manifest", str(out / "manifest.csv"), "--db", db, "--quiet"]) == 0
    capsys.readouterr()
    con = connect_read(db)
    got = set(con.execute("SELECT agency_id, year, CAST(published AS VARCHAR) FROM reports").fetchall())
    assert {("平潭综合实验区", 2019, "2020-01-20"), ("平潭综合实验区", 2021, "2022-02-08"),
            ("平潭综合实验区", 2023, "2024-03-08"), ("平潭综合实验区", 2025, "2026-03-10"),
            ("淮安市洪泽区人民政府", 2023, "2024-01-15"), ("淮安市洪泽区人民政府", 2024, "2025-01-10")} <= got
    # The 2021 page names no agency: the DOCX's own heading gives it, and its year.
    assert ("某某市人民政府办公室", 2022, "2022-01-20") in got


def test_collect_ingest_in_one_command(site, tmp_path, capsys):
    out = tmp_path / "采集"
    db = fresh_warehouse(tmp_path / "w.duckdb")
    url = f"{site.base}/hzq/zfxxgknb/list.html?page=1"
    assert main(["collect", url, "--out", str(out), "--since", "2024", "--ingest", "--db", db, *OPTS]) == 0
    assert "载入 1 份" in capsys.readouterr().out
    con = connect_read(db)
    assert con.execute("SELECT agency_id, year FROM reports").fetchall() == [("淮安市洪泽区人民政府", 2024)]


def test_bad_arguments_are_one_line_exit_2(tmp_path, capsys):
    assert main(["collect", str(tmp_path / "无此文件.txt"), "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "既不是网址也无法读取为网址列表" in err[0]
    (tmp_path / "urls.txt").write_text("www.example.gov.cn/nb/\n", encoding="utf-8")
    assert main(["collect", str(tmp_path / "urls.txt"), "--out", str(tmp_path)]) == 2
    assert "第 1 行不是网址" in capsys.readouterr().err


@pytest.mark.parametrize("title, year, agency, report", [
    ("2023年政府信息公开工作年度报告", 2023, None, True),
    ("淮安市洪泽区人民政府2024年政府信息公开工作年度报告", 2024, "淮安市洪泽区人民政府", True),
    ("市教育局2022年度政府信息公开年报", 2022, "市教育局", True),
    ("２０２１年政府信息公开工作报告", 2021, None, True),
    ("二〇二〇年度政府信息公开工作年度报告", 2020, None, True),
    ("关于平潭综合实验区2023年度政府信息公开工作年度报告的解读", 2023, "平潭综合实验区", False),
    ("2024年政府工作报告", 2024, None, False),
    ("关于报送2023年政府信息公开工作年度报告的通知", 2023, None, False),
    ("政府信息公开工作年度报告", None, None, False),
])
def test_report_titles(title, year, agency, report):
    assert pick.is_report_title(title) is report
    assert pick.report_year(title) == year
    if report:
        assert pick.agency_from_title(title) == agency


def test_pagination_patterns():
    column = "http://x.gov.cn/nb/"
    html = ('<html><body><a href="t20240308_1.html">2023年年报</a>'
            '<a href="index_2.html">3</a><a href="?page=4">下一页</a><a href="/other/index_1.html">其他栏目</a>'
            '<script>createPageHTML(3, 0, "index", "shtml");</script></body></html>')
    found = listing.parse_listing(html, "http://x.gov.cn/nb/index.html", column)
    assert [link.url for link in found.links] == ["http://x.gov.cn/nb/t20240308_1.html",
                                                  "http://x.gov.cn/other/index_1.html"]
    assert set(found.pages) == {"http://x.gov.cn/nb/index_2.html", "http://x.gov.cn/nb/index.html?page=4",
                                "http://x.gov.cn/nb/index_1.shtml", "http://x.gov.cn/nb/index_2.shtml",
                                "http://x.gov.cn/nb/index.shtml"}


def test_manifest_published_dates_are_checked(tmp_path):
    from analytics.manifest import BadManifest, parse_manifest

    good = parse_manifest("path,published\na.html,２０２４-03-08\n".encode(), "m.csv", folder=tmp_path)
    assert good.lookup(tmp_path / "a.html")["published"] == "2024-03-08"
    with pytest.raises(BadManifest, match="第 2 行第 2 列（published）：发布日期“2024-13-01”无效"):
        parse_manifest(b"path,published\na.html,2024-13-01\n", "m.csv", folder=tmp_path)


def _state(out):
    import json

    return json.loads((out / ".collect" / "state.json").read_text(encoding="utf-8"))


def test_pages_titled_as_reports_are_told_by_their_content(first_run, site):
    out = first_run["out"]
    rows = _manifest(out)
    saved = {r["url"].removeprefix(site.base) for r in rows}
    pt = "/ptzx/zfxxgknb"
    notice, reading, repost = f"{pt}/202403/t20240315_88001.htm", f"{pt}/202403/t20240316_88002.htm", \
        f"{pt}/202503/t20250301_9100.htm"
    # The notice and the interpretation hold no tables; the re-post holds the 2023 tables.
    assert not {notice, reading, repost, "/hzq/zfxxgknb/files/jd2024.docx"} & saved
    state = _state(out)
    assert state["skipped"][site.base + repost] == f"copy:{site.base}{pt}/202403/t20240308_87885.htm"
    assert state["skipped"][site.base + "/hzq/zfxxgknb/files/jd2024.docx"] == "no_tables"
    assert "不是年报 4" in first_run["stdout"]
    # No 2024 report of Pingtan was made up from the re-post's title.
    assert not [r for r in rows if r["agency"] == "平潭综合实验区" and r["year"] == "2024"]
    # The summary page's attachments: the PDF with the tables is saved, the interpretation not.
    assert "/hzq/zfxxgknb/files/P020250110.pdf" in saved


def test_a_repost_with_nothing_to_copy_is_kept_under_the_year_of_its_tables(site, tmp_path):
    out = tmp_path / "采集"
    collect([f"{site.base}/ptcf/zfxxgknb/index.html"], out, fetcher=Fetcher(out / ".collect", **FAST))
    [row] = _manifest(out)
    assert (row["agency"], row["year"], row["title"]) == ("平潭综合实验区", "2023",
                                                         "平潭综合实验区2024年度政府信息公开工作年度报告")


def test_content_verdicts_use_the_parsers_own_reading():
    from analytics.collect import content
    from fixtures.mirror_site import NOTICE, _notice_page, _real_page, _retitled
    from fixtures.pdf_builders import build_scanned

    page = _real_page(2023)
    original = content.judge(page.encode("utf-8"), "a.htm")
    repost = content.judge(_retitled(page, "2023年度政府信息公开", "2024年度政府信息公开").encode("utf-8"), "b.htm")
    text = content.judge((REAL / "平潭综合实验区管委会_2023.txt").read_bytes(), "c.txt")
    assert original.verdict == content.REPORT and original.year == 2023
    # The same tables under another title, and in another format, have the same fingerprint.
    assert repost.fingerprint == original.fingerprint == text.fingerprint and repost.year == 2023
    other = content.judge(_real_page(2021).encode("utf-8"), "d.htm")
    assert other.verdict == content.REPORT and other.fingerprint != original.fingerprint
    notice = content.judge(_notice_page("2023年度政府信息公开工作年度报告", "公示", NOTICE).encode("utf-8"), "e.htm")
    assert notice.verdict == content.NO_TABLES
    # A scan is left to ingest's OCR; a pre-2019 report is a report, which ingest refuses by name.
    assert content.judge(build_scanned(1), "f.pdf").verdict == content.UNREAD
    old = content.judge((REAL / "平潭综合实验区管委会_2018_旧格式.txt").read_bytes(), "g.txt")
    assert old.verdict == content.UNREAD and "2019 年以前" in old.note
