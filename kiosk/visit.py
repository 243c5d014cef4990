"""One visitor at the kiosk, from the first question to the stored result.

This is the whole assessment without any screen: the UI asks it for the current question, passes
answers on, and asks for the outcome. Context questions come only when their answer can change
something for this visitor (``kiosk.context_plan``), some first, some between or after the skill
questions; the ones that serve statistics only come after the result, optional. Going back
replays the answers but the last one, from the same seed, so the engine's state is always
exactly what the remaining answers imply.

In a guided session (mode ``guided``) a mediator sits with the visitor: questions are phrased
for the mediator where the bank says how ("La personne sait-elle ..."), the engine may also ask
observed tasks, and the outcome carries what the mediator recorded from the bank's lists.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
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
from kiosk.context_plan import ContextPlanner, Moment
from kiosk.datafile import DataFileError, Problem, Text, load_model, problem_at
from kiosk.domain import DOMAIN_IDS, Completion, Mode
from kiosk.engine.pool import ItemPool
from kiosk.engine.session import AdaptiveSession, Estimate
from kiosk.offers import RANKING_READS, Visitor, choose_offers
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
from kiosk.routing import Decision, Router, context_questions
from kiosk.site import Site

ModelT = TypeVar("ModelT", Bank, Site)


@dataclass(frozen=True)
class Assessment:
    """What a kiosk needs to run assessments: built once, shared by every visit."""

    bank: Bank
    pool: ItemPool
    router: Router
    site: Site
    planner: ContextPlanner

    @classmethod
    def from_bank(cls, bank: Bank, site: Site) -> Assessment:
        router = Router(bank)
        return cls(bank, ItemPool.from_bank(bank), router, site, ContextPlanner(bank, router))


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

    @classmethod
    def of_context(cls, question: ContextQuestion, guided: bool = False) -> Question:
        """A context question, in the mediator's words in a guided session where the bank
        has them."""
        prompt = question.guided if guided and question.guided else question.prompt
        return cls(question.id, "context", prompt,
                   tuple(option.phrased(guided) for option in question.options),
                   question.dont_know, tuple(question.answer_ids()))


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


@dataclass(frozen=True)
class Ranking:
    """The offers a result would show, as the context planner asks for them."""

    assessment: Assessment
    language: str
    now: datetime
    reads: frozenset[str] = RANKING_READS

    def shown(self, context: Mapping[str, str], levels: Mapping[str, int]) -> tuple[str, ...]:
        decision = self.assessment.router.decide(levels, context)
        visitor = Visitor.from_answers(self.language, context)
        chosen = choose_offers(self.assessment.site, decision, levels, visitor, self.now)
        return tuple(shown.offer.id for shown in chosen)


class Visit:
    def __init__(
        self,
        assessment: Assessment,
        language: str,
        mode: Mode = "self",
        seed: int | None = None,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = datetime.now,
        earlier: Mapping[str, int] | None = None,
    ) -> None:
        """``clock`` measures the visit's duration; ``now`` is the local time, for the week
        stored and the opening hours of the offers (both are a test's to set); ``earlier``: in
        a guided session that continues a result the visitor reached alone at the kiosk, that
        result's levels (the engine starts from them)."""
        self.assessment = assessment
        self._language = language
        self.mode: Mode = mode
        self.earlier = dict(earlier or {})
        self._seed = secrets.randbits(63) if seed is None else seed
        self._clock = clock
        self._now = now
        self._started = clock()
        self._history: list[tuple[str, str]] = []
        self._undone: tuple[str, str] | None = None
        self._replay()

    @property
    def language(self) -> str:
        return self._language

    @language.setter
    def language(self, language: str) -> None:
        self._language = language
        self._planned = None  # the offers, and so what is worth asking, speak a language

    # -- the questions ------------------------------------------------------------------------

    @property
    def current(self) -> Question | None:
        """The question on screen now; None once the assessment is over."""
        asking = self._context_question()
        if asking is not None:
            return Question.of_context(asking, self.guided)
        item = self._session.current
        return None if item is None else self._item_question(item)

    @property
    def finished(self) -> bool:
        return self.current is None

    @property
    def answered(self) -> int:
        """Questions answered before the result, context questions included."""
        return len(self._history)

    @property
    def context(self) -> dict[str, str]:
        """The context answers given so far."""
        return dict(self._context)

    @property
    def can_go_back(self) -> bool:
        return bool(self._history)

    @property
    def answer_given(self) -> str | None:
        """The answer the visitor had given to the question on screen, when they came back to
        it: shown, and focused, so that going back never overwrites it unseen."""
        question = self.current
        if self._undone is None or question is None or self._undone[0] != question.id:
            return None
        return self._undone[1]

    def answer(self, option_id: str) -> None:
        question = self.current
        if question is None:
            raise RuntimeError("the assessment is over")
        if option_id not in question.answers:
            raise ValueError(f"'{option_id}' is not an answer of '{question.id}'")
        self._apply(question.id, option_id)
        self._undone = None

    def back(self) -> bool:
        """Undo the last answer; False when there is nothing to go back to."""
        if not self._history:
            return False
        self._undone = self._history.pop()
        self._replay()
        return True

    def remaining(self) -> tuple[int, int]:
        """The fewest and the most questions still to answer before the result, this one
        included: a range that never promises less than may come."""
        if self.finished:
            return 0, 0
        if self.guided:
            fewest, most = self._session.remaining()
            left = len(self._unasked_context())
            return fewest + left, most + left
        moment = self._moment()
        planner = self.assessment.planner
        open_questions = planner.before_result(self._context)
        may = planner.may_still_ask(self._context, moment, self._ranking())
        # Sure to come: it changes something whatever the levels and the other answers, and
        # no answer still to come can skip it.
        sure = [q for q in open_questions
                if (q.skip_if is None or context_questions(q.skip_if) <= self._context.keys())
                and planner.changed(q, self._context, open_questions, moment, always=True).all()]
        fewest, most = self._session.remaining()
        if self._session.finished and self._session.could_resume and may:
            most = self._session.budget - self._session.asked
        most += len(may)
        cap = self._max_total
        if cap is not None:
            most = min(most, cap - len(self._history))
        return min(max(fewest + len(sure), 1), most), most

    # -- after the result ---------------------------------------------------------------------

    def after_result(self) -> list[Question]:
        """The optional questions asked after the result (to help improve the service), those
        not answered yet."""
        return [Question.of_context(q, self.guided) for q in self.assessment.bank.context
                if q.after_result and q.id not in self._context
                and not q.is_skipped(self._context)]

    def answer_after_result(self, question_id: str, option_id: str) -> None:
        question = next((q for q in self.after_result() if q.id == question_id), None)
        if question is None:
            raise ValueError(f"'{question_id}' is not an open question after the result")
        if option_id not in question.answers:
            raise ValueError(f"'{option_id}' is not an answer of '{question_id}'")
        self._context[question_id] = option_id

    def counted(self, outcome: Outcome) -> Counted:
        """What the visit adds to its week's tally, with the answers given after the result."""
        return outcome.counted.model_copy(update={
            "age_band": given(self._context.get(AGE_QUESTION)),
            "reason": given(self._context.get(REASON_QUESTION)),
        })

    # -- the result ---------------------------------------------------------------------------

    @property
    def guided(self) -> bool:
        return self.mode == "guided"

    def outcome(self, completion: Completion = "completed") -> Outcome:
        bank = self.assessment.bank
        session = self._session
        estimate = session.estimate() if session.asked else None
        # Levels are kept for a finished assessment only: a few answers before stopping say
        # too little to count in statistics by level.
        levels = estimate.levels if estimate and completion == "completed" else {}
        facts_levels = levels or dict.fromkeys(DOMAIN_IDS, 0)
        decision = self.assessment.router.decide(
            facts_levels, self._context, completion,
            estimate.dont_know_share if estimate else 0.0,
            estimate.answered if estimate else 0,
            estimate.uncertain if estimate else None,
        )
        today = self._now().date()
        record = VisitRecord(
            result_id=new_result_id(),
            questionnaire_id=bank.id,
            questionnaire_version=bank.version,
            site_id=self.assessment.site.id,
            mode=self.mode,
            iso_week=iso_week(today),
            duration=duration_band((self._clock() - self._started) / 60),
            questions_asked=session.asked,
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
        answers = dict(session.answers)
        sheet = AnswerSheet(
            questionnaire_id=bank.id, questionnaire_version=bank.version,
            quarter=quarter(today), answers=answers,
        ) if answers else None
        return Outcome(record, sheet, counted, decision, estimate, dict(self._context))

    # -- internals ----------------------------------------------------------------------------

    @property
    def _max_total(self) -> int | None:
        """The most questions before the result, context included: a visitor alone keeps the
        visit short; a mediator's session may use the engine's whole budget, which its watched
        tasks need."""
        return None if self.guided else self.assessment.bank.engine.max_total

    def _apply(self, question_id: str, option_id: str) -> None:
        if question_id in self._context_ids:
            self._context[question_id] = option_id
            self._session.update_context(self._context)
        else:
            self._session.answer(option_id)
        self._history.append((question_id, option_id))
        self._planned = None
        most = self._max_total
        if most is not None:
            # The skill questions leave room for the context questions answered, and for those
            # likely to come.
            asked = len(self._history) - self._session.asked
            self._session.limit(most - asked - len(self._likely_context()))

    def _likely_context(self) -> list[ContextQuestion]:
        """The open context questions whose answer, now, matters enough to be asked."""
        planner, moment = self.assessment.planner, self._moment()
        open_questions = planner.before_result(self._context)
        weights = moment.vector_probabilities
        return [q for q in open_questions if weights[planner.changed(
            q, self._context, open_questions, moment)].sum() >= planner.settings.ask_at]

    def _replay(self) -> None:
        """The answers in ``_history`` applied again to a new session from the same seed; the
        questions they answer are those recorded (a language switch since cannot change them)."""
        history, self._history = self._history, []
        self._context: dict[str, str] = {}
        a = self.assessment
        self._context_ids = {q.id for q in a.bank.context}
        self._session = AdaptiveSession(a.pool, a.router, {}, seed=self._seed,
                                        guided=self.guided, earlier=self.earlier)
        # The planner's answer for the moment: None until asked, False for "no question".
        self._planned: ContextQuestion | Literal[False] | None = None
        for question_id, option_id in history:
            if question_id not in self._context_ids:
                current = self._session.current
                assert current is not None and current.id == question_id, "replay diverged"
            self._apply(question_id, option_id)

    def _context_question(self) -> ContextQuestion | None:
        """The context question to ask now (computed once per answer); none once the visit
        has asked the bank's ``max_total``."""
        most = self._max_total
        if most is not None and len(self._history) >= most:
            return None
        if self.guided:
            # The mediator asks every context question first, as a conversation: the session
            # is not the visitor's alone at a screen, and the tasks to watch are then chosen
            # knowing the whole context.
            return next(iter(self._unasked_context()), None)
        if self._planned is None:
            self._planned = self.assessment.planner.next_question(
                self._context, self._moment(), self._ranking()
            ) or False
        return self._planned or None

    def _unasked_context(self) -> list[ContextQuestion]:
        return [q for q in self.assessment.bank.context
                if q.id not in self._context and not q.is_skipped(self._context)]

    def _moment(self) -> Moment:
        session = self._session
        return Moment(session.level_vector_probabilities(), session.dont_know_share,
                      session.asked, session.finished)

    def _ranking(self) -> Ranking:
        return Ranking(self.assessment, self.language, self._now())

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
