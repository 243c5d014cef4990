"""Structured conditions: routing rules, access needs and skip rules, written as data.

A condition is a small tree (``all`` / ``any`` / ``not`` over leaves such as ``level`` or
``context``); nothing is ``eval``-ed. Every condition is evaluated on a *batch* of level
vectors at once, so the adaptive engine can ask "which pathway would these 200 plausible
visitors get?" with a few array operations, and the final result is the same code with a batch
of one.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StrictFloat,
    StrictInt,
    Tag,
    model_validator,
)

from kiosk.datafile import Loc, Strict, Text
from kiosk.domain import DOMAIN_IDS, Completion, DomainId, Level

# Why an estimate cannot be trusted as it stands: the answers do not fit together (person fit),
# or the questions the visitor could be asked could not settle the pathway.
Uncertainty = Literal["inconsistent", "undecided"]


@dataclass(frozen=True)
class Facts:
    """What a condition is judged on.

    ``levels`` has one row per candidate visitor and one column per domain, in ``DOMAIN_IDS``
    order; everything else is shared by the whole batch.
    """

    levels: np.ndarray
    context: Mapping[str, str] = field(default_factory=dict)
    completion: Completion = "completed"
    dont_know_share: float = 0.0
    answered: int = 0  # scored questions answered, "not sure" included
    uncertain: Uncertainty | None = None  # why the estimate cannot be trusted as it stands

    @classmethod
    def single(
        cls,
        levels: Mapping[str, int],
        context: Mapping[str, str] | None = None,
        completion: Completion = "completed",
        dont_know_share: float = 0.0,
        answered: int = 0,
        uncertain: Uncertainty | None = None,
    ) -> Facts:
        row = np.array([[levels.get(d, 0) for d in DOMAIN_IDS]], dtype=np.int8)
        return cls(row, dict(context or {}), completion, dont_know_share, answered, uncertain)

    def constant(self, value: bool) -> np.ndarray:
        return np.full(self.levels.shape[0], value, dtype=bool)


class _Node(Strict):
    model_config = ConfigDict(populate_by_name=True)


class _Condition(_Node):
    def evaluate(self, facts: Facts) -> np.ndarray:
        """Whether the condition holds, per row of ``facts``."""
        raise NotImplementedError

    def holds_for(self, context: Mapping[str, str]) -> bool:
        """Whether a skip rule (a condition on context answers only) holds for these answers."""
        return bool(self.evaluate(Facts.single({}, context))[0])


class _Leaf(_Condition):
    says: Text | None = Field(None, description="the fact told to the visitor when this holds")

    def reference_errors(self, answers: Mapping[str, Sequence[str]]) -> list[str]:
        """What is wrong with the context questions and answers this leaf names, given the
        answers each context question accepts."""
        return []


class LevelBounds(_Node):
    at_least: Level | None = None
    at_most: Level | None = None

    @model_validator(mode="after")
    def _bounded(self) -> LevelBounds:
        if self.at_least is None and self.at_most is None:
            raise ValueError("give 'at_least' or 'at_most' (a level from 0 to 3)")
        if (
            self.at_least is not None
            and self.at_most is not None
            and self.at_least > self.at_most
        ):
            raise ValueError("'at_least' is above 'at_most': no level can match")
        return self

    def mask(self, levels: np.ndarray) -> np.ndarray:
        ok = np.ones(levels.shape, dtype=bool)
        if self.at_least is not None:
            ok &= levels >= self.at_least
        if self.at_most is not None:
            ok &= levels <= self.at_most
        return ok


class DomainLevel(LevelBounds):
    domain: DomainId


class LevelLeaf(_Leaf):
    """``level: {domain: devices, at_most: 1}``: the level of one domain is in a range."""

    level: DomainLevel

    def evaluate(self, facts: Facts) -> np.ndarray:
        column = DOMAIN_IDS.index(self.level.domain)
        return self.level.mask(facts.levels[:, column])


class LevelCount(LevelBounds):
    domains: list[DomainId] | None = Field(None, description="default: all six domains")
    min: StrictInt = Field(0, ge=0, le=len(DOMAIN_IDS))
    max: StrictInt = Field(len(DOMAIN_IDS), ge=0, le=len(DOMAIN_IDS))


class CountLeaf(_Leaf):
    """``count_levels: {at_most: 1, min: 1, max: 3}``: how many domains are in a level range."""

    count_levels: LevelCount

    def evaluate(self, facts: Facts) -> np.ndarray:
        spec = self.count_levels
        columns = [DOMAIN_IDS.index(d) for d in spec.domains or DOMAIN_IDS]
        count = spec.mask(facts.levels[:, columns]).sum(axis=1)
        return (count >= spec.min) & (count <= spec.max)


class ContextAnswer(_Node):
    question: str
    in_: list[str] = Field(alias="in", min_length=1)


class ContextLeaf(_Leaf):
    """``context: {question: has_email, in: ["no"]}``: a context answer is one of these."""

    context: ContextAnswer

    def evaluate(self, facts: Facts) -> np.ndarray:
        return facts.constant(facts.context.get(self.context.question) in self.context.in_)

    def reference_errors(self, answers: Mapping[str, Sequence[str]]) -> list[str]:
        named = self.context.question
        if named not in answers:
            known = ", ".join(sorted(answers))
            return [f"unknown question '{named}': use one of the context questions ({known})"]
        allowed = answers[named]
        unknown = [a for a in self.context.in_ if a not in allowed]
        if unknown:
            return [
                f"'{named}' has no answer {', '.join(map(repr, unknown))}: "
                f"its answers are {', '.join(allowed)}"
            ]
        return []


class CompletionLeaf(_Leaf):
    completion: list[Completion] = Field(min_length=1)

    def evaluate(self, facts: Facts) -> np.ndarray:
        return facts.constant(facts.completion in self.completion)


class DontKnowShare(_Node):
    at_least: StrictFloat = Field(gt=0, le=1)
    answers: StrictInt = Field(
        1, ge=1, le=60,
        description="the share counts once at least this many scored questions were answered: "
                    "one 'not sure' out of two is not an assessment that could not conclude",
    )


class DontKnowLeaf(_Leaf):
    """``dont_know: {at_least: 0.5, answers: 8}``: share of scored questions answered "je ne
    sais pas", among at least ``answers`` answered."""

    dont_know: DontKnowShare

    def evaluate(self, facts: Facts) -> np.ndarray:
        rule = self.dont_know
        return facts.constant(
            facts.answered >= rule.answers and facts.dont_know_share >= rule.at_least
        )


class UncertainLeaf(_Leaf):
    """``uncertain: [inconsistent, undecided]``: the estimate is uncertain for one of these
    reasons (answers that do not fit together; questions that could not settle the pathway)."""

    uncertain: list[Uncertainty] = Field(min_length=1)

    def evaluate(self, facts: Facts) -> np.ndarray:
        return facts.constant(facts.uncertain in self.uncertain)


class AlwaysLeaf(_Leaf):
    """``always: true``: the catch-all last rule."""

    always: Literal[True]

    def evaluate(self, facts: Facts) -> np.ndarray:
        return facts.constant(True)


class AllOf(_Condition):
    all: list[Condition] = Field(min_length=1)

    def evaluate(self, facts: Facts) -> np.ndarray:
        return np.logical_and.reduce([c.evaluate(facts) for c in self.all])


class AnyOf(_Condition):
    any: list[Condition] = Field(min_length=1)

    def evaluate(self, facts: Facts) -> np.ndarray:
        return np.logical_or.reduce([c.evaluate(facts) for c in self.any])


class Not(_Condition):
    not_: Condition = Field(alias="not")

    def evaluate(self, facts: Facts) -> np.ndarray:
        return ~self.not_.evaluate(facts)


CONDITION_KINDS = {
    "all": AllOf,
    "any": AnyOf,
    "not": Not,
    "level": LevelLeaf,
    "count_levels": CountLeaf,
    "context": ContextLeaf,
    "completion": CompletionLeaf,
    "dont_know": DontKnowLeaf,
    "uncertain": UncertainLeaf,
    "always": AlwaysLeaf,
}


def _kind(value: Any) -> str | None:
    if isinstance(value, BaseModel):
        value = value.model_dump(by_alias=True)
    if not isinstance(value, dict):
        return None
    found = [k for k in value if k in CONDITION_KINDS]
    return found[0] if len(found) == 1 else None


Condition = Annotated[
    Annotated[AllOf, Tag("all")]
    | Annotated[AnyOf, Tag("any")]
    | Annotated[Not, Tag("not")]
    | Annotated[LevelLeaf, Tag("level")]
    | Annotated[CountLeaf, Tag("count_levels")]
    | Annotated[ContextLeaf, Tag("context")]
    | Annotated[CompletionLeaf, Tag("completion")]
    | Annotated[DontKnowLeaf, Tag("dont_know")]
    | Annotated[UncertainLeaf, Tag("uncertain")]
    | Annotated[AlwaysLeaf, Tag("always")],
    Discriminator(
        _kind,
        custom_error_type="condition_kind",
        custom_error_message="a condition needs exactly one of: " + ", ".join(CONDITION_KINDS),
    ),
]
# Skip rules are conditions that may only look at context answers (checked by the bank).
ContextCondition = Condition

Leaf = (
    LevelLeaf | CountLeaf | ContextLeaf | CompletionLeaf | DontKnowLeaf | UncertainLeaf
    | AlwaysLeaf
)


def iter_leaves(cond: Condition, loc: Loc) -> Iterator[tuple[Loc, Leaf]]:
    """Every leaf of a condition tree, with where it stands in the file."""
    if isinstance(cond, AllOf):
        for i, child in enumerate(cond.all):
            yield from iter_leaves(child, (*loc, "all", i))
    elif isinstance(cond, AnyOf):
        for i, child in enumerate(cond.any):
            yield from iter_leaves(child, (*loc, "any", i))
    elif isinstance(cond, Not):
        yield from iter_leaves(cond.not_, (*loc, "not"))
    else:
        yield loc, cond


def reasons(cond: Condition, facts: Facts) -> list[Text]:
    """The visitor-facing facts (``says``) of the leaves that made ``cond`` true for one visitor."""
    if isinstance(cond, AllOf | AnyOf):
        children = cond.all if isinstance(cond, AllOf) else cond.any
        found: list[Text] = []
        for child in children:
            if child.evaluate(facts)[0] and not isinstance(child, AlwaysLeaf):
                found += reasons(child, facts)
        # In an "any", an "always" is the fallback: its general words only when nothing more
        # specific holds ("a few points" after "online procedures" would say less, twice).
        fallbacks = [c for c in children if isinstance(c, AlwaysLeaf)]
        if isinstance(cond, AllOf) or not found:
            found += [r for c in fallbacks for r in reasons(c, facts)]
        return found
    if isinstance(cond, Not):
        return []
    return [cond.says] if cond.says is not None and cond.evaluate(facts)[0] else []


for _combinator in (AllOf, AnyOf, Not):
    _combinator.model_rebuild()
