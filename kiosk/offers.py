"""Which local offers a result shows: the two or three that best fit this visitor today.

An offer is shown when it serves the visitor's pathway, or an access need they have. Among
those, one that speaks the visitor's language, covers their weak domains and opens soonest
comes first. Pure: the caller passes the moment, so a test's Monday is always a Monday.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from kiosk.domain import DOMAIN_IDS
from kiosk.hours import Kind, availability, describe
from kiosk.routing import Decision
from kiosk.site import Offer, Site

SHOWN = 3
WEAK_LEVEL = 1  # "with_help" or below: the domains a workshop could strengthen
# Speaking the visitor's language outweighs everything else: help they cannot understand is
# no help. Then an opening today beats one next week, and each weak domain covered counts.
_LANGUAGE_WEIGHT = 10
_SOON: dict[Kind | None, int] = {
    "open_now": 5, "later_today": 4, "tomorrow": 3, "this_week": 2, "later": 1, "none": 0,
    None: 2,  # no hours: online at any time, or by appointment
}


@dataclass(frozen=True)
class ShownOffer:
    """An offer as the result screen shows it, with the facts that made it fit."""

    offer: Offer
    when: str
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
    language: str,
    now: datetime,
    limit: int = SHOWN,
) -> list[ShownOffer]:
    """The offers to show, best first: the best for the pathway, then one per access need,
    then the next best for the pathway; an orientation offer when nothing serves the pathway."""
    weak = weak_domains(levels)

    def score(offer: Offer) -> int:
        soon = None if offer.hours is None else availability(offer.hours, now).kind
        covered = len(set(weak) & set(offer.domains))
        return _LANGUAGE_WEIGHT * (language in offer.languages) + _SOON[soon] + covered

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
            when=describe(o.hours, now, language, o.appointment),
            for_needs=tuple(n for n in decision.needs if n in o.needs),
            weak_domains=tuple(d for d in weak if d in o.domains),
            speaks_language=language in o.languages,
        )
        for o in chosen
    ]
