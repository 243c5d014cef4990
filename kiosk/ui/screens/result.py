"""The result: what the visitor already does, the help that fits, and why."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center, Vertical, VerticalScroll
from textual.widgets import Button, Static

from kiosk.ui import keys
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.widgets.levels import LevelRow
from kiosk.visit import Outcome


class ResultScreen(KioskScreen):
    BINDINGS = keys.SCREEN

    def __init__(self, outcome: Outcome) -> None:
        super().__init__()
        self.outcome = outcome

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
            with Center():
                yield Button(self.t("finish"), id="nav-finish", variant="primary")

    def on_mount(self) -> None:
        super().on_mount()
        self.focus_default()

    def action_finish(self) -> None:
        self.kiosk.reset_to_welcome()
