"""A batch loaded in chunks (while workers parse) gets the same report_wide rows as a rebuild
from all cells, a newer version in a later chunk included; text signatures equal a plain
reading of their definition; the fork server preloads the backends a batch needs."""

from __future__ import annotations

import hashlib
import struct
from pathlib import Path

import duckdb
import pytest

from analytics.parsing import parse_file
from analytics.warehouse import ingest as ingest_mod
from analytics.warehouse import textsig, wide
from fixtures.corpus import copy_documents, documents

# Filled by the refresh after the load; a rebuild alone leaves them empty.
NOT_FROM_CELLS = ("n_findings_error", "n_findings_warning")


def _wide_rows(con) -> list[tuple]:
    cols = [c for c in wide.wide_columns() if c not in NOT_FROM_CELLS]
    return con.execute(f"SELECT {', '.join(cols)} FROM report_wide ORDER BY report_id").fetchall()


def _docs(tmp_path: Path) -> tuple[Path, Path]:
    docs = copy_documents(tmp_path / "docs")
    first = sorted(p for p in docs.iterdir() if p.suffix == ".txt" and "2018" not in p.name)[0]
    # A second version of the same report (other bytes, same agency and year), sorted last, so
    # that it lands in a later chunk than the first version.
    newer = docs / f"zz-{first.name}"
    newer.write_bytes(first.read_bytes() + "\n附：本报告为更正版。\n".encode())
    return docs, newer


@pytest.mark.parametrize("workers", [1, 2])
def test_chunked_load_gives_the_rows_of_a_rebuild(tmp_path, monkeypatch, workers):
    monkeypatch.setattr(ingest_mod, "LOAD_CHUNK", 3)
    monkeypatch.setattr(ingest_mod, "OVERLAP_CHUNK", 2)
    docs, newer = _docs(tmp_path)
    db = tmp_path / "w.duckdb"
    summary = ingest_mod.ingest([docs], db=db, workers=workers, progress=False)
    loaded = {r.path: r.report_id for r in summary.results if r.report_id is not None}
    assert len(loaded) >= 6  # several chunks

    con = duckdb.connect(str(db))
    try:
        chunked = _wide_rows(con)
        ids = [r[0] for r in con.execute("SELECT report_id FROM report_wide ORDER BY report_id").fetchall()]
        current = con.execute("SELECT report_id FROM report_wide WHERE is_current AND (agency_id, year) IN "
                              "(SELECT (agency_id, year) FROM reports WHERE report_id = ?)",
                              [loaded[str(newer)]]).fetchall()
        wide.rebuild(con)
        rebuilt = _wide_rows(con)
    finally:
        con.close()
    assert ids == sorted(loaded.values())  # every loaded report once
    assert current == [(loaded[str(newer)],)]  # the later version is the current one
    assert chunked == rebuilt


def _mix64(x: int) -> int:
    m = (1 << 64) - 1
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & m
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & m
    return x ^ (x >> 31)


def _reference_signature(sections):
    text = textsig.prose_of(sections)
    grams = {text[i : i + textsig.SHINGLE] for i in range(len(text) - textsig.SHINGLE + 1)}
    base = [int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest(), "little") for g in grams]
    sig = [min(_mix64(b ^ int(seed)) for b in base) for seed in textsig._SEEDS]
    bands = []
    for i in range(0, textsig.N_HASHES, textsig.BAND_ROWS):
        data = struct.pack(f"<{textsig.BAND_ROWS}Q", *sig[i : i + textsig.BAND_ROWS]) + bytes([i])
        bands.append(int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little"))
    return sig, bands


def test_signature_is_its_definition():
    checked = 0
    for path in [p for p in documents(".txt") if "2018" not in p.name][:4]:
        sections = parse_file(path).get("sections")
        if len(textsig.prose_of(sections)) < textsig.MIN_CHARS:
            continue
        got = textsig.signature(sections)
        assert got == _reference_signature(sections)
        assert all(type(v) is int for v in got[0] + got[1])
        checked += 1
    assert checked >= 2
    assert textsig.signature({"一": "短"}) is None


def test_fork_server_preloads_what_the_batch_needs():
    text_only = ingest_mod._preload([Path("a.txt"), Path("b.md"), Path("c.pdf")])
    assert "analytics.parsing.backends.text" in text_only
    assert not any(m.endswith((".html", ".docx")) for m in text_only)
    assert set(ingest_mod.PRELOAD) <= set(text_only)
    unnamed = ingest_mod._preload([Path("report")])  # no suffix: the format is sniffed later
    assert {f"analytics.parsing.backends.{b}" for b in ("text", "html", "docx")} <= set(unnamed)
