"""The questionnaire loader and ``kiosk validate``: every problem as ``file:line: what and how``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from kiosk import paths
from kiosk.bank.model import Bank
from kiosk.cli import app
from kiosk.datafile import DataFileError, load_model

DEFAULT = paths.default_bank().read_text(encoding="utf-8")
PROBLEM_LINE = re.compile(r"^(?P<file>.+\.yaml):(?P<line>\d+): (?P<message>.+)$")


def validate(*files: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(app, ["validate", *map(str, files)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output.splitlines()


def broken(tmp_path: Path, old: str, new: str, count: int = 1) -> tuple[Path, int]:
    """The default bank with ``old`` replaced, and the line where the change is."""
    assert old in DEFAULT, old
    index = DEFAULT.index(old)
    path = tmp_path / "bank.yaml"
    path.write_text(DEFAULT.replace(old, new, count), encoding="utf-8")
    return path, DEFAULT.count("\n", 0, index) + 1


def test_every_bundled_file_is_valid() -> None:
    files = [paths.default_bank(), *sorted((paths.questionnaires_dir() / "sites").glob("*.yaml"))]
    code, lines = validate(*files)
    assert code == 0, lines
    assert len(lines) == len(files)
    assert "6 domains" in lines[0] and "languages fr, en" in lines[0]


def test_bundled_bank_follows_the_competence_model(bank: Bank) -> None:
    for domain in bank.domain_ids():
        items = [i for i in bank.items if i.domain == domain]
        assert len(items) >= 6, domain
        assert sum(i.kind == "knowledge" for i in items) >= 2, domain
    assert bank.languages[:2] == ["fr", "en"]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            'statement: {fr: "Je sais envoyer un e-mail.", en: "I can send an e-mail."}',
            'statement: {fr: "Je sais envoyer un e-mail."}',
            "missing translation(s): en",
        ),
        ("    domain: safety\n    statement", "    domain: securite\n    statement",
         "cannot be 'securite': use one of 'devices'"),
        ("    id: dev-mouse\n", "    id: dev-unlock\n", "duplicate item id 'dev-unlock'"),
        (
            'skip_if: {context: {question: email, in: ["no"]}}',
            'skip_if: {context: {question: e_mail, in: ["no"]}}',
            "unknown question 'e_mail'",
        ),
        (
            'skip_if: {context: {question: email, in: ["no"]}}',
            'skip_if: {context: {question: email, in: ["nope"]}}',
            "'email' has no answer 'nope'",
        ),
        (
            'skip_if: {context: {question: email, in: ["no"]}}',
            "skip_if: {level: {domain: devices, at_most: 0}}",
            "a skip rule can only look at context answers",
        ),
        ("    statement: {fr: \"Je sais imprimer", "    statment: {fr: \"Je sais imprimer",
         "unknown key 'statment'"),
        ("params: {a: 1.4, b: [-0.8, 0.1, 1.2]}", "params: {a: 1.4, b: [0.8, 0.1, 1.2]}",
         "thresholds b must increase"),
        ("  - id: urgency\n", "  - id: urgency\n    id: again\n", "appears twice"),
        ("    title: {fr: \"Premiers pas\"", "    title: [fr: \"Premiers pas\"",
         "YAML syntax"),
    ],
)
def test_broken_bank_names_file_line_and_fix(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    path, line = broken(tmp_path, old, new)
    code, lines = validate(path)
    assert code == 1
    problems = [PROBLEM_LINE.match(x) for x in lines]
    assert all(problems), lines
    hits = [p for p in problems if p and expected in p["message"]]
    assert hits, lines
    assert hits[0]["file"] == str(path)
    assert abs(int(hits[0]["line"]) - line) <= 1, (hits[0]["line"], line)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("params: {a: 1.7, b: [-1.6, -0.6, 0.7]}", "params: {a: 1.7, b: [-.inf, -0.6, 0.7]}",
         "must be a finite number, not -inf"),
        ("params: {a: 1.7, b: [-1.6, -0.6, 0.7]}", "params: {a: 1.7, b: [-1.6, -0.6, .inf]}",
         "must be a finite number"),
        ("params: {a: 1.7, b: [-1.6, -0.6, 0.7]}", "params: {a: 1.7, b: [-1.6, -0.6, 1.0e+308]}",
         "= 1e+308: input should be less than or equal to 6"),
        ("params: {a: 1.7, b: [-1.6, -0.6, 0.7]}", "params: {a: 1.7, b: [-1.6, -0.6, 1e308]}",
         "must be a number (1.0e+5, not 1e5), not '1e308'"),
        ("params: {a: 1.7, b: [-1.6, -0.6, 0.7]}", "params: {a: .nan, b: [-1.6, -0.6, 0.7]}",
         "finite number"),
        ("params: {a: 1.7, b: [-1.6, -0.6, 0.7]}", "params: {a: true, b: [-1.6, -0.6, 0.7]}",
         "'items.1.params.a' must be a number (1.0e+5, not 1e5), not True"),
        # An observed task's two thresholds, marked by a mediator, are held to the same.
        ("params: {a: 2.6, b: [-1.4, -0.4]}", "params: {a: 2.6, b: [-1.4, .inf]}",
         "must be a finite number"),
        ("params: {a: 2.6, b: [-1.4, -0.4]}", "params: {a: 2.6, b: [-1.0e+308, -0.4]}",
         "greater than or equal to -6"),
        ("params: {a: 2.6, b: [-1.4, -0.4]}", "params: {a: 2.6, b: [-1.4, false]}",
         "must be a number (1.0e+5, not 1e5), not False"),
        ("  level_cuts: [-1.0, 0.0, 1.0]", "  level_cuts: [-1.0, 0.0, .inf]", "finite number"),
        ("  level_cuts: [-1.0, 0.0, 1.0]", "  level_cuts: [-1.0e+308, 0.0, 1.0]",
         "greater than or equal to -4"),
        ("  level_cuts: [-1.0, 0.0, 1.0]", "  level_cuts: [-1.0, .nan, 1.0]", "finite number"),
        ("  min_questions: 6", "  min_questions: true",
         "'engine.min_questions' must be a whole number, not True"),
        ("  min_questions: 6", "  min_questions: 6.0", "must be a whole number, not 6.0"),
        ("  pathway_certainty: 0.72", "  pathway_certainty: .nan", "finite number"),
        ("  choose_among: 3", "  choose_among: false", "must be a whole number"),
        ("- level: {domain: procedures, at_most: 1}", "- level: {domain: procedures, at_most: on}",
         "must be a whole number, not True"),
    ],
)
def test_numbers_are_finite_in_range_and_never_true_or_false(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    path, line = broken(tmp_path, old, new)
    code, lines = validate(path)
    assert code == 1
    hits = [m for m in map(PROBLEM_LINE.match, lines) if m and expected in m["message"]]
    assert hits, lines
    assert int(hits[0]["line"]) == line, (hits[0]["line"], line)


def test_a_skip_rule_may_only_look_at_an_earlier_question(tmp_path: Path) -> None:
    # 'urgency' is asked second; its skip rule names 'equipment', asked third.
    path, line = broken(
        tmp_path,
        "  - id: urgency\n",
        "  - id: urgency\n    skip_if: {context: {question: equipment, in: [none]}}\n",
    )
    code, lines = validate(path)
    assert code == 1
    assert f"{path}:{line + 1}: 'equipment' is not asked before 'urgency'" in lines[0], lines
    # The same rule on a later question is fine.
    path, _ = broken(
        tmp_path,
        "  - id: email\n",
        "  - id: email\n    skip_if: {context: {question: equipment, in: [none]}}\n",
    )
    assert validate(path)[0] == 0


def test_validate_reports_every_file_and_never_a_traceback(tmp_path: Path) -> None:
    empty = tmp_path / "empty.yaml"
    empty.write_text("", encoding="utf-8")
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    missing = tmp_path / "missing.yaml"
    code, lines = validate(paths.default_bank(), empty, binary, missing)
    assert code == 1
    assert lines[0].startswith(f"{paths.default_bank()}: ok")
    for path in (empty, binary, missing):
        assert any(line.startswith(f"{path}:") for line in lines[1:]), (path, lines)
    assert not any("Traceback" in line for line in lines)


def test_loader_raises_a_typed_error_with_all_problems(tmp_path: Path) -> None:
    path, _ = broken(tmp_path, "    id: dev-wifi\n", "    id: dev-unlock\n")
    path.write_text(
        path.read_text(encoding="utf-8").replace("    domain: safety\n", "    domain: x\n", 1),
        encoding="utf-8",
    )
    with pytest.raises(DataFileError) as caught:
        load_model(path, Bank)
    messages = [p.message for p in caught.value.problems]
    assert any("cannot be 'x'" in m for m in messages), messages


_LINES = DEFAULT.splitlines(keepends=True)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    edits=st.lists(
        st.tuples(
            st.integers(0, len(_LINES) - 1),
            st.sampled_from(["delete", "dedent", "indent", "garble", "duplicate", "truncate"]),
        ),
        min_size=1,
        max_size=3,
    )
)
def test_fuzzed_banks_give_validation_errors_never_tracebacks(
    tmp_path: Path, edits: list[tuple[int, str]]
) -> None:
    lines = list(_LINES)
    for index, kind in edits:
        if not lines:
            break
        index = min(index, len(lines) - 1)
        if kind == "delete":
            del lines[index]
        elif kind == "dedent":
            lines[index] = lines[index][2:]
        elif kind == "indent":
            lines[index] = "  " + lines[index]
        elif kind == "garble":
            lines[index] = lines[index].replace(":", "", 1).replace("[", "{", 1)
        elif kind == "duplicate":
            lines.insert(index, lines[index])
        else:
            lines = lines[:index]
    path = tmp_path / "fuzzed.yaml"
    path.write_text("".join(lines), encoding="utf-8")
    code, output = validate(path)
    assert code in (0, 1)
    if code == 1:
        assert output and all(PROBLEM_LINE.match(line) for line in output), output


def test_screen_texts_exist_in_every_language_a_questionnaire_may_use() -> None:
    from kiosk.cli import _untranslated_screens
    from kiosk.ui.strings import strings

    assert strings().missing(["fr", "en"]) == []
    message = _untranslated_screens(["fr", "en", "de"])
    assert "strings.yaml" in message and "app_title: de" in message


def test_age_bands_must_be_the_stored_ones(tmp_path: Path) -> None:
    path, _ = broken(tmp_path, '      - id: "80+"\n', '      - id: "90+"\n')
    code, lines = validate(path)
    assert code == 1
    assert any("age band(s) 90+ are not stored" in x for x in lines), lines
