"""What is stored about a visitor: exactly the fields the anonymisation rules allow."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pydantic import ValidationError
from storage_checks import example_record, example_sheet

from kiosk.records import AnswerSheet, VisitRecord, iso_week, new_result_id
from kiosk.storage import ResultStore
from kiosk.storage.journal import parse_entry
from kiosk.visit import Assessment, Visit

# What may be stored, one field per allowed item, split in two records that share no key (plus
# the synthetic flag that keeps demo data out of statistics, and the schema version that
# migrations need).
STATISTICAL = {
    "schema_version", "result_id", "questionnaire_id", "questionnaire_version", "site_id",
    "mode", "iso_week", "duration", "questions_asked", "completion",
    "levels", "pathway", "guided", "follow_up", "synthetic",
}
ANSWERS = {"schema_version", "questionnaire_id", "questionnaire_version", "quarter", "answers",
           "synthetic"}
# Something that looks like a date, a time of day, or an e-mail address.
TELLTALE = re.compile(r"\d{4}-\d{2}-\d{2}|\b\d{1,2}:\d{2}\b|@")


def test_the_two_records_have_exactly_the_allowed_fields() -> None:
    assert set(VisitRecord.model_fields) == STATISTICAL
    assert set(AnswerSheet.model_fields) == ANSWERS
    # Nothing to join them on but what every record of a questionnaire shares.
    assert {"schema_version", "questionnaire_id",
                                     "questionnaire_version", "synthetic"} == STATISTICAL & ANSWERS


def test_records_refuse_any_other_field() -> None:
    valid = example_record().model_dump()
    with pytest.raises(ValidationError, match="Extra inputs"):
        VisitRecord.model_validate({**valid, "name": "Jeanne"})
    with pytest.raises(ValidationError, match="Extra inputs"):
        VisitRecord.model_validate({**valid, "answers": {"com-email": "alone"}})
    with pytest.raises(ValidationError):
        VisitRecord.model_validate({**valid, "iso_week": "2026-11-23"})
    for personal in ("age_band", "language", "access_needs", "context"):
        with pytest.raises(ValidationError, match="Extra inputs"):
            VisitRecord.model_validate({**valid, personal: None})
    sheet = example_sheet().model_dump()
    with pytest.raises(ValidationError, match="Extra inputs"):
        AnswerSheet.model_validate({**sheet, "result_id": valid["result_id"]})
    with pytest.raises(ValidationError):
        AnswerSheet.model_validate({**sheet, "answers": {"com-email": "free text here"}})


def test_what_lands_on_disk_has_only_allowed_fields(
    tmp_path: Path, assessment: Assessment, bank
) -> None:
    store = ResultStore(tmp_path)
    for seed in range(3):
        visit = Visit(assessment, "fr", seed=seed)
        while (question := visit.current) is not None:
            visit.answer(question.options[seed % len(question.options)].id)
        outcome = visit.outcome()
        store.save(outcome.record, outcome.sheet)
    entries = [entry for name in ("results.jsonl", "answers.jsonl", "state.jsonl")
               for line in (tmp_path / name).read_bytes().splitlines(keepends=True)
               if (entry := parse_entry(line)) is not None]
    stored = {kind: [json.loads(e.json) for e in entries if e.kind == kind]
              for kind in ("record", "sheet", "state")}
    assert len(stored["record"]) == 3
    sheets = stored["sheet"]
    assert len(sheets) == 3
    [tallies] = stored["state"]
    assert set(tallies) == {"schema_version", "weeks", "migrated"}
    option_ids = {o.id for o in bank.scale.options} | {"dont_know"}
    option_ids |= {o.id for i in bank.items if i.kind == "knowledge" for o in i.options}
    for record in stored["record"]:
        assert set(record) <= STATISTICAL
        assert not TELLTALE.search(json.dumps(record)), record
    for sheet in sheets:
        assert set(sheet) <= ANSWERS
        assert not TELLTALE.search(json.dumps(sheet)), sheet
        assert set(sheet["answers"].values()) <= option_ids


def test_result_ids_are_random_not_sequential() -> None:
    ids = [new_result_id() for _ in range(200)]
    assert len(set(ids)) == 200
    assert ids != sorted(ids)


def test_iso_week_across_the_year_end() -> None:
    from datetime import date

    assert iso_week(date(2026, 12, 31)) == "2026-W53"
    assert iso_week(date(2027, 1, 3)) == "2026-W53"
    assert iso_week(date(2027, 1, 4)) == "2027-W01"


def test_data_directory_option_then_environment_then_user_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kiosk import paths

    monkeypatch.setenv(paths.DATA_DIR_ENV, str(tmp_path / "from-env"))
    assert paths.data_dir(tmp_path / "explicit") == tmp_path / "explicit"
    assert paths.data_dir() == tmp_path / "from-env"
    monkeypatch.delenv(paths.DATA_DIR_ENV)
    assert paths.data_dir().name == "kiosk"
