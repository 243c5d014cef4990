"""The questionnaire bank: the single definition of what a questionnaire file may contain.

A bank is data (``questionnaires/*.yaml``), multilingual in one file, validated here. The rest of
the kiosk reads only these models, never the raw file.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Annotated, Literal

from pydantic import Field, StrictFloat, StrictInt, field_validator, model_validator

from kiosk.bank.conditions import Condition, ContextCondition, ContextLeaf, iter_leaves
from kiosk.bank.coverage import routing_problems
from kiosk.datafile import Loc, Problems, Strict, Text, check_translations
from kiosk.domain import (
    ACCESS_NEEDS,
    AGE_BANDS,
    AUTONOMY_IDS,
    DOMAIN_IDS,
    DONT_KNOW,
    LEVEL_IDS,
    PATHWAY_IDS,
    REDIRECTION_IDS,
    SESSION_LENGTHS,
    AccessNeed,
    DomainId,
    Identifier,
    Language,
    LevelId,
    OptionId,
    PathwayId,
    Version,
)

# The one context question stored apart from the others, as the record's optional age band.
AGE_QUESTION = "age_band"
# Item parameters and level cut points are on the visitors' ability scale (mean 0, sd 1):
# nobody stands beyond 6, and the engine's grid ends at 4; a huge value would break its
# arithmetic.
Discrimination = Annotated[StrictFloat, Field(gt=0, le=6)]
Difficulty = Annotated[StrictFloat, Field(ge=-6, le=6)]
LevelCut = Annotated[StrictFloat, Field(ge=-4, le=4)]
# A mediator's marks on an observed task, scored 0 to 2 in this order; "not tried" is the
# task's "je ne sais pas" (no information about the person).
OBSERVED_MARKS = ("not_done", "with_help", "done")


class Option(Strict):
    id: OptionId
    label: Text
    guided: Text | None = Field(
        None, description="the label as a mediator reads it in a guided session, where the "
                          "visitor's words ('mon appareil') would not fit",
    )

    def phrased(self, guided: bool) -> Option:
        """This option as shown: in a guided session, in the mediator's words if it has them."""
        if guided and self.guided is not None:
            return self.model_copy(update={"label": self.guided})
        return self


class Domain(Strict):
    id: DomainId
    label: Text
    strength: Text | None = Field(
        None, description="told when it is the visitor's strongest domain: 'Vous savez déjà ...'"
    )


class Level(Strict):
    id: LevelId
    label: Text


class Skippable(Strict):
    """A question that some context answers make pointless (no e-mail: no e-mail question)."""

    skip_if: ContextCondition | None = None

    def is_skipped(self, context: Mapping[str, str]) -> bool:
        return self.skip_if is not None and self.skip_if.holds_for(context)


class ContextQuestion(Skippable):
    """A question that is not scored: equipment, reason for the visit, age band, ...

    Before the result, the kiosk asks one only when its answer can change the pathway, an
    access need or the offers shown for this visitor (``kiosk.context_plan``); a question that
    serves statistics only is asked ``after_result``, optional.
    """

    id: Identifier
    prompt: Text
    guided: Text | None = Field(None, description="the prompt as a mediator asks it")
    options: list[Option] = Field(min_length=2)
    dont_know: bool = Field(True, description="offer 'je ne sais pas / je préfère ne pas répondre'")
    after_result: bool = Field(
        False, description="asked after the result, optional, to help improve the service: it "
                           "cannot change the result, so no rule may read it",
    )

    def answer_ids(self) -> list[str]:
        """The answers it accepts: its options, and "je ne sais pas" where offered."""
        return [o.id for o in self.options] + ([DONT_KNOW] if self.dont_know else [])


class Estimated(Strict):
    """Where an item's parameters come from when they were estimated from answers (``kiosk
    calibrate`` writes it); an item without it has an expert's guess."""

    answers: StrictInt = Field(ge=1, description="number of answers the estimate is based on")
    se_a: StrictFloat = Field(gt=0, description="standard error of the discrimination a")
    se_b: StrictFloat = Field(
        gt=0, description="standard error of the difficulty (largest threshold's)"
    )


class CanDoParams(Strict):
    """Graded response model: discrimination ``a`` and three ordered thresholds ``b``."""

    a: Discrimination
    b: tuple[Difficulty, Difficulty, Difficulty]
    estimated: Estimated | None = None

    @field_validator("b")
    @classmethod
    def _ordered(cls, b: tuple[float, ...]) -> tuple[float, ...]:
        if any(low >= high for low, high in itertools.pairwise(b)):
            example = ", ".join(f"{x:.1f}" for x in (-1.5, -0.2, 1.0)[: len(b)])
            raise ValueError(f"thresholds b must increase, e.g. [{example}]")
        return b


class ObservedParams(CanDoParams):
    """Graded response model on a mediator's three marks: discrimination ``a`` and two ordered
    thresholds ``b`` (not done | done with help, then done with help | done alone)."""

    b: tuple[Difficulty, Difficulty]  # type: ignore[assignment]


class KnowledgeParams(Strict):
    """Three-parameter logistic model: discrimination, difficulty, guessing."""

    a: Discrimination
    b: Difficulty
    c: StrictFloat = Field(0.0, ge=0, lt=0.5)
    estimated: Estimated | None = None


class CanDoItem(Skippable):
    """A self-assessment statement answered on the four-step scale of the bank."""

    kind: Literal["can_do"]
    id: Identifier
    domain: DomainId
    statement: Text
    guided: Text | None = Field(
        None, description="the statement as a mediator asks it: 'La personne sait-elle ...'"
    )
    params: CanDoParams

    def answer_ids(self, scale: Scale) -> list[str]:
        """The answers it accepts: a step of the bank's scale, or "not sure"."""
        return [*(o.id for o in scale.options), DONT_KNOW]


class KnowledgeItem(Skippable):
    """A short concrete question with one right answer."""

    kind: Literal["knowledge"]
    id: Identifier
    domain: DomainId
    prompt: Text
    options: list[Option] = Field(min_length=2, max_length=5)
    correct: OptionId
    params: KnowledgeParams

    def answer_ids(self, scale: Scale) -> list[str]:
        """The answers it accepts: its options, or "je ne sais pas" (the scale is not used:
        the parameter makes every item answer the same question)."""
        return [*(o.id for o in self.options), DONT_KNOW]

    @model_validator(mode="after")
    def _correct_is_an_option(self) -> KnowledgeItem:
        ids = [o.id for o in self.options]
        if self.correct not in ids:
            raise ValueError(f"correct answer '{self.correct}' is not one of the options {ids}")
        return self


class ObservedItem(Skippable):
    """A task the mediator asks the visitor to do and watches, in a guided session only: the
    mediator marks it done, done with help, not done, or not tried."""

    kind: Literal["observed"]
    id: Identifier
    domain: DomainId
    task: Text = Field(description="what the mediator asks the visitor to do, and watches")
    params: ObservedParams

    def answer_ids(self, scale: Scale) -> list[str]:
        """The marks it accepts, "not tried" (``dont_know``) included."""
        return [*OBSERVED_MARKS, DONT_KNOW]


ScoredItem = CanDoItem | KnowledgeItem | ObservedItem
Item = Annotated[ScoredItem, Field(discriminator="kind")]


class Observation(Strict):
    """How an observed task's marks read, best first (as the mediator sees them)."""

    done: Text
    with_help: Text
    not_done: Text

    def options(self) -> tuple[Option, ...]:
        return tuple(Option(id=mark, label=getattr(self, mark))
                     for mark in reversed(OBSERVED_MARKS))


class MediatorLists(Strict):
    """What a mediator records at the end of a guided session, each from a fixed list (never
    free text), in the vocabulary of the national mediators' activity report where it has
    one: ``autonomy`` its ``autonomie``, ``redirection`` its ``structureDeRedirection``,
    ``length`` its duration ranges, ``themes`` its ``thematiques``."""

    themes: list[Option] = Field(min_length=1)
    autonomy: list[Option] = Field(min_length=1)
    redirection: list[Option] = Field(min_length=1)
    length: list[Option] = Field(min_length=1)
    override_reasons: list[Option] = Field(
        min_length=1, description="why a mediator chose another pathway than the recommended one"
    )

    def check(self, problems: Problems) -> None:
        fixed = {"autonomy": AUTONOMY_IDS, "redirection": REDIRECTION_IDS,
                 "length": SESSION_LENGTHS}
        for name in ("themes", "autonomy", "redirection", "length", "override_reasons"):
            options: list[Option] = getattr(self, name)
            seen: set[str] = set()
            for i, option in enumerate(options):
                if option.id in seen:
                    problems.add(("mediator", name, i, "id"),
                                 f"duplicate {name} id '{option.id}': give each its own id")
                seen.add(option.id)
                if name in fixed and option.id not in fixed[name]:
                    problems.add(("mediator", name, i, "id"),
                                 f"'{option.id}' is not stored: the {name} ids are "
                                 f"{', '.join(fixed[name])}")


class Pathway(Strict):
    id: PathwayId
    title: Text
    summary: Text


class NeedDefinition(Strict):
    id: AccessNeed
    title: Text
    summary: Text


class RoutingRule(Strict):
    """First matching rule, in file order, gives the pathway."""

    pathway: PathwayId
    when: Condition


class NeedRule(Strict):
    need: AccessNeed
    when: Condition


class Scale(Strict):
    """The four answers of every can-do statement, from 'not yet' to 'could explain it'."""

    options: tuple[Option, Option, Option, Option]


class ExpertUncertainty(Strict):
    """How far an expert's guess of an item's parameters may be from the truth (one standard
    deviation); the engine integrates over it, so a guess counts for less than an estimate."""

    log_a: StrictFloat = Field(
        0.3, ge=0, le=2, description="of log a: 0.3 is about 30 % either way"
    )
    b: StrictFloat = Field(0.5, ge=0, le=3, description="of each difficulty, in ability units")


class ContextSettings(Strict):
    """When a context question is worth a visitor's time: the chance that its answer changes
    the pathway, an access need or the offers shown, under what the answers so far say."""

    ask_at: StrictFloat = Field(
        0.3, ge=0, le=1,
        description="asked only from this chance on (at the end of the skill questions, for a "
                    "question that only some levels make matter)",
    )
    early_at: StrictFloat = Field(
        0.6, ge=0, le=1,
        description="asked at once, before the next skill question, from this chance on: a "
                    "question that matters whatever the levels (an access need) comes first; "
                    "0 asks every context question first",
    )

    @model_validator(mode="after")
    def _ordered(self) -> ContextSettings:
        if self.ask_at > self.early_at:
            raise ValueError("ask_at must not exceed early_at")
        return self


class EngineSettings(Strict):
    """How long the adaptive series may be, when it is settled, and how visitors answer."""

    min_questions: StrictInt = Field(6, ge=1, le=40)
    max_questions: StrictInt = Field(14, ge=1, le=60)
    max_total: StrictInt | None = Field(
        None, ge=1, le=100,
        description="questions before the result, context questions included: the skill "
                    "questions stop in time (none: only max_questions bounds them)",
    )
    pathway_certainty: StrictFloat = Field(0.9, gt=0.5, lt=1)
    guided_pathway_certainty: StrictFloat | None = Field(
        None, gt=0.5, lt=1,
        description="the pathway certainty of a guided session (none: pathway_certainty): a "
                    "mediator's session is not held to the patience of a visitor alone, and "
                    "its watched tasks need room",
    )
    level_certainty: StrictFloat = Field(0.9, gt=0.5, lt=1)
    domain_correlation: StrictFloat = Field(0.7, ge=0, lt=1)
    level_cuts: tuple[LevelCut, LevelCut, LevelCut] = (-1.0, 0.0, 1.0)
    choose_among: StrictInt = Field(
        3, ge=1, le=10, description="exposure control: pick among the N best"
    )
    knowledge_checks: StrictInt = Field(
        0, ge=0, le=10,
        description="knowledge checks every visitor answers (when eligible), all of them by "
                    "question min_questions: they temper self-assessment",
    )
    self_assessment_bias: StrictFloat = Field(
        0.0, ge=0, le=2,
        description="standard deviation of how far visitors over- or under-state what they can "
                    "do (ability units), the same in every domain; 0: self-reports are taken "
                    "at face value",
    )
    domain_bias: StrictFloat = Field(
        0.0, ge=0, le=2,
        description="in a guided session, standard deviation of how far a visitor over- or "
                    "under-states one domain beyond their general bias, shared by that "
                    "domain's statements (ability units): it keeps many statements from "
                    "outweighing the tasks the mediator watched there",
    )
    careless_share: StrictFloat = Field(
        0.0, ge=0, lt=0.5,
        description="prior share of visitors who answer without reading (at random)",
    )
    inconsistent_at: StrictFloat = Field(
        0.5, gt=0, lt=1,
        description="a visit whose answers are at least this likely to be random is marked "
                    "uncertain (person fit)",
    )
    inconsistent_lz: StrictFloat = Field(
        -1.645, le=0,
        description="a visit whose person-fit statistic lz falls below this is marked uncertain "
                    "too (-1.645: the normal 5 % tail)",
    )
    futility: StrictFloat = Field(
        0.0, ge=0, lt=1,
        description="stop, uncertain, once the chance that the remaining questions settle the "
                    "pathway falls below this (0: never; ask up to max_questions)",
    )
    expert_uncertainty: ExpertUncertainty = ExpertUncertainty()
    context: ContextSettings = ContextSettings()

    @model_validator(mode="after")
    def _consistent(self) -> EngineSettings:
        if self.min_questions > self.max_questions:
            raise ValueError("min_questions must not exceed max_questions")
        if self.knowledge_checks > self.min_questions:
            raise ValueError("knowledge_checks must not exceed min_questions")
        if not self.level_cuts[0] < self.level_cuts[1] < self.level_cuts[2]:
            raise ValueError("level_cuts must increase, e.g. [-1.0, 0.0, 1.0]")
        return self


class Bank(Strict):
    """A complete questionnaire: what the visitor is asked and how the answers are routed."""

    id: Identifier
    version: Version
    languages: list[Language] = Field(min_length=1)
    title: Text
    domains: list[Domain]
    levels: tuple[Level, Level, Level, Level]
    scale: Scale
    context: list[ContextQuestion]
    items: list[Item]
    observation: Observation | None = Field(
        None, description="how an observed task's marks read (needed once there is one)"
    )
    mediator: MediatorLists | None = Field(
        None, description="what a mediator records after a guided session"
    )
    pathways: list[Pathway]
    needs: list[NeedDefinition] = []
    routing: list[RoutingRule] = Field(min_length=1)
    need_rules: list[NeedRule] = []
    engine: EngineSettings = EngineSettings()

    def domain_ids(self) -> list[str]:
        return [d.id for d in self.domains]

    def item(self, item_id: str) -> ScoredItem:
        return self._items_by_id[item_id]

    def context_question(self, question_id: str) -> ContextQuestion:
        return self._context_by_id[question_id]

    def pathway(self, pathway_id: str) -> Pathway:
        return next(p for p in self.pathways if p.id == pathway_id)

    def need(self, need_id: str) -> NeedDefinition:
        return next(n for n in self.needs if n.id == need_id)

    def domain(self, domain_id: str) -> Domain:
        return next(d for d in self.domains if d.id == domain_id)

    def context_answers(self) -> dict[str, list[str]]:
        """The answers each context question accepts, by question id."""
        return {q.id: q.answer_ids() for q in self.context}

    @property
    def _items_by_id(self) -> dict[str, ScoredItem]:
        return {i.id: i for i in self.items}

    @property
    def _context_by_id(self) -> dict[str, ContextQuestion]:
        return {q.id: q for q in self.context}

    @model_validator(mode="after")
    def _coherent(self) -> Bank:
        problems = Problems()
        self._check_ids(problems)
        self._check_guided(problems)
        check_translations(self, self.languages, problems, unlisted=True)
        self._check_references(problems)
        self._check_skip_rules(problems)
        self._check_after_result(problems)
        self._check_titles(problems)
        if not problems.items:
            # Reachability is only meaningful for rules whose references are sound.
            rules = [rule.when for rule in self.routing]
            problems.items += routing_problems(rules, self.context_answers())
        problems.raise_if_any()
        return self

    def _check_ids(self, problems: Problems) -> None:
        for i, q in enumerate(self.context):
            unknown = [o.id for o in q.options if o.id not in AGE_BANDS]
            if q.id == AGE_QUESTION and unknown:
                problems.add(
                    ("context", i, "options"),
                    f"age band(s) {', '.join(unknown)} are not stored: the age bands are "
                    f"{', '.join(AGE_BANDS)}",
                )
        problems.unique([("domains", i, d.id) for i, d in enumerate(self.domains)], "domain")
        problems.unique([("context", i, q.id) for i, q in enumerate(self.context)], "question")
        problems.unique([("items", i, it.id) for i, it in enumerate(self.items)], "item")
        problems.unique([("pathways", i, p.id) for i, p in enumerate(self.pathways)], "pathway")
        clash = {q.id for q in self.context} & {it.id for it in self.items}
        for i, it in enumerate(self.items):
            if it.id in clash:
                problems.add(("items", i, "id"), f"'{it.id}' is also a context question id")
        if [lv.id for lv in self.levels] != list(LEVEL_IDS):
            problems.add(("levels",), f"levels must be, in order: {', '.join(LEVEL_IDS)}")
        missing = set(DOMAIN_IDS) - {d.id for d in self.domains}
        if missing:
            problems.add(("domains",), f"missing domain(s): {', '.join(sorted(missing))}")
        missing_p = set(PATHWAY_IDS) - {p.id for p in self.pathways}
        if missing_p:
            problems.add(("pathways",), f"missing pathway(s): {', '.join(sorted(missing_p))}")
        missing_n = set(ACCESS_NEEDS) - {n.id for n in self.needs}
        if self.need_rules and missing_n:
            problems.add(("needs",), f"missing access need(s): {', '.join(sorted(missing_n))}")

    def _check_guided(self, problems: Problems) -> None:
        observed = [i for i, item in enumerate(self.items) if isinstance(item, ObservedItem)]
        if observed and self.observation is None:
            problems.add(("items", observed[0]),
                         "an observed task needs the bank's 'observation' labels (done, "
                         "with_help, not_done): add them")
        if self.mediator is not None:
            self.mediator.check(problems)

    def _check_references(self, problems: Problems) -> None:
        answers = self.context_answers()
        for loc, cond in self._conditions():
            for leaf_loc, leaf in iter_leaves(cond, loc):
                for msg in leaf.reference_errors(answers):
                    problems.add(leaf_loc, msg)

    def _check_skip_rules(self, problems: Problems) -> None:
        for loc, cond in self._skip_rules():
            for leaf_loc, leaf in iter_leaves(cond, loc):
                if not isinstance(leaf, ContextLeaf):
                    problems.add(
                        leaf_loc,
                        "a skip rule can only look at context answers: use "
                        "'context: {question: ..., in: [...]}'",
                    )
        known = {q.id for q in self.context}
        seen: set[str] = set()
        for i, q in enumerate(self.context):
            if q.skip_if is not None:
                for leaf_loc, leaf in iter_leaves(q.skip_if, ("context", i, "skip_if")):
                    named = leaf.context.question if isinstance(leaf, ContextLeaf) else None
                    if named in known and named not in seen:
                        problems.add(
                            leaf_loc,
                            f"'{named}' is not asked before '{q.id}': a skip rule can only "
                            "depend on an earlier question",
                        )
            seen.add(q.id)

    def _check_after_result(self, problems: Problems) -> None:
        later = {q.id for q in self.context if q.after_result}
        for loc, cond in self._conditions():
            for leaf_loc, leaf in iter_leaves(cond, loc):
                if isinstance(leaf, ContextLeaf) and leaf.context.question in later:
                    problems.add(
                        leaf_loc,
                        f"'{leaf.context.question}' is asked after the result, so no rule can "
                        "read it: remove 'after_result: true' from it, or this condition",
                    )

    def _check_titles(self, problems: Problems) -> None:
        """A pathway named like a level ("On your own") reads as a level on the result."""
        for i, pathway in enumerate(self.pathways):
            for language in self.languages:
                title = pathway.title.get(language).casefold()
                if any(level.label.get(language).casefold() == title for level in self.levels):
                    problems.add(
                        ("pathways", i, "title", language),
                        f"'{pathway.title.get(language)}' is also a level's name: a result "
                        "would read it as a level; name the pathway otherwise",
                    )

    def _skip_rules(self) -> list[tuple[Loc, Condition]]:
        found: list[tuple[Loc, Condition]] = []
        for section, questions in (("context", self.context), ("items", self.items)):
            found += [
                ((section, i, "skip_if"), q.skip_if)
                for i, q in enumerate(questions)
                if q.skip_if is not None
            ]
        return found

    def _conditions(self) -> list[tuple[Loc, Condition]]:
        found = self._skip_rules()
        found += [(("routing", i, "when"), r.when) for i, r in enumerate(self.routing)]
        found += [(("need_rules", i, "when"), r.when) for i, r in enumerate(self.need_rules)]
        return found
