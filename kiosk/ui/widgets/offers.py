"""The local offers of a result: where to go, when, and what it costs, in plain words."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Vertical

from kiosk.offer_text import name_text, terms_text
from kiosk.offers import ShownOffer
from kiosk.ui.strings import Localized
from kiosk.ui.widgets.words import Words


class OfferCard(Localized, Vertical):
    DEFAULT_CSS = """
    OfferCard { height: auto; margin: 0 0 1 0; padding: 0 1; border-left: thick $accent; }
    OfferCard .offer-name { text-style: bold; }
    """

    def __init__(self, shown: ShownOffer) -> None:
        super().__init__(classes="offer")
        self.shown = shown

    def compose(self) -> ComposeResult:
        yield Words(self.say(name_text(self.shown.offer, self.language)), classes="offer-name")
        for line in self.lines():
            yield Words(self.say(line), classes="offer-line")

    def lines(self) -> list[str]:
        """The lines of the card under the name, most useful first: when, where, how to call."""
        offer = self.shown.offer
        where = ", ".join(x for x in (offer.place, offer.address and str(offer.address)) if x)
        lines = [self.shown.when, where, offer.phone or "", offer.url if not offer.phone else "",
                 terms_text(offer, self.language)]
        if offer.accessibility is not None:
            lines.append(self.tr(offer.accessibility))
        return [line for line in lines if line]


class OfferList(Vertical):
    """The two or three offers chosen for this visitor (see ``kiosk.offers.choose_offers``)."""

    DEFAULT_CSS = "OfferList { height: auto; }"

    def __init__(self, offers: Sequence[ShownOffer], **kwargs: str) -> None:
        super().__init__(**kwargs)
        self.offers = list(offers)

    def compose(self) -> ComposeResult:
        for shown in self.offers:
            yield OfferCard(shown)
