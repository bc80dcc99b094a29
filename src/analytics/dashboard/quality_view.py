"""The 年报质量评分 section of 数据质量: the score's formulas from the registry, how many reports
each part could be computed for, and the ranking with every part and its denominators."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ..evaluate.model import name_of
from ..quality import definitions_table, registry
from . import ui
from .filters import KINDS, LEVELS

RANKING_COLUMNS = {
    "rank_all": "总排名", "rank_peer": "同类组排名", "n_peer": "同类组报告数", "name": "机构", "year": "年度",
    "peer_label": "同类组（层级 · 类型）", "score": "总分",
    "completeness": "完整性", "n_blank": "空白必填单元格", "n_required": "必填单元格",
    "consistency": "一致性", "n_errors": "错误级发现", "n_warnings": "警告级发现",
    "timeliness": "及时性", "published": "发布日期", "deadline": "法定期限", "days_late": "逾期天数",
    "originality": "原创性", "copy_rate": "与上年文本重复率",
}
PARTS = ("completeness", "consistency", "timeliness", "originality", "copy_rate")


def part_counts(df: pd.DataFrame) -> pd.DataFrame:
    """For each part, how many of the ranked reports it has a value for (its denominator)."""
    r = registry()
    rows = [{"part": p.label, "n": int(df[k].notna().sum()), "of": len(df),
             "mean": float(df[k].mean()) if df[k].notna().any() else None} for k, p in r.parts.items()]
    rows.append({"part": "总分", "n": int(df["score"].notna().sum()), "of": len(df),
                 "mean": float(df["score"].mean()) / 100 if len(df) else None})
    return pd.DataFrame(rows)


def show(params: dict) -> None:
    st.subheader("年报质量评分")
    r = registry()
    st.caption("每份报告按完整性、一致性、及时性、原创性四项打分（每项 0–1），总分为各项加权平均 × 100。"
               f"{r.total_formula}。")
    ui.table(pd.DataFrame(definitions_table()), "quality_formulas",
             {"part": "项", "weight": "权重", "formula": "公式", "base": "分母 / 口径", "notes": "说明"})
    st.caption(f"及时性的期限：{r.deadline['rule']}。依据：{r.deadline['source']}：“{r.deadline['article']}”"
               f"{r.deadline.get('note', '')}")
    ranked = ui.query("quality_ranking", **params)
    if ranked.empty:
        st.caption("所选范围内没有报告。")
        return
    ranked["peer_label"] = [f"{name_of(LEVELS, a, '层级不明')} · {name_of(KINDS, b, '类型不明')}"
                            for a, b in zip(ranked["level"], ranked["kind"])]
    counts = part_counts(ranked)
    ui.table(counts, "quality_part_counts", {"part": "项", "n": "有值的报告数", "of": "报告总数", "mean": "平均值"},
             percent=("mean",))
    st.caption("平均值为各项有值报告的简单平均（总分以 0–100 的百分比表示）；无发布日期的报告不计及时性，"
               "无上一年度可比正文的报告不计原创性，其余项的权重相应重新归一。")
    ui.long_table(ranked, "quality_ranking", RANKING_COLUMNS, rows_key="q_rank_rows", unit="份", top="总分最高的",
                  file_name="年报质量评分", percent=PARTS, links={"name": "agency_id"})
    st.caption("排名：总分从高到低，同分同名次；同类组为同一年度、相同层级与类型的报告。")
