"""The coordinators' report: one self-contained HTML file (no script, no link: it opens with no
network), with the headline figures, the pathways month by month, the levels by domain, and
access needs and reasons for the visit by site, every count hidden as in ``kiosk stats``.

Charts are Vega-Lite specifications built with Altair and drawn to static SVG by vl-convert,
then inlined. Each has one colour and the count written beside each bar, so nothing is told
by colour alone, and the table of its figures under it (what a screen reader reads; the SVG
is an image labelled with its title).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import altair as alt
import jinja2
import vl_convert

from kiosk.stats.counting import Facts
from kiosk.stats.formats import grid, percent, title
from kiosk.stats.labels import Labels
from kiosk.stats.overview import overview
from kiosk.stats.protection import TOTAL
from kiosk.stats.suppression import DEFAULT_K
from kiosk.stats.tables import Published, publish

TEMPLATES = Path(__file__).with_name("templates")
# Each section: its title's key and the tables it shows (over time: by month, or by a coarser
# period where most months would be hidden).
SECTIONS = (("report_pathways_over_time", ("month", "pathway")),
            ("report_levels", ("level",)),
            ("report_needs_by_site", ("need", "site")),
            ("report_reasons_by_site", ("reason", "site")))
OVER_TIME = ("month", "quarter", "year")
BAR = "#1f4e79"  # one colour: each bar says its count in words
BAR_HEIGHT = 18


@dataclass
class Chart:
    title: str
    caption: str
    svg: str
    header: list[str]
    rows: list[list[str]]
    notes: list[str] = field(default_factory=list)


def report_html(facts: Facts, labels: Labels, k: int = DEFAULT_K) -> str:
    seen = overview(facts, "month", k)
    weeks = facts.weeks
    period = (labels.word("period_range", first=weeks[0], last=weeks[-1]) if weeks
              else labels.word("no_visits"))
    sites = ", ".join(facts.sites) if facts.selection.sites else labels.word("all_sites")
    hidden = labels.word("report_hidden")
    figures = [(labels.word(f"report_{figure.name}"),
                hidden if figure.count is None else f"{figure.count}"
                + (f" ({percent(figure.share, labels)})" if figure.share is not None else ""))
               for figure in seen.figures]
    figures.append((labels.word("report_sites"), str(len(facts.sites))))
    sections = [{"title": labels.word(key),
                 "charts": [_chart(table, labels) for table in _tables(facts, by, k)]}
                for key, by in SECTIONS]
    template = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES),
                                  autoescape=True).get_template("report.html.j2")
    return template.render(
        language=labels.language, title=labels.word("report_title"),
        scope=labels.word("report_scope", sites=sites, period=period),
        legend=labels.word("hidden_legend", k=k), headline_title=labels.word("report_headline"),
        figures=figures, sections=sections, chart_hidden=labels.word("report_chart_hidden"),
        nothing=labels.word("report_nothing"))


def write_report(facts: Facts, labels: Labels, out: Path, k: int = DEFAULT_K) -> None:
    """The report at ``out``, written whole (a temporary file takes the name at the end)."""
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(report_html(facts, labels, k), encoding="utf-8")
    tmp.replace(out)


def _tables(facts: Facts, by: tuple[str, ...], k: int) -> list[Published]:
    if by[0] not in OVER_TIME:
        return publish(facts, by, k)
    for unit in OVER_TIME:
        tables = publish(facts, [unit, *by[1:]], k)
        if all(table.advice is None for table in tables):
            break
    return tables


def _chart(table: Published, labels: Labels) -> Chart:
    name = title(table, labels)
    header, rows = grid(table, labels)
    notes = [labels.word("needs_note")] if table.rows.name == "need" else []
    bars = _bars(table, labels)
    svg = vl_convert.vegalite_to_svg(_spec(bars, table, labels)) if any(
        bar["count"] for bar in bars) else ""
    return Chart(name, labels.word("report_figures", title=name), svg, header, rows, notes)


def _bars(table: Published, labels: Labels) -> list[dict[str, Any]]:
    """The published inside counts (a hidden one is not drawn), labelled."""
    columns = table.columns.categories if table.columns else (TOTAL,)
    bars = []
    for row in table.rows.categories:
        for column in columns:
            count = table.count(row, column)
            if count is not None:
                bars.append({"row": labels.value(table.rows.name, row), "count": count,
                             "panel": "" if table.columns is None
                             else labels.value(table.columns.name, column)})
    return bars


def _spec(bars: list[dict[str, Any]], table: Published, labels: Labels) -> dict[str, Any]:
    rows = [labels.value(table.rows.name, r) for r in table.rows.categories]
    base = alt.Chart().encode(y=alt.Y("row:N", sort=rows, title=None),
                              x=alt.X("count:Q", title=labels.word("count")))
    layered = alt.layer(
        base.mark_bar(color=BAR, height=BAR_HEIGHT - 4),
        base.mark_text(align="left", dx=3, color="black").encode(text="count:Q"),
        data=alt.Data(values=bars),
    ).properties(width=360, height=alt.Step(BAR_HEIGHT))
    if table.columns is not None:
        layered = layered.facet(
            facet=alt.Facet("panel:N", title=labels.dimension(table.columns.name),
                            sort=[labels.value(table.columns.name, c)
                                  for c in table.columns.categories]),
            columns=2)
    return layered.to_dict()
