"""``kiosk site upgrade``: rewrite a site file of the first format in place, once.

The first site files wrote hours as a structure (``weekly``/``closed``/``extra``) and an address
as one line. The kiosk now reads only OpenStreetMap hours and a structured address, the forms of
the open-data standards; this turns the old forms into the new ones and leaves every other line,
comments included, as it was.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

from kiosk.datafile import DataFileError, Problem, read_text, read_yaml
from kiosk.hours import osm_date, syntax_problem

_OSM_DAYS = {"mon": "Mo", "tue": "Tu", "wed": "We", "thu": "Th", "fri": "Fr", "sat": "Sa",
             "sun": "Su"}
# "Rue de la Terrassière 9, 1207 Genève": the street, then a Swiss or French postcode and town.
_ADDRESS = re.compile(r"^(?P<street>.+?),\s*(?P<postcode>\d{4,5})\s+(?P<city>.+)$")


def _clock(value: Any, where: str) -> str:
    if not (isinstance(value, str) and re.fullmatch(r"\d\d:\d\d", value)):
        raise ValueError(f"{where}: {value!r} is not a time: write it as \"HH:MM\" in quotes")
    return value


def structured_to_osm(hours: dict[str, Any], closed_on_public_holidays: bool = False) -> str:
    """``{weekly: [{days: [tue, thu], from: "12:30", to: "16:00"}]}`` as ``"Tu,Th 12:30-16:00"``.

    Weekly slots of the same day are merged (a later OSM rule would replace, not add); closures
    come next, then special openings as additional rules, which count even during a closure.
    """
    spans: dict[str, list[str]] = defaultdict(list)
    for slot in hours.get("weekly", []):
        span = f"{_clock(slot['from'], 'from')}-{_clock(slot['to'], 'to')}"
        for day in slot["days"]:
            spans[_OSM_DAYS[day]].append(span)
    by_spans: dict[str, list[str]] = defaultdict(list)
    for day in _OSM_DAYS.values():
        if day in spans:
            by_spans[",".join(sorted(spans[day]))].append(day)
    rules = [f"{_day_runs(days)} {times}" for times, days in by_spans.items()]
    for closure in hours.get("closed", []):
        first, last = osm_date(closure["from"]), osm_date(closure["to"])
        rules.append(f"{first}-{last} off" if first != last else f"{first} off")
    if closed_on_public_holidays:
        rules.append("PH off")
    text = "; ".join(rules)
    for extra in hours.get("extra", []):
        span = f"{_clock(extra['from'], 'from')}-{_clock(extra['to'], 'to')}"
        text += f"{', ' if text else ''}{osm_date(extra['date'])} {span}"
    return text


def _day_runs(days: list[str]) -> str:
    """["Tu", "We", "Th", "Fr"] as "Tu-Fr", ["Tu", "Th"] as "Tu,Th"."""
    order = list(_OSM_DAYS.values())
    runs: list[list[str]] = []
    for day in days:
        if runs and order.index(runs[-1][-1]) == order.index(day) - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ",".join(f"{r[0]}-{r[-1]}" if len(r) >= 3 else ",".join(r) for r in runs)


def address_fields(line: str) -> dict[str, str]:
    found = _ADDRESS.match(line)
    return found.groupdict() if found else {"street": line}


def upgrade(path: Path, closed_on_public_holidays: bool = False) -> int:
    """Rewrite ``path`` in place; the number of values changed. DataFileError if it cannot."""
    read_yaml(path)  # refused here unless within the limits, with plain values only
    text = read_text(path)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise DataFileError(
            [Problem(path, mark.line + 1 if mark else 1, f"YAML syntax: {exc.problem}")]
        ) from None
    lines = text.splitlines(keepends=True)
    edits: list[tuple[int, int, list[str]]] = []
    problems: list[Problem] = []
    for key, value in _offer_fields(root, ("hours", "address")):
        line = key.start_mark.line
        indent = " " * key.start_mark.column
        data = yaml.safe_load(yaml.serialize(value))
        try:
            if key.value == "hours" and isinstance(data, dict):
                osm = structured_to_osm(data, closed_on_public_holidays)
                problem = syntax_problem(osm)
                if problem:
                    raise ValueError(f"the hours give {osm!r}, which is not valid: {problem}")
                new = [f"{indent}hours: {_quoted(osm)}\n"]
            elif key.value == "address" and isinstance(data, str):
                fields = ", ".join(f"{k}: {_quoted(v)}" for k, v in address_fields(data).items())
                new = [f"{indent}address: {{{fields}}}\n"]
            else:
                continue
        except (ValueError, KeyError, TypeError) as exc:
            problems.append(Problem(path, line + 1, f"cannot convert '{key.value}': {exc}"))
            continue
        end = _end_line(lines, value)
        while end > line + 1 and lines[end - 1].strip()[:1] in ("", "#"):
            end -= 1  # the blank lines and comments that follow belong to what comes next
        edits.append((line, end, new))
    if problems:
        raise DataFileError(problems)
    for start, end, new in sorted(edits, reverse=True):
        lines[start:end] = new
    path.write_text("".join(lines), encoding="utf-8")
    return len(edits)


def _end_line(lines: list[str], node: yaml.Node) -> int:
    """The line after ``node``: a block ends where the next token starts, which may be the
    first line of what follows."""
    mark = node.end_mark
    if mark.line >= len(lines) or lines[mark.line][: mark.column].strip() in ("", "-"):
        return mark.line
    return mark.line + 1


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _offer_fields(root: yaml.Node | None, names: tuple[str, ...]) -> list[tuple[Any, Any]]:
    if not isinstance(root, yaml.MappingNode):
        return []
    offers = next((v for k, v in root.value if k.value == "offers"), None)
    if not isinstance(offers, yaml.SequenceNode):
        return []
    return [
        (key, value)
        for offer in offers.value
        if isinstance(offer, yaml.MappingNode)
        for key, value in offer.value
        if key.value in names
    ]
