"""What the kiosk keeps about an assessment: the one definition, as two records that cannot be
joined.

- :class:`VisitRecord`, the statistical record: who came (coarsely), what for, what they were
  offered. Everything the coordinators' counts need, and no answer.
- :class:`AnswerSheet`, the item answers that ``kiosk calibrate`` needs to re-estimate the bank:
  no result id, no site, no week, no context, and stored apart, in shuffled batches, so that
  neither a field nor the order of the files links a sheet to its visit.

Both allow exactly their fields (``extra="forbid"``): no name, no free text, no timestamp, no
sequential id. Values a statistic does not need at full detail are stored coarsened, because
within one site and one week the fine ones single people out (``benchmarks/privacy.py``
measures it): age in three bands, the reason for the visit in four groups, the duration in
bands. Mediators' guided sessions will add optional fields to ``VisitRecord`` (themes,
autonomy, orientation, pathway override): add them with a schema version and a migration.
"""

from __future__ import annotations

import secrets
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from kiosk.domain import AccessNeed, Completion, DomainId, Mode, PathwayId

SCHEMA_VERSION = 2

OptionId = Annotated[str, Field(pattern=r"^[a-z0-9<][a-z0-9_+\-]*$", max_length=48)]
QuestionId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_\-]*$", max_length=48)]
IsoWeek = Annotated[str, Field(pattern=r"^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$")]
Quarter = Annotated[str, Field(pattern=r"^\d{4}-Q[1-4]$")]

AgeGroup = Literal["<45", "45-64", "65+"]
ReasonGroup = Literal["procedure", "device", "learn", "other"]
DurationBand = Literal["<5", "5-9", "10-19", "20+"]

# From the questionnaire's age bands and reasons to the stored groups. A job search or a health
# appointment is an online procedure too; what a bank adds later is "other" until named here.
AGE_GROUPS: dict[str, AgeGroup] = {
    "<25": "<45", "25-44": "<45", "45-64": "45-64", "65-79": "65+", "80+": "65+"}
REASON_GROUPS: dict[str, ReasonGroup] = {
    "procedure": "procedure", "job": "procedure", "health": "procedure",
    "device_problem": "device", "learn": "learn"}
REASON_QUESTION = "visit_reason"
NOT_ANSWERED = {"dont_know"}


def new_result_id() -> str:
    """128 random bits: unguessable, and its order says nothing about who came when."""
    return secrets.token_hex(16)


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def quarter(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def age_group(band: str | None) -> AgeGroup | None:
    return AGE_GROUPS.get(band or "")


def reason_group(option: str | None) -> ReasonGroup | None:
    if option is None or option in NOT_ANSWERED:
        return None
    return REASON_GROUPS.get(option, "other")


def duration_band(minutes: float) -> DurationBand:
    return "<5" if minutes < 5 else "5-9" if minutes < 10 else "10-19" if minutes < 20 else "20+"


class VisitRecord(BaseModel):
    """One assessment, for statistics: counted by week, site, pathway, level, need, reason."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: Literal[2] = SCHEMA_VERSION
    result_id: Annotated[str, Field(pattern=r"^[0-9a-f]{32}$")]  # merges count a visit once
    questionnaire_id: str
    questionnaire_version: str
    site_id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_\-]*$", max_length=48)]
    mode: Mode
    language: Annotated[str, Field(pattern=r"^[a-z]{2}$")]
    iso_week: IsoWeek
    duration: DurationBand
    questions_asked: Annotated[int, Field(ge=0, le=200)]
    completion: Completion
    levels: dict[DomainId, Annotated[int, Field(ge=0, le=3)]]
    pathway: PathwayId
    access_needs: list[AccessNeed]
    reason: ReasonGroup | None = None
    age: AgeGroup | None = None
    synthetic: bool = False


class AnswerSheet(BaseModel):
    """One visitor's item answers, for re-estimating the bank, and nothing to tell whose."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: Literal[2] = SCHEMA_VERSION
    questionnaire_id: str
    questionnaire_version: str
    quarter: Quarter  # only so that retention can delete old sheets
    answers: dict[QuestionId, OptionId]
    synthetic: bool = False

    def for_day(self, day: date) -> AnswerSheet:
        return self.model_copy(update={"quarter": quarter(day)})
