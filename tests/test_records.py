"""What is stored about a visitor: exactly the fields the anonymisation rules allow."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from kiosk.records import AssessmentRecord, iso_week, new_result_id
from kiosk.storage import ResultStore
from kiosk.visit import Assessment, Visit

# What the anonymisation rules allow to be stored, one field per allowed item (plus the
# synthetic flag that keeps demo data out of statistics, and the schema version that migrations
# need).
ALLOWED = {
    "schema_version", "result_id", "questionnaire_id", "questionnaire_version", "site_id",
    "mode", "language", "iso_week", "duration_minutes", "questions_asked", "completion",
    "levels", "pathway", "access_needs", "answers", "context", "age_band", "synthetic",
}
# Something that looks like a date, a time of day, or an e-mail address.
TELLTALE = re.compile(r"\d{4}-\d{2}-\d{2}|\b\d{1,2}:\d{2}\b|@")


def test_record_model_has_exactly_the_allowed_fields() -> None:
    extra = set(AssessmentRecord.model_fields) - ALLOWED
    assert not extra, f"fields outside the allowed set: {extra}"
    assert set(AssessmentRecord.model_fields) == ALLOWED


def test_record_refuses_any_other_field() -> None:
    valid = _finished_record_fields()
    with pytest.raises(ValidationError, match="Extra inputs"):
        AssessmentRecord.model_validate({**valid, "name": "Jeanne"})
    with pytest.raises(ValidationError):
        AssessmentRecord.model_validate({**valid, "iso_week": "2026-11-23"})
    with pytest.raises(ValidationError):
        AssessmentRecord.model_validate({**valid, "answers": {"com-email": "free text here"}})


def test_what_lands_on_disk_has_only_allowed_fields(
    tmp_path: Path, assessment: Assessment, bank
) -> None:
    store = ResultStore(tmp_path)
    for seed in range(3):
        visit = Visit(assessment, "fr", seed=seed)
        while (question := visit.current) is not None:
            visit.answer(question.options[seed % len(question.options)].id)
        store.save(visit.outcome().record)
    stored = [
        json.loads(line[line.index("{"):])
        for line in (tmp_path / "results.jsonl").read_text(encoding="utf-8").splitlines()
        if not line.split(" ", 2)[1].startswith("#")
    ]
    assert len(stored) == 3
    option_ids = {o.id for q in bank.context for o in q.options} | {"dont_know"}
    option_ids |= {o.id for o in bank.scale.options}
    option_ids |= {o.id for i in bank.items if i.kind == "knowledge" for o in i.options}
    for record in stored:
        assert set(record) <= ALLOWED
        assert not TELLTALE.search(json.dumps(record)), record
        assert set(record["answers"].values()) <= option_ids
        assert set(record["context"].values()) <= option_ids


def test_result_ids_are_random_not_sequential() -> None:
    ids = [new_result_id() for _ in range(200)]
    assert len(set(ids)) == 200
    assert ids != sorted(ids)


def test_iso_week_across_the_year_end() -> None:
    from datetime import date

    assert iso_week(date(2026, 12, 31)) == "2026-W53"
    assert iso_week(date(2027, 1, 3)) == "2026-W53"
    assert iso_week(date(2027, 1, 4)) == "2027-W01"


def _finished_record_fields() -> dict[str, object]:
    return {
        "result_id": new_result_id(), "questionnaire_id": "q", "questionnaire_version": "1.0",
        "site_id": "example", "mode": "self", "language": "fr", "iso_week": "2026-W48",
        "duration_minutes": 4, "questions_asked": 9, "completion": "completed",
        "levels": {"devices": 2}, "pathway": "workshops", "access_needs": [],
        "answers": {"com-email": "alone"}, "context": {"email": "yes"},
    }


def test_data_directory_option_then_environment_then_user_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kiosk import paths

    monkeypatch.setenv(paths.DATA_DIR_ENV, str(tmp_path / "from-env"))
    assert paths.data_dir(tmp_path / "explicit") == tmp_path / "explicit"
    assert paths.data_dir() == tmp_path / "from-env"
    monkeypatch.delenv(paths.DATA_DIR_ENV)
    assert paths.data_dir().name == "kiosk"
