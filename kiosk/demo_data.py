"""Synthetic results for demonstrations and benchmarks, drawn through the real engine.

Simulated visitors come from :class:`Population`: who comes to a digital-inclusion desk (mostly
French speakers, many older people, most of them there for an online procedure), with true
per-domain abilities from a normal law with correlation 0.7 between domains (digital skills go
together) whose mean falls with age. Each visitor answers the context questions from the
population's shares and each question the engine asks by sampling from that item's own model at
their ability (with a few "je ne sais pas"). A share of visits are guided sessions, where the
mediator marks the observed tasks from their own model too and then records, from the bank's
lists, themes, autonomy, orientation, length and now and then another pathway. Every record is
flagged ``synthetic``.

The engine takes about 15 ms per visitor, so at most ``engine_visits`` visitors are simulated
in full; a larger count is reached by resampling those results with new random ids and weeks
(the levels, pathway, answers and counts of a resampled visit are those of a simulated one).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import numpy as np

from kiosk.bank.model import AGE_QUESTION, DONT_KNOW, OBSERVED_MARKS, Bank, CanDoItem, ObservedItem
from kiosk.domain import DOMAIN_IDS, Mode
from kiosk.records import GuidedOutcome, PathwayOverride, StoredVisit, iso_week
from kiosk.visit import Assessment, MediatorNotes, Outcome, Question, Visit

ENGINE_VISITS = 1000
CORRELATION = 0.7
DONT_KNOW_RATE = 0.04
ABANDON_RATE = 0.05
SPAN_WEEKS = 130  # spread over about 30 months, so that a 24-month retention has work to do

Shares = Mapping[str, float]


@dataclass(frozen=True)
class Population:
    """Who comes to the kiosk, as shares; the assumptions are written out here, not hidden.

    The shares are rough figures of French and Swiss digital-inclusion desks (mostly French
    speakers, older people over-represented, online procedures the first reason); "not given"
    is the share that skips the optional age question.
    """

    languages: Shares = field(default_factory=lambda: {"fr": 0.88, "en": 0.12})
    age_bands: Shares = field(default_factory=lambda: {
        "<25": 0.08, "25-44": 0.22, "45-64": 0.27, "65-79": 0.25, "80+": 0.08,
        "not_given": 0.10})
    # mean ability by age band (the ability scale is N(0, 1) over the general population)
    ability_by_age: Shares = field(default_factory=lambda: {
        "<25": 0.3, "25-44": 0.0, "45-64": -0.4, "65-79": -0.9, "80+": -1.4, "not_given": -0.4})
    context: Mapping[str, Shares] = field(default_factory=lambda: {
        "visit_reason": {"procedure": 0.42, "job": 0.12, "health": 0.08, "device_problem": 0.16,
                         "learn": 0.14, "other": 0.05, DONT_KNOW: 0.03},
        "urgency": {"today": 0.25, "later": 0.35, "no": 0.40},
        "help_preference": {"individual": 0.5, "group": 0.15, "either": 0.35},
    })
    guided_share: float = 0.15  # visits a mediator guides, at the desk
    override_share: float = 0.1  # guided sessions where the mediator chooses another pathway

    def draw(self, rng: np.random.Generator) -> tuple[str, dict[str, str], np.ndarray]:
        """One visitor: language, context answers, true abilities."""
        age = _pick(rng, self.age_bands)
        size = len(DOMAIN_IDS)
        covariance = np.full((size, size), CORRELATION) + (1 - CORRELATION) * np.eye(size)
        ability = rng.multivariate_normal(np.full(size, self.ability_by_age[age]), covariance)
        general = float(ability.mean())
        context = {question: _pick(rng, shares) for question, shares in self.context.items()}
        # Equipment, a connection and the online identities follow ability: the least at ease
        # are the ones without them.
        context |= {
            "equipment": _pick(rng, {"phone_and_computer": _logistic(general + 0.3),
                                     "phone_only": 0.6, "computer_only": 0.1,
                                     "none": _logistic(-general - 2.5)}),
            "internet_home": _pick(rng, {"yes": _logistic(general + 1.5), "phone_data": 0.25,
                                         "no": 0.1}),
            "email": _pick(rng, {"yes": _logistic(general + 1.5), "forgotten": 0.12,
                                 "no": _logistic(-general - 1.5)}),
            "digital_identity": _pick(rng, {"yes": _logistic(general + 0.5),
                                            "no": _logistic(-general - 0.5)}),
        }
        if age != "not_given":
            context[AGE_QUESTION] = age
        return _pick(rng, self.languages), context, ability


def _pick(rng: np.random.Generator, shares: Shares) -> str:
    weights = np.array(list(shares.values()), dtype=float)
    return list(shares)[int(rng.choice(len(weights), p=weights / weights.sum()))]


def _logistic(x: float) -> float:
    return float(1 / (1 + np.exp(-x)))


def simulated_visit(
    assessment: Assessment, rng: np.random.Generator, day: date,
    population: Population | None = None,
) -> Outcome:
    population = population or Population()
    guided = rng.random() < population.guided_share
    outcome = visit_of(assessment, rng, day, *population.draw(rng),
                       mode="guided" if guided else "self")
    if guided and outcome.record.completion == "completed" and assessment.bank.mediator:
        outcome = outcome.noted(assessment.bank, mediator_notes(
            assessment.bank, outcome.record.pathway, rng, population.override_share))
    return outcome


def mediator_notes(bank: Bank, pathway: str, rng: np.random.Generator,
                   override_share: float) -> MediatorNotes:
    """What a mediator might record, drawn from the bank's lists."""
    lists = bank.mediator
    assert lists is not None

    def one(options: list[str]) -> str:
        return options[int(rng.integers(len(options)))]

    themes = [o.id for o in lists.themes]
    others = [p.id for p in bank.pathways if p.id != pathway]
    override = None
    if rng.random() < override_share:
        override = PathwayOverride(pathway=one(others),  # type: ignore[arg-type]
                                   reason=one([o.id for o in lists.override_reasons]))
    return MediatorNotes(
        GuidedOutcome.model_validate({
            "autonomy": one([o.id for o in lists.autonomy]),
            "redirection": one([o.id for o in lists.redirection]) if rng.random() < 0.5
            else None,
            "length": one([o.id for o in lists.length]),
            "override": override,
        }),
        tuple(rng.choice(themes, size=int(rng.integers(1, 3)), replace=False).tolist()),
    )


def visit_of(
    assessment: Assessment, rng: np.random.Generator, day: date, language: str,
    context: Mapping[str, str], ability: np.ndarray, mode: Mode = "self",
) -> Outcome:
    """The outcome of one simulated visitor's assessment, flagged synthetic."""
    minutes = float(rng.gamma(4.0, 1.0))
    clock = iter([0.0, minutes * 60]).__next__
    noon = datetime.combine(day, time(12))
    visit = Visit(assessment, language, mode=mode, seed=int(rng.integers(2**62)), clock=clock,
                  now=lambda: noon)
    leaves_after = int(rng.integers(1, 12)) if rng.random() < ABANDON_RATE else None
    while (question := visit.current) is not None and visit.answered != leaves_after:
        visit.answer(answer_as(assessment, question, context, ability, rng))
    outcome = visit.outcome("completed" if visit.finished else "abandoned")
    if visit.finished:  # the optional questions after the result
        for question in visit.after_result():
            visit.answer_after_result(question.id,
                                      answer_as(assessment, question, context, ability, rng))
    sheet = outcome.sheet and outcome.sheet.model_copy(update={"synthetic": True})
    return Outcome(
        outcome.record.model_copy(update={"result_id": _random_id(rng), "synthetic": True}),
        sheet, visit.counted(outcome).model_copy(update={"synthetic": True}),
        outcome.decision, outcome.estimate)


def answer_as(
    assessment: Assessment, question: Question, context: Mapping[str, str],
    ability: np.ndarray, rng: np.random.Generator,
) -> str:
    """What a visitor with these context answers and abilities answers to ``question``."""
    if question.kind == "context":
        allowed = {o.id for o in question.options} | ({DONT_KNOW} if question.dont_know else set())
        chosen = context.get(question.id, DONT_KNOW)
        return chosen if chosen in allowed else question.options[0].id
    if rng.random() < DONT_KNOW_RATE:
        return DONT_KNOW
    index = assessment.pool.index[question.id]
    item = assessment.pool.items[index]
    theta = np.array(ability[assessment.pool.domain_of[index]])
    probabilities = assessment.pool.models[index].probabilities(theta).ravel()
    response = int(rng.choice(len(probabilities), p=probabilities / probabilities.sum()))
    if isinstance(item, CanDoItem):
        return assessment.bank.scale.options[response].id
    if isinstance(item, ObservedItem):
        return OBSERVED_MARKS[response]
    wrong = [o.id for o in item.options if o.id != item.correct]
    return item.correct if response == 1 else wrong[rng.integers(len(wrong))]


def synthetic_records(
    assessment: Assessment, count: int, seed: int | None = None, today: date | None = None,
    engine_visits: int = ENGINE_VISITS,
) -> Iterator[StoredVisit]:
    """``count`` synthetic results; the first ``engine_visits`` drawn through the engine.

    No seed: a different draw every time, so that running the command twice adds twice.
    """
    rng = np.random.default_rng(seed)
    end = today or date.today()

    def random_day() -> date:
        return end - timedelta(days=int(rng.integers(SPAN_WEEKS * 7)))

    drawn: list[StoredVisit] = []
    for n in range(count):
        if n < engine_visits:
            drawn.append(simulated_visit(assessment, rng, random_day()).stored)
            yield drawn[-1]
        else:
            record, sheet, counted = drawn[int(rng.integers(len(drawn)))]
            day = random_day()
            week = iso_week(day)
            yield StoredVisit(
                record.model_copy(update={"result_id": _random_id(rng), "iso_week": week}),
                sheet and sheet.for_day(day),
                counted and counted.model_copy(update={"iso_week": week}))


def _random_id(rng: np.random.Generator) -> str:
    return rng.bytes(16).hex()
