"""Shared fixtures: the real corpus folder and a builder of small, rule-consistent report texts."""

from __future__ import annotations

from pathlib import Path

import pytest

from analytics.fields import APPLICATION_ROWS, OTHER_ROWS_2021, label

pytest_plugins = ["robustness_plugin"]

CORPUS = Path(__file__).parent / "corpus" / "real"

# One consistent table 3 (every T3 rule holds) and table 4; tests change cells from here.
T3 = {
    "new_received": [80, 1, 0, 0, 2, 0, 83], "carried_over": [3, 0, 0, 0, 0, 0, 3],
    "granted": [20, 1, 0, 0, 0, 0, 21], "partially_granted": [5, 0, 0, 0, 0, 0, 5],
    "denied_state_secret": [0] * 7, "denied_law_prohibited": [1, 0, 0, 0, 0, 0, 1],
    "denied_security_stability": [0] * 7, "denied_third_party": [2, 0, 0, 0, 0, 0, 2],
    "denied_internal_affairs": [0] * 7, "denied_process_info": [1, 0, 0, 0, 0, 0, 1],
    "denied_enforcement_file": [0] * 7, "denied_admin_query": [3, 0, 0, 0, 0, 0, 3],
    "unable_not_held": [30, 0, 0, 0, 1, 0, 31], "unable_needs_creation": [2, 0, 0, 0, 0, 0, 2],
    "unable_unclear": [0] * 7, "refused_petition": [4, 0, 0, 0, 0, 0, 4],
    "refused_duplicate": [1, 0, 0, 0, 0, 0, 1], "refused_publication": [0] * 7,
    "refused_excessive": [0] * 7, "refused_confirmation": [0] * 7,
    "other_no_correction": [2, 0, 0, 0, 0, 0, 2], "other_no_fee": [0] * 7,
    "other_misc": [6, 0, 0, 0, 1, 0, 7], "other_total": [8, 0, 0, 0, 1, 0, 9],
    "total_processed": [77, 1, 0, 0, 2, 0, 80], "carried_forward": [6, 0, 0, 0, 0, 0, 6],
}
T4 = [1, 0, 2, 0, 3, 2, 1, 0, 1, 4, 0, 0, 0, 0, 0]
T2 = {
    "2021": [("第二十条第（一）项", "信息内容 本年制发件数 本年废止件数 现行有效件数"),
             ("规章", [0, 0, 0]), ("行政规范性文件", [12, 3, 150]),
             ("第二十条第（五）项", "信息内容 本年处理决定数量"), ("行政许可", [2293]),
             ("第二十条第（六）项", "信息内容 本年处理决定数量"), ("行政处罚", [1282]), ("行政强制", [42]),
             ("第二十条第（八）项", "信息内容 本年收费金额（单位：万元）"), ("行政事业性收费", [24.5])],
    "2019": [("第二十条第（一）项", "信息内容 本年新制作数量 本年新公开数量 对外公开总数量"),
             ("规章", [0, 0, 0]), ("规范性文件", [12, 12, 150]),
             ("第二十条第（五）项", "信息内容 上一年项目数量 本年增/减 处理决定数量"),
             ("行政许可", [396, -3, 181]), ("其他对外管理服务事项", [10, 0, 153]),
             ("第二十条第（六）项", "信息内容 上一年项目数量 本年增/减 处理决定数量"),
             ("行政处罚", [2648, 12, 430]), ("行政强制", [126, 0, 25]),
             ("第二十条第（八）项", "信息内容 上一年项目数量 本年增/减"), ("行政事业性收费", [35, 0]),
             ("第二十条第（九）项", "信息内容 采购项目数量 采购总金额"), ("政府集中采购", [135, "75394432.52"])],
}


def _row_label(key: str) -> str:
    """The printed wording of a table 3 row: the official label without its group prefix."""
    text = label("applications_row", key)
    return text[1:] if text.startswith("三（") and key not in ("total_processed",) else text


class ReportText:
    """Writes a report in one flattened layout: tab, pipe, space, lines (one value per line) or
    blob (the whole table on one line with the digits of neighbouring cells glued)."""

    def __init__(self, template: str = "2021", layout: str = "tab", title: str | None = None):
        self.template = template
        self.layout = layout
        self.year = 2021 if template == "2021" else 2019
        self.title = title or f"测试县人民政府{self.year}年政府信息公开工作年度报告"
        self.t2 = [(k, list(v) if isinstance(v, list) else v) for k, v in T2[template]]
        self.t3 = {k: list(v) for k, v in T3.items()}
        self.t4 = list(T4)
        self.split_other = template == "2021"
        self.extra_t2: list[tuple[str, list]] = []  # local rows appended to table 2
        self.labels: dict[str, str] = {}  # wording overrides

    def rows3(self) -> list[str]:
        drop = {"other_total"} if self.split_other else set(OTHER_ROWS_2021)
        return [k for k in APPLICATION_ROWS if k not in drop]

    def _line(self, label_text: str, values: list) -> str:
        vals = ["" if v is None else str(v) for v in values]
        if self.layout == "tab":
            return "\t".join([label_text, *vals])
        if self.layout == "pipe":
            return "| " + " | ".join([label_text, *vals]) + " |"
        if self.layout == "space":
            return " ".join([label_text, *vals])
        if self.layout == "lines":
            return "\n".join([label_text, *(v if v else "|" for v in vals)])
        return label_text + "".join(vals)  # blob

    def text(self) -> str:
        sep = "" if self.layout == "blob" else "\n"
        parts = [f"一、总体情况{sep}本年度我县认真贯彻《条例》，政府信息公开工作平稳推进。",
                 "二、主动公开政府信息情况"]
        for name, vals in self.t2 + self.extra_t2:
            if isinstance(vals, str):
                parts.append(name + ("" if self.layout == "blob" else "\n") + vals)
            else:
                parts.append(self._line(self.labels.get(name, name), vals))
        parts.append("三、收到和处理政府信息公开申请情况")
        parts.append("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） 申请人情况 自然人 "
                     "法人或其他组织 总计 商业企业 科研机构 社会公益组织 法律服务机构 其他")
        for key in self.rows3():
            parts.append(self._line(self.labels.get(key, _row_label(key)), self.t3[key]))
        parts.append("四、政府信息公开行政复议、行政诉讼情况")
        parts.append("行政复议 行政诉讼 结果维持 结果纠正 其他结果 尚未审结 总计 未经复议直接起诉 复议后起诉")
        parts.append(self._line("", self.t4).lstrip("\t| ").rstrip() if self.layout != "pipe"
                     else "| " + " | ".join("" if v is None else str(v) for v in self.t4) + " |")
        parts.append(f"五、存在的主要问题及改进情况{sep}部分栏目更新不及时，下一步将加强管理。")
        parts.append(f"六、其他需要报告的事项{sep}本年度未收取信息处理费。")
        head = f"{self.title}\n" if self.layout != "blob" else f"{self.title} "
        return head + sep.join(parts) + "\n"


@pytest.fixture
def corpus() -> Path:
    return CORPUS


@pytest.fixture
def report_text():
    """Factory: ``report_text(template="2021", layout="tab")`` gives a ``ReportText`` to adjust."""
    return ReportText
