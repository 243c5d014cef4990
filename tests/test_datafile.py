"""Every data file is read with limits: hostile YAML, files that are no file, and numbers that
mean nothing are refused from every command with one ``file:line: what (how to fix)``."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import GENEVA_FILE
from datafile_checks import HOSTILE, PROBLEM_LINE, Hostile, special_files
from pydantic import BaseModel
from typer.testing import CliRunner

from kiosk import cli, paths
from kiosk.bank.model import Bank
from kiosk.datafile import DataFileError, Texts, read_yaml
from kiosk.site import Site
from kiosk.staff.files import MAX_STAFF_FILE_BYTES

# Every command that reads a questionnaire or a site file.
COMMANDS = (
    "validate {file}",
    "run --bank {file} --data-dir {dir}",
    "run --site {file} --data-dir {dir}",
    "calibrate --bank {file} --data-dir {dir}",
    "demo-data --count 1 --bank {file} --data-dir {dir}",
    "demo-data --count 1 --site {file} --data-dir {dir}",
    "site upgrade {file}",
    "site export {file} --out {dir}/export.csv",
)


@pytest.fixture
def no_ui(monkeypatch: pytest.MonkeyPatch) -> None:
    """A file that loads would start the kiosk: the test fails instead of waiting on it."""

    def reached(*_: object) -> int:
        raise AssertionError("the file was accepted and the kiosk started")

    monkeypatch.setattr(cli, "run_until_quit", reached)


def invoke(command: str, path: Path, folder: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(cli.app, command.format(file=path, dir=folder).split())
    # A crash is an exception here, never hidden in a message.
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        result.exception
    )
    return result.exit_code, result.output.splitlines()


@pytest.mark.parametrize("hostile", HOSTILE, ids=lambda h: h.name)
def test_hostile_yaml_is_refused_at_its_line_by_every_command(
    tmp_path: Path, hostile: Hostile, no_ui: None
) -> None:
    path = tmp_path / f"{hostile.name}.yaml"
    path.write_bytes(hostile.text)
    expected = f"{path}:{hostile.line}: "
    for command in COMMANDS:
        code, lines = invoke(command, path, tmp_path)
        assert code == 1, (command, lines)
        assert len(lines) == 1 and lines[0].startswith(expected), (command, lines)
        assert hostile.says in lines[0], (command, lines)


def test_what_is_no_regular_file_is_refused_at_once(tmp_path: Path, no_ui: None) -> None:
    for name, path in special_files(tmp_path).items():
        for command in (*COMMANDS, "site import {file} --out {dir}/site.yaml"):
            code, lines = invoke(command, path, tmp_path)
            assert code == 1, (name, command, lines)
            assert len(lines) == 1 and lines[0].startswith(f"{path}:0: "), (name, command, lines)


@pytest.mark.slow
def test_the_real_command_neither_hangs_nor_exhausts_memory(tmp_path: Path) -> None:
    """A pipe that no one writes to, and the 342-byte billion laughs, given to the real
    process under a memory limit: both are refused within seconds."""
    laughs = next(h for h in HOSTILE if h.name == "billion-laughs")
    path = tmp_path / "laughs.yaml"
    path.write_bytes(laughs.text)
    assert len(laughs.text) - len(laughs.text.split(b"\n", 1)[0]) - 1 == 342

    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 31, 1 << 31))

    for target in (path, special_files(tmp_path)["fifo"]):
        done = subprocess.run(
            [sys.executable, "-m", "kiosk", "validate", str(target)], capture_output=True,
            text=True, timeout=60, preexec_fn=limit_memory, check=False,
        )
        assert done.returncode == 1, done.stderr
        assert PROBLEM_LINE.match(done.stderr.strip()), done.stderr


def test_a_file_with_thousands_of_problems_shows_the_first_ones(tmp_path: Path) -> None:
    path = tmp_path / "bank.yaml"
    path.write_text("id: x\nversion: '1.0'\nitems: [" + "1, " * 500 + "1]\n", encoding="utf-8")
    code, lines = invoke("validate {file}", path, tmp_path)
    assert code == 1
    assert len(lines) == cli.MAX_PROBLEMS_SHOWN + 1
    assert all(PROBLEM_LINE.match(line) for line in lines), lines[-1]
    assert "more problems from here on, not shown" in lines[-1]


@pytest.mark.parametrize(
    ("name", "text", "line", "says"),
    [
        ("deep.json", '[\n{"nom": "[[[",\n "x": ' + "[" * 5000 + "]" * 5000 + "}]", 3,
         "nested too deep"),
        ("number.json", '[\n{"nom": "a",\n "x": ' + "9" * 5000 + "}]", 3,
         "a number of more than 40 digits"),
        ("field.csv", "id,nom\n1,a\n2," + "x" * 200_000 + "\n", 3, "field larger than"),
        ("latin1.csv", "id,nom\n1,caf\xe9\n", 2, "not UTF-8"),
    ],
)
def test_a_table_to_import_is_refused_at_its_line(
    tmp_path: Path, name: str, text: str, line: int, says: str
) -> None:
    path = tmp_path / name
    path.write_bytes(text.encode("latin-1" if "latin1" in name else "utf-8"))
    code, lines = invoke("site import {file} --out {dir}/site.yaml", path, tmp_path)
    assert code == 1
    assert len(lines) == 1 and lines[0].startswith(f"{path}:{line}: "), lines
    assert says in lines[0]


def test_a_file_that_cannot_be_written_is_said_so(tmp_path: Path) -> None:
    code, lines = invoke("site export {file} --out {dir}", GENEVA_FILE, tmp_path)
    assert code == 1
    assert lines[-1] == f"{tmp_path}: cannot be written (Is a directory): choose another --out"
    places = tmp_path / "places.csv"
    with_places = GENEVA_FILE.read_text(encoding="utf-8").replace(
        "  - id: permanence-rive-gauche\n",
        "  - id: permanence-rive-gauche\n    company_id: CHE-123.456.789\n",
    )
    site = tmp_path / "site.yaml"
    site.write_text(with_places, encoding="utf-8")
    assert invoke("site export {file} --out {dir}/places.csv", site, tmp_path)[0] == 0
    code, lines = invoke("site import {file} --out {dir}/no/site.yaml --region CH-GE", places,
                         tmp_path)
    assert code == 1
    assert lines[-1] == (f"{tmp_path}/no/site.yaml: cannot be written (No such file or "
                         "directory): choose another --out")
    assert invoke("demo-data --count 2 --bank {file} --data-dir {dir}/data", paths.default_bank(),
                  tmp_path)[0] == 0
    code, lines = invoke("calibrate --bank {file} --data-dir {dir}/data --include-synthetic "
                         "--out {dir}/no/bank.yaml", paths.default_bank(), tmp_path)
    assert code == 1
    assert lines == [f"{tmp_path}/no/bank.yaml: cannot be written (No such file or directory): "
                     "choose another --out"]


@pytest.mark.parametrize("owner", ["strings", "staff strings", "words"])
@pytest.mark.parametrize("hostile", [h for h in HOSTILE if h.name in
                                     ("billion-laughs", "python-object")],
                         ids=lambda h: h.name)
def test_the_screens_words_are_read_within_the_same_limits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_ui: None, owner: str, hostile: Hostile
) -> None:
    """The screens' and the core's own words are data files a site may edit: a hostile one
    stops every command that reads them at its line, like a questionnaire."""
    from kiosk import words
    from kiosk.ui import strings

    module, name = {"strings": (strings, "STRINGS_FILE"),
                    "staff strings": (strings, "STAFF_STRINGS_FILE"),
                    "words": (words, "WORDS_FILE")}[owner]
    path = tmp_path / f"{hostile.name}.yaml"
    path.write_bytes(hostile.text)
    monkeypatch.setattr(module, name, path)
    cached = (strings.string_files, strings.strings, words.words)
    for read in cached:
        read.cache_clear()
    try:
        for command in ("validate {file}", "run --bank {file} --data-dir {dir}"):
            code, lines = invoke(command, paths.default_bank(), tmp_path)
            assert code == 1, (command, lines)
            assert len(lines) == 1 and lines[0].startswith(f"{path}:{hostile.line}: "), lines
            assert hostile.says in lines[0], lines
    finally:
        for read in cached:
            read.cache_clear()


def _deep_json(path: Path) -> None:
    path.write_text("[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")


def _larger_than_allowed(path: Path) -> None:
    path.write_bytes(b" " * (MAX_STAFF_FILE_BYTES + 1))


@pytest.mark.parametrize(
    ("command", "name", "damage", "says"),
    [
        ("pin status", "pins.json", os.mkfifo, "not a file but a folder, a device or a pipe"),
        ("pin status", "pins.json", _larger_than_allowed, "larger than 8 MB"),
        ("pin status", "lockout.json", _deep_json, "damaged (not a JSON object)"),
        ("audit verify", "audit.jsonl", os.mkfifo, "not a file but a folder, a device or a pipe"),
        ("audit verify", "audit.jsonl", _deep_json, ":1: entry 1: the entry is not JSON"),
    ],
)
def test_the_staff_files_are_read_within_the_same_limits(
    tmp_path: Path, command: str, name: str, damage: Callable[[Path], None], says: str
) -> None:
    """The kiosk writes its staff files itself, but one replaced by a pipe, a huge file or JSON
    nested beyond Python's recursion must still give one message, not a hang or a traceback."""
    (tmp_path / "staff").mkdir()
    path = tmp_path / "staff" / name
    damage(path)
    done = subprocess.run(
        [sys.executable, "-m", "kiosk", *command.split(), "--data-dir", str(tmp_path)],
        capture_output=True, text=True, timeout=30, check=False,
    )
    assert done.returncode == 1, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and says in lines[0], done.stderr


def test_aliases_repeat_values_and_their_lines(tmp_path: Path) -> None:
    path = tmp_path / "aliases.yaml"
    path.write_text("hours: &h\n  - {from: '9:00', to: 1}\nagain: *h\n", encoding="utf-8")
    data, lines = read_yaml(path)
    assert data["again"] == data["hours"]
    # A problem inside the repeated value is where that value is written.
    assert lines[("again",)] == 3 and lines[("again", 0, "to")] == 2


def test_plain_values_keep_their_yaml_types(tmp_path: Path) -> None:
    path = tmp_path / "plain.yaml"
    path.write_text(
        "a: 1\nb: 1.5\nc: true\nd: null\ne: 2026-12-24\nf: text\ng: '<<'\nh: =\n"
        "i: !!str 12\nj: ! 12\n",
        encoding="utf-8",
    )
    data, _ = read_yaml(path)
    assert data == {"a": 1, "b": 1.5, "c": True, "d": None, "e": data["e"], "f": "text",
                    "g": "<<", "h": "=", "i": "12", "j": 12}
    assert str(data["e"]) == "2026-12-24"


def test_the_site_speaks_every_language_of_the_questionnaire(tmp_path: Path) -> None:
    from kiosk.visit import load_assessment

    site = tmp_path / "site.yaml"
    site.write_text(
        "# A site in French only, for a questionnaire in French and English.\n"
        "id: seulement-fr\nname: {fr: Ici}\nlanguages: [fr]\noffers:\n"
        "  - {id: aide, name: {fr: Aide}, fees: [free], languages: [fr], pathways: [assisted],\n"
        "     address: {street: Rue 1, city: Ici}}\n",
        encoding="utf-8",
    )
    with pytest.raises(DataFileError) as caught:
        load_assessment(site=site)
    assert [str(p) for p in caught.value.problems] == [
        f"{site}:4: no texts in en, which the questionnaire {paths.default_bank()} speaks: "
        "add the language(s) here and to every text"
    ]


def _numbers(schema: Any, config: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Every number in a Pydantic core schema, with the model configuration it is read under."""
    found: list[tuple[dict[str, Any], dict[str, Any]]] = []
    if isinstance(schema, dict):
        config = schema.get("config", config)
        if schema.get("type") in ("int", "float"):
            found.append((schema, config))
        for child in schema.values():
            found += _numbers(child, config)
    elif isinstance(schema, list | tuple):
        for child in schema:
            found += _numbers(child, config)
    return found


@pytest.mark.parametrize("model", [Bank, Site, Texts])
def test_every_number_of_a_data_file_is_strict_and_finite(model: type[BaseModel]) -> None:
    """No ``true`` read as 1, no ``.inf`` or ``.nan``: each number field says it."""
    numbers = _numbers(model.__pydantic_core_schema__, {})
    for schema, config in numbers:
        assert schema.get("strict") is True, schema
        if schema["type"] == "float":
            assert schema.get("allow_inf_nan", config.get("allow_inf_nan")) is False, schema
    assert numbers or model is not Bank
