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
from kiosk.bank.model import Bank
from kiosk.datafile import DataFileError, Problem, load_model, read_yaml
from kiosk.site import Site

if TYPE_CHECKING:
    from kiosk.opendata.lmn import Imported, Target
    from kiosk.staff import StaffAccess
    from kiosk.storage import ResultStore
    from kiosk.visit import Assessment

T = TypeVar("T")

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
) -> None:
    """Start the kiosk for visitors."""
    from kiosk.storage import ResultStore, StorageError
    from kiosk.storage.disk import private_dir, private_umask
    from kiosk.storage.saver import SaveQueue
    from kiosk.ui.app import KioskApp

    assessment = _load(bank, site)
    languages = assessment.bank.languages
    untranslated = _untranslated_screens(languages)
    if untranslated:
        typer.echo(untranslated, err=True)
        raise typer.Exit(1)
    if language not in languages:
        typer.echo(f"language '{language}' is not in the questionnaire: use one of "
                   f"{', '.join(languages)}", err=True)
        raise typer.Exit(2)
    private_umask()
    directory = paths.data_dir(data_dir)
    with contextlib.suppress(StorageError):  # the store says it again, on the screen
        private_dir(directory)
    _log_to(directory / "kiosk.log")
    # A folder that cannot be used is shown to staff on the kiosk's screen, which goes on
    # trying; quitting then says it here too.
    saver = SaveQueue(lambda: ResultStore(directory))
    saver.start()
    staff = _staff_access(directory)
    code = run_until_quit(lambda: KioskApp(assessment, saver, language=language, staff=staff))
    status = saver.close()
    if status.waiting or not status.ready:
        lost = f"{status.waiting} results could not be saved; " if status.waiting else ""
        typer.echo(f"cannot use the results folder: {lost}{status.problem}", err=True)
        raise typer.Exit(1)
    if code:
        typer.echo(f"the kiosk stopped after repeated errors: see {directory / 'kiosk.log'}",
                   err=True)
        raise typer.Exit(code)


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
) -> int:
    """Run a fresh app after each crash, so a public kiosk is never left at a shell prompt.

    An app that crashes within ``settle`` seconds of its start twice in a row is broken, not
    unlucky: stop then, with its exit code, rather than loop.
    """
    quick_crashes = 0
    while True:
        started = clock()
        app = make_app()
        app.run()
        if not app.return_code:
            return 0
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
    problems: list[Problem] = []
    for path in files:
        try:
            typer.echo(f"{path}: {work(path)}")
        except DataFileError as exc:
            problems += exc.problems
        except Exception as exc:  # a data-file tool must report, never crash
            problems.append(Problem(path, 1, f"cannot be checked: {exc}"))
    if problems:
        _fail(problems)


def _summary(path: Path) -> str:
    data, _ = read_yaml(path)
    # A site has a name and offers; a questionnaire has a version (and much more).
    if isinstance(data, dict) and "version" not in data and ({"name", "offers"} & set(data)):
        site = load_model(path, Site)
        samples = sum(o.example for o in site.offers)
        count = f"{len(site.offers)} offer{'s' if len(site.offers) != 1 else ''}"
        return f"site '{site.id}': {count} ({samples} marked as examples)"
    bank = load_model(path, Bank)
    untranslated = _untranslated_screens(bank.languages)
    if untranslated:
        _, lines = read_yaml(path)
        raise DataFileError([Problem(path, lines.get(("languages",), 1), untranslated)])
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

    from kiosk.opendata.lmn import FIELDS, export_rows
    from kiosk.opendata.profiles import profile_for

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
    if out.suffix.lower() == ".json":
        out.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    else:
        with out.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=FIELDS)
            writer.writeheader()
            writer.writerows(rows)
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
    check = staff.audit.verify()
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

    try:
        return load_assessment(bank, site)
    except DataFileError as exc:
        _fail(exc.problems)


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


def _fail(problems: list[Problem]) -> NoReturn:
    for problem in problems:
        typer.echo(str(problem), err=True)
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
        typer.echo(f"{target}: cannot be written ({exc.strerror}): choose another --out",
                   err=True)
        raise typer.Exit(1) from exc
    changed = sum(e.changed for e in estimates)
    typer.echo(f"{target}: questionnaire '{loaded.id}' {loaded.version} -> {version}, "
               f"{len(sheets)} stored answer sheets, {changed} of {len(estimates)} items "
               f"re-estimated (the others had fewer answers than needed and kept theirs)")


def main() -> None:
    app()


if __name__ == "__main__":
    sys.exit(main())
