"""Routing rules as data: every case reaches exactly one pathway, and bad rule sets are errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk import paths
from kiosk.bank.conditions import Facts
from kiosk.bank.coverage import MAX_CHECKS, case_count, cases, routing_problems
from kiosk.bank.model import Bank, RoutingRule
from kiosk.datafile import DataFileError, load_model
from kiosk.domain import COMPLETIONS, DOMAIN_IDS, PATHWAY_IDS, TOP_LEVEL
from kiosk.level_vectors import ALL_LEVEL_VECTORS, vector_index
from kiosk.routing import Router
from kiosk.visit import Assessment

levels_st = st.fixed_dictionaries({d: st.integers(0, TOP_LEVEL) for d in DOMAIN_IDS})


@pytest.fixture(scope="module")
def router(assessment: Assessment) -> Router:
    return assessment.router


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    """The bundled questionnaire as plain data, to be changed and written back."""
    return yaml.safe_load(paths.default_bank().read_text(encoding="utf-8"))


def _rules(bank: Bank) -> tuple[list[Any], dict[str, list[str]]]:
    return [rule.when for rule in bank.routing], bank.context_answers()


@settings(max_examples=300, deadline=None)
@given(levels=levels_st, completion=st.sampled_from(COMPLETIONS), share=st.floats(0, 1),
       answered=st.integers(0, 20),
       uncertain=st.sampled_from([None, "inconsistent", "undecided"]), data=st.data())
def test_every_visitor_reaches_exactly_one_pathway(
    router: Router, levels: dict[str, int], completion: Any, share: float, answered: int,
    uncertain: Any, data: st.DataObject,
) -> None:
    # Each context question: one of its answers, "je ne sais pas", or not asked at all.
    context = data.draw(st.fixed_dictionaries({}, optional={
        q.id: st.sampled_from(q.answer_ids()) for q in router.bank.context
    }))
    decision = router.decide(levels, context, completion, share, answered, uncertain)
    assert decision.pathway in PATHWAY_IDS
    # The single decision and the vectorised table the engine uses agree.
    facts = Facts.single(levels, context, completion, share, answered, uncertain)
    assert router.pathway_ids[router.pathway_indices(facts)[0]] == decision.pathway
    if uncertain is None and completion == "completed":
        table = router.pathway_table(context, share, answered)
        index = vector_index(np.array([[levels[d] for d in DOMAIN_IDS]]))[0]
        assert router.pathway_ids[table[index]] == decision.pathway
    assert 1 <= len(decision.reasons) <= 3
    assert all(r.languages() == set(router.bank.languages) for r in decision.reasons)
    assert len(set(decision.needs)) == len(decision.needs)


def test_rules_too_large_to_check_are_refused_not_checked(router: Router) -> None:
    """A hostile file could name thousands of conditions: the brute force would run for hours."""
    rules, answers = _rules(router.bank)
    leaf = {"level": {"domain": "devices", "at_most": 1}}
    count = case_count(rules, answers)
    huge = RoutingRule.model_validate(
        {"pathway": "assisted", "when": {"any": [leaf] * (MAX_CHECKS // count)}}
    )
    assert [loc for loc, _ in routing_problems([huge.when, *rules], answers)] == [("routing",)]
    assert routing_problems(rules, answers) == []


def test_half_not_sure_sends_to_an_adviser_only_over_enough_answers(router: Router) -> None:
    levels = dict.fromkeys(DOMAIN_IDS, 2)
    rule = next(r.when.dont_know for r in router.bank.routing if hasattr(r.when, "dont_know"))
    early = router.decide(levels, {}, "completed", 0.5, rule.answers - 1)
    enough = router.decide(levels, {}, "completed", 0.5, rule.answers)
    assert early.pathway != "orientation"
    assert enough.pathway == "orientation"


@pytest.mark.parametrize("reason", ["inconsistent", "undecided"])
def test_an_uncertain_estimate_leans_to_a_person(router: Router, reason: Any) -> None:
    settled = router.decide(dict.fromkeys(DOMAIN_IDS, 3), {}, "completed", 0.0, 10, reason)
    assert settled.pathway == "orientation"
    assert settled.reasons[0].languages() == {"fr", "en"}
    # Someone with a procedure today and weak levels still gets one-to-one help now.
    urgent = router.decide(dict.fromkeys(DOMAIN_IDS, 0), {"urgency": "today"}, "completed",
                           0.0, 10, reason)
    assert urgent.pathway == "assisted"


def test_brute_force_covers_every_case_of_the_default_bank(router: Router) -> None:
    total = 0
    for facts in cases(*_rules(router.bank)):
        chosen = router.pathway_indices(facts)
        assert (chosen >= 0).all()
        total += len(chosen)
    assert total >= len(ALL_LEVEL_VECTORS) * len(COMPLETIONS)
    assert routing_problems(*_rules(router.bank)) == []


def _bank_file(tmp_path: Path, raw: dict[str, Any], routing: list[dict[str, Any]]) -> Path:
    data = {**raw, "routing": routing}
    path = tmp_path / "bank.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _errors(path: Path) -> list[str]:
    with pytest.raises(DataFileError) as caught:
        load_model(path, Bank)
    return [str(p) for p in caught.value.problems]


def test_a_rule_shadowed_by_earlier_rules_is_reported(tmp_path: Path, raw: dict) -> None:
    routing = [*raw["routing"][:-1],
               {"pathway": "autonomy", "when": {"level": {"domain": "safety", "at_least": 3}}},
               raw["routing"][-1]]
    # Move the catch-all before the new rule: now the new rule can never be chosen.
    routing[-1], routing[-2] = routing[-2], routing[-1]
    errors = _errors(_bank_file(tmp_path, raw, routing))
    assert len(errors) == 1
    assert "can never be chosen" in errors[0] and "move it up" in errors[0]
    assert errors[0].startswith(f"{tmp_path / 'bank.yaml'}:")


def test_a_rule_no_one_matches_is_reported(tmp_path: Path, raw: dict) -> None:
    impossible = {"pathway": "autonomy", "when": {"all": [
        {"level": {"domain": "devices", "at_most": 0}},
        {"level": {"domain": "devices", "at_least": 3}}]}}
    errors = _errors(_bank_file(tmp_path, raw, [impossible, *raw["routing"]]))
    assert len(errors) == 1 and "no visitor can match it" in errors[0]


def test_a_gap_in_the_rules_is_reported_with_an_example(tmp_path: Path, raw: dict) -> None:
    errors = _errors(_bank_file(tmp_path, raw, raw["routing"][:-1]))
    assert len(errors) == 1
    assert "some visitors reach no pathway" in errors[0] and "always: true" in errors[0]
    assert "levels devices=" in errors[0]


def test_an_unknown_answer_in_a_rule_is_reported(tmp_path: Path, raw: dict) -> None:
    bad = {"pathway": "assisted", "when": {"context": {"question": "urgency", "in": ["now"]}}}
    errors = _errors(_bank_file(tmp_path, raw, [bad, *raw["routing"]]))
    assert any("'urgency' has no answer 'now'" in e for e in errors)


def test_the_strength_fact_comes_from_the_strongest_domain(router: Router) -> None:
    levels = {d: 1 for d in DOMAIN_IDS} | {"information": 3, "devices": 2}
    decision = router.decide(levels, {"urgency": "no"})
    strongest = "Vous savez déjà chercher une information sur internet."
    assert decision.reasons[-1].get("fr") == strongest
    # Nobody is told "vous savez déjà" about a domain they only do with help, nor after leaving.
    assert router.strength(dict.fromkeys(DOMAIN_IDS, 1)) is None
    left = router.decide(levels, {}, "abandoned")
    assert all("déjà" not in r.get("fr") for r in left.reasons)


def test_the_pathway_table_covers_every_level_vector(router: Router) -> None:
    table = router.pathway_table({"urgency": "today"})
    assert table.shape == (4096,) and (table >= 0).all()
    assert set(np.unique(table)) >= {router.pathway_ids.index(p) for p in ("assisted",
                                                                            "autonomy")}


def test_workshops_reasons_name_the_weak_domains(router: Router) -> None:
    levels = {**dict.fromkeys(router.bank.domain_ids(), 2), "safety": 1, "documents": 0}
    decision = router.decide(levels, {"urgency": "no"})
    assert decision.pathway == "workshops"
    said = [r.fr for r in decision.reasons]
    assert said[:2] == [
        "Les fichiers et les documents sont encore à renforcer.",
        "La sécurité en ligne est encore à renforcer.",
    ]
    one_weak = router.decide({**levels, "documents": 2}, {"urgency": "no"})
    assert [r.en for r in one_weak.reasons] == [
        "Online safety could still be strengthened.",
        "You already use a device on your own.",
    ], "the general 'a few points' never follows a specific reason"
