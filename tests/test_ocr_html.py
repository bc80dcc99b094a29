"""Web pages that publish their tables as pictures: an <img> the page carries (a data: URI) is
recognised by the same OCR pipeline as a scan, each cell keeping its confidence; nothing is ever
fetched from the network while parsing."""

from __future__ import annotations

import base64

import pytest

from analytics.parsing import load_document, parse_bytes
from analytics.parsing.backends import ocr
from fixtures.corpus import REAL, gold_of
from fixtures.ocr_images import gold_comparison, page_png

PDF = REAL / "淮安市洪泽区人民政府_2023.pdf"
TITLE = "淮安市洪泽区人民政府2023年政府信息公开工作年度报告"


def _page(images: list[str], tables: str = "") -> bytes:
    pictures = "".join(f"<p><img src=\"{src}\" alt=\"表格\"></p>" for src in images)
    return (f"<html><head><title>{TITLE}</title></head><body><div class='article'><h1>{TITLE}</h1>"
            "<p>一、总体情况</p><p>本年度，我区认真贯彻落实《条例》，政府信息公开工作平稳推进。</p>"
            f"<p>三、收到和处理政府信息公开申请情况</p>{pictures}{tables}"
            "<p>五、存在的主要问题及改进情况</p><p>部分栏目更新不及时。</p></div></body></html>").encode("utf-8")


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode()


@pytest.mark.skipif(not ocr.available(), reason="Tesseract with chi_sim is not installed")
def test_table_published_as_pictures_is_recognised_with_confidences():
    # the two pages of table 3 of a real report, rendered to pictures as a CMS would publish them
    pages = [page_png(PDF, p, 200) for p in (2, 3)]
    record = parse_bytes(_page([_data_uri(p) for p in pages]), "洪泽区_2023.html")
    n, wrong, unmarked = gold_comparison(record, gold_of(PDF), tables=("applications",))
    assert n > 150
    assert unmarked == []  # a wrong figure is never silent: absent with a warning, or marked low
    # every gold cell of table 3 right (147 of 161 while a label's words came back shuffled,
    # "信举报投访诉类申请": two rows left out and named as local rows, never given a wrong figure)
    assert wrong == [], wrong[:10]
    cells = [c for c in record["cells"] if c["table"] == "applications"]
    assert cells and all(c.get("confidence") is not None for c in cells)
    assert all(c["where"].startswith("image ") for c in cells)
    assert record["source"]["format"] == "html"


def test_picture_on_a_server_is_never_fetched_and_is_named():
    doc = load_document(_page(["https://www.example.gov.cn/tables/t3.png", "images/t3.png"]), "page.html")
    assert not doc.meta.get("ocr")
    notes = [w for w in doc.warnings if w["code"] == "image_not_read"]
    assert len(notes) == 2 and "不联网" in notes[0]["message"]


def test_pictures_of_a_page_that_has_its_tables_in_markup_are_not_recognised():
    table = ("<table><tr><td>申请人情况</td><td>自然人</td><td>商业企业</td><td>科研机构</td><td>社会公益组织</td>"
             "<td>法律服务机构</td><td>其他</td><td>总计</td></tr><tr><td>一、本年新收政府信息公开申请数量</td>"
             + "<td>1</td>" + "<td>0</td>" * 5 + "<td>1</td></tr></table>")
    picture = _data_uri(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)  # never opened: the page has its table
    doc = load_document(_page([picture], table), "page.html")
    assert not doc.meta.get("ocr") and not doc.warnings


@pytest.mark.skipif(not ocr.available(), reason="Tesseract with chi_sim is not installed")
def test_picture_saved_beside_the_page_is_recognised_and_nothing_outside_its_folder(tmp_path):
    from analytics.parsing import parse_file

    site = tmp_path / "site"
    (site / "page_files").mkdir(parents=True)
    (site / "page_files" / "t3.png").write_bytes(page_png(PDF, 2, 200))
    (tmp_path / "outside.png").write_bytes(page_png(PDF, 2, 100))
    page = site / "洪泽区_2023.html"
    page.write_bytes(_page(["page_files/t3.png", "../outside.png"]))
    record = parse_file(page)
    assert record["applications"]["new_received"] == gold_of(PDF)["applications"]["new_received"]
    assert {c.get("confidence") is not None for c in record["cells"] if c["table"] == "applications"} == {True}
    refused = [w for w in record["warnings"] if w["code"] == "image_not_read"]
    assert len(refused) == 1 and "../outside.png" in refused[0]["message"]
