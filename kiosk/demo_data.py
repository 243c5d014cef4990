"""Synthetic results for demonstrations and benchmarks, drawn through the real engine.

Simulated visitors get true per-domain abilities from a normal law with correlation 0.7 between
domains (digital skills go together), answer context questions at random, and answer each
question the engine asks by sampling from that item's own model at their ability (with a few
"je ne sais pas"). Every record is flagged ``synthetic``.

The engine takes about 15 ms per visitor, so at most ``engine_visits`` visitors are simulated
in full; a larger count is reached by resampling those results with new random ids, weeks and
durations (the levels, pathway and answers of a resampled record are those of a simulated one).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import numpy as np

from kiosk.bank.model import DONT_KNOW, CanDoItem
from kiosk.domain import DOMAIN_IDS
from kiosk.records import AssessmentRecord, iso_week
from kiosk.visit import Assessment, Question, Visit

ENGINE_VISITS = 1000
CORRELATION = 0.7
DONT_KNOW_RATE = 0.04
ABANDON_RATE = 0.05
SPAN_WEEKS = 130  # spread over about 30 months, so that a 24-month retention has work to do


def simulated_visit(
    assessment: Assessment, rng: np.random.Generator, day: date
) -> AssessmentRecord:
    size = len(DOMAIN_IDS)
    covariance = np.full((size, size), CORRELATION) + (1 - CORRELATION) * np.eye(size)
    ability = rng.multivariate_normal(np.zeros(size), covariance)
    minutes = float(rng.gamma(4.0, 1.0))
    clock = iter([0.0, minutes * 60]).__next__
    visit = Visit(assessment, rng.choice(assessment.bank.languages), seed=int(rng.integers(2**62)),
                  clock=clock, today=lambda: day)
    leaves_after = int(rng.integers(1, 12)) if rng.random() < ABANDON_RATE else None
    while (question := visit.current) is not None and visit.answered != leaves_after:
        visit.answer(_answer(assessment, question, ability, rng))
    completion = "completed" if visit.finished else "abandoned"
    return visit.outcome(completion).record.model_copy(
        update={"result_id": _random_id(rng), "synthetic": True})


def _answer(
    assessment: Assessment, question: Question, ability: np.ndarray, rng: np.random.Generator
) -> str:
    if question.kind == "context":
        return question.options[rng.integers(len(question.options))].id
    if rng.random() < DONT_KNOW_RATE:
        return DONT_KNOW
    index = assessment.pool.index[question.id]
    item = assessment.pool.items[index]
    theta = np.array(ability[assessment.pool.domain_of[index]])
    probabilities = assessment.pool.models[index].probabilities(theta).ravel()
    response = int(rng.choice(len(probabilities), p=probabilities / probabilities.sum()))
    if isinstance(item, CanDoItem):
        return assessment.bank.scale.options[response].id
    wrong = [o.id for o in item.options if o.id != item.correct]
    return item.correct if response == 1 else wrong[rng.integers(len(wrong))]


def synthetic_records(
    assessment: Assessment, count: int, seed: int = 0, today: date | None = None,
    engine_visits: int = ENGINE_VISITS,
) -> Iterator[AssessmentRecord]:
    """``count`` synthetic records; the first ``engine_visits`` drawn through the engine."""
    rng = np.random.default_rng(seed)
    end = today or date.today()

    def random_day() -> date:
        return end - timedelta(days=int(rng.integers(SPAN_WEEKS * 7)))

    drawn: list[AssessmentRecord] = []
    for n in range(count):
        if n < engine_visits:
            drawn.append(simulated_visit(assessment, rng, random_day()))
            yield drawn[-1]
        else:
            base = drawn[int(rng.integers(len(drawn)))]
            yield base.model_copy(update={
                "result_id": _random_id(rng),
                "iso_week": iso_week(random_day()),
                "duration_minutes": max(0, base.duration_minutes + int(rng.integers(-2, 3))),
            })


def _random_id(rng: np.random.Generator) -> str:
    return rng.bytes(16).hex()
