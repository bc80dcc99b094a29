"""The three tables of the official form as grids of spanning cells, shared by every renderer.

A grid is a list of rows; each row lists the cells that *start* in it, left to right, as
``GridCell(text, rowspan, colspan, is_label)``. HTML writes them as they are, DOCX and PDF merge
the spanned areas, flattened text writes each row's cells separated by tabs.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..fields import APPLICATION_COLS, DENIED_ROWS, OTHER_ROWS_2021, REFUSED_ROWS, REVIEW_COLS, UNABLE_ROWS
from .report import Report


@dataclass(frozen=True)
class GridCell:
    text: str
    rowspan: int = 1
    colspan: int = 1
    label: bool = True


Grid = list[list[GridCell]]

_ROW_LABELS = {
    "granted": "（一）予以公开",
    "partially_granted": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "denied_state_secret": "1.属于国家秘密",
    "denied_law_prohibited": "2.其他法律行政法规禁止公开",
    "denied_security_stability": "3.危及“三安全一稳定”",
    "denied_third_party": "4.保护第三方合法权益",
    "denied_internal_affairs": "5.属于三类内部事务信息",
    "denied_process_info": "6.属于四类过程性信息",
    "denied_enforcement_file": "7.属于行政执法案卷",
    "denied_admin_query": "8.属于行政查询事项",
    "unable_not_held": "1.本机关不掌握相关政府信息",
    "unable_needs_creation": "2.没有现成信息需要另行制作",
    "unable_unclear": "3.补正后申请内容仍不明确",
    "refused_petition": "1.信访举报投诉类申请",
    "refused_duplicate": "2.重复申请",
    "refused_publication": "3.要求提供公开出版物",
    "refused_excessive": "4.无正当理由大量反复申请",
    "refused_confirmation": "5.要求行政机关确认或重新出具已获取信息",
    "other_no_correction": "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "other_no_fee": "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "other_misc": "3.其他",
    "other_total": "（六）其他处理",
    "total_processed": "（七）总计",
}
_GROUPS = [("（三）不予公开", DENIED_ROWS), ("（四）无法提供", UNABLE_ROWS), ("（五）不予处理", REFUSED_ROWS),
           ("（六）其他处理", OTHER_ROWS_2021)]


def _v(text: str, colspan: int = 1) -> GridCell:
    return GridCell(text, 1, colspan, False)


def table2(report: Report) -> Grid:
    a = report.active
    head = lambda item: [GridCell(f"第二十条第（{item}）项", 1, 4)]  # noqa: E731
    if report.template == "2021":
        norm = report.style.normative_label
        return [
            head("一"),
            [GridCell("信息内容"), GridCell("本年制发件数"), GridCell("本年废止件数"), GridCell("现行有效件数")],
            [GridCell("规章"), _v(a["regulations_issued"]), _v(a["regulations_repealed"]), _v(a["regulations_in_force"])],
            [GridCell(norm), _v(a["normative_issued"]), _v(a["normative_repealed"]), _v(a["normative_in_force"])],
            head("五"),
            [GridCell("信息内容"), GridCell("本年处理决定数量", 1, 3)],
            [GridCell("行政许可"), _v(a["licensing_decisions"], 3)],
            head("六"),
            [GridCell("信息内容"), GridCell("本年处理决定数量", 1, 3)],
            [GridCell("行政处罚"), _v(a["punishment_decisions"], 3)],
            [GridCell("行政强制"), _v(a["coercion_decisions"], 3)],
            head("八"),
            [GridCell("信息内容"), GridCell("本年收费金额（单位：万元）", 1, 3)],
            [GridCell("行政事业性收费"), _v(a["fees_amount"], 3)],
        ]
    items = [GridCell("信息内容"), GridCell("上一年项目数量"), GridCell("本年增/减"), GridCell("处理决定数量")]
    return [
        head("一"),
        [GridCell("信息内容"), GridCell("本年新制作数量"), GridCell("本年新公开数量"), GridCell("对外公开总数量")],
        [GridCell("规章"), _v(a["regulations_new_made"]), _v(a["regulations_new_published"]),
         _v(a["regulations_total_published"])],
        [GridCell("规范性文件"), _v(a["normative_new_made"]), _v(a["normative_new_published"]),
         _v(a["normative_total_published"])],
        head("五"),
        items,
        [GridCell("行政许可"), _v(a["licensing_prev_items"]), _v(a["licensing_change"]), _v(a["licensing_decisions"])],
        [GridCell("其他对外管理服务事项"), _v(a["other_services_prev_items"]), _v(a["other_services_change"]),
         _v(a["other_services_decisions"])],
        head("六"),
        list(items),
        [GridCell("行政处罚"), _v(a["punishment_prev_items"]), _v(a["punishment_change"]),
         _v(a["punishment_decisions"])],
        [GridCell("行政强制"), _v(a["coercion_prev_items"]), _v(a["coercion_change"]), _v(a["coercion_decisions"])],
        head("八"),
        [GridCell("信息内容"), GridCell("上一年项目数量"), GridCell("本年增/减", 1, 2)],
        [GridCell("行政事业性收费"), _v(a["fees_prev_items"]), _v(a["fees_change"], 2)],
        head("九"),
        [GridCell("信息内容"), GridCell("采购项目数量"), GridCell("采购总金额", 1, 2)],
        [GridCell("政府集中采购"), _v(a["procurement_items"]), _v(a["procurement_amount"], 2)],
    ]


def table3(report: Report) -> Grid:
    apps = report.applications
    vals = lambda row: [_v(apps[row][c]) for c in APPLICATION_COLS]  # noqa: E731
    grid: Grid = [
        [GridCell("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3),
         GridCell("申请人情况", 1, 7)],
        [GridCell("自然人", 2, 1), GridCell("法人或其他组织", 1, 5), GridCell("总计", 2, 1)],
        [GridCell("商业企业"), GridCell("科研机构"), GridCell("社会公益组织"), GridCell("法律服务机构"), GridCell("其他")],
        [GridCell("一、本年新收政府信息公开申请数量", 1, 3), *vals("new_received")],
        [GridCell("二、上年结转政府信息公开申请数量", 1, 3), *vals("carried_over")],
    ]
    outcome_rows = [r for r in apps if r not in ("new_received", "carried_over", "carried_forward")]
    first = True
    for row in outcome_rows:
        cells: list[GridCell] = []
        if first:
            cells.append(GridCell("三、本年度办理结果", len(outcome_rows), 1))
            first = False
        group = next(((g, rows) for g, rows in _GROUPS if row in rows), None)
        if group is None:
            cells.append(GridCell(_ROW_LABELS[row], 1, 2))
        else:
            name, members = group
            present = [r for r in members if r in apps]
            if row == present[0]:
                cells.append(GridCell(name, len(present), 1))
            cells.append(GridCell(_ROW_LABELS[row]))
        grid.append(cells + vals(row))
    grid.append([GridCell("四、结转下年度继续办理", 1, 3), *vals("carried_forward")])
    return grid


def table4(report: Report) -> Grid:
    parts = [GridCell("结果维持", 2), GridCell("结果纠正", 2), GridCell("其他结果", 2), GridCell("尚未审结", 2),
             GridCell("总计", 2)]
    sub = [GridCell("结果维持"), GridCell("结果纠正"), GridCell("其他结果"), GridCell("尚未审结"), GridCell("总计")]
    values = [_v(report.review[g][c]) for g in ("review", "litigation_direct", "litigation_after_review")
              for c in REVIEW_COLS]
    return [
        [GridCell("行政复议", 1, 5), GridCell("行政诉讼", 1, 10)],
        [*parts, GridCell("未经复议直接起诉", 1, 5), GridCell("复议后起诉", 1, 5)],
        [*sub, *sub],
        values,
    ]


def n_columns(grid: Grid) -> int:
    return sum(c.colspan for c in grid[0])


def placed(grid: Grid) -> list[tuple[int, int, GridCell]]:
    """Each cell with its (row, column) origin, resolving the columns that spans from above occupy."""
    taken: set[tuple[int, int]] = set()
    out = []
    for r, row in enumerate(grid):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            out.append((r, c, cell))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            c += cell.colspan
    return out
