"""The stored result: the one definition of what the kiosk keeps about an assessment.

Exactly the fields the anonymisation rules allow, and nothing else (``extra="forbid"``): no
name, no free text, no timestamp (an ISO week and a duration rounded to the minute), no
sequential id (a random one), answers only as fixed option ids.
"""

from __future__ import annotations

import secrets
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from kiosk.domain import (
    AccessNeed,
    AgeBand,
    Completion,
    DomainId,
    Identifier,
    Language,
    Level,
    Mode,
    OptionId,
    PathwayId,
    PlaceId,
)

SCHEMA_VERSION = 1


def new_result_id() -> str:
    """128 random bits: unguessable, and its order says nothing about who came when."""
    return secrets.token_hex(16)


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


class AssessmentRecord(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: Literal[1] = SCHEMA_VERSION
    result_id: Annotated[str, Field(pattern=r"^[0-9a-f]{32}$")]
    questionnaire_id: str
    questionnaire_version: str
    site_id: PlaceId
    mode: Mode
    language: Language
    iso_week: Annotated[str, Field(pattern=r"^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$")]
    duration_minutes: Annotated[int, Field(ge=0, le=600)]
    questions_asked: Annotated[int, Field(ge=0, le=200)]
    completion: Completion
    levels: dict[DomainId, Level]
    pathway: PathwayId
    access_needs: list[AccessNeed]
    answers: dict[Identifier, OptionId]
    context: dict[Identifier, OptionId]
    age_band: AgeBand | None = None
    synthetic: bool = False
