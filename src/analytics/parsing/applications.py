"""Table 3 (收到和处理政府信息公开申请情况): items to rows, placing unlabelled rows by order."""

from __future__ import annotations

from ..fields import APPLICATION_COLS, APPLICATION_ROWS, OTHER_ROWS_2021
from .blocks import deal_blocks
from .fit import Entry, Fitted, agreed, fit_tokens, number, row_rules_hold
from .glued import Group
from .record import Sink
from .resolve import resolve
from .tables import Item

WIDTH = len(APPLICATION_COLS)
GROUPS = [Group(WIDTH, True)]


def row_order(keys: set[str], template: str | None) -> list[str]:
    split = any(k in keys for k in OTHER_ROWS_2021)
    single = "other_total" in keys
    if not split and not single:
        split = template != "2019"
    if split:
        return [k for k in APPLICATION_ROWS if k != "other_total"]
    return [k for k in APPLICATION_ROWS if k not in OTHER_ROWS_2021]


def read_applications(items: list[Item], template: str | None, sink: Sink, flattened: bool = False) -> dict:
    """``flattened``: the rows come from text a tool flattened (text, Markdown), where a blank last
    field may be a lost cell; grid rows (HTML, DOCX, PDF) keep every blank as printed."""
    items = deal_blocks(items, lambda key: WIDTH, _row_sum_holds, lambda code, msg: sink.warn(code, "表3 " + msg, ""))
    items = [piece for it in items for piece in _unstack(it, sink)]
    fitted: list[tuple[Item, Fitted]] = [(it, fit_tokens(it.tokens, GROUPS)) for it in items]
    orphans_exist = any(it.key is None for it, _ in fitted)
    order = row_order({it.key for it in items if it.key}, template)
    for it, _ in fitted:
        if it.unknown:
            sink.warn("local_row_ignored", f"表3 本地增加的行“{it.unknown}”未计入任何标准行", it.where)

    # Labels whose numbers were displaced (a lone label line next to number rows) are not anchors.
    anchors: list[tuple[Item, Fitted]] = []
    for it, f in fitted:
        if it.key is None:
            continue
        if it.key not in order:
            if any(t.raw for t in it.tokens):
                sink.warn("row_not_in_template", f"表3 的行 {it.key} 与同表其他行的模板不一致，未计入", it.where)
            continue
        weak = not it.in_table or not it.from_own_row
        if not f.candidates or (weak and orphans_exist and f.short):
            if not f.candidates and it.tokens:
                sink.warn("row_unreadable", f"表3 {it.key}: {f.problem}", it.where)
            continue
        anchors.append((it, f))

    chosen: dict[str, list] = {}
    where: dict[str, str] = {}
    for it, f in anchors:
        if it.key in chosen:
            sink.warn("row_repeated", f"表3 {it.key} 出现多次，取第一次", it.where)
            continue
        chosen[it.key] = f.candidates
        where[it.key] = it.where

    _fill_gaps(fitted, order, chosen, where, sink)

    _blank_rows(fitted, order, chosen, where, sink)
    rows_in = dict(chosen)
    rows = resolve(chosen, WIDTH)
    result: dict[str, dict] = {}
    for key in order:
        if key not in rows:
            sink.warn("row_missing", f"表3 未读到行 {key}", "")
            continue
        cands = rows[key]
        cand = cands[0] if len(cands) == 1 else agreed(cands, WIDTH)
        if len(cands) > 1:
            shown = " | ".join("/".join(e.raw if e else "?" for e in c) for c in cands[:4])
            sink.warn("glued_ambiguous", f"表3 {key}: {len(cands)} 种读法均符合规则（{shown}），无法确定的单元格留空", where.get(key, ""))
        result[key] = cand
    if flattened:
        _lost_totals(result, sink)
    out: dict[str, dict] = {}
    notes = {id(f.candidates): (f, it.where) for it, f in fitted}
    for key in result:
        f, at = notes.get(id(rows_in.get(key)), (None, ""))
        if f is not None:
            f.warn(sink, f"表3 {key}", at)
    for key, cand in result.items():
        row: dict = {}
        for col, entry in zip(APPLICATION_COLS, cand):
            if entry is None:
                continue
            row[col] = sink.cell("applications", key, col, entry)
        missing = [c for c, e in zip(APPLICATION_COLS, cand) if e is None]
        if missing and len(missing) < WIDTH:
            sink.warn("cell_missing", f"表3 {key} 未能确定: {', '.join(missing)}", where.get(key, ""))
        if row:
            out[key] = row
    return out


def _blank_rows(fitted, order, chosen, where, sink: Sink) -> None:
    """A row label with nothing after it before the next label, in a flattened text (blank cells
    leave nothing behind): the row was published blank, and stays in the record as nulls. Only
    when every figure of the table has its row: a number row without a label, or a label holding
    more figures than one row, may be this row's figures moved away."""
    if any(it.key is None and any(t.raw for t in it.tokens) for it, _ in fitted):
        return
    if any(len([t for t in it.tokens if t.raw]) > WIDTH for it, _ in fitted):
        return
    for it, _ in fitted:
        if it.key in order and it.key not in chosen and not it.tokens and not it.unknown:
            chosen[it.key] = [tuple(Entry("", it.where) for _ in range(WIDTH))]
            where[it.key] = it.where
            sink.warn("row_blank", f"表3 {it.key} 的行名后没有任何数字，按空白行读取（各格为空）", it.where)


def _unstack(it: Item, sink: Sink) -> list[Item]:
    """A run of lone values with no label holding several rows: cut it into rows, row by row or
    column by column, whichever the row rule accepts; otherwise leave it whole (unplaced)."""
    k, rest = divmod(len(it.tokens), WIDTH)
    if it.key is not None or it.from_own_row or rest or k < 2:
        return [it]
    vals = it.tokens
    by_row = [vals[r * WIDTH:(r + 1) * WIDTH] for r in range(k)]
    by_col = [[vals[c * k + r] for c in range(WIDTH)] for r in range(k)]
    ok = [rows for rows in (by_row, by_col) if all(_row_sum_holds(x) for x in rows)]
    same = [[t.raw for t in x] for x in by_row] == [[t.raw for t in x] for x in by_col]
    if not (same or len(ok) == 1):
        sink.warn("block_ambiguous", f"表3 有 {k} 行数值连续排列且没有行名，无法判断按行还是按列读取", it.where)
        return [it]
    rows = by_row if same else ok[0]
    return [Item(None, list(x), x[0].where, it.pos + i, False, False) for i, x in enumerate(rows)]


def _row_sum_holds(tokens) -> bool:
    return row_rules_hold(tuple(Entry(t.raw, t.where) for t in tokens), GROUPS)


def _fill_gaps(fitted, order, chosen, where, sink: Sink) -> None:
    """Number rows without a label take the template rows missing between two labelled rows."""
    index = {k: i for i, k in enumerate(order)}
    prev = -1
    run: list = []

    def flush(upto: int) -> None:
        if not run:
            return
        missing = [k for k in order[prev + 1:upto] if k not in chosen]
        if len(missing) == len(run):
            for key, (it, f) in zip(missing, run):
                chosen[key] = f.candidates
                where[key] = it.where
        else:
            sink.warn("rows_unplaced", f"表3 有 {len(run)} 行数字没有行名，无法对应到 {len(missing)} 个缺失的行",
                      run[0][0].where)
        run.clear()

    for it, f in fitted:
        if it.key is None:
            if f.candidates:
                run.append((it, f))
            continue
        if it.key in chosen and index.get(it.key, -1) > prev and chosen[it.key] is f.candidates:
            flush(index[it.key])
            prev = index[it.key]
    flush(len(order))


def _lost_totals(result: dict, sink: Sink) -> None:
    """A blank total ending a flattened row, while the parts and the other rows' totals are
    filled, is a cell the flattening lost rather than a blank the report printed."""
    filled = sum(1 for c in result.values() if c[-1] is not None and c[-1].raw)
    if filled < len(result) / 2:
        return
    for key, cand in result.items():
        last = cand[-1]
        if last is None or last.raw or not last.last_field:
            continue
        if any(e is not None and e.raw and number(e) for e in cand[:-1]):
            result[key] = cand[:-1] + (None,)
            sink.warn("cell_lost", f"表3 {key} 的总计在平铺文本中为空而其余各列有数，视为丢失", last.where)
