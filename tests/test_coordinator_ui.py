"""The coordinator's screen through the real app, driven by Textual's pilot with the keyboard:
figures and tables with the small counts hidden, another period or site, an export that says
what it wrote and where, both languages, the kiosk's smallest and largest terminals."""

from __future__ import annotations

import gc
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from test_staff_ui import COORDINATOR_PIN, drive, texts, type_pin
from test_stats import visit
from textual.pilot import Pilot
from textual.widgets import Button, DataTable, Input, Select, Static, TabbedContent, Tabs
from textual.worker import WorkerState

from kiosk.exports.destinations import destinations, free_name
from kiosk.exports.metadata import sidecar
from kiosk.staff import StaffAccess
from kiosk.storage import ResultStore
from kiosk.ui.app import KioskApp
from kiosk.ui.staff.base import StaffScreen
from kiosk.ui.staff.coordinator import CoordinatorHome
from kiosk.ui.staff.home import MediatorHome
from kiosk.ui.widgets.bar_chart import BarChart

# TUESDAY_1PM is in 2026-W48: the last 4 weeks are W45 to W48.
RECENT = [f"2026-W{45 + i % 4}" for i in range(70)]


@pytest.fixture
def network(store: ResultStore, staff: StaffAccess) -> ResultStore:
    """Two sites: 40 workshops and 30 assisted at the main one over the last four weeks, 12
    workshops and 3 orientations at the annexe in W47, 11 autonomy a year ago, 20 synthetic."""
    visits = [visit(week, "workshops" if i < 40 else "assisted") for i, week in enumerate(RECENT)]
    visits += [visit("2026-W47", "workshops", site="annexe") for _ in range(12)]
    visits += [visit("2026-W47", "orientation", site="annexe") for _ in range(3)]
    visits += [visit("2025-W40", "autonomy") for _ in range(11)]
    visits += [visit("2026-W46", "autonomy", synthetic=True) for _ in range(20)]
    store.save_many(visits)
    staff.pins.set("coordinator", COORDINATOR_PIN)
    return store


async def settle(app: KioskApp, pilot: Pilot[None]) -> None:
    """Until the screen's readings and exports (worker threads, which the app starts from its
    own queue) and what they show are done."""
    quiet = 0
    for _ in range(200):
        await pilot.pause()
        # An export's worker is started from the app's queue: until its result is shown, the
        # screen says it is exporting even while no worker exists yet.
        busy = getattr(app.screen, "exporting", False) or any(
            w.state in (WorkerState.PENDING, WorkerState.RUNNING) for w in app.workers)
        quiet = 0 if busy else quiet + 1
        if quiet == 3:
            return
        await app.workers.wait_for_complete()
    raise AssertionError("the screen's workers never ended")


async def open_area(app: KioskApp, pilot: Pilot[None]) -> CoordinatorHome:
    await type_pin(app, pilot, COORDINATOR_PIN)
    await settle(app, pilot)
    screen = app.screen
    assert isinstance(screen, CoordinatorHome)
    return screen


async def choose(app: KioskApp, pilot: Pilot[None], select: str, downs: int) -> None:
    """Open a drop-down from the keyboard and move ``downs`` places (negative: up)."""
    app.screen.query_one(select, Select).focus()
    await pilot.press("enter", *(["down"] * downs if downs > 0 else ["up"] * -downs), "enter")
    await settle(app, pilot)


async def export(app: KioskApp, pilot: Pilot[None]) -> None:
    """Press the export button from the keyboard and wait for what it says. Focus moves on the
    app's next turn, so the key waits for it (else Enter goes to the field focused before)."""
    button = app.screen.query_one("#export", Button)
    button.focus()
    await pilot.pause()
    assert app.focused is button
    await pilot.press("enter")
    await settle(app, pilot)


def wrote(path: Path) -> str:
    """How the screen starts to say it wrote ``path``: its name first, which a long folder
    cannot push out of sight."""
    return f"Fichier écrit : {path.name}\nDossier : {path.parent}\n"


def table_cells(app: KioskApp) -> dict[str, list[str]]:
    """The tables tab's first table: its rows by their first cell."""
    data = app.screen.query(DataTable).first()
    return {str(row[0]): [str(c) for c in row[1:]]
            for row in (data.get_row_at(i) for i in range(data.row_count))}


def test_the_figures_and_tables_hide_what_could_single_someone_out(make_app, network) -> None:
    async def scenario(app: KioskApp, pilot: Pilot[None]) -> None:
        await open_area(app, pilot)
        # The last 13 weeks at every site: 85 visits, synthetic and older ones left out.
        shown = texts(app)
        assert "Visites : 85" in shown and "Tous les lieux, du 2026-W45 au 2026-W48" in shown
        # 52 workshops, 30 assisted, 3 orientations: the 3 are under 10, and the 30 would
        # give them away from the total of 85, so both go.
        pathways = table_cells(app)
        assert pathways["Ateliers thématiques"][0] == "52"
        assert pathways["Accompagnement individuel"][0] == "x"
        assert pathways["Parler avec un·e conseiller·e"][0] == "x"
        assert "Total" in pathways and pathways["Total"][0] == "85"
        chart = app.screen.query_one("#pathway-chart", BarChart)
        assert "Ateliers thématiques (52)" in str(chart.plt.build())
        assert "Masqués" in str(app.screen.query_one("#chart-notes", Static).render())
        # Since the start, with the demonstration visits: the year-old 11 and the 20 count.
        await choose(app, pilot, "#span", 2)
        await pilot.click("#synthetic")
        await settle(app, pilot)
        assert "Visites : 116" in texts(app)
        # The annexe alone: 15 visits, and its 3 orientations hidden.
        await choose(app, pilot, "#site", 1)
        shown = texts(app)
        assert "annexe, du 2026-W47 au 2026-W47" in shown and "Visites : 15" in shown
        assert table_cells(app)["Parler avec un·e conseiller·e"][0] == "x"

    drive(make_app(), scenario, size=(120, 40))


def test_an_export_says_what_it_wrote_and_where(make_app, network, tmp_path: Path) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()

    async def scenario(app: KioskApp, pilot: Pilot[None]) -> None:
        screen = await open_area(app, pilot)
        # From the period, field after field to the tabs, then to the third tab.
        await pilot.press("tab", "tab", "tab", "tab")
        assert isinstance(app.focused, Tabs)
        await pilot.press("right", "right")
        await pilot.pause()
        assert screen.query_one(TabbedContent).active == "tab-export"
        # A workbook in the data folder's exports folder (made when missing).
        await export(app, pilot)
        said = str(screen.query_one("#export-result", Static).render()).replace("\u00a0", " ")
        [written] = (network.data_dir / "exports").iterdir()
        assert said.startswith(wrote(written))
        assert "82 visites" in said and "3 laissées de côté" in said
        assert "première feuille" in said
        rows = list(load_workbook(written, read_only=True)["records"].values)
        assert len(rows) == 83  # the header and the 82 visits said
        # CSV for Excel in French, to another folder typed in: its description beside it.
        await choose(app, pilot, "#format", 1)
        screen.query_one("#other-folder", Input).value = str(stick)
        await export(app, pilot)
        said = str(screen.query_one("#export-result", Static).render()).replace("\u00a0", " ")
        [csv_file] = stick.glob("*.csv")
        described = json.loads(sidecar(csv_file).read_text())
        assert said.startswith(wrote(csv_file)) and str(sidecar(csv_file)) in said
        assert described["delimiter"] == ";" and described["checksum"]["value"] in said
        # The same again: a new name, nothing overwritten.
        await export(app, pilot)
        said = str(screen.query_one("#export-result", Static).render()).replace("\u00a0", " ")
        assert said.startswith(wrote(csv_file.with_stem(csv_file.stem + "-2"))), said
        assert len(list(stick.glob("*.csv"))) == 2
        # A folder that does not exist: nothing written, and why.
        screen.query_one("#other-folder", Input).value = str(tmp_path / "missing")
        await export(app, pilot)
        said = str(screen.query_one("#export-result", Static).render()).replace("\u00a0", " ")
        assert said.startswith("Rien n'a été écrit") and "missing" in said
        # Leaving leaves no staff screen behind, its readings and exports included.
        await pilot.click("#leave")
        await pilot.pause()
        del screen
        gc.collect()
        assert not [o for o in gc.get_objects() if isinstance(o, StaffScreen)]

    drive(make_app(), scenario, size=(100, 30))
    audit = [json.loads(line) for line in
             (network.data_dir / "staff" / "audit.jsonl").read_text().splitlines()]
    exports = [e for e in audit if e["event"] == "export_made"]
    assert [(e["role"], e["detail"]["via"], e["detail"]["format"]) for e in exports] == [
        ("coordinator", "screen", "xlsx"), ("coordinator", "screen", "csv"),
        ("coordinator", "screen", "csv")]


def test_an_export_under_way_when_staff_mode_closes_is_written_and_noted(
    make_app, network
) -> None:
    async def scenario(app: KioskApp, pilot: Pilot[None]) -> None:
        screen = await open_area(app, pilot)
        screen.action_export()
        app.leave_staff()  # as the two minutes without a key would
        await settle(app, pilot)
        assert app.staff_session is None

    drive(make_app(), scenario)
    assert len(list((network.data_dir / "exports").glob("*.xlsx"))) == 1
    audit = (network.data_dir / "staff" / "audit.jsonl").read_text().splitlines()
    [noted] = [json.loads(e) for e in audit if '"export_made"' in e]
    assert noted["role"] == "coordinator" and noted["detail"]["rows"] == 82


def test_english_keeps_what_was_chosen(make_app, network) -> None:
    async def scenario(app: KioskApp, pilot: Pilot[None]) -> None:
        await open_area(app, pilot)
        await choose(app, pilot, "#site", 1)
        await pilot.click("#language")
        await settle(app, pilot)
        shown = texts(app)
        assert "annexe, from 2026-W47 to 2026-W47" in shown and "Visits: 15" in shown
        assert "Suggested paths" in shown and "Parcours proposés" not in shown
        assert table_cells(app)["Total"][0] == "15"

    drive(make_app(), scenario, size=(120, 40))


@pytest.mark.parametrize("size", [(80, 24), (200, 60)])
def test_everything_fits_at_the_kiosk_sizes(make_app, network, size: tuple[int, int]) -> None:
    async def scenario(app: KioskApp, pilot: Pilot[None]) -> None:
        screen = await open_area(app, pilot)
        width = size[0]
        for selector in ("#span", "#unit", "#site", "#synthetic", "#language", "#to-mediator",
                         "#leave"):
            region = screen.query_one(selector).region
            assert region.width > 0 and region.right <= width, selector
        assert screen.query_one("#span", Select).region.width >= 24  # "13 dernières semaines"
        for chart in screen.query(BarChart):
            assert chart.region.width >= 30
        await pilot.click("#to-mediator")
        await pilot.pause()
        assert isinstance(app.screen, MediatorHome)

    drive(make_app(), scenario, size=size)


def test_usb_sticks_are_offered_and_names_never_overwrite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "media"
    stick, folder = root / "kiosk" / "CLE", root / "kiosk" / "not-mounted"
    stick.mkdir(parents=True)
    folder.mkdir()
    monkeypatch.setattr("kiosk.exports.destinations.os.path.ismount", lambda p: p == stick)
    found = destinations(tmp_path / "data", (root, tmp_path / "no-such-root"))
    assert [(d.kind, d.folder) for d in found] == [
        ("data_folder", tmp_path / "data" / "exports"), ("removable", stick)]
    first = free_name(tmp_path, "kiosk-x", "csv")
    first.write_text("")
    second = free_name(tmp_path, "kiosk-x", "csv")
    sidecar(second).write_text("{}")  # a description left alone also keeps its name taken
    assert (first.name, second.name, free_name(tmp_path, "kiosk-x", "csv").name) == (
        "kiosk-x.csv", "kiosk-x-2.csv", "kiosk-x-3.csv")
