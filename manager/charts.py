"""Report charts as SVG drawn on the server by pygal from a report dict: arrivals per half hour,
waits per category (average, 90th percentile, target) and 好差评 by waiting time."""
from __future__ import annotations

import math

import pygal
from pygal.style import Style

from queue_core.service.reports import band_label

# Text is drawn by the browser: name CJK fonts first so Chinese labels never fall back to boxes.
FONTS = ('"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei", '
         '"Microsoft YaHei", "PingFang SC", sans-serif')
STYLE = Style(font_family=FONTS, label_font_family=FONTS, major_label_font_family=FONTS,
              value_font_family=FONTS, value_label_font_family=FONTS, tooltip_font_family=FONTS,
              title_font_family=FONTS, legend_font_family=FONTS, no_data_font_family=FONTS,
              background="white", plot_background="white", foreground="#333",
              foreground_strong="#111", foreground_subtle="#ccc", opacity=".9",
              opacity_hover="1", title_font_size=20, legend_font_size=15, label_font_size=14,
              major_label_font_size=14, value_font_size=14, no_data_font_size=24,
              colors=("#1f6fb2", "#e07b39", "#4a9d5b", "#9b59b6", "#c0392b", "#7f8c8d"))
TEXT = {
    "arrivals": ("取号时段分布（每半小时）", "Arrivals per half hour"),
    "tickets": ("取号数", "Tickets"),
    "waits": ("各业务等候时间（分钟）", "Waiting time per service (minutes)"),
    "avg": ("平均等候", "Average wait"), "p90": ("90% 等候", "90th percentile"),
    "target": ("等候目标", "Wait target"),
    "satisfaction": ("等候时长与满意度", "Rating by waiting time"),
    "avg_rating": ("平均评分（1–5）", "Average rating (1–5)"),
    "satisfied": ("满意率（%，右轴）", "Satisfied share (%, right axis)"),
    "no_data": ("暂无数据", "No data"),
}
CHARTS = ("arrivals", "waits", "satisfaction")


def render_chart(name: str, report: dict, lang: str) -> str:
    """The named chart (one of CHARTS) of a report, as an SVG document, labelled in `lang`."""
    draw = {"arrivals": _arrivals, "waits": _waits, "satisfaction": _satisfaction}[name]
    return draw(report, lang).render(is_unicode=True)


def _text(key: str, lang: str) -> str:
    return TEXT[key][0 if lang == "zh" else 1]


def _base(kind: type, title: str, lang: str, **config: object):
    size = {"width": 720, "height": 400, **config}
    return kind(title=_text(title, lang), style=STYLE, js=[], legend_at_bottom=True,
                no_data_text=_text("no_data", lang), margin=16, **size)


def _name(row: dict, lang: str) -> str:
    return row["name_zh"] if lang == "zh" else (row["name_en"] or row["name_zh"])


def _arrivals(report: dict, lang: str) -> pygal.StackedBar:
    slots = report["arrivals"]
    # a long day (a 24-hour hall) labels full hours only, so the labels stay readable
    chart = _base(pygal.StackedBar, "arrivals", lang, width=1440, height=360,
                  y_title=_text("tickets", lang), x_label_rotation=-45 if len(slots) > 24 else 0,
                  show_minor_x_labels=len(slots) <= 24, print_values=False)
    chart.x_labels = [a["slot"] for a in slots]
    chart.x_labels_major = [a["slot"] for a in slots if a["slot"].endswith(":00")]
    most = max((a["issued"] for a in slots), default=0)
    if most:
        step = max(1, math.ceil(most / 8))  # whole tickets on the axis
        chart.y_labels = list(range(0, most + step, step))
        for row in report["categories"]:
            values = [a["by_category"].get(row["category"], 0) for a in slots]
            if any(values):
                chart.add(_name(row, lang), values)
    return chart


def _waits(report: dict, lang: str) -> pygal.Bar:
    chart = _base(pygal.Bar, "waits", lang, print_values=True, print_zeroes=False,
                  value_formatter=lambda v: f"{v:g}")
    rows = report["categories"]
    chart.x_labels = [_name(r, lang) for r in rows]
    if any(r["called"] for r in rows):
        chart.add(_text("avg", lang), [r["avg_wait_minutes"] for r in rows])
        chart.add(_text("p90", lang), [r["p90_wait_minutes"] for r in rows])
        chart.add(_text("target", lang), [r["wait_target_minutes"] for r in rows])
    return chart


def _satisfaction(report: dict, lang: str) -> pygal.Bar:
    chart = _base(pygal.Bar, "satisfaction", lang, range=(0, 5), secondary_range=(0, 100),
                  print_values=True, value_formatter=lambda v: f"{v:g}")
    bands = report["satisfaction"]["by_wait_band"]
    chart.x_labels = [f"{band_label(b, lang)} ({b['rated']})" for b in bands]
    if any(b["rated"] for b in bands):
        chart.add(_text("avg_rating", lang), [b["avg_rating"] for b in bands])
        chart.add(_text("satisfied", lang),
                  [round(b["satisfied_share"] * 100) if b["satisfied_share"] is not None else None
                   for b in bands], secondary=True)
    return chart
