"""Merging exports of several kiosks: each record once, k-anonymous again, every format read
back the same, incompatible or altered files refused with what differs."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from storage_checks import example_record, example_sheet
from storage_helpers import alone
from typer.testing import CliRunner

from kiosk.cli import app
from kiosk.exports.export import ExportError, Request, export_records, export_sheets
from kiosk.exports.merge import merge
from kiosk.exports.metadata import ExportMetadata, file_digest, sidecar
from kiosk.records import StoredVisit
from kiosk.storage import ResultStore

runner = CliRunner()


def kiosk_export(root: Path, site: str, weeks: dict[str, int], out: Path,
                 **changes: object) -> ExportMetadata:
    """A kiosk at ``site`` with ``weeks[w]`` visits in week ``w``, exported to ``out``."""
    store = ResultStore(root / site)
    store.save_many(alone([example_record(site_id=site, iso_week=week, **changes)
                           for week, n in weeks.items() for _ in range(n)]))
    return export_records(store, Request(out.suffix.lstrip("."), out))  # type: ignore[arg-type]


def test_exports_of_two_kiosks_merge_into_one_and_the_same_twice_adds_nothing(
    tmp_path: Path,
) -> None:
    kiosk_export(tmp_path, "geneve", {"2026-W10": 12, "2026-W11": 10}, tmp_path / "g.csv")
    kiosk_export(tmp_path, "grenoble", {"2026-W10": 11}, tmp_path / "gr.jsonl")
    out = tmp_path / "all.csv"
    made = merge([tmp_path / "g.csv", tmp_path / "gr.jsonl", tmp_path / "g.csv"],
                 Request("csv", out))
    assert made.duplicates == 22 and made.metadata.records == 33
    frame = pd.read_csv(out)
    assert frame.result_id.is_unique and len(frame) == 33
    assert Counter(frame.site_id) == {"geneve": 22, "grenoble": 11}
    # Read back as stored: levels are numbers, booleans booleans, periods as exported.
    original = pd.read_csv(tmp_path / "g.csv").set_index("result_id")
    merged = frame.set_index("result_id").loc[original.index, original.columns]
    pd.testing.assert_frame_equal(merged, original, check_like=True)
    described = ExportMetadata.model_validate_json(sidecar(out).read_text())
    assert described.checksum.value == file_digest(out)
    assert [s.file for s in described.sources] == ["g.csv", "gr.jsonl", "g.csv"]
    assert described.sites == ["geneve", "grenoble"]
    # The merged file merged again with its parts: still each record once.
    again = merge([out, tmp_path / "gr.jsonl"], Request("jsonl", tmp_path / "again.jsonl"))
    assert (again.metadata.records, again.duplicates) == (33, 11)


def test_the_merged_records_are_made_k_anonymous_again(tmp_path: Path) -> None:
    """Two kiosks of one site, 10 visits each in its own week: each file is 10-anonymous with
    its weeks. Merged at k = 15, no week has 15, their month has 20: both go out by month."""
    kiosk_export(tmp_path, "a", {"2026-W10": 10}, tmp_path / "one.jsonl")
    kiosk_export(tmp_path / "other", "a", {"2026-W11": 10}, tmp_path / "two.csv")
    out = tmp_path / "m.jsonl"
    merged = merge([tmp_path / "one.jsonl", tmp_path / "two.csv"], Request("jsonl", out, k=15))
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert Counter(r["period"] for r in records) == {"2026-03": 20}
    assert merged.metadata.anonymity.periods == {"month": 20}
    with pytest.raises(ExportError, match="too small"):
        merge([out], Request("jsonl", tmp_path / "x.jsonl", k=3))


def test_answer_sheets_merge_by_their_own_id(tmp_path: Path) -> None:
    store = ResultStore(tmp_path / "kiosk")
    store.save_many([StoredVisit(example_record(), example_sheet()) for _ in range(12)])
    export_sheets(store, Request("csv", tmp_path / "s.csv"))
    made = merge([tmp_path / "s.csv", tmp_path / "s.csv"], Request("csv", tmp_path / "m.csv"))
    assert (made.metadata.kind, made.metadata.records, made.duplicates) == (
        "answer_sheets", 12, 12)
    assert pd.read_csv(tmp_path / "m.csv").sheet_id.is_unique


def test_incompatible_or_altered_files_are_refused_with_what_differs(tmp_path: Path) -> None:
    kiosk_export(tmp_path, "a", {"2026-W10": 12}, tmp_path / "a.csv")
    kiosk_export(tmp_path, "b", {"2026-W10": 12}, tmp_path / "b.csv",
                 questionnaire_id="autre-questionnaire")
    store = ResultStore(tmp_path / "c")
    store.save_many([StoredVisit(example_record(), example_sheet()) for _ in range(12)])
    export_sheets(store, Request("csv", tmp_path / "sheets.csv"))
    out = Request("csv", tmp_path / "out.csv")
    with pytest.raises(ExportError, match="autre-questionnaire cannot be merged with "
                       "competences-numeriques"):
        merge([tmp_path / "a.csv", tmp_path / "b.csv"], out)
    with pytest.raises(ExportError, match="answer_sheets cannot be merged with visit_records"):
        merge([tmp_path / "a.csv", tmp_path / "sheets.csv"], out)
    # A newer kiosk's column.
    newer = tmp_path / "newer.csv"
    kiosk_export(tmp_path, "d", {"2026-W10": 12}, newer)
    described = json.loads(sidecar(newer).read_text())
    described["columns"].append("mood")
    described["schema_version"] = 99
    sidecar(newer).write_text(json.dumps(described))
    with pytest.raises(ExportError, match="mood are unknown to this kiosk \\(schema 99\\)"):
        merge([tmp_path / "a.csv", newer], out)
    # A file edited after its export.
    edited = tmp_path / "edited.csv"
    kiosk_export(tmp_path, "e", {"2026-W10": 12}, edited)
    edited.write_bytes(edited.read_bytes().replace(b"2026-W10", b"2026-W11", 1))
    with pytest.raises(ExportError, match="no longer matches the checksum"):
        merge([edited], out)
    (tmp_path / "lone.csv").write_text("result_id\n")
    with pytest.raises(ExportError, match="no description beside it"):
        merge([tmp_path / "lone.csv"], out)
    assert not (tmp_path / "out.csv").exists()


def test_the_command_merges_and_refuses_clearly(tmp_path: Path) -> None:
    kiosk_export(tmp_path, "a", {"2026-W10": 12}, tmp_path / "a.csv")
    kiosk_export(tmp_path, "b", {"2026-W10": 10}, tmp_path / "b.jsonl")
    done = runner.invoke(app, ["merge", str(tmp_path / "a.csv"), str(tmp_path / "b.jsonl"),
                               str(tmp_path / "a.csv"), "--out", str(tmp_path / "m.xlsx")])
    assert done.exit_code == 0, done.output
    assert "22 visit records" in done.output and "12 records found twice kept once" in done.output
    refused = runner.invoke(app, ["merge", str(tmp_path / "a.csv"), "--out",
                                  str(tmp_path / "m.xlsx")])
    assert refused.exit_code == 1 and "already exists" in refused.output
