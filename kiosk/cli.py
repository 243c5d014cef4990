"""The ``kiosk`` command: run the kiosk, and the tools around it."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from kiosk import paths
from kiosk.bank.loader import DataFileError, Problem, load_bank, load_model, read_yaml
from kiosk.site import Site

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
        file_okay=False,
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
    from kiosk.storage import ResultStore
    from kiosk.ui.app import KioskApp
    from kiosk.visit import Assessment

    try:
        loaded_bank = load_bank(bank or paths.default_bank())
        loaded_site = load_model(site or paths.default_site(), Site)
    except DataFileError as exc:
        _fail(exc.problems)
    if language not in loaded_bank.languages:
        typer.echo(f"language '{language}' is not in the questionnaire: use one of "
                   f"{', '.join(loaded_bank.languages)}", err=True)
        raise typer.Exit(2)
    store = ResultStore(paths.data_dir(data_dir))
    assessment = Assessment.from_bank(loaded_bank, loaded_site.id)
    KioskApp(assessment, store, language=language).run()


@app.command()
def validate(
    files: Annotated[list[Path], typer.Argument(help="Questionnaire or site files (YAML).")],
) -> None:
    """Check questionnaire and site files; print file:line for each problem."""
    problems: list[Problem] = []
    for path in files:
        try:
            typer.echo(f"{path}: ok, {_summary(path)}")
        except DataFileError as exc:
            problems += exc.problems
        except Exception as exc:  # a validator must report, never crash
            problems.append(Problem(path, 1, f"cannot be checked: {exc}"))
    if problems:
        _fail(problems)


def _summary(path: Path) -> str:
    data, _ = read_yaml(path)
    if isinstance(data, dict) and "items" not in data and "domains" not in data:
        site = load_model(path, Site)
        samples = sum(o.example for o in site.offers)
        return f"site '{site.id}': {len(site.offers)} offers ({samples} marked as examples)"
    bank = load_bank(path)
    kinds = {"can_do": 0, "knowledge": 0}
    for item in bank.items:
        kinds[item.kind] += 1
    return (
        f"questionnaire '{bank.id}' {bank.version}: {len(bank.domains)} domains, "
        f"{len(bank.items)} items ({kinds['can_do']} can-do, {kinds['knowledge']} knowledge), "
        f"{len(bank.context)} context questions, {len(bank.routing)} routing rules, "
        f"languages {', '.join(bank.languages)}"
    )


def _fail(problems: list[Problem]) -> NoReturn:
    for problem in problems:
        typer.echo(str(problem), err=True)
    raise typer.Exit(1)


def main() -> None:
    app()


if __name__ == "__main__":
    sys.exit(main())
