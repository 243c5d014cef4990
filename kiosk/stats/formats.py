"""Published tables as text for people, CSV for spreadsheets, and JSON in the shape of the
national mediators' platform's public API.

La Coop de la médiation numérique publishes its counts at ``/api/v1/statistiques`` as a JSON:API
resource whose attributes hold lists of ``{value, label, count, proportion}`` (proportion in
per cent) under French keys (``beneficiaires.tranche_ages``, ``activites.durees``,
``accompagnements_par_mois``...). The kiosk's JSON has that shape and those keys where they mean
the same, so a network can put the kiosk's figures beside its mediators'. A hidden count is
``null`` there, with ``"suppressed": true``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from babel.numbers import format_percent

from kiosk.stats.labels import Labels
from kiosk.stats.protection import TOTAL, Category
from kiosk.stats.tables import Advice, Published

# La Coop's keys, and the kiosk's own in the same style where La Coop has none.
API_KEYS = {
    "week": "accompagnements_par_semaine", "month": "accompagnements_par_mois",
    "quarter": "accompagnements_par_trimestre", "year": "accompagnements_par_annee",
    "site": "lieux", "pathway": "parcours", "mode": "modes", "completion": "fins_de_visite",
    "duration": "durees_evaluation", "level": "niveaux", "domain": "domaines",
    "language": "langues", "age_band": "tranche_ages", "reason": "motifs", "need": "besoins",
    # guided sessions, in the words of the mediators' activity report
    "theme": "thematiques", "autonomy": "autonomie", "redirection": "structures_de_redirection",
    "session_length": "durees",
}
# What visitors said about themselves (the weekly tallies) and what the visits gave (records).
BENEFICIARIES = ("age_band", "language", "reason", "need")
CSV_COLUMNS = ("dimension", "value", "label", "by", "by_value", "by_label", "domain", "count",
               "share", "hidden")


def advice_text(advice: Advice, labels: Labels) -> str:
    if advice.kind == "period":
        return labels.word("advice_period", unit=advice.instead, was=advice.dimension)
    if advice.kind == "all_sites":
        return labels.word("advice_all_sites")
    return labels.word("advice_fewer", dimension=advice.dimension)


def title(table: Published, labels: Labels) -> str:
    if table.table.domain is not None:
        domain = labels.value("domain", table.table.domain)
        return f"{labels.word('levels_of', domain=domain)} × {labels.dimension(table.rows.name)}"
    names = [labels.dimension(table.rows.name)]
    if table.columns is not None:
        names.append(labels.dimension(table.columns.name))
    return " × ".join(names)


# -- text ------------------------------------------------------------------------------------


def as_text(tables: Sequence[Published], labels: Labels) -> str:
    blocks = [_text_table(table, labels) for table in tables]
    if tables:
        blocks.append(labels.word("hidden_legend", k=tables[0].k))
    return "\n\n".join(blocks) + "\n"


def grid(table: Published, labels: Labels) -> tuple[list[str], list[list[str]]]:
    """A table as a header and rows of text, a hidden count marked (the kiosk's screen shows
    the same grid as the command)."""
    mark = labels.word("hidden_mark")
    rows: list[list[str]] = []
    row_keys: list[Category] = [*table.rows.categories]
    if table.count(TOTAL, TOTAL) is not None or table.rows.additive:
        row_keys.append(TOTAL)
    if table.columns is None:
        header = ["", labels.word("count"), labels.word("share")]
        for row in row_keys:
            rows.append([labels.value(table.rows.name, row), _number(table, mark, row),
                         percent(table.share(row), labels)])
        return header, rows
    columns: list[Category] = [*table.columns.categories]
    if any((r, TOTAL) in table.table.counts for r in table.rows.categories):
        columns.append(TOTAL)
    header = ["", *(labels.value(table.columns.name, c) for c in columns)]
    for row in row_keys:
        if row is TOTAL and not table.rows.additive:
            continue
        rows.append([labels.value(table.rows.name, row),
                     *(_number(table, mark, row, c) for c in columns)])
    return header, rows


def _text_table(table: Published, labels: Labels) -> str:
    header, rows = grid(table, labels)
    widths = [max(len(line[i]) for line in [header, *rows]) for i in range(len(header))]
    lines = [title(table, labels)]
    for line in [header, *rows]:
        cells = [line[0].ljust(widths[0]), *(v.rjust(w) for v, w in zip(line[1:], widths[1:],
                                                                      strict=True))]
        lines.append("  ".join(cells).rstrip())
    if not table.rows.additive:
        lines.append(labels.word("needs_note"))
    if (advice := table.advice) is not None:
        hidden, cells = table.hidden_inside
        lines.append(labels.word("mostly_hidden", hidden=hidden, cells=cells,
                                 advice=advice_text(advice, labels)))
    return "\n".join(lines)


def _number(table: Published, mark: str, row: Category, column: Category = TOTAL) -> str:
    if (row, column) in table.hidden:
        return mark
    value = table.count(row, column)
    return "" if value is None else str(value)


def percent(share: float | None, labels: Labels) -> str:
    return "" if share is None else format_percent(share, "#,##0.0 %", locale=labels.language)


# -- CSV -------------------------------------------------------------------------------------


def as_csv(tables: Sequence[Published], labels: Labels) -> str:
    """One line per cell, totals included (their value empty); a hidden cell has no count."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for table in tables:
        columns: list[Category] = [TOTAL] if table.columns is None else [
            *table.columns.categories, TOTAL]
        for row in [*table.rows.categories, TOTAL]:
            for column in columns:
                if table.count(row, column) is None and (row, column) not in table.hidden:
                    continue
                share = table.share(row, column)
                writer.writerow([
                    table.rows.name, row or "", labels.value(table.rows.name, row),
                    *(["", "", ""] if table.columns is None else [
                        table.columns.name, column or "", labels.value(table.columns.name,
                                                                       column)]),
                    table.table.domain or "", _csv_count(table, row, column),
                    "" if share is None else f"{share:.4f}", int((row, column) in table.hidden)])
    return out.getvalue()


def _csv_count(table: Published, row: Category, column: Category) -> int | str:
    n = table.count(row, column)
    return "" if n is None else n


# -- JSON ------------------------------------------------------------------------------------


def as_api(tables: Sequence[Published], labels: Labels, meta: dict[str, Any]) -> dict[str, Any]:
    """La Coop's resource: ``{data: {type, id, attributes}, meta}``."""
    attributes: dict[str, Any] = {}
    for table in tables:
        key = API_KEYS[table.rows.name]
        if table.table.domain is not None or table.rows.name == "domain":
            _levels(attributes, table, labels)
            continue
        items = _items(table, labels)
        group = _group(table.rows.name)
        target = attributes.setdefault(group, {}) if group else attributes
        target[key] = items
        if group and "total" not in target:
            target["total"] = _total(table)
    return {"data": {"type": "statistiques", "id": "kiosk", "attributes": attributes},
            "meta": meta}


def _group(dimension: str) -> str | None:
    if dimension in BENEFICIARIES:
        return "beneficiaires"
    return None if API_KEYS[dimension].startswith("accompagnements") else "activites"


def _total(table: Published) -> int | None:
    grand = table.count(TOTAL, TOTAL)
    return grand if grand is not None or table.rows.additive else (
        table.table.base if table.table.base >= table.k else None)


def _items(table: Published, labels: Labels) -> list[dict[str, Any]]:
    """The rows of a table as ``{value, label, count, proportion}``; for a two-way table each
    row also lists its break-down under the other dimension's key."""
    items = []
    for row in table.rows.categories:
        item = _item(table, labels, table.rows.name, row, row, TOTAL)
        if table.columns is not None:
            item[API_KEYS[table.columns.name]] = [
                _item(table, labels, table.columns.name, column, row, column)
                for column in table.columns.categories]
        items.append(item)
    return items


def _item(table: Published, labels: Labels, dimension: str, value: str, row: Category,
          column: Category) -> dict[str, Any]:
    n = table.count(row, column)
    share = table.share(row, column)
    item: dict[str, Any] = {"value": value, "label": labels.value(dimension, value), "count": n,
                            "proportion": None if share is None else round(100 * share, 3)}
    if (row, column) in table.hidden:
        item["suppressed"] = True
    return item


def _levels(attributes: dict[str, Any], table: Published, labels: Labels) -> None:
    """Levels go under ``activites.niveaux``, by domain."""
    levels = attributes.setdefault("activites", {}).setdefault(API_KEYS["level"], {})
    if table.table.domain is None:  # every domain in a row, levels across
        assert table.columns is not None
        for domain in table.rows.categories:
            levels[domain] = [_item(table, labels, "level", level, domain, level)
                              for level in table.columns.categories]
        return
    levels[table.table.domain] = _items(table, labels)
