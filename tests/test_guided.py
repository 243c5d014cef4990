"""Guided sessions without the screens: observed tasks in the bank and the engine, the
mediator's phrasing and lists, what is kept."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from test_loader import broken, validate

from kiosk.bank.model import Bank, ObservedItem
from kiosk.domain import DOMAIN_IDS, DONT_KNOW
from kiosk.engine.session import AdaptiveSession
from kiosk.records import GuidedOutcome, PathwayOverride, VisitRecord
from kiosk.visit import Assessment, MediatorNotes, Visit

AT_EASE = {"visit_reason": "learn", "urgency": "no", "equipment": "phone_and_computer",
           "internet_home": "yes", "email": "yes", "digital_identity": "yes",
           "help_preference": "either", "age_band": "45-64"}


def claims_alone(assessment: Assessment, mode: str, seed: int, fail: bool = True
                 ) -> tuple[Visit, str]:
    """Someone who says "alone" to every statement, knows every answer, and does every task
    but those of the domain of the first task asked; returns the visit and that domain."""
    visit = Visit(assessment, "fr", mode=mode, seed=seed)  # type: ignore[arg-type]
    failed = ""
    while (question := visit.current) is not None:
        if question.kind == "context":
            visit.answer(AT_EASE[question.id])
        elif question.kind == "can_do":
            visit.answer("alone")
        elif question.kind == "observed":
            failed = failed or (question.domain or "")
            visit.answer("not_done" if fail and question.domain == failed else "done")
        else:
            visit.answer(assessment.bank.item(question.id).correct)  # type: ignore[union-attr]
    return visit, failed


def test_the_bank_has_two_observed_tasks_per_domain_in_both_languages(bank: Bank) -> None:
    tasks = [item for item in bank.items if isinstance(item, ObservedItem)]
    for domain in DOMAIN_IDS:
        mine = [t for t in tasks if t.domain == domain]
        assert len(mine) >= 2, domain
        assert all(t.task.fr and t.task.en for t in mine)
    statements = [i for i in bank.items if i.kind == "can_do"]
    # They discriminate more than any statement: they weigh more, before the bias even counts.
    assert min(t.params.a for t in tasks) > max(s.params.a for s in statements)
    assert all(s.guided is not None and s.guided.fr.startswith("La personne") for s in statements)


@pytest.mark.parametrize("seed", range(12))
def test_claiming_alone_but_failing_the_watched_task_ends_below_alone(
    assessment: Assessment, seed: int
) -> None:
    guided, failed = claims_alone(assessment, "guided", seed)
    assert failed, "a guided session asks observed tasks"
    assert guided.outcome().record.levels[failed] < 2
    alone, _ = claims_alone(assessment, "self", seed)
    assert alone.outcome().record.levels[failed] >= 2  # the same claims, alone at the kiosk


def test_doing_the_tasks_confirms_the_claims(assessment: Assessment) -> None:
    visit, _ = claims_alone(assessment, "guided", seed=3, fail=False)
    assert min(visit.outcome().record.levels.values()) >= 2


def test_observed_tasks_only_in_guided_sessions_and_in_the_mediators_words(
    assessment: Assessment,
) -> None:
    alone = Visit(assessment, "fr", seed=1)
    guided = Visit(assessment, "fr", mode="guided", seed=1)
    # The mediator asks every context question first, in the mediator's words.
    assert guided.current.text.fr.startswith("La personne")  # type: ignore[union-attr]
    assert "vous" in alone.current.text.fr  # type: ignore[union-attr]
    kinds = set()
    for visit in (alone, guided):
        while (question := visit.current) is not None:
            kinds.add((visit.mode, question.kind))
            visit.answer(question.answers[0])
    assert ("guided", "observed") in kinds and ("self", "observed") not in kinds
    # Nothing is left for after the result: the mediator asked why the person came, and
    # their age band, with the rest.
    assert guided.after_result() == [] and alone.after_result() != []
    assert not AdaptiveSession(assessment.pool, assessment.router, AT_EASE, seed=0).pool.eligible(
        AT_EASE)[[isinstance(i, ObservedItem) for i in assessment.pool.items]].any()


def test_a_watched_task_outweighs_a_statement_that_contradicts_it(
    assessment: Assessment,
) -> None:
    """One statement "alone" and one task "not done" in the same domain: the mark wins; and
    the other way round."""
    pool = assessment.pool

    def below_alone(answers: list[tuple[str, str]]) -> float:
        session = AdaptiveSession(pool, assessment.router, AT_EASE, seed=0, guided=True)
        for item_id, answer in answers:
            session._current = pool.index[item_id]
            session.answer(answer)
        domain = assessment.bank.item(answers[0][0]).domain
        return sum(session.estimate().level_probabilities[domain][:2])

    for domain in DOMAIN_IDS:
        statement = max((i for i in pool.items if i.kind == "can_do" and i.domain == domain),
                        key=lambda i: i.params.a)
        for task in (i for i in pool.items if i.kind == "observed" and i.domain == domain):
            assert below_alone([(statement.id, "alone"), (task.id, "not_done")]) > 0.5, task.id
            assert below_alone([(statement.id, "with_help"), (task.id, "done")]) < 0.5, task.id


def test_not_tried_tells_nothing_and_is_not_the_visitors_not_sure(assessment: Assessment) -> None:
    session = AdaptiveSession(assessment.pool, assessment.router, AT_EASE, seed=0, guided=True)
    before = session.estimate().ability
    task = next(i for i in assessment.pool.items if i.kind == "observed")
    session._current = assessment.pool.index[task.id]
    session.answer(DONT_KNOW)  # "not tried"
    estimate = session.estimate()
    assert estimate.ability == pytest.approx(before)
    assert estimate.dont_know_share == 0.0 and estimate.answered == 0


def test_a_continued_session_starts_from_the_earlier_levels(assessment: Assessment) -> None:
    low = dict.fromkeys(DOMAIN_IDS, 0)
    high = dict.fromkeys(DOMAIN_IDS, 3)
    means = {}
    for name, levels in (("low", low), ("high", high)):
        session = AdaptiveSession(assessment.pool, assessment.router, AT_EASE, seed=0,
                                  guided=True, earlier=levels)
        means[name] = np.mean(list(session.estimate().ability.values()))
        assert session.asked == 0
    assert means["low"] < -0.5 < 0.5 < means["high"]
    visit = Visit(assessment, "fr", mode="guided", seed=0, earlier=low)
    while (question := visit.current) is not None:
        visit.answer(question.answers[0])
    assert visit.outcome().record.follow_up is True


def test_the_mediators_notes_come_from_the_banks_lists(assessment: Assessment) -> None:
    visit = Visit(assessment, "fr", mode="guided", seed=0)
    while (question := visit.current) is not None:
        visit.answer(question.answers[0])
    outcome = visit.outcome()
    notes = MediatorNotes(
        GuidedOutcome(autonomy="autonome", redirection="aide_sociale", length="<30",
                      override=PathwayOverride(pathway="workshops", reason="person_wish")),
        themes=("email", "sante"))
    noted = outcome.noted(assessment.bank, notes)
    assert noted.record.result_id == outcome.record.result_id  # the code given still opens it
    assert noted.record.guided == notes.outcome
    assert noted.counted.themes == ["email", "sante"]
    with pytest.raises(ValueError, match="unknown theme 'astrologie'"):
        outcome.noted(assessment.bank, MediatorNotes(themes=("astrologie",)))
    with pytest.raises(ValueError, match="'made_up' is not one of the override_reasons"):
        outcome.noted(assessment.bank, MediatorNotes(GuidedOutcome(
            override=PathwayOverride(pathway="autonomy", reason="made_up"))))
    alone = Visit(assessment, "fr", seed=0)
    while (question := alone.current) is not None:
        alone.answer(question.answers[0])
    with pytest.raises(ValueError, match="only a guided session"):
        alone.outcome().noted(assessment.bank, notes)
    with pytest.raises(ValueError, match="only a guided session"):
        VisitRecord.model_validate({**alone.outcome().record.model_dump(), "follow_up": True})


@pytest.mark.parametrize(("old", "new", "message"), [
    ("params: {a: 2.6, b: [-1.4, -0.4]}", "params: {a: 2.6, b: [-0.4, -1.4]}",
     "thresholds b must increase"),
    ("params: {a: 2.6, b: [-1.4, -0.4]}", "params: {a: 2.6, b: [-1.4, -0.4, 0.5]}",
     "at most 2 items"),
    ("    - id: entierement_accompagne", "    - id: un_peu_perdu", "'un_peu_perdu' is not stored"),
    ("    - id: mediation_numerique", "    - id: administration", "duplicate redirection id"),
    ("    - id: \"<30\"", "    - id: \"<20\"", "the length ids are"),
    ("  with_help: {fr: \"Fait avec de l'aide\", en: \"Done with help\"}\n",
     "  with_help: {fr: \"Fait avec de l'aide\"}\n", "missing translation(s): en"),
])
def test_broken_guided_parts_of_the_bank_name_the_line(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    path, line = broken(tmp_path, old, new)
    code, lines = validate(path)
    assert code == 1
    assert any(f"bank.yaml:{line}:" in entry and message in entry for entry in lines), lines


def test_an_observed_task_needs_the_observation_labels(tmp_path: Path) -> None:
    text = Path(broken(tmp_path, "observation:\n", "observation_gone:\n")[0]).read_text()
    start = text.index("observation_gone:")
    end = text.index("\n\n", start)
    path = tmp_path / "bank.yaml"
    path.write_text(text[:start] + text[end + 2:], encoding="utf-8")
    code, lines = validate(path)
    assert code == 1 and any("needs the bank's 'observation' labels" in e for e in lines), lines
