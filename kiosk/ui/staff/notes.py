"""What the mediator records at the end of a guided session: only choices from the bank's
lists (no text can be typed), each optional but the reason for another pathway."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, RadioButton, RadioSet, SelectionList, Static

from kiosk.bank.model import MediatorLists, Option
from kiosk.records import GuidedOutcome
from kiosk.ui.staff.base import StaffScreen
from kiosk.visit import MediatorNotes

KEEP = "keep"  # the pathway choice that keeps the recommended one


class NotesScreen(StaffScreen):
    DEFAULT_CSS = """
    NotesScreen RadioSet, NotesScreen SelectionList {
        width: 100%;
        max-width: 80;
        height: auto;
        max-height: 14;
    }
    NotesScreen #notes-message {
        color: $text-warning;
    }
    NotesScreen #notes-actions {
        dock: bottom;
        height: auto;
        background: $panel;
    }
    NotesScreen #notes-actions Button {
        margin: 0 1;
    }
    """

    @property
    def lists(self) -> MediatorLists:
        lists = self.kiosk.assessment.bank.mediator
        assert lists is not None, "the notes screen needs the bank's lists"
        return lists

    def can_compose(self) -> bool:
        session = self.kiosk.staff_session
        return session is not None and session.outcome is not None

    def compose(self) -> ComposeResult:
        lists = self.lists
        bank = self.kiosk.assessment.bank
        outcome = self.session.outcome
        assert outcome is not None
        recommended = bank.pathway(outcome.record.pathway)
        with VerticalScroll(id="notes", classes="panel"):
            yield Static(self.t("notes_heading"), classes="title")
            yield Static(self.t("notes_themes"), classes="heading")
            yield SelectionList[str](*((self.tr(o.label), o.id) for o in lists.themes),
                                     id="themes")
            yield from self._choices("autonomy", lists.autonomy)
            yield from self._choices("redirection", lists.redirection,
                                     first=self.t("notes_no_redirection"))
            yield from self._choices("length", lists.length)
            others = [p for p in bank.pathways if p.id != recommended.id]
            yield from self._choices("pathway", [Option(id=p.id, label=p.title) for p in others],
                                     first=self.t("notes_keep", pathway=self.tr(recommended.title)))
            yield from self._choices("override_reasons", lists.override_reasons)
            yield Static("", id="notes-message", classes="body")
        with Horizontal(id="notes-actions"):
            yield Button(self.t("notes_save"), id="notes-save", variant="primary",
                         action="screen.save")
            yield Button(self.t("back"), id="notes-back", action="screen.back")

    def _choices(self, name: str, options: list[Option], first: str | None = None
                 ) -> ComposeResult:
        yield Static(self.t(f"notes_{name}"), classes="heading")
        buttons = [RadioButton(first, value=True, id=f"{name}-none")] if first else []
        buttons += [RadioButton(self.tr(o.label), id=f"{name}-{i}") for i, o in enumerate(options)]
        yield RadioSet(*buttons, id=name)

    def _chosen(self, name: str, options: list[Option]) -> str | None:
        pressed = self.query_one(f"#{name}", RadioSet).pressed_button
        if pressed is None or pressed.id is None or pressed.id.endswith("-none"):
            return None
        return options[int(pressed.id.rsplit("-", 1)[1])].id

    def notes(self) -> MediatorNotes | str:
        """What the form says, or what is missing from it."""
        lists = self.lists
        bank = self.kiosk.assessment.bank
        outcome = self.session.outcome
        assert outcome is not None
        others = [Option(id=p.id, label=p.title) for p in bank.pathways
                  if p.id != outcome.record.pathway]
        pathway = self._chosen("pathway", others)
        reason = self._chosen("override_reasons", lists.override_reasons)
        if pathway is not None and reason is None:
            return self.t("notes_reason_needed")
        themes = self.query_one("#themes", SelectionList).selected
        chosen = GuidedOutcome.model_validate({
            "autonomy": self._chosen("autonomy", lists.autonomy),
            "redirection": self._chosen("redirection", lists.redirection),
            "length": self._chosen("length", lists.length),
            "override": {"pathway": pathway, "reason": reason} if pathway else None,
        })
        return MediatorNotes(chosen, tuple(str(t) for t in themes))

    def action_save(self) -> None:
        notes = self.notes()
        if isinstance(notes, str):
            self.query_one("#notes-message", Static).update(notes)
            return
        self.kiosk.save_guided(notes)

    def action_back(self) -> None:
        self.kiosk.show_guided_result()

