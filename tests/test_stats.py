"""``kiosk stats``: counts from the records and the weekly tallies, synthetic visits apart, small
cells hidden, in a table, CSV, or La Coop's JSON shape."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from storage_checks import example_counted, example_record
from storage_helpers import alone
from typer.testing import CliRunner

from kiosk.cli import app
from kiosk.records import GuidedOutcome, StoredVisit
from kiosk.stats import Selection, StatsError, publish, read_facts, summary
from kiosk.stats.protection import TOTAL
from kiosk.storage import ResultStore

runner = CliRunner()


def visit(week: str, pathway: str, age_band: str = "45-64", reason: str = "procedure",
          site: str = "example", **changes: object) -> StoredVisit:
    record = example_record(iso_week=week, pathway=pathway, site_id=site, **changes)
    counted = example_counted(iso_week=week, pathway=pathway, age_band=age_band, reason=reason,
                              site_id=site, synthetic=record.synthetic,
                              needs=["identity"] if pathway == "assisted" else [])
    return StoredVisit(record, None, counted)


@pytest.fixture
def store(tmp_path: Path) -> ResultStore:
    """March 2026 at one site: 40 workshops and 30 assisted (these with the identity need),
    spread over four weeks; 3 orientations; 20 synthetic visits; an April week of 12."""
    store = ResultStore(tmp_path / "data")
    visits = [visit(f"2026-W{10 + i % 4}", "workshops", "65-79") for i in range(40)]
    visits += [visit(f"2026-W{10 + i % 4}", "assisted", "25-44", "job") for i in range(30)]
    visits += [visit("2026-W11", "orientation", "80+") for _ in range(3)]
    visits += [visit("2026-W12", "autonomy", synthetic=True) for _ in range(20)]
    visits += [visit("2026-W15", "workshops") for _ in range(12)]
    store.save_many(visits)
    return store


def test_counts_come_from_the_records_and_leave_synthetic_visits_out(store: ResultStore) -> None:
    facts = read_facts(store)
    assert facts.visits == 85
    (by_pathway,) = publish(facts, ["pathway"])
    # assisted, first steps, workshops, autonomy, orientation (3: hidden, see below)
    assert [by_pathway.count(p) for p in by_pathway.rows.categories] == [None, 0, 52, 0, None]
    assert by_pathway.count(TOTAL) == 85
    assert by_pathway.share("workshops") == pytest.approx(52 / 85)
    assert by_pathway.share("assisted") is None  # a hidden count has no share either
    (with_synthetic,) = publish(read_facts(store, Selection(include_synthetic=True)), ["pathway"])
    assert with_synthetic.count(TOTAL) == 105
    # 20 autonomy, now the cheapest partner of the 3 orientations: hidden in their place
    assert with_synthetic.hidden == {("orientation", TOTAL), ("autonomy", TOTAL)}


def test_a_small_cell_takes_another_with_it(store: ResultStore) -> None:
    (by_pathway,) = publish(read_facts(store), ["pathway"])
    # orientation 3 is under k; with the total shown, the smallest other non-zero cell (assisted
    # 30) goes too, and zeros stay shown.
    assert by_pathway.hidden == {("orientation", TOTAL), ("assisted", TOTAL)}
    assert by_pathway.count("first_steps") == 0


def test_months_are_their_weeks_added_up(store: ResultStore) -> None:
    facts = read_facts(store)
    (by_month,) = publish(facts, ["month"])
    assert by_month.rows.categories == ("2026-03", "2026-04")
    assert (by_month.count("2026-03"), by_month.count("2026-04")) == (73, 12)
    (by_week,) = publish(facts, ["week"])
    assert by_week.rows.categories[0] == "2026-W10" and by_week.count("2026-W14") == 0


def test_what_visitors_said_comes_from_the_weekly_tallies(store: ResultStore) -> None:
    facts = read_facts(store)
    (ages,) = publish(facts, ["age_band"])
    assert ages.count("65-79") == 40 and ages.count("25-44") == 30
    (need_by_pathway,) = publish(facts, ["need", "pathway"])
    assert need_by_pathway.count("identity", "assisted") == 30
    assert need_by_pathway.count("identity") == 30  # a need's total over the pathways
    (reason_by_site,) = publish(facts, ["reason", "site"])
    assert reason_by_site.count("job", "example") == 30


def test_what_is_not_stored_together_cannot_be_crossed(store: ResultStore) -> None:
    facts = read_facts(store)
    with pytest.raises(StatsError, match="age_band can be counted beside the period, the site "
                                         "or the pathway only"):
        publish(facts, ["age_band", "mode"])
    with pytest.raises(StatsError, match="beside the period or the site only"):
        publish(facts, ["language", "pathway"])
    with pytest.raises(StatsError, match="one period at a time"):
        publish(facts, ["week", "month"])
    with pytest.raises(StatsError, match="cannot count by colour"):
        publish(facts, ["colour"])
    with pytest.raises(ValueError, match="too small"):
        publish(facts, ["pathway"], k=4)


def test_levels_by_domain_and_beside_another_dimension(store: ResultStore) -> None:
    facts = read_facts(store)
    (levels,) = publish(facts, ["level"])
    assert levels.count("devices", "alone") == 85  # every example record is at 2 in devices
    per_domain = publish(facts, ["level", "pathway"])
    assert [t.table.domain for t in per_domain] == [
        "devices", "information", "communication", "documents", "procedures", "safety"]
    assert per_domain[0].count("workshops", "alone") == 52


def test_most_cells_hidden_suggests_a_coarser_grouping(store: ResultStore) -> None:
    (by_week,) = publish(read_facts(store), ["pathway", "week"])
    assert by_week.advice is not None and by_week.advice.instead == "month"
    result = runner.invoke(app, ["stats", "--data-dir", str(store.data_dir), "--by",
                                 "pathway,week", "--language", "en"])
    assert "Most cells are hidden" in result.output
    assert "--by month instead of --by week" in result.output


def test_the_command_prints_a_table_with_hidden_cells_marked(store: ResultStore) -> None:
    result = runner.invoke(app, ["stats", "--data-dir", str(store.data_dir), "--by", "pathway",
                                 "--language", "en"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Pathway"
    assert any(line.startswith("Talk with an adviser") and line.split()[-1] == "x"
               for line in lines)
    assert any(line.startswith("Topic workshops") and "52" in line for line in lines)
    assert "x: hidden (fewer than 10 people" in result.output


def test_the_command_writes_csv(store: ResultStore) -> None:
    result = runner.invoke(app, ["stats", "--data-dir", str(store.data_dir), "--by",
                                 "site,pathway", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    workshops = next(r for r in rows if r["value"] == "example" and r["by_value"] == "workshops")
    assert (workshops["count"], workshops["hidden"]) == ("52", "0")
    orientation = next(r for r in rows if r["by_value"] == "orientation" and r["value"])
    assert (orientation["count"], orientation["share"], orientation["hidden"]) == ("", "", "1")


def test_the_command_writes_la_coop_shaped_json(store: ResultStore) -> None:
    result = runner.invoke(app, ["stats", "--data-dir", str(store.data_dir), "--format", "json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body["data"]["type"] == "statistiques"
    attributes = body["data"]["attributes"]
    ages = attributes["beneficiaires"]["tranche_ages"]
    assert set(ages[0]) >= {"value", "label", "count", "proportion"}
    seniors = next(a for a in ages if a["value"] == "65-79")
    assert (seniors["count"], seniors["proportion"]) == (40, pytest.approx(100 * 40 / 85, 1e-3))
    assert [m["label"] for m in attributes["accompagnements_par_mois"]] == ["2026-03", "2026-04"]
    orientation = next(p for p in attributes["activites"]["parcours"]
                       if p["value"] == "orientation")
    assert orientation == {"value": "orientation", "label": "Parler avec un·e conseiller·e",
                           "count": None, "proportion": None, "suppressed": True}
    assert set(attributes["activites"]["niveaux"]) == {
        "devices", "information", "communication", "documents", "procedures", "safety"}
    assert body["meta"]["suppression"]["min_count"] == 10
    assert body["meta"]["synthetic_included"] is False


def test_the_command_filters_and_refuses_clearly(store: ResultStore) -> None:
    base = ["stats", "--data-dir", str(store.data_dir)]
    april = runner.invoke(app, [*base, "--format", "json", "--by", "month", "--since", "2026-04"])
    months = json.loads(april.output)["data"]["attributes"]["accompagnements_par_mois"]
    assert [(m["label"], m["count"]) for m in months] == [("2026-04", 12)]
    for args, message in (
            (["--since", "2026-13"], "--since/--until"),
            (["--since", "2026-04", "--until", "2026-03"], "comes after"),
            (["--min-count", "3"], "too small"),
            (["--format", "xml"], "--format"),
            (["--by", "age_band,completion"], "weekly counts")):
        result = runner.invoke(app, [*base, *args])
        assert result.exit_code == 2, (args, result.output)
        assert message in result.output, (args, result.output)


def test_an_empty_store_gives_empty_tables(tmp_path: Path) -> None:
    facts = read_facts(ResultStore(tmp_path / "data"))
    assert facts.visits == 0
    tables = summary(facts)
    assert all(t.count(TOTAL, TOTAL) in (0, None) for t in tables)
    result = runner.invoke(app, ["stats", "--data-dir", str(tmp_path / "data")])
    assert result.exit_code == 0, result.output


def test_synthetic_records_only_count_when_asked(tmp_path: Path) -> None:
    store = ResultStore(tmp_path / "data")
    store.save_many(alone([example_record(synthetic=True) for _ in range(15)]))
    assert read_facts(store).visits == 0
    assert read_facts(store, Selection(include_synthetic=True)).visits == 15


def test_what_mediators_record_counts_guided_sessions_only(tmp_path: Path) -> None:
    store = ResultStore(tmp_path / "data")
    guided = [StoredVisit(example_record(mode="guided", guided=GuidedOutcome(
        autonomy="autonome", length="30-60")), None, example_counted(
        themes=["diagnostic_numerique", "navigation_sur_internet"])) for _ in range(12)]
    store.save_many([*guided, *(visit("2026-W48", "workshops") for _ in range(15))])
    facts = read_facts(store)
    (autonomy,) = publish(facts, ["autonomy"])
    assert (autonomy.count("autonome"), autonomy.count(TOTAL)) == (12, 12)
    (length,) = publish(facts, ["session_length", "site"])
    assert length.count("30-60", "example") == 12
    (themes,) = publish(facts, ["theme", "pathway"])
    assert themes.count("diagnostic_numerique", "workshops") == 12
    assert themes.count("navigation_sur_internet") == 12  # themes do not add up
    body = json.loads(runner.invoke(app, ["stats", "--data-dir", str(store.data_dir),
                                          "--format", "json"]).output)
    activities = body["data"]["attributes"]["activites"]
    assert next(a for a in activities["autonomie"] if a["value"] == "autonome")["count"] == 12
    assert {t["value"] for t in activities["thematiques"]} >= {"diagnostic_numerique"}
