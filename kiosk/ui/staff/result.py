"""A result for the mediator: a guided session's, or the one a visitor brought as a code.

Denser than the visitor's result screen: each domain's level, the pathway and why, access
needs, the offers that fit; then what the mediator can do next.
"""

from __future__ import annotations

from typing import Literal

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Static

from kiosk.offers import Visitor, choose_offers
from kiosk.staff import ShownResult
from kiosk.takeaway import spaced
from kiosk.ui.staff.base import StaffScreen
from kiosk.ui.widgets.levels import LevelRow
from kiosk.ui.widgets.offers import OfferList

Origin = Literal["guided", "code"]


class StaffResultScreen(StaffScreen):
    DEFAULT_CSS = """
    StaffResultScreen #staff-levels {
        height: auto;
    }
    StaffResultScreen #staff-result-actions {
        dock: bottom;
        height: auto;
        background: $panel;
    }
    StaffResultScreen #staff-result-actions Button {
        margin: 0 1;
    }
    """

    def __init__(self, origin: Origin) -> None:
        super().__init__()
        self.origin = origin

    @property
    def shown(self) -> ShownResult:
        shown = (self.kiosk.guided_result() if self.origin == "guided"
                 else self.session.opened)
        assert shown is not None, "the staff result screen needs a result"
        return shown

    def can_compose(self) -> bool:
        session = self.kiosk.staff_session
        if session is None:
            return False
        return (session.outcome if self.origin == "guided" else session.opened) is not None

    def compose(self) -> ComposeResult:
        bank = self.kiosk.assessment.bank
        shown = self.shown
        pathway = bank.pathway(shown.pathway)
        with VerticalScroll(id="staff-result", classes="panel"):
            yield Static(self.t(f"staff_result_{self.origin}"), classes="title")
            with Vertical(id="staff-levels"):
                for domain in bank.domains:
                    if domain.id in shown.levels:
                        level = shown.levels[domain.id]
                        yield LevelRow(self.tr(domain.label), level,
                                       self.tr(bank.levels[level].label))
            yield Static(self.t("staff_pathway", pathway=self.tr(pathway.title)),
                         id="staff-pathway", classes="heading")
            if shown.uncertain:
                yield Static(self.t(f"staff_uncertain_{shown.uncertain}",
                                    paths=", ".join(self.tr(bank.pathway(p).title)
                                                    for p in shown.likely)),
                             id="staff-uncertain", classes="body")
            if shown.reasons:
                yield Static("\n".join(f"• {self.tr(r)}" for r in shown.reasons),
                             id="staff-why", classes="body")
            for need in shown.needs:
                yield Static(f"+ {self.tr(bank.need(need).title)}", classes="body need")
            offers = choose_offers(self.kiosk.assessment.site, shown.decision(),
                                   dict(shown.levels), Visitor.from_answers(self.language, {}),
                                   self.kiosk.now())
            if offers:
                yield Static(self.t("offers_heading"), classes="heading")
                yield OfferList(offers, id="staff-offers")
            if self.origin == "guided" and self.session.code:
                yield Static(f"{self.t('takeaway_code')} {spaced(self.session.code)}",
                             id="staff-code", classes="body")
        with Horizontal(id="staff-result-actions"):
            if self.origin == "guided":
                yield Button(self.t("staff_notes"), id="notes", variant="primary",
                             action="app.take_notes")
                yield Button(self.t("staff_takeaway"), id="takeaway",
                             action="app.guided_takeaway")
            else:
                yield Button(self.t("staff_continue"), id="continue", variant="primary",
                             action="app.start_guided(True)")
                yield Button(self.t("back"), id="result-back", action="screen.back")

    def action_back(self) -> None:
        if self.origin == "guided":  # kept as it is, without notes
            self.kiosk.save_guided(None)
        else:
            super().action_back()
