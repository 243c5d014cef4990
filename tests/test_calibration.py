"""Calibration: parameter recovery on simulated answers, and the `kiosk calibrate` command."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import numpy as np
import pytest
from storage_checks import example_record, example_sheet
from typer.testing import CliRunner

from kiosk import paths
from kiosk.bank.model import OBSERVED_MARKS, Bank, CanDoItem, ObservedItem
from kiosk.cli import app
from kiosk.datafile import load_model
from kiosk.engine import calibration
from kiosk.engine.calibration import MIN_ANSWERS, calibrate, next_version, responses_by_item
from kiosk.engine.irt import Spread, model_of, spread_of
from kiosk.records import StoredVisit
from kiosk.storage import ResultStore


def simulated_answers(bank: Bank, visitors: int, seed: int) -> list[dict[str, str]]:
    """Each visitor answers a random half of the items from the bank's own models (drawn item
    by item for every visitor at once)."""
    rng = np.random.default_rng(seed)
    domains = bank.domain_ids()
    theta = np.sqrt(0.7) * rng.standard_normal((visitors, 1)) + np.sqrt(0.3) * \
        rng.standard_normal((visitors, len(domains)))
    scale = [o.id for o in bank.scale.options]
    out: list[dict[str, str]] = [{} for _ in range(visitors)]
    for item in bank.items:
        asked = rng.random(visitors) >= 0.5
        p = model_of(item).probabilities(theta[:, domains.index(item.domain)])
        cumulative = np.cumsum(p / p.sum(axis=0), axis=0)
        drawn = (rng.random(visitors) > cumulative[:-1]).sum(axis=0)  # inverse of the CDF
        if isinstance(item, CanDoItem):
            labels = scale
        elif isinstance(item, ObservedItem):
            labels = list(OBSERVED_MARKS)
        else:
            wrong = next(o.id for o in item.options if o.id != item.correct)
            labels = [wrong, item.correct]
        for n in np.flatnonzero(asked):
            out[n][item.id] = labels[drawn[n]]
    return out


def neutral(bank: Bank) -> Bank:
    """The same bank with every item reset to a = 1 and central difficulties."""
    items = []
    for item in bank.items:
        b = {"can_do": (-1.0, 0.0, 1.0), "observed": (-0.5, 0.5)}.get(item.kind, 0.0)
        items.append(item.model_copy(
            update={"params": item.params.model_copy(update={"a": 1.0, "b": b})}))
    return bank.model_copy(update={"items": items})


@pytest.mark.slow
def test_parameters_are_recovered_from_simulated_answers(bank: Bank) -> None:
    start = neutral(bank)
    # Eight EM cycles give the figures of twenty to within 0.01 (measured below, 20 in brackets).
    estimates = calibrate(start, responses_by_item(start, simulated_answers(bank, 1000, 3)),
                          iterations=8)
    true_a = np.array([i.params.a for i in bank.items])
    true_b = np.concatenate([np.atleast_1d(i.params.b) for i in bank.items])
    got_a = np.array([e.a for e in estimates])
    got_b = np.concatenate([e.b for e in estimates])
    assert all(e.changed for e in estimates)
    # Measured: r(b) 0.995 (0.995), RMSE(b) 0.089 (0.090); r(a) 0.92 (0.92), RMSE(a) 0.19 (0.19).
    assert np.corrcoef(true_b, got_b)[0, 1] >= 0.97
    assert np.sqrt(np.mean((true_b - got_b) ** 2)) <= 0.25
    assert np.corrcoef(true_a, got_a)[0, 1] >= 0.5
    assert np.sqrt(np.mean((true_a - got_a) ** 2)) <= 0.4
    # The standard errors say how far off the estimates are: errors in units of their own
    # standard error have a spread near one (measured: b 1.13, a 1.00).
    se_b = np.concatenate([e.se_b for e in estimates])
    se_a = np.array([e.se_a for e in estimates])
    assert 0.6 <= np.sqrt(np.mean(((got_b - true_b) / se_b) ** 2)) <= 1.6
    assert 0.6 <= np.sqrt(np.mean(((got_a - true_a) / se_a) ** 2)) <= 2.0


@pytest.mark.slow
def test_standard_errors_shrink_with_more_answers(bank: Bank) -> None:
    # Started from the parameters the answers were drawn from, two EM cycles give the ratio of
    # eight (0.482 and 0.478).
    few, many = (
        calibrate(bank, responses_by_item(bank, simulated_answers(bank, n, 4)), iterations=2)
        for n in (250, 1000)
    )
    ratio = np.median([max(m.se_b) / max(f.se_b) for f, m in zip(few, many, strict=True)])
    assert 0.35 <= ratio <= 0.65  # about 1/2 for four times the answers (measured 0.48)


def test_version_bump() -> None:
    assert next_version("1.0.0") == "1.1.0"
    assert next_version("2.3") == "2.4"
    assert next_version("1.9.4") == "1.10.0"


def store_answers(data_dir: Path, bank: Bank, answers: list[dict[str, str]]) -> None:
    version = {"questionnaire_id": bank.id, "questionnaire_version": bank.version}
    ResultStore(data_dir).save_many(
        StoredVisit(example_record(**version, questions_asked=len(given), synthetic=True),
                    example_sheet(**version, answers=given, synthetic=True))
        for given in answers)


@pytest.mark.slow
def test_calibrate_command_writes_a_new_version_and_never_overwrites(
    tmp_path: Path, bank: Bank, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The command's own work is under test here, not the estimation's accuracy (the tests
    # above): two EM cycles instead of its thirty.
    monkeypatch.setattr(calibration, "calibrate", partial(calibration.calibrate, iterations=2))
    source = tmp_path / "bank.yaml"
    source.write_text(paths.default_bank().read_text(encoding="utf-8"), encoding="utf-8")
    store_answers(tmp_path / "data", bank, simulated_answers(bank, 120, 5))
    args = ["calibrate", "--data-dir", str(tmp_path / "data"), "--bank", str(source)]

    # Synthetic results are drawn from the bank itself: never used unless asked for.
    refused = CliRunner().invoke(app, args)
    assert refused.exit_code == 1
    assert "nothing to calibrate" in refused.output

    args.append("--include-synthetic")
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    written = tmp_path / f"bank-{next_version(bank.version)}.yaml"
    new = load_model(written, Bank)
    assert new.version == next_version(bank.version)
    assert [i.id for i in new.items] == [i.id for i in bank.items]
    assert new.items[0].params != bank.items[0].params
    # Each re-estimated item says so, with its standard errors; the engine reads them.
    estimated = [i.params.estimated for i in new.items if i.params.estimated is not None]
    assert estimated and all(e.answers >= MIN_ANSWERS and e.se_b > 0 for e in estimated)
    assert all(i.params.estimated is None for i in bank.items)
    assert Spread(0.0, 0.0) not in {spread_of(i) for i in new.items if i.params.estimated}
    assert source.read_text(encoding="utf-8") == paths.default_bank().read_text(encoding="utf-8")

    before = written.read_bytes()
    again = CliRunner().invoke(app, args)
    assert again.exit_code == 1
    assert "never overwritten" in again.output
    assert written.read_bytes() == before


def test_calibrate_without_answers_says_so(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["calibrate", "--data-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "nothing to calibrate" in result.output
    assert not list(paths.questionnaires_dir().glob("default-*.yaml"))


@pytest.mark.parametrize("visitors", [0])
def test_no_records_give_an_empty_matrix(bank: Bank, visitors: int) -> None:
    assert responses_by_item(bank, []).shape == (visitors, len(bank.items))
