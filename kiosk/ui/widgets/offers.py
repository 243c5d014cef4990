"""The local offers of a result: where to go, when, and what it costs, in plain words."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from kiosk.offer_text import name_text, terms_text
from kiosk.offers import ShownOffer


def offer_lines(shown: ShownOffer, language: str) -> list[str]:
    """The lines of one offer card, most useful first: when, where, how to call."""
    offer = shown.offer
    where = ", ".join(x for x in (offer.place, offer.address and str(offer.address)) if x)
    terms = terms_text(offer, language)
    lines = [shown.when, where, offer.phone or "", offer.url if not offer.phone else "", terms]
    if offer.accessibility is not None:
        lines.append(offer.accessibility.get(language))
    return [line for line in lines if line]


class OfferCard(Vertical):
    DEFAULT_CSS = """
    OfferCard { height: auto; margin: 0 0 1 0; padding: 0 1; border-left: thick $accent; }
    OfferCard .offer-name { text-style: bold; }
    """

    def __init__(self, shown: ShownOffer, language: str) -> None:
        super().__init__(classes="offer")
        self.shown = shown
        self.language = language

    def compose(self) -> ComposeResult:
        offer = self.shown.offer
        yield Static(name_text(offer, self.language), classes="offer-name")
        for line in offer_lines(self.shown, self.language):
            yield Static(line, classes="offer-line")


class OfferList(Vertical):
    """The two or three offers chosen for this visitor (see ``kiosk.offers.choose_offers``)."""

    DEFAULT_CSS = "OfferList { height: auto; }"

    def __init__(self, offers: Sequence[ShownOffer], language: str, **kwargs: str) -> None:
        super().__init__(**kwargs)
        self.offers = list(offers)
        self.language = language

    def compose(self) -> ComposeResult:
        for shown in self.offers:
            yield OfferCard(shown, self.language)
