"""Exporting warehouse tables as CSV, Parquet or one Excel workbook, with a data dictionary.

Text in the tables comes from the documents, so neither a CSV nor a workbook may let a spreadsheet
program run it as a formula (``cell_safety``), and Excel's cell limit must not cut long prose.
``FORMAT_NOTES`` says in the dictionary what each format does with such text.
"""

from __future__ import annotations

import os
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from .. import fields as F
from ..errors import ReportError
from ..metrics import METRICS
from . import cell_safety
from .sqlfiles import read
from .store import connect_read

WHAT = ("reports", "cells", "metrics", "findings")
FORMATS = ("csv", "parquet", "xlsx")
XLSX_MAX_ROWS = 1_048_575
PART = cell_safety.PART
FORMAT_NOTES = {
    "csv": "Text cells that start with = + - @, a tab or a carriage return (and are not a plain number) "
           "get a leading apostrophe (') so that spreadsheet programs show them as text and never run "
           "them as formulas; remove that one character to get the original text. Numbers are unchanged.",
    "xlsx": "Every text value is a text cell, never a formula; text starting with = + - @, a tab or a "
            "carriage return is also marked as text (quote prefix) so editing the cell keeps it text, and "
            "the value itself is unchanged. Text longer than 32,767 characters (Excel's cell limit) is "
            f"not cut: it continues in the columns <column>{PART}2, <column>{PART}3 ... to its right; join "
            "the parts in order for the whole text. Control characters that Excel cannot store "
            "(U+0000-U+001F except tab, line feed and carriage return) are written as their visible "
            "symbols U+2400-U+241F.",
    "parquet": "Typed data, written raw: text is exactly as read from the documents, with no apostrophe "
               "and no length limit; treat it as untrusted text if you load it into a spreadsheet.",
}


class ExportError(ReportError):
    reason = "export"


def dictionary() -> pa.Table:
    """fields.csv (key, label, template, notes) followed by every metric's definition."""
    rows = [{"kind": f.table, "key": f.key, "label": f.label, "template": f.template, "notes": f.notes}
            for f in F.all_fields()]
    rows += [{"kind": "metric", "key": k, "label": m.label, "template": m.template or "both",
              "notes": m.dictionary_text()} for k, m in METRICS.items()]
    rows += [{"kind": "format", "key": fmt, "label": f"{fmt} 文件中的文本", "template": "both", "notes": note}
             for fmt, note in FORMAT_NOTES.items()]
    return pa.Table.from_pylist(rows)


def export(db, out_dir, fmt: str = "csv", what=WHAT) -> list[Path]:
    if fmt not in FORMATS:
        raise ExportError(f"format must be one of {', '.join(FORMATS)}")
    unknown = [w for w in what if w not in WHAT]
    if unknown:
        raise ExportError(f"unknown table {unknown[0]!r}; choose from {', '.join(WHAT)}")
    if db is not None and not Path(db).exists():
        raise ExportError(f"no warehouse at {db}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    con = connect_read(db)
    try:
        if fmt == "xlsx":
            return [_xlsx(con, out, what)]
        written = []
        for name in what:
            reader = con.sql(read(f"export/{name}")).to_arrow_reader(100_000)
            written.append(_write_stream(reader, out / f"{name}.{fmt}", fmt))
        written.append(_write_stream(pa.RecordBatchReader.from_batches(dictionary().schema, dictionary().to_batches()),
                                     out / f"data_dictionary.{fmt}", fmt))
        return written
    finally:
        con.close()


def _write_stream(reader: pa.RecordBatchReader, path: Path, fmt: str) -> Path:
    tmp = Path(f"{path}.part")
    if fmt == "parquet":
        with pq.ParquetWriter(tmp, reader.schema) as w:
            for batch in reader:
                w.write_batch(batch)
    else:
        schema = cell_safety.arrow_schema(reader.schema)
        with open(tmp, "wb") as fh:
            fh.write("\ufeff".encode())  # so spreadsheet programs read the Chinese text as UTF-8
            with pacsv.CSVWriter(fh, schema) as w:
                for batch in reader:
                    w.write_batch(cell_safety.arrow_batch(batch, schema))
    os.replace(tmp, path)
    return path


def _xlsx(con, out: Path, what) -> Path:
    from openpyxl import Workbook

    path = out / "warehouse.xlsx"
    tmp = out / "warehouse.xlsx.part"
    tables = {}
    for name in what:
        (n,), = con.sql(f"SELECT count(*) FROM ({read(f'export/{name}')})").fetchall()
        if n > XLSX_MAX_ROWS:
            raise ExportError(f"{name} has {n} rows, more than an Excel sheet holds; export csv or parquet")
        tables[name] = con.sql(read(f"export/{name}")).to_arrow_table()
    tables["data_dictionary"] = dictionary()
    wb = Workbook()
    wb.remove(wb.active)
    for name, table in tables.items():
        ws = wb.create_sheet(name)
        parts = [cell_safety.xlsx_parts(col) for col in table.columns]
        header = []
        for col, n in zip(table.column_names, parts):
            header += [col] + [f"{col}{PART}{k}" for k in range(2, n + 1)]
        ws.append([cell_safety.xlsx_text(ws, h) for h in header])
        for batch in table.to_batches(max_chunksize=20_000):
            for row in zip(*(c.to_pylist() for c in batch.columns)):
                cells = []
                for value, n in zip(row, parts):
                    cells += cell_safety.xlsx_cells(ws, value, n)
                ws.append(cells)
    wb.save(tmp)
    os.replace(tmp, path)
    return path
