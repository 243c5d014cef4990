"""``kiosk export``: only stored fields, k-anonymous, in random order, readable as is by pandas,
DuckDB, openpyxl and spreadsheets, described and checksummed."""

from __future__ import annotations

import csv
import hashlib
import json
from collections import Counter
from pathlib import Path
from typing import Any

import duckdb
import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from storage_checks import example_record, example_sheet
from storage_helpers import alone
from typer.testing import CliRunner

from kiosk.cli import app
from kiosk.domain import DOMAIN_IDS
from kiosk.exports.anonymity import LADDER, generalise
from kiosk.exports.columns import columns_of
from kiosk.exports.export import SHEETS, ExportError, Request, export_records, export_sheets
from kiosk.exports.metadata import ExportMetadata, file_digest, sidecar
from kiosk.exports.writers import row_line
from kiosk.records import (
    SCHEMA_VERSION,
    GuidedOutcome,
    PathwayOverride,
    StoredVisit,
    VisitRecord,
)
from kiosk.staff.audit import AuditLog
from kiosk.staff.files import staff_dir
from kiosk.stats.counting import Selection
from kiosk.stats.periods import ALL_TIME, period_of
from kiosk.storage import ResultStore

runner = CliRunner()
K = 10
ACCENTED = "compétences-numériques"  # French accents must come through every reader


def busy_store(path: Path) -> ResultStore:
    """A big site where every week has 12 visits on each of two pathways; a small site with
    11 orientations over March's four weeks (3, 3, 3, 2); one guided visit, alone of its kind:
    156 records."""
    store = ResultStore(path)
    visits = [example_record(iso_week=f"2026-W{w}", pathway=pathway, questionnaire_id=ACCENTED)
              for w in range(10, 16) for pathway in ("workshops", "assisted") for _ in range(12)]
    visits += [example_record(iso_week=f"2026-W{w}", site_id="petit", pathway="orientation",
                              questionnaire_id=ACCENTED)
               for w, n in zip(range(10, 14), (3, 3, 3, 2), strict=True) for _ in range(n)]
    visits.append(example_record(iso_week="2026-W12", mode="guided", questionnaire_id=ACCENTED))
    store.save_many(alone(visits))
    return store


@pytest.fixture
def store(tmp_path: Path) -> ResultStore:
    return busy_store(tmp_path / "data")


def stored(store: ResultStore) -> dict[str, VisitRecord]:
    return {r.result_id: r for r in store.records()}


# -- what is written ----------------------------------------------------------------------------


def test_the_columns_are_exactly_the_stored_fields() -> None:
    assert [c.name for c in columns_of(VisitRecord)] == [
        "schema_version", "result_id", "questionnaire_id", "questionnaire_version", "site_id",
        "mode", "period", "duration", "questions_asked", "completion", "level_devices",
        "level_information", "level_communication", "level_documents", "level_procedures",
        "level_safety", "pathway", "guided_autonomy", "guided_redirection", "guided_length",
        "guided_override_pathway", "guided_override_reason", "follow_up", "synthetic"]
    assert [c.name for c in SHEETS.columns(["dev-wifi"])] == [
        "sheet_id", "schema_version", "questionnaire_id", "questionnaire_version", "period",
        "answer_dev-wifi", "synthetic"]


def test_what_a_mediator_recorded_is_exported_in_its_columns(tmp_path: Path) -> None:
    store = ResultStore(tmp_path / "data")
    guided = GuidedOutcome(autonomy="partiellement_autonome", redirection="aide_sociale",
                           length="30-60", override=PathwayOverride(pathway="assisted",
                                                                    reason="needs_time"))
    store.save_many(alone([example_record(mode="guided", guided=guided) for _ in range(10)]))
    export_records(store, Request("csv", tmp_path / "out.csv"))
    row = pd.read_csv(tmp_path / "out.csv").iloc[0]
    assert (row.guided_autonomy, row.guided_redirection, row.guided_length,
            row.guided_override_pathway, row.guided_override_reason) == (
        "partiellement_autonome", "aide_sociale", "30-60", "assisted", "needs_time")


def test_no_field_outside_the_stored_ones_is_written(store: ResultStore, tmp_path: Path) -> None:
    export_records(store, Request("jsonl", tmp_path / "out.jsonl"))
    allowed = (set(VisitRecord.model_fields) - {"iso_week"}) | {"period"}
    for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        assert set(record) <= allowed
        assert set(record["levels"]) <= set(DOMAIN_IDS)
    header = (tmp_path / "out.jsonl").with_suffix(".csv")
    export_records(store, Request("csv", header))
    with open(header, encoding="utf-8-sig", newline="") as handle:
        assert next(csv.reader(handle)) == [c.name for c in columns_of(VisitRecord)]


def test_the_order_says_nothing_of_the_order_of_saving(tmp_path: Path) -> None:
    store = ResultStore(tmp_path / "data")
    saved = [example_record(iso_week="2026-W10") for _ in range(45)]  # two batches and some
    store.save_many(alone(saved))
    export_records(store, Request("jsonl", tmp_path / "out.jsonl"))
    ids = [json.loads(line)["result_id"]
           for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert ids == sorted(r.result_id for r in saved)  # random ids, in their own order
    assert ids != [r.result_id for r in saved]


def test_synthetic_records_and_other_sites_and_weeks_are_left_out_unless_asked(
        store: ResultStore, tmp_path: Path) -> None:
    store.save_many(alone([example_record(iso_week="2026-W11", synthetic=True)
                           for _ in range(12)]))
    plain = export_records(store, Request("csv", tmp_path / "a.csv"))
    with_synthetic = export_records(store, Request("csv", tmp_path / "b.csv",
                                                   Selection(include_synthetic=True)))
    assert with_synthetic.records == plain.records + 12
    assert plain.synthetic_included is False and with_synthetic.synthetic_included is True
    narrow = export_records(store, Request("csv", tmp_path / "c.csv", Selection(
        since="2026-W11", until="2026-W12", sites=frozenset({"example"}))))
    assert narrow.sites == ["example"]
    assert (narrow.first_period, narrow.last_period) == ("2026-W11", "2026-W12")


# -- k-anonymity ----------------------------------------------------------------------------------


def test_rare_combinations_are_coarsened_and_the_report_says_so(store: ResultStore,
                                                                tmp_path: Path) -> None:
    metadata = export_records(store, Request("csv", tmp_path / "out.csv"))
    frame = pd.read_csv(tmp_path / "out.csv")
    sizes = frame.groupby(["site_id", "period", "mode", "pathway"]).size()
    assert sizes.min() >= K
    # The small site's orientations (3 a week) go out as their month, March; the one guided
    # visit has no nine others like it, even over all time: it is left out.
    small = frame[frame.site_id == "petit"]
    assert set(small.period) == {"2026-03"} and len(small) == 11
    assert set(frame[frame.site_id == "example"].period) == {f"2026-W{w}" for w in range(10, 16)}
    assert metadata.anonymity.periods == {"week": 144, "month": 11}
    assert metadata.anonymity.left_out == 1
    assert metadata.records == len(frame) == len(stored(store)) - 1 == 155


keys = st.tuples(st.sampled_from(["a", "b"]),
                 st.sampled_from([f"2025-W{w:02d}" for w in range(1, 53)]
                                 + ["2026-W01", "2026-W02"]),
                 st.sampled_from(["self", "guided"]), st.sampled_from(["x", "y", "z"]))


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(keys, st.integers(1, 15), max_size=60), st.integers(5, 12))
def test_no_exported_combination_is_shared_by_fewer_than_k(classes: dict, k: int) -> None:
    plan = generalise(classes, k, at=1)
    exported: Counter[tuple[Any, ...]] = Counter()
    for key, n in classes.items():
        period = plan.periods[key]
        if period is None:
            continue
        # Only coarsened, never moved: the week is inside the period it went out with.
        assert period == ALL_TIME or any(period_of(key[1], u) == period for u in LADDER if u)
        exported[key[0], period, key[2], key[3]] += n
    assert all(n >= k for n in exported.values())
    assert plan.kept + plan.left_out == sum(classes.values())
    assert plan.kept == sum(exported.values())


# -- readers -------------------------------------------------------------------------------------


def test_csv_dialect_byte_order_mark_accents_and_line_ends(store: ResultStore,
                                                           tmp_path: Path) -> None:
    export_records(store, Request("csv", tmp_path / "out.csv"))
    data = (tmp_path / "out.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # spreadsheets read UTF-8 then
    assert ACCENTED.encode() in data
    assert data.count(b"\r\n") == data.count(b"\n") == 1 + 155  # the header, the rows
    assert csv.Sniffer().sniff(data.decode("utf-8-sig")[:2000]).delimiter == ","
    export_records(store, Request("csv", tmp_path / "excel.csv", delimiter=";"))
    text = (tmp_path / "excel.csv").read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("schema_version;result_id;")
    assert json.loads(sidecar(tmp_path / "excel.csv").read_text())["delimiter"] == ";"


def test_pandas_reads_the_csv_and_json_lines_as_they_are(store: ResultStore,
                                                         tmp_path: Path) -> None:
    export_records(store, Request("csv", tmp_path / "out.csv"))
    export_records(store, Request("jsonl", tmp_path / "out.jsonl"))
    saved = stored(store)
    from_csv = pd.read_csv(tmp_path / "out.csv")
    from_json = pd.read_json(tmp_path / "out.jsonl", lines=True)
    assert list(from_csv.result_id) == list(from_json.result_id)
    for row in from_csv.itertuples():
        record = saved[row.result_id]
        assert row.questionnaire_id == ACCENTED
        assert (row.site_id, row.mode, row.pathway, row.completion) == (
            record.site_id, record.mode, record.pathway, record.completion)
        assert row.level_procedures == record.levels["procedures"]
        assert row.period in (record.iso_week, period_of(record.iso_week, "month"))
    assert from_csv.synthetic.dtype == bool and from_csv.questions_asked.dtype.kind == "i"
    assert from_json.levels[0] == saved[from_json.result_id[0]].levels


def test_duckdb_reads_the_csv_and_json_lines_as_they_are(store: ResultStore,
                                                         tmp_path: Path) -> None:
    export_records(store, Request("csv", tmp_path / "out.csv"))
    export_records(store, Request("jsonl", tmp_path / "out.jsonl"))
    csv_rows = duckdb.sql(f"SELECT result_id, questionnaire_id, level_devices, synthetic "
                          f"FROM read_csv('{tmp_path / 'out.csv'}') ORDER BY result_id").fetchall()
    json_rows = duckdb.sql(f"SELECT result_id, questionnaire_id, levels.devices, synthetic "
                           f"FROM read_json('{tmp_path / 'out.jsonl'}') ORDER BY result_id"
                           ).fetchall()
    assert csv_rows == json_rows
    assert csv_rows[0][1] == ACCENTED and isinstance(csv_rows[0][3], bool)
    assert len(csv_rows) == len(stored(store)) - 1  # the one left out


def test_duckdb_reads_a_folder_of_exports_from_many_kiosks_with_one_glob(tmp_path: Path) -> None:
    """The README's example: each kiosk exports to the same folder; one query reads them all."""
    folder = tmp_path / "exports"
    folder.mkdir()
    for n, site in enumerate(("geneve-rive-gauche", "geneve-rive-droite", "grenoble-mdh")):
        kiosk = ResultStore(tmp_path / site)
        kiosk.save_many(alone([example_record(site_id=site, iso_week="2026-W10")
                               for _ in range(12 + n)]))
        export_records(kiosk, Request("csv", folder / f"{site}.csv"))
        export_records(kiosk, Request("jsonl", folder / f"{site}.jsonl"))
    query = ("SELECT site_id, count(*) AS visits FROM read_csv('{}/*.csv') "
             "GROUP BY site_id ORDER BY site_id")
    assert duckdb.sql(query.format(folder)).fetchall() == [
        ("geneve-rive-droite", 13), ("geneve-rive-gauche", 12), ("grenoble-mdh", 14)]
    assert duckdb.sql(f"SELECT count(*) FROM read_json('{folder}/*.jsonl')").fetchall() == [(39,)]


def test_checksum_and_description_match_the_file(store: ResultStore, tmp_path: Path) -> None:
    made = export_records(store, Request("csv", tmp_path / "out.csv"))
    described = ExportMetadata.model_validate_json(sidecar(tmp_path / "out.csv").read_text())
    assert described == made
    assert described.checksum.of == "file"
    assert described.checksum.value == file_digest(tmp_path / "out.csv") == hashlib.sha256(
        (tmp_path / "out.csv").read_bytes()).hexdigest()
    assert described.sites == ["example", "petit"]
    assert [(q.id, q.records) for q in described.questionnaires] == [(ACCENTED, made.records + 1)]
    assert described.schema_version == SCHEMA_VERSION and "k = 10" in described.suppression_rule


def test_a_workbook_says_what_it_is_first_and_reads_back(store: ResultStore,
                                                         tmp_path: Path) -> None:
    made = export_records(store, Request("xlsx", tmp_path / "out.xlsx"))
    assert not sidecar(tmp_path / "out.xlsx").exists()
    book = openpyxl.load_workbook(tmp_path / "out.xlsx", read_only=True)
    assert book.sheetnames == ["about", "records"]
    about = {row[0]: row[1] for row in book["about"].iter_rows(values_only=True)}
    assert about["kind"] == "visit_records" and about["records"] == str(made.records)
    assert ExportMetadata.model_validate_json(about["metadata_json"]) == made
    rows = list(book["records"].iter_rows(values_only=True))
    assert list(rows[0]) == made.columns and len(rows) == made.records + 1
    digest = hashlib.sha256()
    for row in rows[1:]:
        digest.update(row_line(list(row)))
    assert digest.hexdigest() == made.checksum.value and made.checksum.of == "rows"
    by_id = stored(store)
    first = dict(zip(made.columns, rows[1], strict=True))
    assert first["questionnaire_id"] == ACCENTED
    assert first["level_safety"] == by_id[first["result_id"]].levels["safety"]


def test_answer_sheets_go_to_a_file_of_their_own(tmp_path: Path) -> None:
    store = ResultStore(tmp_path / "data")
    store.save_many([StoredVisit(example_record(), example_sheet()) for _ in range(12)])
    made = export_sheets(store, Request("csv", tmp_path / "sheets.csv"))
    frame = pd.read_csv(tmp_path / "sheets.csv")
    assert "result_id" not in frame.columns and "site_id" not in frame.columns
    assert {c for c in frame.columns if c.startswith("answer_")} == {
        "answer_dev-wifi", "answer_pro-account", "answer_saf-phishing"}
    assert made.kind == "answer_sheets" and made.records == 12
    # Each sheet has its stored line's random id (for merging), nothing to do with a result id.
    assert frame.sheet_id.nunique() == 12 and frame.sheet_id.str.fullmatch("[0-9a-f]{32}").all()
    assert list(frame.sheet_id) == sorted(frame.sheet_id)
    with pytest.raises(ExportError, match="keep no site"):
        export_sheets(store, Request("csv", tmp_path / "x.csv", Selection(
            sites=frozenset({"example"}))))


def test_an_export_never_overwrites_and_leaves_nothing_half_written(store: ResultStore,
                                                                    tmp_path: Path) -> None:
    (tmp_path / "taken.csv").write_text("mine")
    with pytest.raises(ExportError, match="never overwrites"):
        export_records(store, Request("csv", tmp_path / "taken.csv"))
    assert (tmp_path / "taken.csv").read_text() == "mine"

    def broken(*_: object) -> None:
        raise OSError("the stick was pulled out")

    writer_class = pytest.importorskip("kiosk.exports.writers").CsvWriter
    original = writer_class.write
    writer_class.write = broken
    try:
        with pytest.raises(OSError, match="pulled out"):
            export_records(store, Request("csv", tmp_path / "cut.csv"))
    finally:
        writer_class.write = original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "taken.csv"]


def test_the_command_exports_and_refuses_clearly(store: ResultStore, tmp_path: Path) -> None:
    out = tmp_path / "kiosk.csv"
    result = runner.invoke(app, ["export", "--data-dir", str(store.data_dir), "--out", str(out),
                                 "--answers", str(tmp_path / "answers.csv")])
    assert result.exit_code == 0, result.output
    assert f"{out}: 155 visit records" in result.output
    assert "144 by week, 11 by month; 1 left out" in result.output
    assert (tmp_path / "answers.csv").exists()
    again = runner.invoke(app, ["export", "--data-dir", str(store.data_dir), "--out", str(out)])
    assert again.exit_code == 2 and "never overwrites" in again.output
    odd = runner.invoke(app, ["export", "--data-dir", str(store.data_dir),
                              "--out", str(tmp_path / "x.txt")])
    assert odd.exit_code == 2 and "--format csv, jsonl or xlsx" in odd.output
    low = runner.invoke(app, ["export", "--data-dir", str(store.data_dir), "--min-count", "3",
                              "--out", str(tmp_path / "y.csv")])
    assert low.exit_code != 0 and "too small" in low.output


def test_the_command_leaves_a_trace_in_the_staff_audit_log(store: ResultStore,
                                                           tmp_path: Path) -> None:
    result = runner.invoke(app, ["export", "--data-dir", str(store.data_dir),
                                 "--out", str(tmp_path / "out.jsonl")])
    assert result.exit_code == 0, result.output
    log = AuditLog(staff_dir(store.data_dir))
    entries = [json.loads(line) for line in log.path.read_text().splitlines()]
    assert [(e["event"], e["role"], e["detail"]) for e in entries] == [
        ("export_made", None, {"kind": "visit_records", "rows": 155, "format": "jsonl",
                               "via": "command"})]
    assert log.verify().ok
