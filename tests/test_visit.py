"""A whole visit without any screen: scripted answers, routing, back, and the stored record."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime

import numpy as np
import pytest

from kiosk.bank.model import AGE_QUESTION, Bank
from kiosk.demo_data import Population, answer_as
from kiosk.domain import DONT_KNOW
from kiosk.records import REASON_QUESTION, AnswerSheet, VisitRecord
from kiosk.ui.screens.question import ALMOST_DONE
from kiosk.visit import Assessment, Question, Visit


def contexts(bank: Bank, count: int, seed: int) -> list[dict[str, str]]:
    rng = random.Random(seed)
    return [{q.id: rng.choice(q.answer_ids()) for q in bank.context} for _ in range(count)]


Script = Callable[[Question], str]


def lowest(bank: Bank) -> Script:
    """'Not yet' on every statement, a wrong answer to every knowledge check."""

    def answer(question: Question) -> str:
        if question.kind == "can_do":
            return question.options[0].id
        right = bank.item(question.id).correct  # type: ignore[union-attr]
        return next(o.id for o in question.options if o.id != right)

    return answer


def highest(bank: Bank) -> Script:
    """'I could explain it' on every statement, the right answer to every knowledge check."""

    def answer(question: Question) -> str:
        if question.kind == "can_do":
            return question.options[-1].id
        return bank.item(question.id).correct  # type: ignore[union-attr]

    return answer


def visitor(context: dict[str, str], script: Script) -> Script:
    """Context answers from ``context``, scored answers from ``script``."""
    return lambda q: context[q.id] if q.kind == "context" else script(q)


def run(assessment: Assessment, context: dict[str, str], script: Script, seed: int) -> Visit:
    visit = Visit(assessment, "fr", seed=seed)
    answer = visitor(context, script)
    while (question := visit.current) is not None:
        visit.answer(answer(question))
    return visit


def test_lowest_answers_are_never_routed_to_autonomy(bank: Bank, assessment: Assessment) -> None:
    for seed, context in enumerate(contexts(bank, 25, seed=1)):
        outcome = run(assessment, context, lowest(bank), seed).outcome()
        assert outcome.record.pathway != "autonomy", context
        assert max(outcome.record.levels.values()) <= 1


def test_highest_answers_are_always_routed_to_autonomy(bank: Bank, assessment: Assessment) -> None:
    for seed, context in enumerate(contexts(bank, 25, seed=2)):
        # Context answers alone never block autonomy; only "je ne sais pas" everywhere could.
        outcome = run(assessment, context, highest(bank), seed).outcome()
        assert outcome.record.pathway == "autonomy", (context, outcome.record.levels)
        assert min(outcome.record.levels.values()) >= 2


def test_the_series_is_adaptive_and_bounded(bank: Bank, assessment: Assessment) -> None:
    context = contexts(bank, 1, seed=3)[0]
    low = run(assessment, context, lowest(bank), seed=5)
    high = run(assessment, context, highest(bank), seed=5)
    low_items = [i for i, _ in low.outcome().sheet.answers.items()]
    high_items = [i for i, _ in high.outcome().sheet.answers.items()]
    assert low_items != high_items, "different answers lead to different questions"
    for visit in (low, high):
        asked = visit.outcome().record.questions_asked
        assert bank.engine.min_questions <= asked <= bank.engine.max_questions


def test_skip_rules_hide_pointless_questions(bank: Bank, assessment: Assessment) -> None:
    context = {**contexts(bank, 1, seed=4)[0], "email": "no", "equipment": "phone_only"}
    for seed in range(5):
        answers = run(assessment, context, highest(bank), seed).outcome().sheet.answers
        assert not {"com-email", "com-attach", "dev-mouse"} & set(answers)


def test_back_replays_to_exactly_the_same_state(bank: Bank, assessment: Assessment) -> None:
    context = contexts(bank, 1, seed=6)[0]
    visit = Visit(assessment, "fr", seed=11)
    answer = visitor(context, highest(bank))
    seen: list[Question] = []
    for _ in range(8):
        question = visit.current
        assert question is not None
        seen.append(question)
        visit.answer(answer(question))
    after = visit.current
    assert visit.back() and visit.current == seen[-1]
    assert visit.answer_given == answer(seen[-1]), "the answer given is shown again"
    assert visit.back() and visit.current == seen[-2]
    visit.answer(answer(seen[-2]))
    assert visit.answer_given is None, "a new answer forgets the one undone"
    visit.answer(answer(seen[-1]))
    assert visit.current == after
    while visit.back():
        pass
    assert visit.answered == 0 and visit.current == seen[0]


def test_answers_outside_the_question_are_refused(assessment: Assessment) -> None:
    visit = Visit(assessment, "fr", seed=1)
    with pytest.raises(ValueError, match="is not an answer"):
        visit.answer("not-an-option")
    assert visit.answered == 0


def test_record_holds_only_allowed_values(bank: Bank, assessment: Assessment) -> None:
    context = contexts(bank, 1, seed=7)[0]
    clock = iter([100.0, 100.0 + 4 * 60 + 31])
    visit = Visit(
        assessment, "fr", seed=3, clock=lambda: next(clock), now=lambda: datetime(2026, 1, 1, 10)
    )
    while (question := visit.current) is not None:
        visit.answer(visitor(context, lowest(bank))(question))
    outcome = visit.outcome()
    record, sheet = outcome.record, outcome.sheet
    assert record.iso_week == "2026-W01"  # 1 January 2026 is in ISO week 1 of 2026
    assert record.duration == "<5"  # 4 min 31 s
    # What the visitor says of themselves is only counted in the week's tally, and the age
    # band only if given, after the result.
    assert outcome.counted.age_band == "not_given"
    visit.answer_after_result("age_band", "65-79")
    assert visit.counted(outcome).age_band == "65-79"
    assert outcome.counted.iso_week == record.iso_week and outcome.counted.language == "fr"
    assert record.site_id == assessment.site.id
    VisitRecord.model_validate(record.model_dump())
    # The answers go apart, with nothing that ties them to the visit or the place.
    assert sheet is not None and sheet.quarter == "2026-Q1"
    assert set(AnswerSheet.model_fields) == {
        "schema_version", "questionnaire_id", "questionnaire_version", "quarter", "answers",
        "synthetic"}


def test_dont_know_everywhere_leads_to_orientation(bank: Bank, assessment: Assessment) -> None:
    context = contexts(bank, 1, seed=8)[0]
    visit = run(assessment, context, lambda q: DONT_KNOW, seed=1)
    outcome = visit.outcome()
    assert outcome.record.pathway == "orientation"
    assert outcome.record.questions_asked < bank.engine.max_questions, "it does not drag on"


# -- how long a visit is, and what the visitor is told of it -----------------------------------

def population_visit(assessment: Assessment, seed: int, manner: str) -> list[tuple[int, int]]:
    """A visitor of the kiosk's population (context answers that follow their abilities)
    answering a whole visit: as their abilities say, by pressing at random, or "not sure" to
    half the questions. Returns the range of questions left shown before each question."""
    rng = np.random.default_rng(seed)
    language, context, ability = Population().draw(rng)
    visit = Visit(assessment, language, seed=seed)
    shown: list[tuple[int, int]] = []
    while (question := visit.current) is not None:
        shown.append(visit.remaining())
        if manner == "random":
            chosen = question.answers[int(rng.integers(len(question.answers)))]
        elif manner == "not_sure" and question.dont_know and rng.random() < 0.5:
            chosen = DONT_KNOW
        else:
            chosen = answer_as(assessment, question, context, ability, rng)
        visit.answer(chosen)
    assert [q.id for q in visit.after_result()] == [REASON_QUESTION, AGE_QUESTION]
    return shown


@pytest.mark.parametrize("manner", ["own", "random", "not_sure"])
def test_the_range_of_questions_left_is_honest_and_almost_done_shows_twice_at_most(
    assessment: Assessment, manner: str
) -> None:
    lengths = []
    for seed in range(25):
        shown = population_visit(assessment, seed, manner)
        total = len(shown)
        lengths.append(total)
        for asked, (fewest, most) in enumerate(shown):
            assert fewest <= total - asked <= most, (seed, asked, shown)
        assert sum(most <= ALMOST_DONE for _, most in shown) <= 2, shown
    assert max(lengths) <= assessment.bank.engine.max_total  # type: ignore[operator]
    assert min(lengths) < max(lengths), "the length follows the visitor"


def asked_context(visit: Visit) -> list[str]:
    return [q for q, _ in visit.outcome().context.items()]


def test_a_context_question_comes_only_when_its_answer_can_change_something(
    bank: Bank, assessment: Assessment
) -> None:
    at_home = {"equipment": "phone_and_computer", "internet_home": "yes", "email": "yes",
               "digital_identity": "yes", "urgency": "today", "help_preference": "individual",
               REASON_QUESTION: "procedure", AGE_QUESTION: "65-79"}
    for seed in range(4):
        # At ease everywhere: no urgency or form of help changes an autonomy result.
        confident = run(assessment, at_home, highest(bank), seed)
        assert confident.outcome().record.pathway == "autonomy"
        assert {"urgency", "help_preference"}.isdisjoint(asked_context(confident))
        # Not yet anywhere: a procedure due today changes where to go, so it is asked.
        beginner = run(assessment, at_home, lowest(bank), seed)
        assert "urgency" in asked_context(beginner)
        # What serves statistics only is never asked before the result.
        for visit in (confident, beginner):
            assert {REASON_QUESTION, AGE_QUESTION}.isdisjoint(asked_context(visit))
