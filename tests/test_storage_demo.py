"""``kiosk demo-data`` and ``kiosk purge``, and what the statistics can count from them (the
statistics and exports themselves: ``test_stats``, ``test_exports``)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from storage_checks import example_record
from storage_helpers import alone
from typer.testing import CliRunner

from kiosk import paths
from kiosk.cli import app
from kiosk.records import VisitRecord
from kiosk.storage import ResultStore

runner = CliRunner()


def test_demo_data_adds_synthetic_records_drawn_through_the_engine(tmp_path: Path) -> None:
    result = runner.invoke(app, ["demo-data", "--count", "40", "--engine-visits", "15",
                                 "--data-dir", str(tmp_path), "--seed", "3"])
    assert result.exit_code == 0, result.output
    store = ResultStore(tmp_path)
    records = list(store.records(include_synthetic=True))
    assert len(records) == len({r.result_id for r in records}) == 40
    assert all(r.synthetic for r in records)
    assert list(store.records()) == []  # never mixed with real visitors unless asked
    assert all(r.questions_asked > 0 for r in records if r.completion == "completed")
    assert len({r.pathway for r in records}) > 1  # visitors of different abilities
    sheets = list(store.sheets(include_synthetic=True))
    assert len(sheets) == sum(r.questions_asked > 0 for r in records)
    assert all(s.synthetic for s in sheets) and list(store.sheets()) == []
    # Same seed, same results.
    again = tmp_path / "again"
    runner.invoke(app, ["demo-data", "--count", "40", "--engine-visits", "15",
                        "--data-dir", str(again), "--seed", "3"])
    def by_id(record: VisitRecord) -> str:
        return record.result_id

    assert sorted(ResultStore(again).records(include_synthetic=True), key=by_id) == sorted(
        records, key=by_id)


def test_demo_data_without_a_seed_adds_new_results_every_time(tmp_path: Path) -> None:
    args = ["demo-data", "--count", "5", "--engine-visits", "5", "--data-dir", str(tmp_path)]
    for _ in range(2):
        assert runner.invoke(app, args).exit_code == 0
    assert ResultStore(tmp_path).count() == 10
    assert "random draw" in runner.invoke(app, ["demo-data", "--help"]).output


def test_demo_data_uses_the_given_site_and_reports_broken_files(tmp_path: Path) -> None:
    geneva = paths.questionnaires_dir() / "sites" / "geneve.yaml"
    result = runner.invoke(app, ["demo-data", "--count", "3", "--engine-visits", "3",
                                 "--data-dir", str(tmp_path / "data"), "--site", str(geneva)])
    assert result.exit_code == 0, result.output
    saved = ResultStore(tmp_path / "data").records(include_synthetic=True)
    assert {r.site_id for r in saved} == {"geneve-espace-ville"}
    broken = tmp_path / "bank.yaml"
    broken.write_text("id: x\n", encoding="utf-8")
    result = runner.invoke(app, ["demo-data", "--count", "1", "--data-dir", str(tmp_path / "d2"),
                                 "--bank", str(broken)])
    assert result.exit_code == 1
    assert f"{broken}:1: 'version' is missing" in result.output
    assert not (tmp_path / "d2").exists(), "nothing is stored from files that cannot be used"


def test_purge_command_prints_the_count_and_the_weeks(tmp_path: Path) -> None:
    ResultStore(tmp_path).save_many(alone([example_record(iso_week="2001-W05"), example_record()]))
    result = runner.invoke(app, ["purge", "--data-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "deleted 1 results" in result.output and "2001-W05 (1)" in result.output
    assert ResultStore(tmp_path).count() == 1


def test_every_statistic_the_coordinators_need_can_still_be_counted(tmp_path: Path) -> None:
    runner.invoke(app, ["demo-data", "--count", "60", "--engine-visits", "60",
                        "--data-dir", str(tmp_path), "--seed", "5"])
    store = ResultStore(tmp_path)
    records = list(store.records(include_synthetic=True))
    weeks = store.tallies().weeks
    visits = len(records)
    # From the records: period, site, mode, completion, pathway, level.
    for dimension in ("iso_week", "site_id", "mode", "completion", "pathway"):
        assert sum(Counter(getattr(r, dimension) for r in records).values()) == visits
    # Levels are kept for finished assessments only (a few answers say too little).
    assert all(len(r.levels) == (6 if r.completion == "completed" else 0) for r in records)
    # From the weekly tallies: language, age band, reason, needs, each also by pathway.
    assert sum(t.visits for t in weeks) == visits
    assert {t.iso_week for t in weeks} == {r.iso_week for r in records}
    for dimension in ("language", "age_band", "reason", "pathway_by_age_band",
                      "pathway_by_reason"):
        assert sum(sum(getattr(t, dimension).values()) for t in weeks) == visits, dimension
    by_pathway = Counter(r.pathway for r in records)
    tallied = Counter(key.split()[0] for t in weeks for key, n in t.pathway_by_reason.items()
                      for _ in range(n))
    assert tallied == by_pathway
    assert sum(sum(t.need.values()) for t in weeks) == sum(
        sum(t.pathway_by_need.values()) for t in weeks) > 0
