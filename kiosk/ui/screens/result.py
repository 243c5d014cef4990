"""The result: the help that fits and where to find it first, then why, then what the visitor
already does. At 80x24 the pathway and the first offer's name, place and next opening are in
sight without scrolling; a cue says when there is more below."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical

from kiosk.offers import ShownOffer, Visitor, choose_offers
from kiosk.takeaway import spaced
from kiosk.ui import keys
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.widgets.levels import LevelRow
from kiosk.ui.widgets.nav import NavBar, TopBar
from kiosk.ui.widgets.offers import OfferList
from kiosk.ui.widgets.page import Page
from kiosk.ui.widgets.words import Words
from kiosk.visit import Outcome

LINE_STEP = 2  # lines an arrow key scrolls


class ResultScreen(KioskScreen):
    BINDINGS = keys.LONG_PAGE
    DEFAULT_CSS = """
    ResultScreen #pathway {
        height: auto;
        border: round $accent;
        padding: 0 1;
    }
    ResultScreen.-short #pathway {
        border: none;
        border-left: thick $accent;
    }
    ResultScreen .pathway-title {
        text-style: bold;
        color: $text-accent;
    }
    ResultScreen #levels {
        height: auto;
    }
    ResultScreen #foot {
        dock: bottom;
        height: auto;
    }
    ResultScreen #foot NavBar {
        dock: none;  /* in the foot, under the cue */
    }
    ResultScreen #more-below {
        width: 100%;
        text-align: center;
        text-style: bold;
        color: $text-accent;
        background: $panel;
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
        decision = self.outcome.decision
        pathway = bank.pathway(decision.pathway)
        yield TopBar(self.tr(bank.title), self.t("result_heading"))
        with Page(id="result"):
            yield Words(self.t("pathway_heading"), classes="heading")
            with Vertical(id="pathway", classes=f"pathway-{decision.pathway}"):
                yield Words(self.tr(pathway.title), classes="pathway-title")
                yield Words(self.tr(pathway.summary))
                yield from self._uncertainty()
            offers = self._offers()
            if offers:
                yield Words(self.t("offers_heading"), classes="heading")
                yield OfferList(offers, id="offers")
            if decision.reasons:
                yield Words(self.t("why_heading"), classes="heading")
                yield Words("\n".join(f"• {self.tr(r)}" for r in decision.reasons), id="why")
            if decision.needs:
                yield Words(self.t("needs_heading"), classes="heading")
                for need_id in decision.needs:
                    need = bank.need(need_id)
                    yield Words(f"• {self.tr(need.title)} — {self.tr(need.summary)}",
                                classes="need")
            yield from self._levels()
            yield Words(f"{self.t('takeaway_code')} {spaced(self.code)}", id="code",
                        classes="body")
        with Vertical(id="foot"):
            yield Words(self.t("more_below"), id="more-below")
            yield NavBar([
                ("takeaway", self.t("takeaway_button"), "screen.takeaway"),
                ("switch-language", self.t("other_language"), "app.switch_language"),
                ("finish", self.t("finish"), "app.finish"),
            ])

    def on_mount(self) -> None:
        super().on_mount()
        page = self.query_one(Page)
        self.watch(page, "scroll_y", self._show_cue, init=False)
        self.watch(page, "show_vertical_scrollbar", self._show_cue)

    def on_resize(self) -> None:
        self.call_after_refresh(self._show_cue)

    def _show_cue(self) -> None:
        """"More below" while part of the page is out of sight below."""
        for page in self.query(Page):  # none while recomposed
            self.query_one("#more-below").display = page.more_below

    def _uncertainty(self) -> ComposeResult:
        """An uncertain result says so and, when two pathways fit, names both."""
        estimate = self.outcome.estimate
        if estimate is None or estimate.uncertain is None:
            return
        yield Words(self.t("result_uncertain"), id="uncertain", classes="body")
        if estimate.uncertain == "undecided":
            bank = self.kiosk.assessment.bank
            first, second = (self.tr(bank.pathway(p).title) for p in estimate.likely_pathways())
            yield Words(self.t("result_two_paths", first=first, second=second),
                        id="two-paths", classes="body")

    def _levels(self) -> ComposeResult:
        """What the visitor already does, domain by domain: after the help, since the help is
        what they came for."""
        bank = self.kiosk.assessment.bank
        levels = self.outcome.record.levels
        if not levels:
            return
        yield Words(self.t("strengths_heading"), classes="heading")
        with Vertical(id="levels"):
            for domain in bank.domains:
                level = levels[domain.id]
                yield LevelRow(self.tr(domain.label), level, self.tr(bank.levels[level].label))

    def _offers(self) -> list[ShownOffer]:
        record = self.outcome.record
        return choose_offers(
            self.kiosk.assessment.site,
            self.outcome.decision,
            dict(record.levels),
            Visitor.from_answers(self.language, self.outcome.context),
            self.kiosk.now(),
        )

    def focus_default(self) -> None:
        """On "take it away": the way to keep the result, never the one that clears it."""
        for button in self.query("#takeaway"):
            button.focus()

    def action_takeaway(self) -> None:
        shown = self.query(OfferList)
        offers = shown.first().offers if shown else []
        self.kiosk.show_takeaway(self.outcome.decision, offers)

    def action_scroll_page(self, pages: int) -> None:
        for page in self.query(Page):  # none while recomposed
            if pages > 0:
                page.scroll_page_down()
            else:
                page.scroll_page_up()

    def action_scroll_line(self, lines: int) -> None:
        for page in self.query(Page):
            page.scroll_relative(y=lines * LINE_STEP)
