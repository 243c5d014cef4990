"""The coordinator's area: the chosen period and site's figures, two charts, the tables behind
them with every cell that could single someone out hidden, and an export to the data folder
or a USB stick that says what it wrote and where.

The store is read in a worker thread, once per choice of demonstration visits (a screen never
waits on the disk); another period or site narrows what was read. What is chosen lives on the
screen, so that a change of language, which composes the screen anew, keeps it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import TypeVar
from weakref import WeakMethod

from rich.text import Text
from textual.app import App, ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import (
    Button,
    Checkbox,
    DataTable,
    Input,
    Select,
    Static,
    TabbedContent,
    TabPane,
)

from kiosk.exports.destinations import Destination, destinations, free_name
from kiosk.exports.export import ExportError, Request, export_records
from kiosk.exports.metadata import ExportMetadata, FileFormat
from kiosk.stats import Facts, Published, Selection, publish, read_facts
from kiosk.stats.counting import StatsError
from kiosk.stats.formats import grid, percent, title
from kiosk.stats.labels import Labels
from kiosk.stats.overview import SPAN_UNIT, SPANS, Overview, Span, overview, span_selection
from kiosk.stats.periods import UNITS, PeriodUnit
from kiosk.stats.protection import TOTAL
from kiosk.stats.suppression import DEFAULT_K
from kiosk.stats.tables import SUMMARY
from kiosk.storage import ResultStore, StorageError
from kiosk.ui.staff.home import StaffHome
from kiosk.ui.widgets.bar_chart import BarChart

T = TypeVar("T")
# The tables a coordinator can open: every dimension alone, then pathways beside the others.
TABLES = (*SUMMARY[1:], "site,pathway", "age_band,pathway", "reason,pathway", "need,site")
# The export formats offered: a workbook first (it opens everywhere), and CSV both ways.
FORMATS: dict[str, tuple[FileFormat, str]] = {
    "xlsx": ("xlsx", ","), "csv_semicolon": ("csv", ";"), "csv_comma": ("csv", ","),
    "jsonl": ("jsonl", ","),
}


@dataclass(frozen=True)
class Choice:
    span: Span = "weeks_13"
    unit: PeriodUnit = SPAN_UNIT["weeks_13"]
    site: str | None = None  # None: every site
    synthetic: bool = False
    table: str = "pathway"
    destination: int = 0  # among ``destinations``
    file_format: str = "xlsx"


class CoordinatorHome(StaffHome):
    AREA = "coordinator"
    DEFAULT_CSS = """
    CoordinatorHome #choices {
        height: 1;
        padding: 0 1;
    }
    CoordinatorHome #choices Select {
        width: 1fr;
        max-width: 32;
        margin: 0 1 0 0;
    }
    CoordinatorHome #choices #span {
        width: 25;
    }
    CoordinatorHome #choices #unit {
        width: 18;
    }
    CoordinatorHome #choices Checkbox {
        width: auto;
    }
    CoordinatorHome #scope {
        padding: 0 1;
    }
    CoordinatorHome TabbedContent {
        height: 1fr;
    }
    CoordinatorHome #charts {
        height: auto;
    }
    CoordinatorHome.-narrow #charts {
        layout: vertical;
    }
    CoordinatorHome #tables DataTable {
        height: auto;
        max-height: 24;
        margin: 0 0 1 0;
    }
    CoordinatorHome #export-form Select, CoordinatorHome #export-form Input {
        max-width: 90;
    }
    CoordinatorHome #export-result {
        margin: 1 0 0 0;
        padding: 0 1;
        border: round $success;
        height: auto;
    }
    CoordinatorHome #export-result.-failed {
        border: round $error;
    }
    CoordinatorHome #coordinator-actions {
        dock: bottom;
        height: 1;
        background: $panel;
    }
    CoordinatorHome #coordinator-actions Button {
        width: auto;
        margin: 0 1 0 0;
    }
    CoordinatorHome #coordinator-keys {
        width: 1fr;
        padding: 0 1;
    }
    CoordinatorHome.-narrow #coordinator-keys {
        display: none;
    }
    CoordinatorHome .label {
        margin: 1 0 0 0;
        text-style: bold;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.choice = Choice()
        self.read: Facts | None = None  # the store as last read, for ``choice.synthetic``
        self.problem = ""  # why the store could not be read
        self.places: list[Destination] = []
        self.last_export = ""  # what the last export said, shown again after a recompose
        self.exporting = False

    # -- composing ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        choice = self.choice
        self.places = destinations(self.kiosk_data_dir)
        yield self.bar()
        with Horizontal(id="choices"):
            yield Select([(self.t(f"span_{s}"), s) for s in SPANS], value=choice.span,
                         allow_blank=False, id="span", compact=True)
            yield Select([(self.t("coordinator_unit") + " " + self.t(f"unit_{u}"), u)
                          for u in UNITS], value=choice.unit, allow_blank=False, id="unit",
                         compact=True)
            yield Select(self._site_options(), value=choice.site or "", allow_blank=False,
                         id="site", compact=True)
            yield Checkbox(self.t("coordinator_synthetic"), choice.synthetic, id="synthetic",
                           compact=True)
        yield Static(self.t("coordinator_reading"), id="scope", classes="body")
        with TabbedContent(id="coordinator-tabs"):
            with TabPane(self.t("tab_overview"), id="tab-overview"), VerticalScroll():
                yield Static("", id="figures", classes="heading")
                with Horizontal(id="charts"):
                    yield BarChart(id="timeline-chart")
                    yield BarChart(id="pathway-chart")
                yield Static("", id="chart-notes", classes="body")
            with TabPane(self.t("tab_tables"), id="tab-tables"):
                yield Select([(self._table_name(t), t) for t in TABLES], value=choice.table,
                             allow_blank=False, id="table", compact=True)
                yield VerticalScroll(id="tables")
            with TabPane(self.t("tab_export"), id="tab-export"), VerticalScroll(
                    id="export-form"):
                yield Static(self.t("export_body", k=DEFAULT_K), classes="body")
                yield Static(self.t("export_where"), classes="label")
                yield Select([(self._place_name(p), i) for i, p in enumerate(self.places)],
                             value=min(choice.destination, len(self.places) - 1),
                             allow_blank=False, id="destination")
                if len(self.places) == 1:
                    yield Static(self.t("export_no_stick"), classes="body")
                yield Static(self.t("export_other"), classes="label")
                yield Input(id="other-folder", placeholder="/media/…")
                yield Static(self.t("export_format"), classes="label")
                yield Select([(self.t(f"format_{f}"), f) for f in FORMATS],
                             value=choice.file_format, allow_blank=False, id="format")
                yield Button(self.t("export_go"), id="export", variant="primary",
                             action="screen.export")
                yield Static(self.last_export, id="export-result")
        with Horizontal(id="coordinator-actions"):
            yield Static(self.t("coordinator_keys"), id="coordinator-keys")
            yield Button(self.t("coordinator_language"), id="language", compact=True,
                         action="app.switch_language")
            yield Button(self.t("staff_to_mediator"), id="to-mediator", compact=True,
                         action="app.open_staff_area('mediator')")
            yield from self.ways_out(compact=True)

    def on_mount(self) -> None:
        super().on_mount()
        self._fill()

    def focus_default(self) -> None:
        self.query_one("#span", Select).focus()

    def show_again(self) -> None:
        # Composed anew (another language): what was read, in the new words.
        super().show_again()
        self.call_later(self._fill)

    def _fill(self) -> None:
        self.query_one("#export-result").display = bool(self.last_export)
        self._read_or_show()

    def on_resize(self) -> None:
        self.set_class(self.size.width < 120, "-narrow")

    # -- choosing ----------------------------------------------------------------------------

    def on_select_changed(self, event: Select.Changed) -> None:
        name, value = event.select.id, event.value
        if value is Select.NULL or name is None:
            return
        choice = self.choice
        if name == "span" and value != choice.span:
            self._choose(replace(choice, span=value, unit=SPAN_UNIT[value]))  # type: ignore[index]
            self.query_one("#unit", Select).value = self.choice.unit
        elif name == "unit" and value != choice.unit:
            self._choose(replace(choice, unit=value))  # type: ignore[arg-type]
        elif name == "site" and (value or None) != choice.site:
            self._choose(replace(choice, site=str(value) or None))
        elif name == "table" and value != choice.table:
            self._choose(replace(choice, table=str(value)))
        elif name == "destination":
            self.choice = replace(choice, destination=int(value))  # type: ignore[arg-type]
        elif name == "format":
            self.choice = replace(choice, file_format=str(value))

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        if event.value != self.choice.synthetic:
            self.choice = replace(self.choice, synthetic=event.value)
            self.read = None
            self._read_or_show()

    def _choose(self, choice: Choice) -> None:
        self.choice = choice
        self._read_or_show()

    # -- reading and showing -----------------------------------------------------------------

    @property
    def kiosk_data_dir(self) -> Path:
        staff = self.kiosk.staff
        assert staff is not None, "staff screens open only with the staff files"
        return staff.data_dir

    def _read_or_show(self) -> None:
        if self.read is None or self.read.selection.include_synthetic != self.choice.synthetic:
            in_background(self.app, partial(read_store, self.kiosk_data_dir,
                                            self.choice.synthetic), self._have_read)
        else:
            self._show()

    def _have_read(self, facts: Facts | str) -> None:
        if isinstance(facts, str):
            self.problem = facts
            self.query_one("#scope", Static).update(self.t("coordinator_unreadable",
                                                           problem=facts))
            return
        self.read, self.problem = facts, ""
        if self.choice.site not in (None, *facts.sites):
            self.choice = replace(self.choice, site=None)
        sites = self.query_one("#site", Select)
        sites.set_options(self._site_options())
        sites.value = self.choice.site or ""
        self._show()

    def _site_options(self) -> list[tuple[str, str]]:
        sites = self.read.sites if self.read is not None else []
        return [(self.t("coordinator_all_sites"), ""), *((s, s) for s in sites)]

    def _show(self) -> None:
        if self.read is None or not self.is_mounted:
            return
        choice = self.choice
        facts = self.read.within(span_selection(choice.span, self.kiosk.now().date(),
                                                choice.site))
        labels = Labels(self.language, self.kiosk.assessment.bank)
        seen = overview(facts, choice.unit)
        weeks = facts.weeks
        period = (labels.word("period_range", first=weeks[0], last=weeks[-1]) if weeks
                  else labels.word("no_visits"))
        self.query_one("#scope", Static).update(self.t(
            "coordinator_scope", site=choice.site or self.t("coordinator_all_sites"),
            range=period, k=seen.k))
        self._show_overview(seen, labels)
        self._show_tables(facts, labels)

    def _show_overview(self, seen: Overview, labels: Labels) -> None:
        parts = []
        for figure in seen.figures:
            value = self.t("figure_hidden") if figure.count is None else f"{figure.count}"
            if figure.share is not None:
                value += f" ({percent(figure.share, labels)})"
            parts.append(self.t("figure_line", name=self.t(f"figure_{figure.name}"),
                                value=value))
        self.query_one("#figures", Static).update("   ".join(parts))
        notes = []
        for chart_id, table, chart_title, horizontal in (
                ("#timeline-chart", seen.timeline,
                 self.t("chart_visits", unit=self.t(f"unit_{seen.unit}")), False),
                ("#pathway-chart", seen.pathways, self.t("chart_pathways"), True)):
            shown, hidden = published_bars(table, labels)
            self.query_one(chart_id, BarChart).show_bars(
                chart_title, [name for name, _ in shown], [n for _, n in shown], horizontal)
            if hidden:
                notes.append(f"{chart_title} · " + self.t(
                    "chart_hidden", k=seen.k, which=", ".join(hidden)))
            if (advice := self._advice(table)) is not None:
                notes.append(advice)
        if not seen.facts.visits:
            notes.append(self.t("chart_empty"))
        self.query_one("#chart-notes", Static).update("\n".join(notes))

    def _show_tables(self, facts: Facts, labels: Labels) -> None:
        place = self.query_one("#tables", VerticalScroll)
        place.remove_children()
        try:
            tables = publish(facts, self.choice.table.split(","))
        except (StatsError, ValueError) as exc:
            place.mount(Static(str(exc), classes="body"))
            return
        widgets: list[Static | DataTable[str | Text]] = []
        for table in tables:
            widgets.append(Static(title(table, labels), classes="label"))
            header, rows = grid(table, labels)
            data: DataTable[str | Text] = DataTable(zebra_stripes=True, cursor_type="row")
            data.add_columns(*header)
            data.add_rows([[name, *(Text(v, justify="right") for v in counts)]
                           for name, *counts in rows])
            widgets.append(data)
            if (advice := self._advice(table)) is not None:
                widgets.append(Static(advice, classes="body"))
        place.mount_all(widgets)

    def _advice(self, table: Published) -> str | None:
        """Where most of a table is hidden: how many cells, and what would show more."""
        advice = table.advice
        if advice is None:
            return None
        hidden, cells = table.hidden_inside
        return self.t(f"coordinator_mostly_hidden_{advice.kind}", hidden=hidden, cells=cells,
                      unit=self.t(f"unit_{advice.instead}") if advice.instead else "")

    def _table_name(self, table: str) -> str:
        labels = Labels(self.language)
        return " × ".join(labels.dimension(d) for d in table.split(","))

    def _place_name(self, place: Destination) -> str:
        return self.t(f"export_{place.kind}", folder=place.folder)

    # -- exporting ---------------------------------------------------------------------------

    def action_export(self) -> None:
        typed = self.query_one("#other-folder", Input).value.strip()
        folder = Path(typed).expanduser() if typed else self.places[
            self.choice.destination].folder
        file_format, delimiter = FORMATS[self.choice.file_format]
        if self.exporting:
            return
        self.exporting = True
        self._say_export(self.t("export_running"), failed=False)
        choice = self.choice
        selection = replace(span_selection(choice.span, self.kiosk.now().date(), choice.site),
                            include_synthetic=choice.synthetic)
        weeks = [w for w in (selection.since, selection.until) if w]
        stem = "-".join(["kiosk", choice.site or "tous-lieux", *weeks])
        in_background(self.app, partial(
            export_into, self.kiosk_data_dir, folder, folder == self.places[0].folder, stem,
            Request(file_format, folder, selection, DEFAULT_K, delimiter),
            partial(self.kiosk.note_export, role=self.session.role)), self._exported)

    def _exported(self, made: tuple[Path, ExportMetadata] | str) -> None:
        self.exporting = False
        if isinstance(made, str):
            self._say_export(self.t("export_failed", problem=made), failed=True)
            return
        out, metadata = made
        unit_words = [self.t(f"export_by_{unit}", n=n)
                      for unit, n in metadata.anonymity.periods.items()]
        described = (self.t("export_in_workbook") if metadata.file_format == "xlsx"
                     else str(out.with_name(out.name + ".meta.json")))
        self._say_export(self.t(
            "export_done", name=out.name, folder=out.parent, records=metadata.records,
            generalised=", ".join(unit_words) or "0", left_out=metadata.anonymity.left_out,
            described=described, checksum=metadata.checksum.value), failed=False)

    def _say_export(self, text: str, failed: bool) -> None:
        self.last_export = text
        result = self.query_one("#export-result", Static)
        result.update(text)
        result.display = True
        result.set_class(failed, "-failed")
        self.call_after_refresh(result.scroll_visible, animate=False)


def published_bars(table: Published, labels: Labels) -> tuple[list[tuple[str, int]],
                                                                list[str]]:
    """A one-way table's published rows as (label, count), and the labels of the hidden ones
    (a chart draws no bar it may not show)."""
    shown, hidden = [], []
    for row in table.rows.categories:
        count = table.count(row, TOTAL)
        name = labels.value(table.rows.name, row)
        if count is None:
            hidden.append(name)
        else:
            shown.append((name, count))
    return shown, hidden


def in_background(app: App[None], job: Callable[[], T], then: Callable[[T], None]) -> None:
    """``job`` in a worker thread, its result given to ``then`` (a screen's method) if the
    screen is still there. Nothing of the worker refers to the screen, and the app starts it
    from its own queue: a task keeps the context it was started in (Textual's current
    message pump among it), and a staff screen must be gone once staff mode is left."""
    deliver = WeakMethod(then)

    def run() -> None:
        result = job()
        method = deliver()
        if method is not None:
            app.call_from_thread(_if_shown, method, result)

    app.call_later(app.run_worker, run, thread=True)


def _if_shown(method: Callable[[T], None], result: T) -> None:
    """A screen left but not yet collected (cycles wait for the collector) shows nothing."""
    screen = getattr(method, "__self__", None)
    if screen is None or (screen.is_attached and screen.can_compose()):
        method(result)


def read_store(data_dir: Path, synthetic: bool) -> Facts | str:
    """What the store holds, or why it cannot be read."""
    try:
        return read_facts(ResultStore(data_dir), Selection(include_synthetic=synthetic))
    except (StorageError, OSError) as exc:
        return str(exc)


def export_into(data_dir: Path, folder: Path, create: bool, stem: str, request: Request,
                note: Callable[[ExportMetadata], None]) -> tuple[Path, ExportMetadata] | str:
    """The visit records exported into ``folder`` under a free name from ``stem`` (the
    folder made first if ``create``), ``note``d once written; or why nothing was written."""
    try:
        if create:
            folder.mkdir(exist_ok=True)
        out = free_name(folder, stem, request.file_format)
        metadata = export_records(ResultStore(data_dir), replace(request, out=out))
    except (ExportError, StorageError, OSError) as exc:
        return str(exc)
    note(metadata)
    return out, metadata
