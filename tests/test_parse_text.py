"""The text/Markdown backend and the command line, on files written here and the real corpus."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from analytics.errors import BadEncoding, EmptyFile
from analytics.fields import APPLICATION_COLS
from analytics.parsing import parse_bytes, parse_file
from analytics.parsing.backends import text as text_backend
from fixtures.corpus import REAL, documents, gold_of

CLI = [sys.executable, "-m", "analytics.cli"]


def test_pipe_tab_and_plain_lines_become_rows():
    data = ("标题: 某局2021年政府信息公开工作年度报告\n发布时间: 2022-01-20 10:00\n==== 正文 ====\n"
            "## 一、总体情况\n**加强领导。**本年度……\n"
            "| 信息内容 | 本年制发件数 |\n|---|:---:|\n| 规章 |  |\n"
            "a\t\tb\t\n|\n").encode("utf-8")
    doc = text_backend.load(data, "x.md")
    assert doc.title == "某局2021年政府信息公开工作年度报告" and doc.published == "2022-01-20"
    texts = [r.texts for r in doc.rows]
    assert texts[0] == ["一、总体情况"] and texts[1] == ["加强领导。本年度……"]
    assert ["规章", ""] in texts and ["a", "", "b", ""] in texts
    assert ["信息内容", "本年制发件数"] in texts and not any("---" in "".join(t) for t in texts)
    assert texts[-1] == [""] and doc.rows[-1].in_table  # a bare "|" line is one blank cell
    assert all(r.where.startswith("line ") for r in doc.rows)


def test_form_feed_counts_pages():
    doc = text_backend.load("第一页\n表格\f第二页\n".encode("utf-8"), "x.txt")
    assert [(r.texts, r.where) for r in doc.rows[1:]] == [(["表格"], "line 2"), (["第二页"], "line 2, page 2")]


@pytest.mark.parametrize("encoding, bom", [("utf-8", b"\xef\xbb\xbf"), ("gb18030", b""), ("gbk", b""), ("utf-8", b"")])
def test_encodings_give_the_same_record(report_text, encoding, bom):
    text = report_text("2021", "tab").text()
    rec = parse_bytes(bom + text.encode(encoding), "测试县人民政府_2021.txt")
    assert rec["agency"] == "测试县人民政府"
    assert rec["applications"]["new_received"]["total"] == 83


def test_unknown_encoding_and_empty_file_are_refused():
    with pytest.raises(BadEncoding):
        parse_bytes(bytes(range(128, 256)) * 40, "x.txt")
    with pytest.raises(EmptyFile):
        parse_bytes(b"  \n", "x.txt")


def test_real_markdown_with_displaced_labels():
    rec = parse_file(REAL / "上海市科学技术委员会_2024.md")
    assert rec["source"]["format"] == "markdown"
    apps = rec["applications"]
    # rows whose labels the converter moved elsewhere are placed by template order
    assert [apps["unable_not_held"][c] for c in APPLICATION_COLS] == [4, 0, 0, 0, 0, 0, 4]
    assert [apps["other_no_correction"][c] for c in APPLICATION_COLS] == [8, 2, 0, 0, 0, 0, 10]
    assert "total" not in apps["carried_forward"]


def test_cli_parse_json_exit_0():
    out = subprocess.run(CLI + ["parse", str(REAL / "高新区_2021.txt"), "--json"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert '"template": "2021"' in out.stdout and '"agency": "高新区"' in out.stdout


def test_cli_refuses_the_2018_report_with_one_line():
    out = subprocess.run(CLI + ["parse", str(REAL / "平潭综合实验区管委会_2018_旧格式.txt")], capture_output=True, text=True, timeout=60)
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert lines == [f"analytics parse: {REAL / '平潭综合实验区管委会_2018_旧格式.txt'}: 2019 年以前的旧格式年报（2018）：没有 2019/2021 年模板的任何标准表格"]


def test_text_parsing_speed():
    import unicodedata

    from fixtures.speed import cost_ratio

    def read_lines(item) -> None:  # the plain alternative: decode, NFKC, split into words
        text = unicodedata.normalize("NFKC", item[0].decode("utf-8"))
        [line.split() for line in text.splitlines()]

    files = [p for p in documents(".txt", ".md") if "旧格式" not in p.name]
    datas = [(p.read_bytes(), p.name) for p in files]
    for data, name in datas:
        parse_bytes(data, name)
    rate, plain, ratio = cost_ratio(lambda item: parse_bytes(*item), read_lines, datas, rounds=5)
    print(f"text: {rate:.0f} reports/s, decoding and splitting alone {plain:.0f}/s: {ratio:.1f}×")
    # measured 7.1–8.7× (300–430 reports/s alone on one core)
    assert ratio <= 25


def _gold_cells(gold: dict):
    for key, value in gold["active_disclosure"].items():
        yield ("active_disclosure", key, None), value
    for table in ("applications", "review_litigation"):
        for row, cols in gold[table].items():
            for col, value in cols.items():
                yield (table, row, col), value


def _got(record: dict, where: tuple):
    table, row, col = where
    if col is None:
        return record[table].get(row, "ABSENT")
    return record[table].get(row, {}).get(col, "ABSENT")


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
@pytest.mark.parametrize("stem", ["淮安市洪泽区人民政府_2023", "淮安市洪泽区人民政府_2024"])
def test_pdftotext_output_of_real_reports(tmp_path, stem):
    gold = gold_of(REAL / f"{stem}.pdf")
    for mode in ("-layout", None):
        out = tmp_path / f"{stem}{mode or ''}.txt"
        subprocess.run(["pdftotext", *([mode] if mode else []), str(REAL / f"{stem}.pdf"), str(out)], check=True, timeout=300)
        rec = parse_file(out)
        cells = list(_gold_cells(gold))
        wrong = [(w, v, _got(rec, w)) for w, v in cells if _got(rec, w) not in ("ABSENT", v)]
        assert not wrong, f"{mode}: {wrong[:5]}"  # flattened text may lose cells, never shift them
        if mode == "-layout":
            assert all(_got(rec, w) == v for w, v in cells)


def test_arbitrary_text_is_read_or_refused_never_crashes(report_text):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from analytics.errors import ReportError

    base = report_text("2021", "tab").text().splitlines()

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(st.integers(0, len(base) - 1), max_size=len(base)),
           st.lists(st.sampled_from(["\t", "|", " ", "\f", "0", "9" * 12, "—", "（", "三"]), max_size=20))
    def run(keep, noise):
        lines = [base[i] for i in sorted(set(keep))]
        for k, piece in enumerate(noise):
            if lines:
                lines[k % len(lines)] += piece
        try:
            rec = parse_bytes("\n".join(lines).encode("utf-8"), "x.txt")
        except ReportError:
            return
        assert rec["schema"] == "gov-open-report/1"

    run()
