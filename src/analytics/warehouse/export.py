"""Exporting warehouse tables as CSV, Parquet or one Excel workbook, with a data dictionary."""

from __future__ import annotations

import os
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from .. import fields as F
from ..errors import ReportError
from ..metrics import METRICS
from .sqlfiles import read
from .store import connect_read

WHAT = ("reports", "cells", "metrics", "findings")
FORMATS = ("csv", "parquet", "xlsx")
XLSX_MAX_ROWS = 1_048_575


class ExportError(ReportError):
    reason = "export"


def dictionary() -> pa.Table:
    """fields.csv (key, label, template, notes) followed by every metric's definition."""
    rows = [{"kind": f.table, "key": f.key, "label": f.label, "template": f.template, "notes": f.notes}
            for f in F.all_fields()]
    rows += [{"kind": "metric", "key": k, "label": m.label, "template": m.template or "both",
              "notes": m.dictionary_text()} for k, m in METRICS.items()]
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
        with open(tmp, "wb") as fh:
            fh.write("\ufeff".encode())  # so spreadsheet programs read the Chinese text as UTF-8
            with pacsv.CSVWriter(fh, reader.schema) as w:
                for batch in reader:
                    w.write_batch(batch)
    os.replace(tmp, path)
    return path


def _xlsx(con, out: Path, what) -> Path:
    import pandas as pd

    path = out / "warehouse.xlsx"
    tmp = out / "warehouse.xlsx.part"
    frames = {}
    for name in what:
        n = con.execute(f"SELECT count(*) FROM ({read(f'export/{name}')})").fetchone()[0]
        if n > XLSX_MAX_ROWS:
            raise ExportError(f"{name} has {n} rows, more than an Excel sheet holds; export csv or parquet")
        frames[name] = con.execute(read(f"export/{name}")).df()
    frames["data_dictionary"] = dictionary().to_pandas()
    with pd.ExcelWriter(tmp, engine="openpyxl") as xw:
        for name, df in frames.items():
            for col in df.columns:
                if isinstance(df[col].dtype, pd.DatetimeTZDtype):
                    df[col] = df[col].dt.tz_localize(None)
            df.to_excel(xw, sheet_name=name, index=False)
    os.replace(tmp, path)
    return path
