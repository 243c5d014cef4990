"""What the kiosk keeps about an assessment: the one definition, in three parts that cannot be
joined.

- :class:`VisitRecord`, the statistical record: when (ISO week), where, how it went (mode,
  duration band, questions, completion) and what came out (levels, pathway). No answer, and no
  fact about the person: within one site and week, language, age band, reason and needs together
  single out most visitors (``benchmarks/privacy.py`` measures it), so they are not stored per
  visit.
- :class:`Tally`, per site and week: how many visitors gave each language, age band, reason and
  access need, alone and beside their pathway, and how many stopped and asked that nothing be
  kept. Counts answer the coordinators' questions ("how many came for an online procedure",
  "which pathways for the over-65s") without a row for anyone.
- :class:`AnswerSheet`, the item answers that ``kiosk calibrate`` needs to re-estimate the bank:
  no result id, no site, no week, no context, stored apart; records and sheets both reach their
  files in shuffled batches, so that neither a field nor the order of the files links a sheet
  to its visit, or tells who came after whom.

Each allows exactly its fields (``extra="forbid"``): no name, no free text, no timestamp, no
sequential id. A mediator's guided session adds what the mediator recorded from the bank's fixed
lists (schema 3): what came out of the session (the person's autonomy after it, the orientation
given, its length, a pathway chosen instead of the recommended one and why) to the record, as
:class:`GuidedOutcome`; the themes worked on, which tell what the person came for as much as the
reason for the visit does, are counted in the week's tally like the reason.
"""

from __future__ import annotations

import secrets
from datetime import date
from typing import Annotated, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, model_validator

from kiosk.domain import (
    DONT_KNOW,
    AccessNeed,
    AgeBand,
    Autonomy,
    Completion,
    DomainId,
    Identifier,
    Language,
    Level,
    Mode,
    OptionId,
    PathwayId,
    PlaceId,
    Redirection,
    SessionLength,
)

SCHEMA_VERSION = 3
SchemaVersion = Literal[3]

IsoWeek = Annotated[str, Field(pattern=r"^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$")]
Quarter = Annotated[str, Field(pattern=r"^\d{4}-Q[1-4]$")]

DurationBand = Literal["<5", "5-9", "10-19", "20+"]
NOT_GIVEN = "not_given"  # a question skipped, or answered "je ne sais pas"
REASON_QUESTION = "visit_reason"


def new_result_id() -> str:
    """128 random bits: unguessable, and its order says nothing about who came when."""
    return secrets.token_hex(16)


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def quarter(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def given(answer: str | None) -> str:
    """A context answer as counted: skipped and "je ne sais pas" are both "not given"."""
    return NOT_GIVEN if answer in (None, DONT_KNOW) else answer


def duration_band(minutes: float) -> DurationBand:
    return "<5" if minutes < 5 else "5-9" if minutes < 10 else "10-19" if minutes < 20 else "20+"


class PathwayOverride(BaseModel):
    """The pathway a mediator chose instead of the recommended one, and the reason's code."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    pathway: PathwayId
    reason: OptionId  # one of the bank's override reasons


class GuidedOutcome(BaseModel):
    """What a mediator recorded at the end of a guided session, each from a fixed list; None
    where the mediator recorded nothing."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    autonomy: Autonomy | None = None  # the person's autonomy after the session
    redirection: Redirection | None = None  # the kind of place the person was sent to
    length: SessionLength | None = None  # of the whole session, in the report's ranges
    override: PathwayOverride | None = None


class VisitRecord(BaseModel):
    """One assessment, for statistics by week, site, mode, completion, level and pathway."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: SchemaVersion = SCHEMA_VERSION
    result_id: Annotated[str, Field(pattern=r"^[0-9a-f]{32}$")]  # merges count a visit once
    questionnaire_id: str
    questionnaire_version: str
    site_id: PlaceId
    mode: Mode
    iso_week: IsoWeek
    duration: DurationBand
    questions_asked: Annotated[int, Field(ge=0, le=200)]
    completion: Completion
    levels: dict[DomainId, Level]
    pathway: PathwayId  # the one the kiosk recommended (a mediator's choice is in ``guided``)
    guided: GuidedOutcome | None = None  # only in guided mode, once the mediator recorded it
    # A guided session that continued a result the visitor reached alone at the kiosk (that
    # result is a record of its own: the two are one person's, and nothing links them).
    follow_up: bool = False
    synthetic: bool = False

    @model_validator(mode="after")
    def _guided_only_in_guided_mode(self) -> VisitRecord:
        if (self.guided is not None or self.follow_up) and self.mode != "guided":
            raise ValueError("only a guided session has what a mediator recorded")
        return self


class AnswerSheet(BaseModel):
    """One visitor's item answers, for re-estimating the bank, and nothing to tell whose."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: SchemaVersion = SCHEMA_VERSION
    questionnaire_id: str
    questionnaire_version: str
    quarter: Quarter  # only so that retention can delete old sheets
    answers: dict[Identifier, OptionId]
    synthetic: bool = False

    def for_day(self, day: date) -> AnswerSheet:
        return self.model_copy(update={"quarter": quarter(day)})


Counts = dict[str, Annotated[int, Field(ge=0)]]


class Counted(BaseModel):
    """What one visit adds to its week's tally (never stored as such)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    site_id: PlaceId
    iso_week: IsoWeek
    synthetic: bool = False
    language: Language
    age_band: AgeBand | Literal["not_given"] = NOT_GIVEN
    reason: OptionId = NOT_GIVEN
    needs: list[AccessNeed]
    pathway: PathwayId
    themes: list[OptionId] = Field(default_factory=list)  # worked on in a guided session


class Tally(BaseModel):
    """One site's week: counts of what visitors said about themselves, and nothing per visit."""

    model_config = ConfigDict(extra="forbid")

    site_id: PlaceId
    iso_week: IsoWeek
    synthetic: bool = False
    visits: Annotated[int, Field(ge=0)] = 0  # visits counted here (kept ones)
    abandoned: Annotated[int, Field(ge=0)] = 0  # stopped, and asked that nothing be kept
    language: Counts = Field(default_factory=dict)
    age_band: Counts = Field(default_factory=dict)
    reason: Counts = Field(default_factory=dict)
    need: Counts = Field(default_factory=dict)  # visits with this need
    theme: Counts = Field(default_factory=dict)  # guided sessions that worked on this theme
    # "pathway value": who was sent where, by age band, reason, need and theme
    pathway_by_age_band: Counts = Field(default_factory=dict)
    pathway_by_reason: Counts = Field(default_factory=dict)
    pathway_by_need: Counts = Field(default_factory=dict)
    pathway_by_theme: Counts = Field(default_factory=dict)

    def add(self, visit: Counted, times: int = 1) -> None:
        """Count ``visit`` in (``times=-1``: out again, never below zero)."""
        self.visits = max(self.visits + times, 0)
        for counts, key in ((self.language, visit.language), (self.age_band, visit.age_band),
                            (self.reason, visit.reason),
                            (self.pathway_by_age_band, f"{visit.pathway} {visit.age_band}"),
                            (self.pathway_by_reason, f"{visit.pathway} {visit.reason}"),
                            *((self.need, need) for need in visit.needs),
                            *((self.pathway_by_need, f"{visit.pathway} {need}")
                              for need in visit.needs),
                            *((self.theme, theme) for theme in visit.themes),
                            *((self.pathway_by_theme, f"{visit.pathway} {theme}")
                              for theme in visit.themes)):
            count = counts.get(key, 0) + times
            if count > 0:
                counts[key] = count
            else:
                counts.pop(key, None)


class Tallies(BaseModel):
    """Every site's weeks, and which old journals were already counted in."""

    model_config = ConfigDict(extra="forbid")

    schema_version: SchemaVersion = SCHEMA_VERSION
    weeks: list[Tally] = Field(default_factory=list)
    migrated: list[str] = Field(default_factory=list)  # generations of split schema-1 files

    def week(self, site_id: str, iso_week: str, synthetic: bool) -> Tally:
        for tally in self.weeks:
            if (tally.site_id, tally.iso_week, tally.synthetic) == (site_id, iso_week, synthetic):
                return tally
        self.weeks.append(Tally(site_id=site_id, iso_week=iso_week, synthetic=synthetic))
        return self.weeks[-1]

    def add(self, visit: Counted) -> None:
        self.week(visit.site_id, visit.iso_week, visit.synthetic).add(visit)


class StoredVisit(NamedTuple):
    """The three parts of a visit that are kept, each in its own file."""

    record: VisitRecord
    sheet: AnswerSheet | None = None  # None when no skill question was answered
    counted: Counted | None = None
