"""The staff side of the app: the PIN prompt, the staff screens in a mode of their own, guided
sessions, results opened from their code, and leaving.

Staff screens run in the app's ``staff`` mode (Textual gives each mode its own stack of
screens), which exists only between the right PIN and leaving. Leaving (the button, Esc on an
area's home, or ``STAFF_IDLE`` seconds without a key) saves a guided session still open, drops
the one :class:`StaffSession`, switches back to the visitors' mode and removes the staff mode
with every screen in it, then shows the visitors' welcome: nothing of the staff session is left
on screen or in memory.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from textual.screen import Screen

from kiosk.startup import Lazy
from kiosk.storage.errors import StorageError
from kiosk.ui.screens.confirm import ChoiceScreen
from kiosk.ui.strings import strings

# The staff side is loaded when first used, or in the background once the kiosk's first screen
# is up (see ``kiosk.startup``): the visitors' welcome screen waits for none of it.
if TYPE_CHECKING:
    from kiosk.domain import Completion, Role
    from kiosk.exports.metadata import ExportMetadata
    from kiosk.staff import ShownResult, StaffAccess
    from kiosk.staff.audit import Event
    from kiosk.staff.session import StaffSession
    from kiosk.ui.app import KioskApp
    from kiosk.visit import MediatorNotes, Outcome

VISITOR_MODE = "visitor"
STAFF_MODE = "staff"
STAFF_IDLE = 120.0  # seconds without a key or the mouse before staff mode closes itself
# The exit status of a kiosk stopped by staff (``RestartPreventExitStatus=`` in the systemd
# unit of the README), apart from a crash's 1 and a session's end's 0.
STOPPED_BY_STAFF = 3

log = logging.getLogger("kiosk.staff")


class StaffMode:
    """Mixed into the kiosk app (which provides the visitors' side: the saver, the visit, the
    welcome screen, the clock of the last key)."""

    # The visitors' screens are the app's first mode (a blank base under the welcome screen);
    # the staff mode is added after the PIN, and removed on leaving.
    DEFAULT_MODE = VISITOR_MODE
    MODES: ClassVar[dict[str, str | Callable[[], Screen]]] = {VISITOR_MODE: Screen}

    staff_session: StaffSession | None
    staff_idle: float

    def init_staff(self, access: StaffAccess | Lazy[StaffAccess | None] | None,
                   idle_after: float = STAFF_IDLE) -> None:
        """``access`` may be opened later (``kiosk run`` opens it once the first screen is up,
        see ``kiosk.startup``)."""
        self._staff = access if isinstance(access, Lazy) else Lazy.of(access)
        self.staff_session = None
        self.staff_idle = idle_after

    @property
    def staff(self) -> StaffAccess | None:
        return self._staff.get()

    @property
    def in_staff_mode(self) -> bool:
        return self.staff_session is not None

    # -- the way in and out --------------------------------------------------------------------

    def action_staff(self: KioskApp) -> None:
        """The staff key: the PIN prompt (nothing in staff mode, or over another prompt)."""
        from kiosk.ui.staff.pin import PinDialog

        # Without the staff files (a folder that cannot hold them) it stays silent: the
        # out-of-service screen tells staff what is wrong with the folder.
        if self.in_staff_mode or isinstance(self.screen, PinDialog) or self.staff is None:
            return
        self.push_screen(PinDialog(self.staff))

    def enter_staff(self: KioskApp, role: Role) -> None:
        """After the right PIN: a visit left open is ended as if the visitor had walked away,
        and the role's area opens in the staff mode."""
        from kiosk.staff.session import StaffSession
        from kiosk.ui.staff.areas import AREA_SCREENS

        if self.visit is not None:
            self.end_visit("timed_out")
        self.staff_session = StaffSession(role)
        self._last_input = self._clock()
        # The area is pushed over a blank base, as the visitors' welcome is: screens then move
        # on with ``switch_screen``, which a mode's base screen does not allow.
        self.add_mode(STAFF_MODE, Screen)
        self.switch_mode(STAFF_MODE)
        self.push_screen(AREA_SCREENS[role]())

    def open_staff_area(self: KioskApp, area: Role) -> None:
        """The one way to an area: only for a role that may open it."""
        from kiosk.ui.staff.areas import AREA_SCREENS

        session = self.staff_session
        if session is None or not session.may_open(area):
            self.notify(self.t_app("staff_not_allowed"), severity="warning")
            return
        self.switch_screen(AREA_SCREENS[area]())

    def action_open_staff_area(self: KioskApp, area: Role) -> None:
        self.open_staff_area(area)

    def leave_staff(self: KioskApp, completion: Completion = "abandoned") -> None:
        session = self.staff_session
        if session is None:
            return
        self._save_open_guided(completion)
        self._audit("staff_left", session.role, idle=completion == "timed_out")
        self.staff_session = None
        self.switch_mode(VISITOR_MODE)
        self.remove_mode(STAFF_MODE)
        self.reset_to_welcome()

    def action_leave_staff(self: KioskApp) -> None:
        self.leave_staff()

    def action_stop_kiosk(self: KioskApp) -> None:
        """Staff stop the kiosk (in kiosk mode, the only way out from its screens): confirmed,
        logged, then the app exits with ``STOPPED_BY_STAFF``, which a service manager is told
        not to restart on."""

        def stop_if_confirmed(choice: str | None) -> None:
            session = self.staff_session
            if choice == "stop" and session is not None:
                self._audit("kiosk_stopped", session.role)
                self.leave_staff()
                self.exit(return_code=STOPPED_BY_STAFF)

        self.push_screen(ChoiceScreen("stop_kiosk_question", [
            ("continue", "stop_cancel"), ("stop", "stop_kiosk_confirm"),
        ]), stop_if_confirmed)

    def check_staff_presence(self: KioskApp, now: float) -> None:
        if now - self._last_input >= self.staff_idle:
            self.leave_staff("timed_out")

    # -- guided sessions -----------------------------------------------------------------------

    def action_start_guided(self: KioskApp, continued: bool = False) -> None:
        from kiosk.ui.staff.question import GuidedQuestionScreen
        from kiosk.visit import Visit

        session = self.staff_session
        if session is None or not session.may_open("mediator"):
            return
        self._save_open_guided("abandoned")
        earlier = dict(session.opened.levels) if continued and session.opened else None
        session.guided = Visit(self.assessment, self.language, mode="guided",
                               earlier=earlier, seed=self._seed)
        self._audit("guided_started", session.role, continued=bool(earlier))
        self.switch_screen(GuidedQuestionScreen())

    def guided_finished(self: KioskApp) -> None:
        session = self.staff_session
        if session is None or session.guided is None:
            return
        session.outcome = session.guided.outcome("completed")
        session.code = self.issue_code(session.outcome)
        self.show_guided_result()

    def guided_result(self: KioskApp) -> ShownResult | None:
        session = self.staff_session
        if session is None or session.outcome is None:
            return None
        return _shown(session.outcome)

    def show_guided_result(self: KioskApp) -> None:
        from kiosk.ui.staff.result import StaffResultScreen

        self.switch_screen(StaffResultScreen("guided"))

    def action_take_notes(self: KioskApp) -> None:
        from kiosk.ui.staff.notes import NotesScreen

        if self.assessment.bank.mediator is None:
            self.save_guided(None)
            return
        self.switch_screen(NotesScreen())

    def action_guided_takeaway(self: KioskApp) -> None:
        from kiosk.takeaway import pages, summary
        from kiosk.ui.screens.takeaway import TakeawayScreen

        session = self.staff_session
        if session is None or session.outcome is None:
            return
        bank, decision = self.assessment.bank, session.outcome.decision
        fit = partial(pages, bank, decision, [], self.language, session.code)
        ticket = summary(bank, decision, [], self.language, session.code)
        self.push_screen(TakeawayScreen(fit, ticket, session.code))

    def save_guided(self: KioskApp, notes: MediatorNotes | None) -> None:
        """Keep the finished guided session, with what the mediator recorded if anything."""
        session = self.staff_session
        if session is None or session.outcome is None:
            return
        outcome = session.outcome
        if notes is not None:
            outcome = outcome.noted(self.assessment.bank, notes)
        self.saver.submit(outcome.stored)
        session.end_guided()
        self.open_staff_area("mediator")

    def stop_guided(self: KioskApp) -> None:
        def stop_if_confirmed(choice: str | None) -> None:
            if choice == "stop":
                self._save_open_guided("abandoned")
                self.open_staff_area("mediator")

        self.push_screen(ChoiceScreen("guided_stop_question", [
            ("continue", "stop_cancel"), ("stop", "stop_confirm"),
        ]), stop_if_confirmed)

    def drop_guided(self: KioskApp) -> None:
        """Back before the first answer: nothing to keep."""
        if self.staff_session is not None:
            self.staff_session.end_guided()
        self.open_staff_area("mediator")

    def _save_open_guided(self: KioskApp, completion: Completion) -> None:
        """A guided session still open is kept: finished, without notes; under way, as
        ``completion``; with no answer at all, not."""
        session = self.staff_session
        if session is None or session.guided is None:
            return
        outcome = session.outcome
        if outcome is None and session.guided.answered:
            outcome = session.guided.outcome(completion)
        if outcome is not None:
            self.saver.submit(outcome.stored)
        session.end_guided()

    # -- result codes --------------------------------------------------------------------------

    def issue_code(self: KioskApp, outcome: Outcome) -> str:
        """A result's code, linked to it until midnight (a code that opens nothing when the
        staff folder cannot be written: the visitor still gets the result)."""
        from kiosk.takeaway import new_result_code

        if self.staff is None:
            return new_result_code()
        try:
            return self.staff.codes.issue(_shown(outcome))
        except StorageError as exc:
            log.warning("a result code could not be linked to its result: %s", exc)
            return new_result_code()

    def action_enter_code(self: KioskApp) -> None:
        from kiosk.ui.staff.code import CodeScreen

        if self.staff_session is not None and self.staff_session.may_open("mediator"):
            self.switch_screen(CodeScreen())

    def open_result_code(self: KioskApp, typed: str) -> bool:
        """Show the result of a code given today; False (and nothing shown) for any other."""
        from kiosk.ui.staff.result import StaffResultScreen

        session = self.staff_session
        if session is None or self.staff is None:
            return False
        try:
            shown = self.staff.codes.look_up(typed)
        except StorageError as exc:
            log.warning("the result codes could not be read: %s", exc)
            shown = None
        self._audit("result_opened" if shown else "code_refused", session.role)
        if shown is None:
            return False
        session.opened = shown
        self.switch_screen(StaffResultScreen("code"))
        return True

    def expire_codes(self: KioskApp) -> None:
        """Drop the links of another day (the app calls it every minute)."""
        if self.staff is not None:
            try:
                self.staff.codes.expire()
            except StorageError as exc:
                log.warning("the result codes of another day could not be removed: %s", exc)

    # -- exports -------------------------------------------------------------------------------

    def note_export(self: KioskApp, metadata: ExportMetadata, role: Role) -> None:
        """An export made from the coordinator's screen, in the audit log with the role of
        the session that asked for it (called as soon as the file is written, from the
        export's thread: staff mode may have closed meanwhile)."""
        self._audit("export_made", role, kind=metadata.kind, rows=metadata.records,
                    format=metadata.file_format, via="screen")

    # -- helpers -------------------------------------------------------------------------------

    def t_app(self: KioskApp, key: str) -> str:
        return strings().get(key, self.language)

    def _audit(self: KioskApp, event: Event, role: Role | None,
               **detail: int | str | bool) -> None:
        if self.staff is None:
            return
        try:
            self.staff.audit.add(event, role, **detail)
        except StorageError as exc:
            log.error("the staff audit log could not be written: %s", exc)


def _shown(outcome: Outcome) -> ShownResult:
    from kiosk.staff.codes import shown_result

    estimate = outcome.estimate
    return shown_result(
        outcome.record.result_id, dict(outcome.record.levels), outcome.decision,
        estimate.uncertain if estimate else None,
        estimate.likely_pathways() if estimate else (),
    )
