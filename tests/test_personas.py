"""Scripted visitors, from the first context question to the offers shown.

Each persona answers as a person of known levels would (can-do statements at their level,
knowledge checks right from "alone" up), through the real adaptive engine and routing, with
the Geneva site and a fixed clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pytest

from kiosk import paths
from kiosk.bank.model import Bank, KnowledgeItem
from kiosk.domain import ACCESS_NEEDS, DOMAIN_IDS, DONT_KNOW, PATHWAY_IDS, Completion
from kiosk.offers import Visitor, choose_offers
from kiosk.site import Site
from kiosk.visit import Assessment, Outcome, Visit

MONDAY = datetime(2026, 11, 23, 13, 0)      # no permanence today; Rive gauche tomorrow
WEDNESDAY = datetime(2026, 11, 25, 16, 0)   # Rive droite open now


@dataclass(frozen=True)
class Persona:
    name: str
    language: str
    levels: dict[str, int]
    context: dict[str, str]
    pathway: str
    needs: tuple[str, ...]
    offers: tuple[str, ...]
    now: datetime = MONDAY
    completion: Completion = "completed"
    dont_know_all: bool = False
    stop_after: int | None = None
    says: tuple[str, ...] = field(default=())


def flat(level: int, **overrides: int) -> dict[str, int]:
    return {d: overrides.get(d, level) for d in DOMAIN_IDS}


HAS_ALL = {"equipment": "phone_and_computer", "internet_home": "yes", "email": "yes",
           "digital_identity": "yes"}

PERSONAS = [
    Persona("urgent procedure, little practice", "fr", flat(1),
            {**HAS_ALL, "visit_reason": "procedure", "urgency": "today"},
            "assisted", (), ("permanence-rive-gauche", "permanence-rive-droite"),
            says=("Vous avez une démarche à faire très bientôt.",)),
    Persona("urgent on a Wednesday afternoon, procedures new", "en", flat(2, procedures=0),
            {**HAS_ALL, "visit_reason": "procedure", "urgency": "today"},
            "assisted", (), ("permanence-rive-droite", "permanence-rive-gauche"), now=WEDNESDAY,
            says=("You have something to do online very soon.",)),
    Persona("never used a device, owns none", "fr", flat(0),
            {"equipment": "none", "internet_home": "no", "email": "no",
             "digital_identity": "no", "urgency": "no", "visit_reason": "learn"},
            "assisted", ("equipment", "connectivity", "identity"),
            ("permanence-rive-gauche", "appareils-reconditionnes", "internet-bibliotheques")),
    Persona("beginner on a smartphone, no internet at home", "fr", flat(1, devices=0),
            {**HAS_ALL, "equipment": "phone_only", "internet_home": "no", "urgency": "no",
             "visit_reason": "learn"},
            "first_steps", ("connectivity",),
            ("permanence-rive-gauche", "internet-bibliotheques", "permanence-rive-droite")),
    Persona("beginner without e-mail", "en", flat(1),
            {**HAS_ALL, "email": "no", "urgency": "later", "visit_reason": "job"},
            "first_steps", ("identity",),
            ("permanence-rive-gauche", "permanence-rive-droite", "internet-bibliotheques")),
    Persona("at ease with a phone, weak on safety and procedures", "fr",
            flat(3, safety=0, procedures=1), {**HAS_ALL, "urgency": "no", "visit_reason": "learn"},
            "workshops", (),
            ("permanence-rive-gauche", "permanence-rive-droite", "internet-bibliotheques"),
            says=("Vous savez déjà utiliser un appareil seul·e.",)),
    # Its few questions settle the pathway but read "documents" and "communication" one level
    # up: the library's free internet (documents) then ranks before the other permanence.
    Persona("uses a device, no digital identity", "en", flat(2, documents=0, communication=1),
            {**HAS_ALL, "digital_identity": "no", "urgency": "later"},
            "workshops", ("identity",),
            ("permanence-rive-gauche", "internet-bibliotheques", "permanence-rive-droite")),
    Persona("confident everywhere", "fr", flat(3), {**HAS_ALL, "urgency": "no"},
            "autonomy", (), ("pix", "conferences-permanences")),
    Persona("confident, no internet at home", "en", flat(3),
            {**HAS_ALL, "internet_home": "no", "urgency": "no"},
            "autonomy", ("connectivity",), ("pix", "internet-bibliotheques",
                                            "conferences-permanences")),
    Persona("urgent but capable", "fr", flat(3), {**HAS_ALL, "urgency": "today"},
            "autonomy", (), ("pix", "conferences-permanences")),
    Persona("left after three questions", "fr", flat(1), HAS_ALL, "orientation", (),
            ("permanence-rive-gauche", "permanence-rive-droite"),
            completion="abandoned", stop_after=3,
            says=("Le questionnaire n'est pas allé jusqu'au bout.",)),
    Persona("answers 'je ne sais pas' to everything", "en", flat(1), HAS_ALL, "orientation", (),
            ("permanence-rive-gauche", "permanence-rive-droite"), dont_know_all=True,
            says=("Many questions had no answer that suited you.",)),
    Persona("timed out, no device", "en", flat(0), {**HAS_ALL, "equipment": "none"},
            "orientation", ("equipment",),
            ("permanence-rive-gauche", "appareils-reconditionnes", "permanence-rive-droite"),
            completion="timed_out", stop_after=5),
]


def play(assessment: Assessment, persona: Persona) -> Outcome:
    visit = Visit(assessment, persona.language, seed=7, clock=lambda: 0.0,
                  now=lambda: persona.now)
    while (question := visit.current) is not None:
        if persona.stop_after is not None and visit.answered >= persona.stop_after:
            break
        if question.kind == "context":
            visit.answer(persona.context.get(question.id, DONT_KNOW))
        elif persona.dont_know_all:
            visit.answer(DONT_KNOW)
        elif question.kind == "can_do":
            assert question.domain is not None
            visit.answer(question.options[persona.levels[question.domain]].id)
        else:
            assert question.domain is not None
            item = assessment.bank.item(question.id)
            assert isinstance(item, KnowledgeItem)
            right = item.correct
            wrong = next(o.id for o in question.options if o.id != right)
            visit.answer(right if persona.levels[question.domain] >= 2 else wrong)
    return visit.outcome(persona.completion)


@pytest.mark.parametrize("persona", PERSONAS, ids=[p.name for p in PERSONAS])
def test_persona_gets_the_expected_pathway_needs_and_offers(
    geneva_assessment: Assessment, persona: Persona
) -> None:
    outcome = play(geneva_assessment, persona)
    decision = outcome.decision
    assert decision.pathway == persona.pathway
    assert decision.needs == persona.needs
    # Stored with the result: statistics count pathways and needs.
    assert outcome.record.pathway == persona.pathway
    assert tuple(outcome.decision.needs) == persona.needs
    levels = dict(outcome.record.levels)
    visitor = Visitor.from_answers(persona.language, persona.context)
    shown = choose_offers(geneva_assessment.site, decision, levels, visitor, persona.now)
    assert tuple(s.offer.id for s in shown) == persona.offers
    texts = [r.get(persona.language) for r in decision.reasons]
    assert 1 <= len(texts) <= 3
    for expected in persona.says:
        assert expected in texts


def test_personas_cover_every_pathway_need_and_language(bank: Bank) -> None:
    assert {p.pathway for p in PERSONAS} == set(PATHWAY_IDS)
    assert {n for p in PERSONAS for n in p.needs} == set(ACCESS_NEEDS)
    assert {p.language for p in PERSONAS} == set(bank.languages)
    assert len(PERSONAS) >= 12


def test_the_geneva_site_file_is_the_one_under_test(geneva: Site) -> None:
    assert Path(paths.questionnaires_dir(), "sites", "geneve.yaml").is_file()
    assert geneva.offers[0].hours is not None and date(2026, 11, 24).weekday() == 1
