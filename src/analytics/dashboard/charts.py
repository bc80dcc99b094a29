"""Plain functions from small, already aggregated DataFrames to Plotly figures.

No function here queries the database or reads Streamlit state, so each can be tested alone.
"""

from __future__ import annotations

import math

import pandas as pd
from plotly.colors import qualitative
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .metrics import METRICS, plot_format

TEMPLATE_BOUNDARY = 2020.5  # reports of 2021 onwards use the 2021 template
PALETTE = qualitative.Safe
HIGHLIGHT = "#d62728"

# Markers one trace of a scatter is given at most: the browser draws every marker as an SVG node,
# and at a million reports one peer group's funnel held about 15,000 of them (730 KB sent, over a
# second to draw) and the quadrant 3,000.
MAX_MARKERS = 1000


def spread(df: pd.DataFrame, by: str, limit: int = MAX_MARKERS) -> pd.DataFrame:
    """At most ``limit`` rows, picked evenly along the order of ``by`` so that the drawn points keep
    the shape of them all (every row when there are fewer)."""
    if len(df) <= limit:
        return df
    ordered = df.sort_values(by, kind="mergesort")
    picks = sorted({round(i * (len(ordered) - 1) / (limit - 1)) for i in range(limit)})
    return ordered.iloc[picks]
BELOW_MINIMUM = "#c7c7c7"
AGENCY_LINE = "#1f4e99"  # one agency against its peers' grey median and pale band: dark enough to lead


# Trace attributes that Plotly draws as text with its own small HTML (<a href>, <b>, <br> …).
_TEXT_ATTRS = ("x", "y", "text", "name", "labels", "parents", "ids", "hovertext")


def plain(value):
    """A document string as literal chart text: Plotly reads entities, so markup is written as them."""
    if not isinstance(value, str):
        return value
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _plain_traces(fig: go.Figure) -> None:
    """Agency names reach axes, legends and hover labels: none may become a link or markup."""
    for trace in fig.data:
        for attr in _TEXT_ATTRS:
            if attr not in trace:
                continue
            value = trace[attr]
            if isinstance(value, str):
                trace[attr] = plain(value)
            elif value is not None and len(value) and any(isinstance(v, str) for v in value):
                trace[attr] = [plain(v) for v in value]


# Axis titles: a metric's axis says its unit, a year axis says 年份, counts are in 件.
YEAR_AXIS = "年份"
COUNT_AXIS = "数量（件）"
AGENCY_AXIS = "机构"


def metric_axis_title(metric: str) -> str:
    """The axis title of a metric from the registry, its unit in full-width brackets: 实质公开率（%）."""
    m = METRICS.get(metric)
    if m is None:
        return COUNT_AXIS
    return f"{m.label}（{m.unit}）"


def year_axis(fig: go.Figure, title: str | None = YEAR_AXIS, **where) -> None:
    """Whole years on a numeric year axis: one tick a year, written 2021 (never 2,021 or 2021.5)."""
    fig.update_xaxes(title_text=title, dtick=1, tickformat="d", **where)


def _layout(fig: go.Figure, title: str | None = None, height: int = 380) -> go.Figure:
    _plain_traces(fig)
    fig.update_layout(
        title=dict(text=title, font=dict(size=15)) if title else None,
        height=height,
        margin=dict(l=10, r=10, t=50 if title else 20, b=10),
        legend_title_text="",
        font=dict(family="Noto Sans CJK SC, Microsoft YaHei, sans-serif"),
    )
    return fig


def _axis_format(fig: go.Figure, metric: str, axis: str = "y") -> None:
    fmt = plot_format(metric)
    if axis == "y":
        fig.update_yaxes(tickformat=fmt)
    else:
        fig.update_xaxes(tickformat=fmt)


def mark_template_boundary(fig: go.Figure, years) -> go.Figure:
    """A dashed line between 2020 and 2021 where the report template changed."""
    ys = [int(y) for y in years if y == y]
    if ys and min(ys) <= 2020 < max(ys):
        fig.add_vline(x=TEMPLATE_BOUNDARY, line_dash="dash", line_color="gray")
        fig.add_annotation(x=TEMPLATE_BOUNDARY, y=1, yref="paper", text="2021 版模板起", showarrow=False,
                           xanchor="left", font=dict(size=11, color="gray"))
    return fig


def _colour(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


# Figures are built with graph_objects: plotly express costs about ten times more per figure.


def sparkline(df: pd.DataFrame, metric: str, column: str = "value", title: str | None = None,
              x_title: str | None = YEAR_AXIS, y_title: str | None = None) -> go.Figure:
    fig = go.Figure(go.Scatter(x=df["year"], y=df[column], mode="lines+markers", line_color=_colour(0),
                               showlegend=False))
    year_axis(fig, x_title)
    fig.update_yaxes(title_text=y_title or _unit_title(metric))
    _axis_format(fig, metric)
    return _layout(fig, title, height=230 if title else 200)


def _unit_title(metric: str) -> str:
    """A small chart's y axis: the metric's unit alone (the card above names the metric)."""
    m = METRICS.get(metric)
    return f"（{m.unit}）" if m else "（件）"


def ranking(df: pd.DataFrame, metric: str, label: str = "name", median_col: str | None = None,
            title: str | None = None, highlight: list[str] | None = None, x_title: str | None = None,
            y_title: str | None = AGENCY_AXIS) -> go.Figure:
    """Horizontal bars of one metric per agency; each bar's peer median as a black diamond."""
    d = df.iloc[::-1]
    colours = [HIGHLIGHT if highlight and n in highlight else PALETTE[0] for n in d[label]]
    if "eligible" in d:  # below the minimum denominator: shown apart, in grey
        colours = [c if ok else BELOW_MINIMUM for c, ok in zip(colours, d["eligible"])]
    error = None
    if "lo" in d and "hi" in d:
        error = dict(type="data", symmetric=False, array=(d["hi"] - d["value"]).clip(lower=0),
                     arrayminus=(d["value"] - d["lo"]).clip(lower=0), color="#555", thickness=1)
    fig = go.Figure(go.Bar(x=d["value"], y=d[label], orientation="h", marker_color=colours, error_x=error,
                           name=METRICS[metric].label))
    if median_col and median_col in d:
        fig.add_trace(go.Scatter(x=d[median_col], y=d[label], mode="markers", name="同类中位数",
                                 marker=dict(symbol="diamond", color="black", size=9)))
    _axis_format(fig, metric, axis="x")
    fig.update_xaxes(title_text=x_title or metric_axis_title(metric))
    fig.update_yaxes(title_text=y_title)
    return _layout(fig, title, height=max(300, 24 * len(d) + 90))


def distribution(quantiles: pd.DataFrame, metric: str, points: pd.DataFrame | None = None,
                 group_labels: dict | None = None, title: str | None = None, x_title: str | None = "分组",
                 y_title: str | None = None) -> go.Figure:
    """Box plots drawn from quantiles computed in the database; chosen agencies as red points."""
    labels = [(group_labels or {}).get(g, g) for g in quantiles["grp"]]
    fig = go.Figure(go.Box(
        x=labels, q1=quantiles["p25"], median=quantiles["p50"], q3=quantiles["p75"],
        lowerfence=quantiles["p10"], upperfence=quantiles["p90"], name="同类分布（P10–P90）",
        marker_color=PALETTE[0], boxpoints=False,
    ))
    if points is not None and len(points):
        xs = [(group_labels or {}).get(g, g) for g in points["grp"]]
        fig.add_trace(go.Scatter(x=xs, y=points["value"], mode="markers+text", text=points["name"],
                                 textposition="middle right", marker=dict(color=HIGHLIGHT, size=11),
                                 name="所选机构"))
    _axis_format(fig, metric)
    fig.update_xaxes(title_text=x_title)
    fig.update_yaxes(title_text=y_title or metric_axis_title(metric))
    return _layout(fig, title, height=420)


def percentile_heatmap(df: pd.DataFrame, metric_keys: list[str], title: str | None = None,
                       x_title: str | None = "指标（颜色为同类百分位）", y_title: str | None = AGENCY_AXIS) -> go.Figure:
    """Percentiles coloured by what they mean: green is the good end of each metric's polarity
    (a high refusal rate is red), blue shades for metrics with no good or bad direction."""
    pct = df[metric_keys].astype("float64") * 100
    x = [METRICS[k].label + ("" if METRICS[k].direction else "（中性）") for k in metric_keys]
    # Directional metrics are drawn on a 0–100 "how good" scale, neutral ones on 200–300, so one
    # colour scale serves both; hover labels show the real percentile.
    shown = pd.DataFrame({k: (pct[k] if METRICS[k].direction > 0 else 100 - pct[k]) if METRICS[k].direction
                          else pct[k] + 200 for k in metric_keys})
    scale = [[0.0, "#d73027"], [1 / 6, "#fee08b"], [1 / 3, "#1a9850"], [1 / 3, "#ffffff"],
             [2 / 3, "#ffffff"], [2 / 3, "#deebf7"], [1.0, "#08519c"]]
    fig = go.Figure(go.Heatmap(
        z=shown.values, customdata=pct.values, x=x, y=df["name"], colorscale=scale, zmin=0, zmax=300,
        showscale=False, hoverongaps=False,
        hovertemplate="%{y}<br>%{x}: 第 %{customdata:.0f} 百分位<extra></extra>",
    ))
    fig.update_yaxes(autorange="reversed", title_text=y_title)
    fig.update_xaxes(tickangle=-30, title_text=x_title)
    return _layout(fig, title, height=max(320, 24 * len(df) + 140))


def side_by_side(df: pd.DataFrame, columns: dict[str, str], title: str | None = None,
                 x_title: str | None = "项目", y_title: str | None = COUNT_AXIS) -> go.Figure:
    """Grouped bars: one group per outcome, one bar per agency."""
    labels = list(columns.values())
    fig = go.Figure([go.Bar(x=labels, y=[row[c] for c in columns], name=row["name"], marker_color=_colour(i))
                     for i, (_, row) in enumerate(df.iterrows())])
    fig.update_layout(barmode="group")
    fig.update_xaxes(title_text=x_title)
    fig.update_yaxes(title_text=y_title, tickformat=",")
    return _layout(fig, title, height=420)


def trend(df: pd.DataFrame, metric: str, title: str | None = None, boundary: bool = False,
          x_title: str | None = YEAR_AXIS, y_title: str | None = None) -> go.Figure:
    fig = go.Figure([go.Scatter(x=part["year"], y=part["value"], mode="lines+markers", name=str(grp),
                                line_color=_colour(i))
                     for i, (grp, part) in enumerate(df.groupby("grp", sort=False))])
    year_axis(fig, x_title)
    fig.update_yaxes(title_text=y_title or metric_axis_title(metric))
    _axis_format(fig, metric)
    if boundary:
        mark_template_boundary(fig, df["year"])
    return _layout(fig, title, height=420)


def small_multiples(df: pd.DataFrame, metric: str, title: str | None = None, boundary: bool = False,
                    wrap: int = 4, x_title: str | None = YEAR_AXIS, y_title: str | None = None) -> go.Figure:
    """One small panel per group on a shared y axis (built from graph_objects: a faceted
    plotly express figure cost ~300 ms CPU to build and serialise)."""
    groups = list(dict.fromkeys(df["grp"]))
    n = max(1, len(groups))
    n_rows, n_cols = math.ceil(n / wrap), min(n, wrap)
    fig = make_subplots(rows=n_rows, cols=n_cols, subplot_titles=[str(g) for g in groups],
                        horizontal_spacing=0.04, vertical_spacing=min(0.12, 0.5 / n_rows))
    for i, (grp, part) in enumerate(df.groupby("grp", sort=False)):
        fig.add_trace(go.Scatter(x=part["year"], y=part["value"], mode="lines+markers", name=str(grp),
                                 line_color=_colour(0), showlegend=False),
                      row=i // wrap + 1, col=i % wrap + 1)
    year_axis(fig, None)
    fig.update_yaxes(title=None, matches="y")
    # Axis titles once: years under the bottom row, the metric left of the first column.
    for c in range(n_cols):
        last_row = max(r for r in range(n_rows) if r * wrap + c < n)
        fig.update_xaxes(title_text=x_title, row=last_row + 1, col=c + 1)
    for r in range(1, n_rows + 1):
        fig.update_yaxes(title_text=y_title or metric_axis_title(metric), row=r, col=1)
    _axis_format(fig, metric)
    if boundary:
        ys = [int(y) for y in df["year"]]
        if ys and min(ys) <= 2020 < max(ys):
            fig.add_vline(x=TEMPLATE_BOUNDARY, line_dash="dash", line_color="gray", row="all", col="all")
    return _layout(fig, title, height=220 * n_rows + 60)


def composition(df: pd.DataFrame, columns: dict[str, str], title: str | None = None,
                boundary: bool = True, x_title: str | None = YEAR_AXIS, y_title: str | None = "占比（%）") -> go.Figure:
    """Shares of each outcome group per year (100 % stacked bars)."""
    fig = go.Figure([go.Bar(x=df["year"], y=df[c], name=label, marker_color=_colour(i))
                     for i, (c, label) in enumerate(columns.items())])
    fig.update_layout(barmode="stack", barnorm="percent")
    year_axis(fig, x_title)
    fig.update_yaxes(title_text=y_title)
    if boundary:
        mark_template_boundary(fig, df["year"])
    return _layout(fig, title, height=420)


def hierarchy(nodes: pd.DataFrame, title: str | None = None, kind: str = "sunburst") -> go.Figure:
    """nodes: id, parent, label, value (parents hold the sum of their children)."""
    trace = go.Sunburst if kind == "sunburst" else go.Treemap
    fig = go.Figure(trace(ids=nodes["id"], parents=nodes["parent"], labels=nodes["label"],
                          values=nodes["value"], branchvalues="total",
                          hovertemplate="%{label}<br>%{value:,} 件<br>占上级 %{percentParent:.1%}<extra></extra>"))
    # A label that cannot be drawn at 12 px is left out rather than shrunk to an unreadable size:
    # the hover label names every segment, and a click on a group enlarges it.
    fig.update_layout(uniformtext=dict(minsize=12, mode="hide"))
    return _layout(fig, title, height=560)


def bars(df: pd.DataFrame, x: str, y: str, title: str | None = None, horizontal: bool = True,
         percent: bool = False, category_title: str | None = "类别", value_title: str | None = None) -> go.Figure:
    """Bars of ``y`` per ``x``; the value axis is titled with the metric's unit when ``y`` is a
    registry metric, else as a share (%) or a count (件)."""
    tick = ".0%" if percent else ","
    value_title = value_title or (metric_axis_title(y) if y in METRICS else "比例（%）" if percent else COUNT_AXIS)
    hover = "%{y}: %{x:" + tick + "}<extra></extra>" if horizontal else "%{x}: %{y:" + tick + "}<extra></extra>"
    if horizontal:
        d = df.iloc[::-1]
        fig = go.Figure(go.Bar(x=d[y], y=d[x], orientation="h", marker_color=_colour(0), hovertemplate=hover))
        fig.update_yaxes(title_text=category_title)
        fig.update_xaxes(title_text=value_title, tickformat=tick)
    else:
        fig = go.Figure(go.Bar(x=df[x], y=df[y], marker_color=_colour(0), hovertemplate=hover))
        fig.update_xaxes(title_text=category_title)
        fig.update_yaxes(title_text=value_title, tickformat=tick)
    return _layout(fig, title, height=max(300, 26 * len(df) + 80) if horizontal else 380)


def sankey(links: pd.DataFrame, title: str | None = None) -> go.Figure:
    """links: source, target (labels) and value."""
    labels = list(dict.fromkeys(list(links["source"]) + list(links["target"])))
    index = {lab: i for i, lab in enumerate(labels)}
    colours = [PALETTE[i % len(PALETTE)] for i in range(len(labels))]
    # Wide gaps between nodes keep the labels of small nodes (社会公益组织, 法律服务机构 …) apart;
    # dark text without Plotly's white halo, links tinted by their source.
    fig = go.Figure(go.Sankey(
        arrangement="snap",
        node=dict(label=labels, pad=28, thickness=18, color=colours, line=dict(width=0),
                  hovertemplate="%{label}<br>%{value:,.0f} 件<extra></extra>"),
        link=dict(source=[index[s] for s in links["source"]], target=[index[t] for t in links["target"]],
                  value=links["value"], color=[_tint(colours[index[s]]) for s in links["source"]],
                  hovertemplate="%{source.label} → %{target.label}<br>%{value:,.0f} 件<extra></extra>"),
        textfont=dict(size=13, color="#222", shadow="none"),
    ))
    return _layout(fig, title, height=max(480, 40 * len(labels)))


def _tint(colour: str, alpha: float = 0.35) -> str:
    """A palette colour (``rgb(r, g, b)`` or ``#rrggbb``) made translucent."""
    if colour.startswith("#"):
        r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    else:
        r, g, b = (int(float(v)) for v in colour[colour.index("(") + 1:colour.index(")")].split(","))
    return f"rgba({r}, {g}, {b}, {alpha})"


def funnel(stages: pd.DataFrame, title: str | None = None, x_title: str | None = COUNT_AXIS,
           y_title: str | None = "阶段") -> go.Figure:
    """stages: stage, value."""
    fig = go.Figure(go.Funnel(y=stages["stage"], x=stages["value"], textinfo="value+percent initial",
                              texttemplate="%{value:,.0f} 件（%{percentInitial:.1%}）"))
    fig.update_xaxes(title_text=x_title)
    fig.update_yaxes(title_text=y_title)
    return _layout(fig, title, height=380)


def stacked_years(df: pd.DataFrame, columns: dict[str, str], title: str | None = None,
                  boundary: bool = False, x_title: str | None = YEAR_AXIS, y_title: str | None = COUNT_AXIS,
                  tickformat: str = ",") -> go.Figure:
    """Bars per year, one per column, side by side (counts unless ``y_title`` says another unit)."""
    fig = go.Figure([go.Bar(x=df["year"], y=df[c], name=label, marker_color=_colour(i))
                     for i, (c, label) in enumerate(columns.items())])
    fig.update_layout(barmode="group")
    year_axis(fig, x_title)
    fig.update_yaxes(title_text=y_title, tickformat=tickformat)
    if boundary:
        mark_template_boundary(fig, df["year"])
    return _layout(fig, title, height=400)


def coverage_grid(df: pd.DataFrame, years, title: str | None = None, order: list[str] | None = None,
                  x_title: str | None = YEAR_AXIS, y_title: str | None = AGENCY_AXIS) -> go.Figure:
    """df: name, year, status (1 present, 2 with errors); a year without a row is missing (0).

    Rows are in alphabetical order, or in ``order`` (names, top first), where an agency with no
    report in the years shown still has its (grey) row."""
    present = df.dropna(subset=["year"])
    grid = (present.pivot_table(index="name", columns="year", values="status", aggfunc="max")
            .reindex(columns=list(years)))
    grid = grid.reindex(list(dict.fromkeys(order))) if order is not None else grid.sort_index()
    grid = grid.fillna(0)
    fig = go.Figure(go.Heatmap(
        z=grid.values, x=[str(c) for c in grid.columns], y=list(grid.index), zmin=0, zmax=2,
        colorscale=[[0, "#eeeeee"], [0.33, "#eeeeee"], [0.34, "#4c9f70"], [0.66, "#4c9f70"],
                    [0.67, "#e4a11b"], [1, "#e4a11b"]],
        showscale=False, xgap=2, ygap=2,
        customdata=[[_STATUS[int(v)] for v in row] for row in grid.values],
        hovertemplate="%{y}<br>%{x} 年：%{customdata}<extra></extra>",
    ))
    fig.update_yaxes(autorange="reversed", title_text=y_title)
    fig.update_xaxes(title_text=x_title, type="category")
    return _layout(fig, title, height=max(280, 22 * len(grid) + 130))


_STATUS = {0: "缺少报告", 1: "有报告", 2: "有报告，存在错误级发现"}


def control_funnel(points: pd.DataFrame, curves: pd.DataFrame, metric: str, title: str | None = None,
                   label: str = "name") -> go.Figure:
    """Each agency's rate against its denominator, inside the 95 % and 99.8 % limits around the
    peer group's pooled rate (``curves`` from ``comparison.funnel_curves``); outliers in red."""
    fig = go.Figure()
    for level, dash, name in (("998", "solid", "99.8% 控制限"), ("95", "dash", "95% 控制限")):
        for side in ("lo", "hi"):
            fig.add_trace(go.Scatter(x=curves["n"], y=curves[f"{side}{level}"], mode="lines", name=name,
                                     line=dict(color="#7f7f7f", dash=dash, width=1), hoverinfo="skip",
                                     legendgroup=name, showlegend=side == "hi"))
    p0 = points["p0"].iloc[0] if len(points) else None
    if p0 is not None:
        fig.add_hline(y=p0, line=dict(color="black", width=1), annotation_text="同类合并比率",
                      annotation_position="top left")
    inside = points[points["outside"] == ""]
    outside = points[points["outside"] != ""]
    for part, colour, name in ((inside, PALETTE[0], "控制限内"), (outside, HIGHLIGHT, "控制限外（离群）")):
        fig.add_trace(go.Scatter(
            x=part["den"], y=part["rate"], mode="markers", name=name, text=part[label],
            marker=dict(color=colour, size=8, line=dict(color="white", width=0.5)),
            hovertemplate="%{text}<br>分母 %{x:,.0f} 件<br>比率 %{y:.1%}<extra></extra>"))
    fig.update_xaxes(type="log", title_text=f"分母：{METRICS[metric].base}（件，对数刻度）")
    fig.update_yaxes(title_text=f"{METRICS[metric].label}（%）", rangemode="tozero")
    _axis_format(fig, metric)
    return _layout(fig, title, height=440)


def quadrant(df: pd.DataFrame, x: str, y: str, x_line: float | None, y_line: float | None,
             title: str | None = None, label: str = "name", size: str = "applications") -> go.Figure:
    """Agencies on two rates, split by the region's own rates into four quadrants."""
    sizes = pd.to_numeric(df.get(size, pd.Series(1.0, index=df.index)), errors="coerce").fillna(1.0)
    scaled = 8 + 22 * (sizes / sizes.max()) ** 0.5 if len(sizes) and sizes.max() > 0 else 10
    fig = go.Figure(go.Scatter(
        x=df[x], y=df[y], mode="markers", text=df[label], marker=dict(size=scaled, color=PALETTE[0], opacity=0.75,
                                                                       line=dict(color="white", width=0.5)),
        hovertemplate=f"%{{text}}<br>{METRICS[x].label} %{{x:.1%}}<br>{METRICS[y].label} %{{y:.1%}}<extra></extra>",
        showlegend=False))
    if x_line is not None and x_line == x_line:
        fig.add_vline(x=x_line, line=dict(color="gray", dash="dash", width=1))
    if y_line is not None and y_line == y_line:
        fig.add_hline(y=y_line, line=dict(color="gray", dash="dash", width=1))
    fig.update_xaxes(title_text=f"{METRICS[x].label}（%）", rangemode="tozero")
    fig.update_yaxes(title_text=f"{METRICS[y].label}（%）", rangemode="tozero")
    _axis_format(fig, x, axis="x")
    _axis_format(fig, y)
    return _layout(fig, title, height=460)


def peer_band(df: pd.DataFrame, metric: str, agency: str = "本机构", title: str | None = None,
              x_title: str | None = YEAR_AXIS, y_title: str | None = None) -> go.Figure:
    """One agency's yearly value against its peers: the P25–P75 band shaded, the peer median
    dashed, the agency's own line on top. Columns year, value, peer_p25, peer_median, peer_p75."""
    band = df.dropna(subset=["peer_p25", "peer_p75"])
    fig = go.Figure([
        go.Scatter(x=band["year"], y=band["peer_p75"], mode="lines", line=dict(width=0), showlegend=False,
                   hoverinfo="skip", name="P75"),
        go.Scatter(x=band["year"], y=band["peer_p25"], mode="lines", line=dict(width=0), fill="tonexty",
                   fillcolor=_tint(_colour(1), 0.25), name="同类 P25–P75", hoverinfo="skip"),
        go.Scatter(x=df["year"], y=df["peer_median"], mode="lines+markers", name="同类中位数",
                   line=dict(color="gray", dash="dash")),
        go.Scatter(x=df["year"], y=df["value"], mode="lines+markers", name=agency, line=dict(color=AGENCY_LINE, width=3)),
    ])
    year_axis(fig, x_title)
    fig.update_yaxes(title_text=y_title or metric_axis_title(metric))
    _axis_format(fig, metric)
    mark_template_boundary(fig, df["year"])
    fig.update_layout(legend=dict(orientation="h", yanchor="bottom", y=-0.35, x=0))
    return _layout(fig, title, height=340)
