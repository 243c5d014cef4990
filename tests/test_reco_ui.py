"""The result-screen pieces under a real Textual pilot: offers and the take-away's code."""

from __future__ import annotations

import asyncio
from datetime import datetime

from textual.app import App, ComposeResult
from textual.containers import VerticalScroll

from kiosk.bank.model import Bank
from kiosk.offers import Visitor, choose_offers
from kiosk.routing import Router
from kiosk.site import Site
from kiosk.takeaway import pages
from kiosk.typography import NO_BREAK_SPACE
from kiosk.ui.widgets.offers import OfferCard, OfferList
from kiosk.ui.widgets.takeaway import QrCode
from kiosk.ui.widgets.words import Words

TUESDAY = datetime(2026, 11, 24, 13, 0)


class Host(App[None]):
    def __init__(
        self, bank: Bank, site: Site, language: str, level: int = 1, urgency: str = "today"
    ) -> None:
        super().__init__()
        levels = dict.fromkeys(bank.domain_ids(), level)
        decision = Router(bank).decide(levels, {"urgency": urgency})
        self.offers = choose_offers(site, decision, levels, Visitor(language), TUESDAY)
        self.text = pages(bank, decision, self.offers, language, "K7PQ3X", 81)[0]
        self.language = language

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield OfferList(self.offers, id="offers")
            yield QrCode(self.text)


def _texts(app: App[None], selector: str) -> list[str]:
    return [w.text for w in app.query(selector).results(Words)]


def test_offers_and_takeaway_render_in_french(bank: Bank, geneva: Site) -> None:
    async def scenario() -> None:
        app = Host(bank, geneva, "fr")
        async with app.run_test(size=(100, 60)) as pilot:
            await pilot.pause()
            cards = list(app.query(OfferCard))
            assert [c.shown.offer.id for c in cards][:2] == [
                "permanence-rive-gauche", "permanence-rive-droite"]
            first = _texts(cards[0], "Words")
            assert first[0] == "Permanence numérique Rive gauche"
            assert "Ouvert maintenant, jusqu'à 16:00" in first
            assert any("Sans rendez-vous" in line for line in first)
            assert f"Langue{NO_BREAK_SPACE}: français" in first[-1], "French typography"
            qr = app.query_one(QrCode)
            assert qr.payload == app.text and "█" in str(qr.render())
    asyncio.run(scenario())


def test_english_visitor_sees_english_words(bank: Bank, geneva: Site) -> None:
    async def scenario() -> None:
        app = Host(bank, geneva, "en")
        async with app.run_test(size=(100, 60)) as pilot:
            await pilot.pause()
            first = _texts(app.query(OfferCard).first(), "Words")
            assert first[0] == "Digital drop-in desk, Rive gauche"
            assert "Open now, until 16:00" in first
            assert "Free · No appointment needed · Language: French" in first
    asyncio.run(scenario())


def test_samples_and_online_offers_on_the_cards(bank: Bank, geneva: Site) -> None:
    async def scenario() -> None:
        app = Host(bank, geneva, "fr", level=3, urgency="no")  # at ease: the autonomy offers
        async with app.run_test(size=(100, 60)) as pilot:
            await pilot.pause()
            cards = {c.shown.offer.id: _texts(c, "Words") for c in app.query(OfferCard)}
            assert set(cards) == {"pix", "conferences-permanences"}
            nbsp = NO_BREAK_SPACE
            assert cards["pix"][-1] == f"Gratuit · Langues{nbsp}: français et anglais"
            talks = cards["conferences-permanences"]
            assert talks[0].endswith("(exemple)")
            assert f"Dates et horaires à demander{nbsp}: appelez" in talks
            assert not any("décembre" in line for line in talks)
    asyncio.run(scenario())
