"""Which local offers a result shows: the two or three that best fit this visitor today.

An offer is shown when it serves the visitor's pathway, or an access need they have. Among
those, one that speaks the visitor's language, gives help the way they prefer (one to one, in a
group), can help with what they said they need, covers their weak domains and opens soonest
comes first. Pure: the caller passes the moment, so a test's Monday is always a Monday.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from kiosk.domain import DOMAIN_IDS
from kiosk.hours import Kind, availability
from kiosk.offer_text import week_text, when_text
from kiosk.routing import Decision
from kiosk.site import SUPPORTS, Offer, Site

SHOWN = 3
WEAK_LEVEL = 1  # "with_help" or below: the domains a workshop could strengthen
# The bank's context questions the ranking listens to. A bank may ask "support" (options named
# as the site's `supports`: deafness, low_vision, ...) to rank the places able to help first.
PREFERENCE_QUESTION = "help_preference"
SUPPORT_QUESTION = "support"
RANKING_READS = frozenset({PREFERENCE_QUESTION, SUPPORT_QUESTION})
_PREFERRED_FORMAT = {"individual": "individual", "group": "group"}
# Speaking the visitor's language outweighs everything else: help they cannot understand is
# no help (a place that works with other languages is half as good). Then the way they want to
# be helped, what they need, an opening today rather than next week, each weak domain covered.
_LANGUAGE_WEIGHT = 10
_PREFERENCE_WEIGHT = 6
_SUPPORT_WEIGHT = 4
_SOON: dict[Kind | None, int] = {
    "open_now": 5, "later_today": 4, "tomorrow": 3, "this_week": 2, "later": 1, "unknown": 1,
    "none": 0,
    None: 2,  # no hours: online at any time, or by appointment
}


@dataclass(frozen=True)
class Visitor:
    """What the visitor said that the ranking uses; nothing that identifies them."""

    language: str
    preference: str | None = None
    supports: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def from_answers(cls, language: str, context: Mapping[str, str]) -> Visitor:
        support = context.get(SUPPORT_QUESTION)
        return cls(
            language,
            _PREFERRED_FORMAT.get(context.get(PREFERENCE_QUESTION, "")),
            frozenset([support]) if support in SUPPORTS else frozenset(),
        )


@dataclass(frozen=True)
class ShownOffer:
    """An offer as the result screen shows it, with the facts that made it fit."""

    offer: Offer
    when: str
    week: str  # the coming seven days' openings, for the take-away
    for_needs: tuple[str, ...]
    weak_domains: tuple[str, ...]
    speaks_language: bool


def weak_domains(levels: Mapping[str, int]) -> tuple[str, ...]:
    """Domains at ``with_help`` or below, weakest first (ties in the usual domain order)."""
    weak = [d for d in DOMAIN_IDS if d in levels and levels[d] <= WEAK_LEVEL]
    return tuple(sorted(weak, key=lambda d: levels[d]))


def choose_offers(
    site: Site,
    decision: Decision,
    levels: Mapping[str, int],
    visitor: Visitor,
    now: datetime,
    limit: int = SHOWN,
) -> list[ShownOffer]:
    """The offers to show, best first: the best for the pathway, then one per access need,
    then the next best for the pathway; an orientation offer when nothing serves the pathway."""
    weak = weak_domains(levels)
    region = site.where
    language = visitor.language

    def score(offer: Offer) -> int:
        soon = None if offer.hours is None else availability(offer.hours, region, now).kind
        if language in offer.languages:
            spoken = _LANGUAGE_WEIGHT
        else:
            spoken = _LANGUAGE_WEIGHT // 2 * ("other_languages" in offer.supports)
        preferred = _PREFERENCE_WEIGHT * (visitor.preference in offer.formats)
        supported = _SUPPORT_WEIGHT * len(visitor.supports & set(offer.supports))
        covered = len(set(weak) & set(offer.domains))
        return spoken + preferred + supported + _SOON[soon] + covered

    ranked = sorted(site.offers, key=score, reverse=True)  # stable: file order breaks ties
    for_pathway = [o for o in ranked if decision.pathway in o.pathways] or [
        o for o in ranked if "orientation" in o.pathways
    ]
    chosen: list[Offer] = for_pathway[:1]
    for need in decision.needs:
        serving = [o for o in ranked if need in o.needs]
        if serving and not any(need in o.needs for o in chosen) and len(chosen) < limit:
            chosen.append(serving[0])
    chosen += [o for o in for_pathway if o not in chosen][: limit - len(chosen)]
    return [
        ShownOffer(
            offer=o,
            when=when_text(o, region, now, language),
            week=week_text(o, region, now.date(), language),
            for_needs=tuple(n for n in decision.needs if n in o.needs),
            weak_domains=tuple(d for d in weak if d in o.domains),
            speaks_language=language in o.languages,
        )
        for o in chosen
    ]
