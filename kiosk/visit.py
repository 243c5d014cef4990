"""One visitor at the kiosk, from the first context question to the stored result.

This is the whole assessment without any screen: the UI asks it for the current question, passes
answers on, and asks for the outcome. Going back replays the answers but the last one, from the
same seed, so the engine's state is always exactly what the remaining answers imply.

In a guided session (mode ``guided``) a mediator sits with the visitor: questions are phrased
for the mediator where the bank says how ("La personne sait-elle ..."), the engine may also ask
observed tasks, and the outcome carries what the mediator recorded from the bank's lists.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Literal, TypeVar

from kiosk import paths
from kiosk.bank.model import (
    AGE_QUESTION,
    Bank,
    CanDoItem,
    ContextQuestion,
    KnowledgeItem,
    Option,
    ScoredItem,
)
from kiosk.datafile import DataFileError, Problem, Text, load_model, problem_at
from kiosk.domain import DOMAIN_IDS, Completion, Mode
from kiosk.engine.pool import ItemPool
from kiosk.engine.session import AdaptiveSession, Estimate
from kiosk.records import (
    REASON_QUESTION,
    AnswerSheet,
    Counted,
    GuidedOutcome,
    StoredVisit,
    VisitRecord,
    duration_band,
    given,
    iso_week,
    new_result_id,
    quarter,
)
from kiosk.routing import Decision, Router
from kiosk.site import Site

ModelT = TypeVar("ModelT", Bank, Site)


@dataclass(frozen=True)
class Assessment:
    """What a kiosk needs to run assessments: built once, shared by every visit."""

    bank: Bank
    pool: ItemPool
    router: Router
    site: Site

    @classmethod
    def from_bank(cls, bank: Bank, site: Site) -> Assessment:
        return cls(bank, ItemPool.from_bank(bank), Router(bank), site)


def load_assessment(bank: Path | None = None, site: Path | None = None) -> Assessment:
    """The questionnaire and site files (by default the bundled ones), checked and compiled.

    Raises ``DataFileError`` with the problems of both files at once, so that whoever fixes
    them sees everything there is to fix.
    """
    problems: list[Problem] = []

    def load(path: Path, model: type[ModelT]) -> ModelT | None:
        try:
            return load_model(path, model)
        except DataFileError as exc:
            problems.extend(exc.problems)
            return None

    bank_path, site_path = bank or paths.default_bank(), site or paths.default_site()
    loaded_bank = load(bank_path, Bank)
    loaded_site = load(site_path, Site)
    if loaded_bank is None or loaded_site is None:
        raise DataFileError(problems)
    # A visitor may switch to any language of the questionnaire; the offers must follow.
    unspoken = [lang for lang in loaded_bank.languages if lang not in loaded_site.languages]
    if unspoken:
        raise DataFileError([problem_at(
            site_path, ("languages",),
            f"no texts in {', '.join(unspoken)}, which the questionnaire {bank_path} speaks: "
            "add the language(s) here and to every text",
        )])
    return Assessment.from_bank(loaded_bank, loaded_site)


@dataclass(frozen=True)
class Question:
    """One screen's question, whatever its kind."""

    id: str
    kind: Literal["context", "can_do", "knowledge", "observed"]
    text: Text  # in the mediator's words in a guided session, where the bank has them
    options: tuple[Option, ...]
    dont_know: bool
    answers: tuple[str, ...]  # what it accepts: the options, and "je ne sais pas" if offered
    domain: str | None = None


@dataclass(frozen=True)
class MediatorNotes:
    """What a mediator recorded at the end of a guided session, from the bank's lists."""

    outcome: GuidedOutcome = field(default_factory=GuidedOutcome)
    themes: tuple[str, ...] = ()

    def problems(self, bank: Bank) -> list[str]:
        """What is not on the bank's lists (nothing, for notes taken from them)."""
        lists = bank.mediator
        if lists is None:
            return ["this questionnaire has no lists for what a mediator records"]
        found = [f"unknown theme '{t}'" for t in self.themes
                 if t not in {o.id for o in lists.themes}]
        chosen = self.outcome
        for name, value in (("autonomy", chosen.autonomy), ("redirection", chosen.redirection),
                            ("length", chosen.length),
                            ("override_reasons", chosen.override and chosen.override.reason)):
            if value is not None and value not in {o.id for o in getattr(lists, name)}:
                found.append(f"'{value}' is not one of the {name} of the questionnaire")
        return found


@dataclass(frozen=True)
class Outcome:
    """A finished visit: what is kept (``stored``), and what is only shown."""

    record: VisitRecord
    sheet: AnswerSheet | None  # None when no skill question was answered
    counted: Counted
    decision: Decision
    estimate: Estimate | None
    # The context answers, only to choose the offers shown (how the visitor prefers to be
    # helped); never stored, gone with the visit.
    context: Mapping[str, str] = field(default_factory=dict)

    @property
    def stored(self) -> StoredVisit:
        return StoredVisit(self.record, self.sheet, self.counted)

    def noted(self, bank: Bank, notes: MediatorNotes) -> Outcome:
        """The same guided visit with what the mediator recorded (the same result id: the
        result was shown, and its code given, before the notes were taken)."""
        problems = notes.problems(bank) if self.record.mode == "guided" else [
            "only a guided session has a mediator's notes"]
        if problems:
            raise ValueError("; ".join(problems))
        record = self.record.model_copy(update={"guided": notes.outcome})
        counted = self.counted.model_copy(update={"themes": list(notes.themes)})
        return replace(self, record=VisitRecord.model_validate(record.model_dump()),
                       counted=counted)


class Visit:
    def __init__(
        self,
        assessment: Assessment,
        language: str,
        mode: Mode = "self",
        seed: int | None = None,
        clock: Callable[[], float] = time.monotonic,
        today: Callable[[], date] = date.today,
        earlier: Mapping[str, int] | None = None,
    ) -> None:
        """``earlier``: in a guided session that continues a result the visitor reached alone
        at the kiosk, that result's levels (the engine starts from them)."""
        self.assessment = assessment
        self.language = language
        self.mode: Mode = mode
        self.earlier = dict(earlier or {})
        self._seed = secrets.randbits(63) if seed is None else seed
        self._clock = clock
        self._today = today
        self._started = clock()
        self._history: list[tuple[str, str]] = []
        self._replay()

    # -- the questions ------------------------------------------------------------------------

    @property
    def current(self) -> Question | None:
        """The question on screen now; None once the assessment is over."""
        pending = self._next_context_question()
        if pending is not None:
            prompt = pending.guided if self.guided and pending.guided else pending.prompt
            return Question(pending.id, "context", prompt, self._phrased(pending.options),
                            pending.dont_know, tuple(pending.answer_ids()))
        item = self._session.current if self._session else None
        return None if item is None else self._item_question(item)

    @property
    def finished(self) -> bool:
        return self.current is None

    @property
    def answered(self) -> int:
        return len(self._history)

    @property
    def context(self) -> dict[str, str]:
        """The context answers given so far."""
        return dict(self._context)

    @property
    def can_go_back(self) -> bool:
        return bool(self._history)

    def answer(self, option_id: str) -> None:
        question = self.current
        if question is None:
            raise RuntimeError("the assessment is over")
        if option_id not in question.answers:
            raise ValueError(f"'{option_id}' is not an answer of '{question.id}'")
        if question.kind == "context":
            self._context[question.id] = option_id
            self._history.append((question.id, option_id))
            if self._next_context_question() is None:
                self._start_engine()
        else:
            assert self._session is not None
            self._session.answer(option_id)
            self._history.append((question.id, option_id))

    def back(self) -> bool:
        """Undo the last answer; False when there is nothing to go back to."""
        if not self._history:
            return False
        self._history.pop()
        self._replay()
        return True

    def remaining_estimate(self) -> int:
        pending = sum(1 for _ in self._pending_context())
        engine = self._session.remaining_estimate() if self._session else (
            self.assessment.bank.engine.typical_questions
        )
        return pending + engine

    # -- the result ---------------------------------------------------------------------------

    @property
    def guided(self) -> bool:
        return self.mode == "guided"

    def outcome(self, completion: Completion = "completed") -> Outcome:
        bank = self.assessment.bank
        estimate = self._session.estimate() if self._session and self._session.asked else None
        levels = estimate.levels if estimate else {}
        facts_levels = levels or dict.fromkeys(DOMAIN_IDS, 0)
        decision = self.assessment.router.decide(
            facts_levels, self._context, completion,
            estimate.dont_know_share if estimate else 0.0,
            estimate.answered if estimate else 0,
            estimate.uncertain if estimate else None,
        )
        today = self._today()
        record = VisitRecord(
            result_id=new_result_id(),
            questionnaire_id=bank.id,
            questionnaire_version=bank.version,
            site_id=self.assessment.site.id,
            mode=self.mode,
            iso_week=iso_week(today),
            duration=duration_band((self._clock() - self._started) / 60),
            questions_asked=self._session.asked if self._session else 0,
            completion=completion,
            levels=levels,
            pathway=decision.pathway,
            follow_up=bool(self.earlier),
        )
        counted = Counted(
            site_id=record.site_id, iso_week=record.iso_week, language=self.language,
            age_band=given(self._context.get(AGE_QUESTION)),
            reason=given(self._context.get(REASON_QUESTION)), needs=list(decision.needs),
            pathway=decision.pathway,
        )
        answers = dict(self._session.answers) if self._session else {}
        sheet = AnswerSheet(
            questionnaire_id=bank.id, questionnaire_version=bank.version,
            quarter=quarter(today), answers=answers,
        ) if answers else None
        return Outcome(record, sheet, counted, decision, estimate, dict(self._context))

    # -- internals ----------------------------------------------------------------------------

    def _replay(self) -> None:
        history, self._history = self._history, []
        self._context: dict[str, str] = {}
        self._session: AdaptiveSession | None = None
        if self._next_context_question() is None:
            self._start_engine()
        for _, option_id in history:
            self.answer(option_id)

    def _start_engine(self) -> None:
        a = self.assessment
        self._session = AdaptiveSession(a.pool, a.router, self._context, seed=self._seed,
                                        guided=self.guided, earlier=self.earlier)

    def _pending_context(self) -> list[ContextQuestion]:
        return [
            q
            for q in self.assessment.bank.context
            if q.id not in self._context and not q.is_skipped(self._context)
        ]

    def _next_context_question(self) -> ContextQuestion | None:
        pending = self._pending_context()
        return pending[0] if pending else None

    def _phrased(self, options: Sequence[Option]) -> tuple[Option, ...]:
        return tuple(option.phrased(self.guided) for option in options)

    def _item_question(self, item: ScoredItem) -> Question:
        bank = self.assessment.bank
        answers = tuple(item.answer_ids(bank.scale))
        if isinstance(item, CanDoItem):
            text = item.guided if self.guided and item.guided else item.statement
            return Question(item.id, "can_do", text, self._phrased(bank.scale.options), True,
                            answers, item.domain)
        if isinstance(item, KnowledgeItem):
            return Question(item.id, "knowledge", item.prompt, tuple(item.options), True,
                            answers, item.domain)
        assert bank.observation is not None, "the bank validator requires it"
        return Question(item.id, "observed", item.task, bank.observation.options(), True,
                        answers, item.domain)
