"""The result: what the visitor already does, the help that fits, and why."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Static

from kiosk.offers import ShownOffer, Visitor, choose_offers
from kiosk.takeaway import fitting_summary, spaced
from kiosk.ui import keys
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.screens.takeaway import qr_room
from kiosk.ui.widgets.levels import LevelRow
from kiosk.ui.widgets.offers import OfferList
from kiosk.visit import Outcome


class ResultScreen(KioskScreen):
    BINDINGS = [*keys.SCREEN, *keys.SCROLL]
    DEFAULT_CSS = """
    ResultScreen #levels {
        height: auto;
    }
    ResultScreen #pathway {
        height: auto;
        border: round $accent;
        padding: 0 1;
        margin: 1 0 0 0;
    }
    ResultScreen .pathway-title {
        text-style: bold;
        color: $text-accent;
    }
    ResultScreen #result-actions {
        dock: bottom;
        height: auto;
        align-horizontal: center;
        background: $panel;
    }
    ResultScreen #result-actions Button {
        margin: 0 2;
    }
    """

    @property
    def outcome(self) -> Outcome:
        """The app's current outcome: the screen keeps no copy that could outlive the visit."""
        outcome = self.kiosk.outcome
        assert outcome is not None, "the result screen needs a finished visit"
        return outcome

    @property
    def code(self) -> str:
        return self.kiosk.result_code

    def can_compose(self) -> bool:
        return self.kiosk.outcome is not None

    def compose(self) -> ComposeResult:
        bank = self.kiosk.assessment.bank
        record = self.outcome.record
        decision = self.outcome.decision
        pathway = bank.pathway(decision.pathway)
        with VerticalScroll(id="result", classes="panel"):
            yield Static(self.t("result_heading"), classes="title")
            if record.levels:
                yield Static(self.t("strengths_heading"), classes="heading")
                with Vertical(id="levels"):
                    for domain in bank.domains:
                        level = record.levels[domain.id]
                        yield LevelRow(
                            self.tr(domain.label), level, self.tr(bank.levels[level].label)
                        )
            yield Static(self.t("pathway_heading"), classes="heading")
            with Vertical(id="pathway", classes=f"pathway-{decision.pathway}"):
                yield Static(self.tr(pathway.title), classes="pathway-title")
                yield Static(self.tr(pathway.summary), classes="body")
                yield from self._uncertainty()
            if decision.reasons:
                yield Static(self.t("why_heading"), classes="heading")
                yield Static(
                    "\n".join(f"• {self.tr(r)}" for r in decision.reasons), id="why", classes="body"
                )
            if decision.needs:
                yield Static(self.t("needs_heading"), classes="heading")
                for need_id in decision.needs:
                    need = bank.need(need_id)
                    yield Static(
                        f"• {self.tr(need.title)} — {self.tr(need.summary)}", classes="body need"
                    )
            offers = self._offers()
            if offers:
                yield Static(self.t("offers_heading"), classes="heading")
                yield OfferList(offers, id="offers")
            code = f"{self.t('takeaway_code')} {spaced(self.code)}"
            yield Static(code, id="code", classes="body")
        # Outside the scrolling part, so "finish" is always in sight and under the mouse.
        with Horizontal(id="result-actions"):
            yield Button(self.t("takeaway_button"), id="takeaway", action="screen.takeaway")
            yield Button(self.t("finish"), id="finish", variant="primary", action="app.finish")

    def _uncertainty(self) -> ComposeResult:
        """An uncertain result says so and, when two pathways fit, names both."""
        estimate = self.outcome.estimate
        if estimate is None or estimate.uncertain is None:
            return
        yield Static(self.t("result_uncertain"), id="uncertain", classes="body")
        if estimate.uncertain == "undecided":
            bank = self.kiosk.assessment.bank
            first, second = (self.tr(bank.pathway(p).title) for p in estimate.likely_pathways())
            yield Static(self.t("result_two_paths", first=first, second=second),
                         id="two-paths", classes="body")

    def _offers(self) -> list[ShownOffer]:
        record = self.outcome.record
        return choose_offers(
            self.kiosk.assessment.site,
            self.outcome.decision,
            dict(record.levels),
            Visitor.from_answers(self.language, self.outcome.context),
            self.kiosk.now(),
        )

    def _shown_offers(self) -> list[ShownOffer]:
        """The offers on screen: the QR code must hold those, not a ranking redone later."""
        shown = self.query(OfferList)
        return shown.first().offers if shown else []

    def action_takeaway(self) -> None:
        bank = self.kiosk.assessment.bank
        room = qr_room(self.app.size.height, tall=self.app.has_class("-tall"))
        text = fitting_summary(
            bank, self.outcome.decision, self._shown_offers(), self.language, self.code, room
        )
        self.kiosk.show_takeaway(text)

    def action_scroll(self, pages: int) -> None:
        for panel in self.query("#result").results(VerticalScroll):  # none while recomposed
            if pages > 0:
                panel.scroll_page_down()
            else:
                panel.scroll_page_up()
