"""The ``kiosk`` command: run the kiosk, and the tools around it."""

from __future__ import annotations

import contextlib
import logging
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, Protocol, TypeVar

import typer

from kiosk import paths

# Only what every command needs is imported here: ``kiosk run`` draws its first screen before
# the models, the engine and the storage are loaded (see ``kiosk.startup``).
if TYPE_CHECKING:
    from kiosk.datafile import Problem
    from kiosk.exports.metadata import ExportMetadata
    from kiosk.opendata.lmn import Imported, Target
    from kiosk.staff import StaffAccess
    from kiosk.startup import Cover, Lazy
    from kiosk.stats import Facts, Selection
    from kiosk.storage import ResultStore
    from kiosk.visit import Assessment

T = TypeVar("T")
# Problems printed for one data file; the count of the others follows.
MAX_PROBLEMS_SHOWN = 50

app = typer.Typer(
    add_completion=False,
    no_args_is_help=False,
    help="A digital-skills self-assessment kiosk. With no command, starts the kiosk.",
)

DataDirOption = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        help=f"Where results are stored (default: ${paths.DATA_DIR_ENV}, else a per-user folder).",
    ),
]
BankOption = Annotated[
    Path | None, typer.Option("--bank", help="Questionnaire file (default: the bundled one).")
]
SiteOption = Annotated[
    Path | None, typer.Option("--site", help="Site file (default: the bundled example site).")
]
LanguageOption = Annotated[
    str, typer.Option("--language", help="Language shown first to each visitor.")
]


@app.callback(invoke_without_command=True)
def main_callback(ctx: typer.Context) -> None:
    if ctx.invoked_subcommand is None:
        run(data_dir=None, bank=None, site=None, language="fr")


@app.command()
def run(
    data_dir: DataDirOption = None,
    bank: BankOption = None,
    site: SiteOption = None,
    language: LanguageOption = "fr",
    kiosk_mode: Annotated[
        bool, typer.Option("--kiosk/--no-kiosk", help="Kiosk mode: no key leaves the kiosk "
                           "(--no-kiosk: Ctrl+Q quits, for development).")
    ] = True,
    exit_after_session: Annotated[
        bool, typer.Option("--exit-after-session", help="Exit once a visitor's session ends, "
                           "so that a service manager starts a fresh process for the next.")
    ] = False,
    in_browser: Annotated[bool, typer.Option("--in-browser", hidden=True)] = False,
) -> None:
    """Start the kiosk for visitors."""
    from kiosk.display import DisplayFile
    from kiosk.speech import Speaker
    from kiosk.startup import Lazy
    from kiosk.storage.disk import private_dir, private_umask
    from kiosk.storage.errors import StorageError
    from kiosk.storage.saver import SaveQueue
    from kiosk.ui.app import KioskApp
    from kiosk.ui.staff.mode import STOPPED_BY_STAFF

    assessment, cover = _checked(bank, site)
    if language not in cover.languages:
        typer.echo(f"language '{language}' is not in the questionnaire: use one of "
                   f"{', '.join(cover.languages)}", err=True)
        raise typer.Exit(2)
    private_umask()
    directory = paths.data_dir(data_dir)
    with contextlib.suppress(StorageError):  # the store says it again, on the screen
        private_dir(directory)
    _log_to(directory / "kiosk.log")
    # A folder that cannot be used is shown to staff on the kiosk's screen, which goes on
    # trying; quitting then says it here too. The kiosk opens it, and the staff files, once
    # its first screen is up.
    saver = SaveQueue(lambda: _result_store(directory))
    staff = Lazy(lambda: _staff_access(directory))
    code = run_until_quit(lambda: KioskApp(
        assessment, saver, language=language, staff=staff, cover=cover, kiosk_mode=kiosk_mode,
        exit_after_session=exit_after_session, speaker=Speaker.system(),
        display=DisplayFile(directory), in_browser=in_browser),
        final=(STOPPED_BY_STAFF,))
    status = saver.close()
    if assessment.error is not None:  # the files changed since they were checked
        _fail(getattr(assessment.error, "problems", None) or [_problem(bank, assessment.error)])
    if status.waiting or status.problem:
        lost = f"{status.waiting} results could not be saved; " if status.waiting else ""
        typer.echo(f"cannot use the results folder: {lost}{status.problem}", err=True)
        raise typer.Exit(1)
    if code == STOPPED_BY_STAFF:
        typer.echo("the kiosk was stopped by staff", err=True)
        raise typer.Exit(code)
    if code:
        typer.echo(f"the kiosk stopped after repeated errors: see {directory / 'kiosk.log'}",
                   err=True)
        raise typer.Exit(code)


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to serve on (default: this "
                                      "machine only; textual-serve has no authentication).")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to serve on.")] = 8000,
    data_dir: DataDirOption = None,
    bank: BankOption = None,
    site: SiteOption = None,
    language: LanguageOption = "fr",
) -> None:
    """Serve the kiosk to a browser (a tablet, a browser in kiosk mode): each page opened runs
    its own kiosk, in kiosk mode, until its visit is over."""
    from kiosk.display import DisplayFile
    from kiosk.ui.web.server import KioskServer, is_loopback, page_font_size

    _, cover = _checked(bank, site)  # now, so that every visit starts at once
    if language not in cover.languages:
        typer.echo(f"language '{language}' is not in the questionnaire", err=True)
        raise typer.Exit(2)
    if not is_loopback(host):
        typer.echo(f"serving on {host}: anyone who can reach it can use the kiosk (no "
                   "authentication): put it behind a proxy that decides who may", err=True)
    args = ["--data-dir", str(paths.data_dir(data_dir).resolve()), "--language", language]
    for option, path in (("--bank", bank), ("--site", site)):
        if path is not None:
            args += [option, str(path.resolve())]
    display = DisplayFile(paths.data_dir(data_dir))
    server = KioskServer(args, host, port, title=cover.title[language],
                         font_size=lambda: page_font_size(display.read()))
    server.serve()


def _result_store(directory: Path) -> ResultStore:
    from kiosk.storage import ResultStore

    return ResultStore(directory)


def _checked(bank: Path | None, site: Path | None) -> tuple[Lazy[Assessment], Cover]:
    """The assessment, and what the first screen shows of it. Files checked by an earlier
    start are loaded once that screen is up; others are checked now, and every problem in
    them stops the start."""
    from kiosk.startup import Cover, Lazy, checked_cover, remember_checked
    from kiosk.ui.strings import STAFF_STRINGS_FILE, STRINGS_FILE
    from kiosk.words import WORDS_FILE

    files = [bank or paths.default_bank(), site or paths.default_site(), STRINGS_FILE,
             STAFF_STRINGS_FILE, WORDS_FILE]
    cover = checked_cover(files)
    if cover is not None:

        def load() -> Assessment:
            from kiosk.visit import load_assessment

            return load_assessment(bank, site)

        return Lazy(load), cover
    loaded = _load(bank, site)
    _data_call(lambda: _check_screens(bank or paths.default_bank(), loaded.bank.languages))
    cover = Cover.of(loaded.bank)
    remember_checked(files, cover)
    return Lazy.of(loaded), cover


def _problem(path: Path | None, error: BaseException) -> Problem:
    from kiosk.datafile import Problem

    return Problem(path or paths.default_bank(), 1, f"cannot be loaded: {error}")


def _staff_access(directory: Path) -> StaffAccess | None:
    """The staff files, or None (and a line in the log) when the folder cannot hold them:
    the kiosk then shows staff the folder's problem on its out-of-service screen."""
    from kiosk.staff import StaffAccess
    from kiosk.storage import StorageError

    try:
        return StaffAccess(directory)
    except StorageError as exc:
        logging.getLogger(__name__).error("no staff access: %s", exc)
        return None


def _log_to(path: Path) -> None:
    """Staff read what goes wrong in ``kiosk.log`` (the screen belongs to the visitor). No time
    stamps: next to a visit's outcome they would tell when that person was here. A folder
    that cannot hold the log is reported by the store, on the screen."""
    try:
        handler: logging.Handler = logging.FileHandler(path)
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(handlers=[handler], level=logging.INFO)


class _Runnable(Protocol):
    return_code: int | None

    def run(self) -> object: ...


def run_until_quit(
    make_app: Callable[[], _Runnable],
    clock: Callable[[], float] = time.monotonic,
    settle: float = 30.0,
    final: tuple[int, ...] = (),
) -> int:
    """Run a fresh app after each crash, so a public kiosk is never left at a shell prompt.
    An exit with status 0 or one of ``final`` is meant, not a crash.

    An app that crashes within ``settle`` seconds of its start twice in a row is broken, not
    unlucky: stop then, with its exit code, rather than loop.
    """
    quick_crashes = 0
    while True:
        started = clock()
        app = make_app()
        app.run()
        if not app.return_code or app.return_code in final:
            return app.return_code or 0
        quick_crashes = quick_crashes + 1 if clock() - started < settle else 0
        logging.getLogger(__name__).warning("the kiosk restarts after an error")
        if quick_crashes >= 2:
            return app.return_code


@app.command()
def validate(
    files: Annotated[list[Path], typer.Argument(help="Questionnaire or site files (YAML).")],
) -> None:
    """Check questionnaire and site files; print file:line for each problem."""
    _each_file(files, lambda path: f"ok, {_summary(path)}")


def _each_file(files: list[Path], work: Callable[[Path], str]) -> None:
    """``work`` on every file, saying what it did; then every problem found, and exit 1."""
    from kiosk.datafile import DataFileError

    problems: list[Problem] = []
    for path in files:
        try:
            typer.echo(f"{path}: {work(path)}")
        except DataFileError as exc:
            problems += exc.problems
    if problems:
        _fail(problems)


def _summary(path: Path) -> str:
    from kiosk.bank.model import Bank
    from kiosk.datafile import load_model, read_yaml
    from kiosk.site import Site

    data, _ = read_yaml(path)
    # A site has a name and offers; a questionnaire has a version (and much more).
    if isinstance(data, dict) and "version" not in data and ({"name", "offers"} & set(data)):
        site = load_model(path, Site)
        samples = sum(o.example for o in site.offers)
        count = f"{len(site.offers)} offer{'s' if len(site.offers) != 1 else ''}"
        return f"site '{site.id}': {count} ({samples} marked as examples)"
    bank = load_model(path, Bank)
    _check_screens(path, bank.languages)
    kinds = {"can_do": 0, "knowledge": 0, "observed": 0}
    for item in bank.items:
        kinds[item.kind] += 1
    return (
        f"questionnaire '{bank.id}' {bank.version}: {len(bank.domains)} domains, "
        f"{len(bank.items)} items ({kinds['can_do']} can-do, {kinds['knowledge']} knowledge, "
        f"{kinds['observed']} observed tasks), "
        f"{len(bank.context)} context questions, {len(bank.routing)} routing rules, "
        f"languages {', '.join(bank.languages)}"
    )


# -- Site files and the open data networks publish --------------------------------------------

site_app = typer.Typer(
    no_args_is_help=True,
    help="Site files: import the open data networks publish, export the offers, upgrade.",
)
app.add_typer(site_app, name="site")

FormatOption = Annotated[
    str,
    typer.Option("--format", help="lmn (Lieux de médiation numérique) or data-inclusion."),
]


@site_app.command("import")
def site_import(
    file: Annotated[Path, typer.Argument(help="CSV or JSON file of the standard.")],
    out: Annotated[Path, typer.Option("--out", help="The site file to write (never overwritten).")],
    data_format: FormatOption = "lmn",
    region: Annotated[
        str, typer.Option("--region", help="Where the places are: FR, CH-GE, ... (holidays, "
                          "postcodes and phones follow its country).")
    ] = "FR",
    commune: Annotated[
        list[str] | None, typer.Option("--commune", help="Keep places in this commune (repeat).")
    ] = None,
    postcode: Annotated[
        list[str] | None,
        typer.Option("--postcode", help="Keep places with this postcode (repeat)."),
    ] = None,
    site_id: Annotated[str | None, typer.Option("--site-id", help="Id of the new site.")] = None,
    name: Annotated[str | None, typer.Option("--name", help="Name of the new site.")] = None,
    structures: Annotated[
        Path | None,
        typer.Option("--structures", help="data-inclusion: the structures file, for the "
                     "address and hours a service leaves out."),
    ] = None,
) -> None:
    """Turn a network's published places into a site file; report what could not be used."""
    from kiosk.datafile import DataFileError
    from kiosk.opendata.lmn import Filter, Target, slug
    from kiosk.opendata.profiles import profile_for
    from kiosk.opendata.sitefile import site_text, write_new
    from kiosk.public_holidays import Region

    try:
        where = Region.parse(region)
        profile = profile_for(where.country)
    except ValueError as exc:
        typer.echo(f"--region: {exc}", err=True)
        raise typer.Exit(2) from exc
    target = Target(profile, where=Filter(tuple(commune or ()), tuple(postcode or ())))
    try:
        imported = _import_file(data_format, file, target, structures)
    except DataFileError as exc:
        _fail(exc.problems)
    for problem in imported.problems:
        typer.echo(str(problem), err=True)
    count = len(imported.offers)
    summary = (f"{count} offer{'s' if count != 1 else ''} from {file}, "
               f"{len(imported.problems)} problems "
               f"reported, {imported.filtered_out} rows outside the communes and postcodes kept")
    if not imported.offers:
        typer.echo(f"nothing to write: {summary}", err=True)
        raise typer.Exit(1)
    ident = site_id or slug(out.stem)
    content = site_text(ident, name or ident, list(target.languages), where.code,
                        imported.offers, file.name)
    try:
        write_new(out, content)
    except FileExistsError:
        typer.echo(f"{out}: already exists; a site file is never overwritten: choose another "
                   "--out", err=True)
        raise typer.Exit(1) from None
    except OSError as exc:
        _cannot_write(out, exc)
    typer.echo(f"{out}: {summary}")


def _import_file(
    data_format: str, file: Path, target: Target, structures: Path | None
) -> Imported:
    from kiosk.opendata import datainclusion, lmn
    from kiosk.opendata.tables import read_rows

    rows = read_rows(file)
    if data_format == "lmn":
        return lmn.import_rows(rows, file, target)
    if data_format == "data-inclusion":
        extra = read_rows(structures) if structures else []
        return datainclusion.import_rows(rows, file, target, extra)
    typer.echo(f"--format: unknown '{data_format}': use lmn or data-inclusion", err=True)
    raise typer.Exit(2)


@site_app.command("export")
def site_export(
    site_file: Annotated[Path, typer.Argument(help="The site file (YAML).")],
    out: Annotated[Path, typer.Option("--out", help="CSV or JSON file to write.")],
    data_format: FormatOption = "lmn",
) -> None:
    """Write the site's offers in the national standard (the Swiss profile for a Swiss region)."""
    import csv
    import json

    from kiosk.datafile import DataFileError, load_model, read_yaml
    from kiosk.opendata.lmn import FIELDS, export_rows
    from kiosk.opendata.profiles import profile_for
    from kiosk.site import Site

    if data_format != "lmn":
        typer.echo(f"--format: only lmn can be exported, not '{data_format}'", err=True)
        raise typer.Exit(2)
    try:
        site = load_model(site_file, Site)
        _, lines = read_yaml(site_file)
    except DataFileError as exc:
        _fail(exc.problems)
    profile = profile_for(site.where.country if site.where else "FR")
    rows, problems = export_rows(site, profile, lines, site_file)
    for problem in problems:
        typer.echo(str(problem), err=True)
    try:
        if out.suffix.lower() == ".json":
            out.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n",
                           encoding="utf-8")
        else:
            with out.open("w", encoding="utf-8", newline="") as handle:
                writer = csv.DictWriter(handle, fieldnames=FIELDS)
                writer.writeheader()
                writer.writerows(rows)
    except OSError as exc:
        _cannot_write(out, exc)
    typer.echo(f"{out}: {len(rows)} places in the {profile.country} profile of the standard, "
               f"{len(problems)} offers left out")


@site_app.command("upgrade")
def site_upgrade(
    files: Annotated[list[Path], typer.Argument(help="Site files of the first format.")],
    closed_on_public_holidays: Annotated[
        bool, typer.Option("--closed-on-public-holidays", help="Add 'PH off' to every hours.")
    ] = False,
) -> None:
    """Rewrite structured hours as OpenStreetMap hours and one-line addresses as fields."""
    from kiosk.site_upgrade import upgrade

    _each_file(files, lambda path: f"{upgrade(path, closed_on_public_holidays)} values rewritten")


# -- Staff: PINs and the audit log -------------------------------------------------------------

pin_app = typer.Typer(no_args_is_help=True, help="Staff PINs (mediator, coordinator).")
app.add_typer(pin_app, name="pin")
audit_app = typer.Typer(no_args_is_help=True, help="The staff audit log.")
app.add_typer(audit_app, name="audit")


@pin_app.command("set")
def pin_set(
    role: Annotated[str, typer.Argument(help="mediator or coordinator")],
    data_dir: DataDirOption = None,
) -> None:
    """Set a role's PIN: typed twice at the terminal, or one line on standard input when it is
    not a terminal. Stored only as a slow salted hash; it also lifts a lockout."""
    from kiosk.domain import ROLES
    from kiosk.staff import PinError

    if role not in ROLES:
        typer.echo(f"unknown role '{role}': use one of {', '.join(ROLES)}", err=True)
        raise typer.Exit(2)
    pin = _read_pin()
    staff = _staff(data_dir)
    try:
        _storage_call(lambda: staff.pins.set(role, pin))  # type: ignore[arg-type]
    except PinError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    _storage_call(staff.lockout.succeeded)
    _storage_call(lambda: staff.audit.add("pin_set", role))  # type: ignore[arg-type]
    typer.echo(f"the {role} PIN is set (kept as a slow salted hash in {staff.pins.file.path})")


def _read_pin() -> str:
    import getpass

    if not sys.stdin.isatty():
        return sys.stdin.readline().strip()
    first = getpass.getpass("New PIN (6 to 12 digits): ")
    if getpass.getpass("The same PIN again: ") != first:
        typer.echo("the two PINs differ: nothing was changed", err=True)
        raise typer.Exit(1)
    return first


@pin_app.command("status")
def pin_status(data_dir: DataDirOption = None) -> None:
    """Which roles have a PIN, and whether wrong PINs have locked the prompt."""
    staff = _staff(data_dir)
    roles = _storage_call(staff.pins.roles)
    state = _storage_call(staff.lockout.state)
    typer.echo(f"PIN set for: {', '.join(roles) or 'no role (the staff screens cannot open)'}")
    typer.echo(f"wrong PINs in a row: {state.failures}"
               + (f"; the prompt is locked for {state.wait:.0f} s more" if state.wait else ""))


@audit_app.command("verify")
def audit_verify(data_dir: DataDirOption = None) -> None:
    """Check the staff audit log's chain of hashes; exit 1 at the first entry that was edited,
    removed or inserted."""
    staff = _staff(data_dir)
    check = _storage_call(staff.audit.verify)
    if not check.ok:
        typer.echo(f"{staff.audit.path}:{check.first_bad}: entry {check.first_bad}: "
                   f"{check.problem} (the {check.entries} entries before it hold)", err=True)
        raise typer.Exit(1)
    typer.echo(f"{staff.audit.path}: {check.entries} entries, every one chained to the one "
               f"before; last hash {check.last_hash}")


def _staff(data_dir: Path | None) -> StaffAccess:
    from kiosk.staff import StaffAccess
    from kiosk.storage.disk import private_umask

    private_umask()
    return _storage_call(lambda: StaffAccess(paths.data_dir(data_dir)))


# -- Storage tools ----------------------------------------------------------------------------


@app.command("demo-data")
def demo_data(
    count: Annotated[int, typer.Option("--count", min=1, help="How many results to add.")],
    data_dir: DataDirOption = None,
    bank: BankOption = None,
    site: SiteOption = None,
    seed: Annotated[
        int | None,
        typer.Option("--seed", help="Same seed, same results (default: a new random draw "
                     "each time, so every run adds COUNT new results)."),
    ] = None,
    engine_visits: Annotated[
        int, typer.Option("--engine-visits", min=1, help="Visitors simulated in full.")
    ] = 1000,
) -> None:
    """Add COUNT synthetic results, flagged synthetic (statistics leave them out unless asked).

    Simulated visitors answer the real engine's questions from the bank's item model. The
    engine takes about 15 ms a visitor, so only the first --engine-visits are simulated in
    full; the rest resample those results with new random ids and weeks.
    """
    from itertools import islice

    from kiosk.demo_data import synthetic_records

    assessment = _load(bank, site)
    store = _open_store(data_dir, writes=True)
    started = time.perf_counter()
    records = synthetic_records(assessment, count, seed=seed, engine_visits=engine_visits)
    added = 0
    while batch := list(islice(records, 5000)):  # one lock and one fsync per batch
        added += _storage_call(lambda b=batch: store.save_many(b))
    typer.echo(f"added {added} synthetic results to {store.path} in "
               f"{time.perf_counter() - started:.1f} s "
               f"({min(count, engine_visits)} simulated through the engine)")


@app.command()
def purge(
    retention_months: Annotated[
        int, typer.Option("--retention-months", min=1, help="Keep this many months.")
    ] = 24,
    data_dir: DataDirOption = None,
) -> None:
    """Delete results of weeks older than the retention period; say how many and which weeks."""
    store = _open_store(data_dir, writes=True)
    report = _storage_call(lambda: store.purge(retention_months))
    weeks = ", ".join(f"{w} ({n})" for w, n in report.deleted_by_week.items())
    typer.echo(f"deleted {report.deleted} results of weeks ending before {report.cutoff}"
               + (f": {weeks}" if weeks else ""))
    typer.echo(f"deleted {report.sheets_deleted} answer sheets of quarters ending before then; "
               f"{report.asides_changed} copies of damaged files cleared of old results")


# -- Coordinators: statistics, exports, report -------------------------------------------------

SinceOption = Annotated[
    str | None, typer.Option("--since", help="First period: 2026-W09, 2026-03, 2026-Q1, 2026 or "
                             "a day (2026-03-15).")
]
UntilOption = Annotated[str | None, typer.Option("--until", help="Last period, the same way.")]
SitesOption = Annotated[
    list[str] | None, typer.Option("--site", help="Only this site (repeat for several).")
]
SyntheticOption = Annotated[
    bool, typer.Option("--include-synthetic", help="Count synthetic visits too (demo data).")
]
MinCountOption = Annotated[
    int, typer.Option("--min-count", help="Hide counts under this many people (never below 5).")
]


@app.command()
def stats(
    by: Annotated[
        list[str] | None,
        typer.Option("--by", help="Count by week, month, quarter, year, site, pathway, level, "
                     "need, reason, age_band, language, mode, completion or duration; one or "
                     "two (repeat, or 'site,pathway'). None: every dimension alone."),
    ] = None,
    since: SinceOption = None,
    until: UntilOption = None,
    site: SitesOption = None,
    output_format: Annotated[
        str, typer.Option("--format", help="table, csv or json (La Coop's /api/v1 shape).")
    ] = "table",
    min_count: MinCountOption = 10,
    include_synthetic: SyntheticOption = False,
    language: LanguageOption = "fr",
    bank: BankOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Counts and shares of the stored visits, with every cell that could single someone out
    hidden (fewer than --min-count people, or one that would let a hidden count be worked
    out)."""
    import json

    from kiosk.stats import StatsError, publish, read_facts, summary
    from kiosk.stats.formats import as_api, as_csv, as_text
    from kiosk.stats.labels import Labels

    if output_format not in ("table", "csv", "json"):
        _usage(f"--format: unknown '{output_format}': use table, csv or json")
    dimensions = [d.strip() for item in by or [] for d in item.split(",") if d.strip()]
    selection = _selection(since, until, site, include_synthetic)
    labels = Labels(language, _load(bank, None).bank)
    store = _open_store(data_dir)
    facts = _storage_call(lambda: read_facts(store, selection))
    try:
        tables = (publish(facts, dimensions, min_count) if dimensions
                  else summary(facts, min_count))
    except (StatsError, ValueError) as exc:
        _usage(str(exc))
    if output_format == "json":
        typer.echo(json.dumps(as_api(tables, labels, _stats_meta(facts, min_count)),
                              ensure_ascii=False, indent=1))
    else:
        typer.echo((as_csv if output_format == "csv" else as_text)(tables, labels), nl=False)


@app.command()
def report(
    out: Annotated[Path, typer.Option("--out", help="The HTML file to write (never "
                                      "overwritten).")],
    since: SinceOption = None,
    until: UntilOption = None,
    site: SitesOption = None,
    min_count: MinCountOption = 10,
    include_synthetic: SyntheticOption = False,
    language: Annotated[str, typer.Option("--language", help="fr or en.")] = "fr",
    bank: BankOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """One self-contained HTML page (opens with no network): headline figures, pathways over
    time, levels by domain, access needs and reasons by site, with the same cells hidden as in
    kiosk stats; charts with their tables."""
    from kiosk.stats import read_facts
    from kiosk.stats.labels import Labels
    from kiosk.stats.report import write_report
    from kiosk.stats.tables import check_k

    if out.exists():
        _usage(f"{out} already exists; a report never overwrites: choose another --out")
    if not out.parent.is_dir():
        _usage(f"{out.parent} is not a folder: create it, or choose another --out")
    if language not in ("fr", "en"):
        _usage(f"--language: use fr or en, not '{language}'")
    try:
        check_k(min_count)
    except ValueError as exc:
        _usage(str(exc))
    selection = _selection(since, until, site, include_synthetic)
    labels = Labels(language, _load(bank, None).bank)
    store = _open_store(data_dir)
    facts = _storage_call(lambda: read_facts(store, selection))
    write_report(facts, labels, out, min_count)
    typer.echo(f"{out}: {facts.visits} visits, counts under {min_count} hidden")


@app.command("export")
def export_command(
    out: Annotated[Path, typer.Option("--out", help="The file to write (never overwritten).")],
    output_format: Annotated[
        str | None, typer.Option("--format", help="csv, jsonl or xlsx (default: from --out).")
    ] = None,
    answers: Annotated[
        Path | None,
        typer.Option("--answers", help="Also write the answer sheets (for calibration) to this "
                     "file, apart: nothing links a sheet to a record."),
    ] = None,
    since: SinceOption = None,
    until: UntilOption = None,
    site: SitesOption = None,
    min_count: Annotated[
        int, typer.Option("--min-count", help="k: every combination of site, period, mode and "
                          "pathway is shared by this many records or more (never below 5).")
    ] = 10,
    delimiter: Annotated[
        str, typer.Option("--delimiter", help="CSV column separator: ',' (pandas, DuckDB, "
                          "LibreOffice) or ';' (Excel in a French locale).")
    ] = ",",
    include_synthetic: SyntheticOption = False,
    data_dir: DataDirOption = None,
) -> None:
    """Write the anonymised visit records: only stored fields, k-anonymous, in random order,
    with a description (FILE.meta.json, or a workbook's first sheet) and a checksum."""
    from kiosk.exports.export import (
        ExportError,
        Request,
        check_target,
        export_records,
        export_sheets,
        file_format_of,
    )

    if delimiter not in (",", ";"):
        _usage(f"--delimiter: use ',' or ';', not '{delimiter}'")
    selection = _selection(since, until, site, include_synthetic)
    try:
        targets = [(out, export_records)] + ([(answers, export_sheets)] if answers else [])
        requests = [(Request(file_format_of(path, output_format), path, selection, min_count,
                             delimiter), run) for path, run in targets]
        for request, _ in requests:
            check_target(request.out)
    except ExportError as exc:
        _usage(str(exc))
    store = _open_store(data_dir)
    for request, run in requests:
        try:
            metadata = _storage_call(lambda r=request, f=run: f(store, r))  # type: ignore[misc]
        except (ExportError, OSError) as exc:
            typer.echo(f"{request.out}: {exc}", err=True)
            raise typer.Exit(1) from exc
        typer.echo(_export_summary(request.out, metadata))
        # Whoever can run the command can read the data folder: no role, but a trace all the same.
        _audit_export(store.data_dir, metadata)


@app.command("merge")
def merge_command(
    files: Annotated[list[Path], typer.Argument(help="Exports (CSV or JSON lines) with their "
                                                "descriptions beside them.")],
    out: Annotated[Path, typer.Option("--out", help="The file to write (never overwritten).")],
    output_format: Annotated[
        str | None, typer.Option("--format", help="csv, jsonl or xlsx (default: from --out).")
    ] = None,
    min_count: Annotated[
        int, typer.Option("--min-count", help="k, again over the merged records (never below "
                          "5).")
    ] = 10,
    delimiter: Annotated[
        str, typer.Option("--delimiter", help="CSV column separator: ',' or ';'.")
    ] = ",",
) -> None:
    """Merge exports of several kiosks or sites: each record once (by its id), k-anonymous
    again; files of another kind, questionnaire or a newer schema are refused."""
    from kiosk.exports.export import ExportError, Request, file_format_of
    from kiosk.exports.merge import merge

    if delimiter not in (",", ";"):
        _usage(f"--delimiter: use ',' or ';', not '{delimiter}'")
    try:
        request = Request(file_format_of(out, output_format), out, k=min_count,
                          delimiter=delimiter)
        merged = merge(files, request)
    except (ExportError, OSError) as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"{_export_summary(out, merged.metadata)}; {len(files)} files, "
               f"{merged.duplicates} records found twice kept once")


def _audit_export(data_dir: Path, metadata: ExportMetadata) -> None:
    """Whoever can run the command can read the data folder: no role, but a trace all the
    same (the log alone: a PIN check is not needed here, and its hashing costs 64 MB)."""
    from kiosk.staff.audit import AuditLog
    from kiosk.staff.files import staff_dir

    _storage_call(lambda: AuditLog(staff_dir(data_dir)).add(
        "export_made", None, kind=metadata.kind, rows=metadata.records,
        format=metadata.file_format, via="command"))


def _export_summary(out: Path, metadata: ExportMetadata) -> str:
    what = "visit records" if metadata.kind == "visit_records" else "answer sheets"
    steps = ", ".join(f"{n} by {step}" for step, n in metadata.anonymity.periods.items())
    described = ("described in its first sheet" if metadata.file_format == "xlsx"
                 else f"described in {out.name}.meta.json")
    return (f"{out}: {metadata.records} {what} (k = {metadata.anonymity.k} over "
            f"{', '.join(metadata.anonymity.quasi_identifiers)}: {steps or 'none'}; "
            f"{metadata.anonymity.left_out} left out); {described}")


def _selection(since: str | None, until: str | None, sites: list[str] | None,
               include_synthetic: bool) -> Selection:
    from kiosk.stats import Selection
    from kiosk.stats.periods import bound

    try:
        first = bound(since, end=False) if since else None
        last = bound(until, end=True) if until else None
    except ValueError as exc:
        _usage(f"--since/--until: {exc}")
    if first and last and first > last:
        _usage(f"--since {since} comes after --until {until}")
    return Selection(first, last, frozenset(sites or ()), include_synthetic)


def _stats_meta(facts: Facts, k: int) -> dict[str, object]:
    weeks = facts.weeks
    return {
        "source": "kiosk", "sites": facts.sites,
        "period": {"from": weeks[0], "to": weeks[-1]} if weeks else None,
        "questionnaires": [{"id": q, "version": v} for q, v in sorted(facts.questionnaires)],
        "synthetic_included": facts.selection.include_synthetic,
        "suppression": {"min_count": k, "rule": "counts under min_count hidden, and every count "
                        "that would let a hidden one be worked out (secondary suppression)"},
    }


def _usage(message: str) -> NoReturn:
    typer.echo(message, err=True)
    raise typer.Exit(2)


def _open_store(data_dir: Path | None, writes: bool = False) -> ResultStore:
    from kiosk.storage import ResultStore
    from kiosk.storage.disk import private_umask

    private_umask()
    store = _storage_call(lambda: ResultStore(paths.data_dir(data_dir)))
    if writes:  # before any work: a command that cannot finish should not start
        _storage_call(store.check_writable)
    for incident in store.incidents:
        typer.echo(incident.message(), err=True)
    return store


def _storage_call(call: Callable[[], T]) -> T:
    from kiosk.storage import StorageError

    try:
        return call()
    except StorageError as exc:
        typer.echo(f"cannot use the results folder: {exc}", err=True)
        raise typer.Exit(1) from exc


def _load(bank: Path | None, site: Path | None) -> Assessment:
    """The assessment from these files (the bundled ones by default), or every problem in them
    and exit 1."""
    from kiosk.visit import load_assessment

    return _data_call(lambda: load_assessment(bank, site))


def _data_call(call: Callable[[], T]) -> T:
    """``call``'s result, or the problems of the data files it read and exit 1."""
    from kiosk.datafile import DataFileError

    try:
        return call()
    except DataFileError as exc:
        _fail(exc.problems)


def _check_screens(bank: Path, languages: list[str]) -> None:
    """A ``DataFileError`` at the questionnaire's 'languages' if the screens cannot speak one
    of them."""
    from kiosk.datafile import DataFileError, problem_at

    untranslated = _untranslated_screens(languages)
    if untranslated:
        raise DataFileError([problem_at(bank, ("languages",), untranslated)])


def _untranslated_screens(languages: list[str]) -> str:
    """What the kiosk's own screens and words cannot say in the questionnaire's languages, or ''."""
    from kiosk.ui.strings import string_files
    from kiosk.words import WORDS_FILE, words

    for path, texts in (*string_files(), (WORDS_FILE, words())):
        missing = texts.missing(languages)
        if missing:
            return (
                f"the screens have no text for {', '.join(missing[:5])}"
                f"{' ...' if len(missing) > 5 else ''}: add them to {path} "
                "or remove the language from 'languages'"
            )
    return ""


def _cannot_write(out: Path, exc: OSError) -> NoReturn:
    typer.echo(f"{out}: cannot be written ({exc.strerror}): choose another --out", err=True)
    raise typer.Exit(1) from exc


def _fail(problems: list[Problem]) -> NoReturn:
    """Print the problems, file by file, and exit 1. A wrong file can have thousands: the
    first ones of each file say what is wrong."""
    by_file: dict[Path, list[Problem]] = {}
    for problem in problems:
        by_file.setdefault(problem.path, []).append(problem)
    for path, found in by_file.items():
        for problem in found[:MAX_PROBLEMS_SHOWN]:
            typer.echo(str(problem), err=True)
        if len(found) > MAX_PROBLEMS_SHOWN:
            rest = found[MAX_PROBLEMS_SHOWN:]
            typer.echo(f"{path}:{rest[0].line}: {len(rest)} more problems from here on, not "
                       "shown (fix the ones above first)", err=True)
    raise typer.Exit(1)


# -- kiosk calibrate (adaptive engine) ------------------------------------------------------------


@app.command()
def calibrate(
    data_dir: DataDirOption = None,
    bank: BankOption = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="New questionnaire file (default: <bank>-<new version>.yaml)."),
    ] = None,
    include_synthetic: Annotated[
        bool,
        typer.Option(
            "--include-synthetic",
            help="Also use synthetic results (drawn from the bank itself: for trying it out only).",
        ),
    ] = False,
) -> None:
    """Re-estimate item parameters from stored answers; write a new questionnaire version."""
    import yaml

    from kiosk.bank.model import Bank
    from kiosk.engine.calibration import (
        calibrate as estimate,
    )
    from kiosk.engine.calibration import (
        calibrated_bank,
        next_version,
        responses_by_item,
    )

    source = bank or paths.default_bank()
    loaded = _load(source, None).bank
    store = _open_store(data_dir)
    stored = _storage_call(lambda: list(store.sheets(include_synthetic=include_synthetic)))
    sheets = [s for s in stored if s.questionnaire_id == loaded.id]
    if not sheets:
        typer.echo(f"no stored answers for questionnaire '{loaded.id}': nothing to calibrate",
                   err=True)
        raise typer.Exit(1)
    version = next_version(loaded.version)
    target = out or source.with_name(f"{source.stem}-{version}.yaml")
    if target.exists():
        typer.echo(f"{target}: already exists; it is never overwritten: choose another --out",
                   err=True)
        raise typer.Exit(1)
    estimates = estimate(loaded, responses_by_item(loaded, [s.answers for s in sheets]))
    new_bank = calibrated_bank(loaded, estimates, version)
    data = new_bank.model_dump(mode="json", exclude_defaults=True, by_alias=True)
    try:  # check the new parameters before anything is written
        Bank.model_validate(data)
    except ValueError as exc:
        typer.echo(f"the re-estimated bank is not valid, nothing written: {exc}", err=True)
        raise typer.Exit(1) from exc
    try:
        with target.open("x", encoding="utf-8") as handle:
            yaml.safe_dump(data, handle, allow_unicode=True, sort_keys=False, width=100)
    except OSError as exc:
        _cannot_write(target, exc)
    changed = sum(e.changed for e in estimates)
    typer.echo(f"{target}: questionnaire '{loaded.id}' {loaded.version} -> {version}, "
               f"{len(sheets)} stored answer sheets, {changed} of {len(estimates)} items "
               f"re-estimated (the others had fewer answers than needed and kept theirs)")


def main() -> None:
    app()


if __name__ == "__main__":
    sys.exit(main())
