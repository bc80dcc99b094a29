"""The evaluation's charts as PNG images (matplotlib, Agg), drawn with a CJK font from the system
(Noto Sans CJK, as fonts-noto-cjk installs it). Charts only draw rows the tables also print."""

from __future__ import annotations

import io
from functools import lru_cache

import numpy as np
import pandas as pd

from ..errors import ReportError


@lru_cache(maxsize=1)
def _font() -> str:
    from matplotlib import font_manager as fm

    for path in sorted(fm.findSystemFonts()):
        if "SansCJK" in path.replace(" ", "") and "Regular" in path:
            fm.fontManager.addfont(path)
            return fm.FontProperties(fname=path).get_name()
    raise ReportError("找不到中文字体（Noto Sans CJK），无法绘制评估报告的图表：请安装 fonts-noto-cjk")


def _figure(width=7.0, height=3.6):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["font.family"] = _font()
    plt.rcParams["axes.unicode_minus"] = False
    fig, ax = plt.subplots(figsize=(width, height), dpi=150)
    return plt, fig, ax


def _png(plt, fig) -> bytes:
    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


def trend(years: list[int], series: dict[str, list], title: str) -> bytes:
    """Rates per year, one line each (values 0-1, drawn as per cent)."""
    plt, fig, ax = _figure()
    for label, values in series.items():
        ax.plot(years, [np.nan if v is None else v * 100 for v in values], marker="o", label=label)
    ax.set_xticks(years)
    ax.set_xlabel("报告年度")
    ax.set_ylabel("比率（%）")
    ax.set_title(title)
    ax.legend(fontsize=7, loc="best")
    ax.grid(alpha=0.3)
    return _png(plt, fig)


def funnel(points: pd.DataFrame, curves: pd.DataFrame, label: str, title: str) -> bytes:
    plt, fig, ax = _figure()
    inside = points[points["outside"] == ""]
    out = points[points["outside"] != ""]
    ax.scatter(inside["den"], inside["rate"] * 100, s=14, color="#4c78a8", label="控制限内")
    ax.scatter(out["den"], out["rate"] * 100, s=22, color="#e45756", label="离群（99.8% 控制限外）")
    for col, style in (("lo998", "-"), ("hi998", "-"), ("lo95", "--"), ("hi95", "--")):
        ax.plot(curves["n"], curves[col] * 100, style, color="#888888", linewidth=0.8)
    ax.axhline(float(points["p0"].iloc[0]) * 100, color="#333333", linewidth=0.8, label="同类合并比率")
    ax.set_xscale("log")
    ax.set_xlabel("分母（件，对数刻度）")
    ax.set_ylabel(f"{label}（%）")
    ax.set_title(title)
    ax.legend(fontsize=7, loc="best")
    return _png(plt, fig)


def bars(names: list[str], values: list[float], title: str, value_label: str) -> bytes:
    height = max(2.5, 0.25 * len(names) + 1)
    plt, fig, ax = _figure(height=height)
    y = np.arange(len(names))[::-1]
    ax.barh(y, values, color="#4c78a8")
    ax.set_yticks(y, names, fontsize=7)
    ax.set_xlabel(value_label)
    ax.set_title(title)
    ax.set_xlim(0, 100)
    return _png(plt, fig)
