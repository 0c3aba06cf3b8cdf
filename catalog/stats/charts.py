"""Charts drawn as SVG on the server by pygal, to be inlined in the page.

The SVG needs no JavaScript and no inline style (the site's Content
Security Policy allows neither): pygal's tooltip script is left out, each
bar says its value in an SVG ``<title>`` (the browser's own tooltip), and
pygal's stylesheet, written once for every chart with colours that are the
site's CSS custom properties (so dark mode recolours the charts), is served
from this origin (``stylesheet``). The drawing is hidden from assistive
technology and from the keyboard: the data table beside it says the same,
with the same links.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache

import pygal
from django.utils.translation import gettext as _
from lxml import etree
from pygal.style import Style

from catalog.stats.figures import Chart

SERIES_COLOURS = 10

# Colours are the site's (static/css/site.css), light or dark.
STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="var(--chart-ink)",
    foreground_strong="var(--chart-ink)",
    foreground_subtle="var(--chart-muted)",
    guide_stroke_color="var(--chart-line)",
    major_guide_stroke_color="var(--chart-line)",
    colors=tuple(f"var(--series-{n})" for n in range(SERIES_COLOURS)),
    # pygal would parse the colours to pick these: say them.
    value_colors=("var(--chart-ink)",) * SERIES_COLOURS,
    font_family="inherit",
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=14,
    title_font_size=16,
    opacity=".9",
    opacity_hover="1",
    transition="none",
)

CLASS = "pygal-chart"

# Coordinates to one decimal (pygal writes 15): a third of the SVG's bytes.
GEOMETRY = {"x", "y", "width", "height", "d", "points", "transform", "cx", "cy"}
_DECIMALS = re.compile(r"(\d+\.\d)\d+")


def _config(chart: Chart) -> dict:
    rows = len(chart.rows)
    config = {
        "style": STYLE,
        "js": [],  # no tooltip script: <title>s instead
        "disable_xml_declaration": True,
        "show_legend": len(chart.columns) > 1,
        "legend_at_bottom": True,
        "legend_at_bottom_columns": 3,
        "truncate_legend": 24,
        "truncate_label": 28,
        "width": 720,
        "height": 400 if chart.style != "bars" else 60 + 28 * max(rows, 1),
        "margin": 8,
        "no_data_text": _("No papers"),
        "print_values": False,
    }
    if chart.style != "bars":
        config["x_label_rotation"] = -50 if rows > 12 else 0
    if chart.unit == "%":
        config["range"] = (0, 100)
        config["value_formatter"] = lambda value: f"{value:g}%"
    else:
        config["order_min"] = 0  # counts: whole-number ticks
    return config


def _pygal_chart(chart: Chart):
    kind = {
        "stacked": pygal.StackedBar,
        "columns": pygal.Bar,
        "bars": pygal.HorizontalBar,
    }[chart.style]
    drawing = kind(**_config(chart))
    rows = list(reversed(chart.rows)) if chart.style == "bars" else chart.rows
    drawing.x_labels = [row.label for row in rows]
    for column, name in enumerate(chart.columns):
        drawing.add(
            name,
            [
                {"value": row.values[column], "xlink": {"href": row.urls[column]}}
                if row.urls[column]
                else row.values[column]
                for row in rows
            ],
        )
    return drawing


def svg(chart: Chart) -> str:
    """The chart as an inline SVG element, without script or style."""
    root = _pygal_chart(chart).render_tree()
    _clean(root, chart)
    return etree.tostring(root, encoding="unicode")


def _clean(root, chart: Chart) -> None:
    """Strip pygal's script, style, ids and tooltip data; give every bar a
    <title> and keep its link out of the tab order (the table's links are
    the keyboard's). pygal's elements are in no namespace ("a")."""
    _strip(root)
    for link in root.iter("a"):
        link.attrib.pop("target", None)
        link.set("tabindex", "-1")
        _title_from_descriptions(link)
    for name in ("width", "height"):
        root.attrib.pop(name, None)
    root.set("class", f"{CLASS} chart-{chart.slug}")
    root.set("aria-hidden", "true")
    root.set("focusable", "false")


def _strip(root) -> None:
    """Remove what the page cannot or need not carry: comments, script and
    style, the tooltips' group, ids (several charts share a page), and
    coordinates' decimals past the first."""
    unwanted = list(root.iter(etree.Comment, "style", "script"))
    unwanted += [
        node for node in root.iter("g") if "tooltip-overlay" in node.get("class", "")
    ]
    for node in unwanted:
        node.getparent().remove(node)
    for node in root.iter():
        node.attrib.pop("id", None)
        for name in GEOMETRY.intersection(node.attrib):
            node.set(name, _DECIMALS.sub(r"\1", node.get(name)))


def _title_from_descriptions(node) -> None:
    """pygal leaves a bar's value and label in <desc> elements for its
    script; one <title> says them."""
    descs = {d.get("class"): d for d in node.findall("desc")}
    for desc in descs.values():
        node.remove(desc)
    value = descs.get("value")
    label = descs.get("x_label")
    text = " · ".join(d.text for d in (label, value) if d is not None and d.text)
    if text:
        title = etree.Element("title")
        title.text = text
        node.insert(0, title)


@cache
def stylesheet() -> str:
    """pygal's stylesheet for every chart of ours (its selectors scoped to
    the charts' class instead of one chart's id)."""
    drawing = pygal.Bar(style=STYLE, js=[], disable_xml_declaration=True)
    drawing.add("", [1] * SERIES_COLOURS)
    for n in range(1, SERIES_COLOURS):
        drawing.add(str(n), [1])
    root = drawing.render_tree()
    css = "\n".join(node.text or "" for node in root.iter("style"))
    scoped = re.sub(r"#chart-[0-9a-f-]+", f"svg.{CLASS}", css)
    return scoped.replace("&gt;", ">")


@cache
def stylesheet_version() -> str:
    return hashlib.sha256(stylesheet().encode()).hexdigest()[:12]
