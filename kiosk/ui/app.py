"""The kiosk app: a thin layer of screens over ``Visit`` (the assessment) and ``SaveQueue``.

The app holds at most one visit, and all navigation: screens and buttons ask it to move on.
Every way out of a visit (finish, stop, idle timeout) goes through ``_forget_visit``, which
drops the visit and replaces every screen, so the next visitor finds nothing of the previous one
on screen or in memory. The staff screens, behind the staff key and a PIN, run in a mode of
their own (``kiosk.ui.staff.mode``).
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import signal
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, work
from textual.app import App
from textual.reactive import reactive
from textual.screen import ModalScreen

from kiosk.display import Display, DisplayFile, Look
from kiosk.speech import Speaker
from kiosk.startup import Cover, Lazy
from kiosk.storage.errors import StorageError
from kiosk.ui import keys
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.screens.confirm import ChoiceScreen
from kiosk.ui.screens.idle import IdleScreen
from kiosk.ui.screens.notice import NoticeScreen
from kiosk.ui.screens.out_of_service import OutOfServiceScreen
from kiosk.ui.screens.welcome import WelcomeScreen
from kiosk.ui.staff.mode import StaffMode
from kiosk.ui.themes import THEMES

if TYPE_CHECKING:
    from kiosk.domain import Completion
    from kiosk.offers import ShownOffer
    from kiosk.routing import Decision
    from kiosk.staff import StaffAccess
    from kiosk.storage.saver import SaveQueue
    from kiosk.visit import Assessment, Outcome, Visit

log = logging.getLogger(__name__)


# Every minute, the result codes of another day are dropped.
EXPIRE_CODES_EVERY = 60.0


class KioskApp(StaffMode, App[None], inherit_bindings=False):
    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute: subclasses live elsewhere
    TITLE = "kiosk"
    ENABLE_COMMAND_PALETTE = False
    # Nothing on a public kiosk is to be copied; and Textual's selection start on a mouse press
    # fails on a widget that a recompose has just detached (a random presser triggers it).
    ALLOW_SELECT = False
    BINDINGS = keys.APP
    VERTICAL_BREAKPOINTS = [(0, "-short"), (34, "-tall")]
    # Set on a screen under a dialog: nothing there may look focused.
    SUSPENDED_SCREEN_CLASS = "-suspended"

    language: reactive[str] = reactive("fr")

    def __init__(
        self,
        assessment: Assessment | Lazy[Assessment],
        saver: SaveQueue,
        language: str = "fr",
        now: Callable[[], datetime] = datetime.now,
        clock: Callable[[], float] = time.monotonic,
        seed: int | None = None,
        staff: StaffAccess | Lazy[StaffAccess | None] | None = None,
        cover: Cover | None = None,
        kiosk_mode: bool = True,
        exit_after_session: bool = False,
        speaker: Speaker | None = None,
        display: DisplayFile | None = None,
        in_browser: bool = False,
    ) -> None:
        """``assessment`` may still be loading (see ``kiosk.startup``): ``cover`` then says
        what the welcome screen shows of it. ``now`` is the local time opening hours are read
        against; ``clock`` measures how long the kiosk has been left alone; ``seed`` fixes the
        visits' question draws (all are a test's to set; by default each visit draws its own);
        ``staff`` the staff files (PINs, audit log, result codes): without them the staff key
        opens nothing. How long the kiosk waits is the site's (``idle`` in the site file).

        In ``kiosk_mode`` no key leaves the app: only staff do, from their screens behind the
        PIN, or the service manager (SIGTERM, as ``systemctl stop`` sends). With
        ``exit_after_session`` the app exits once a visitor's session is over, for a fresh
        process for the next one. ``speaker`` reads questions aloud (none: nothing is read,
        and no screen offers it). ``display`` keeps the kiosk's look (colours, text size)
        for every visitor after; large text is offered ``in_browser`` only, where the page
        sets the text's size (a terminal's font is the console's)."""
        super().__init__()
        self.init_staff(staff)
        self.kiosk_mode = kiosk_mode
        self.speaker = speaker or Speaker(None)
        self.in_browser = in_browser
        self._display_file = display
        self.display_setting = display.read() if display is not None else Display()
        for theme in THEMES.values():
            self.register_theme(theme)
        self.theme = THEMES[self.display_setting.look].name
        self.exit_after_session = exit_after_session
        if kiosk_mode:
            # Textual leaves the terminal's signal keys (Ctrl+C, Ctrl+Z, Ctrl+\) on when asked to.
            os.environ.pop("TEXTUAL_ALLOW_SIGNALS", None)
        if isinstance(assessment, Lazy):
            assert cover is not None, "a questionnaire still loading needs its cover"
            self._assessment = assessment
        else:
            cover = Cover.of(assessment.bank)
            self._assessment = Lazy.of(assessment)
        self.cover = cover
        self.saver = saver
        self.first_language = language
        self.set_reactive(KioskApp.language, language)
        # The one visitor's data: the only references to it, dropped by _forget_visit.
        self.visit: Visit | None = None
        self.outcome: Outcome | None = None
        self.result_code = ""
        self.now = now
        self._clock = clock
        self._seed = seed
        self._last_input = clock()
        self._idle: tuple[IdleScreen, float] | None = None  # the dialog asking, and its deadline

    def _fatal_error(self) -> None:
        """Textual would print the traceback with its local variables (a visitor's answers)
        on the public screen. Log only where it failed, then exit as Textual's public ``panic``
        does, with nothing to show; ``kiosk run`` starts a fresh app.

        Textual has no public hook for unhandled errors: this overrides the one method its
        ``_handle_exception`` calls for them; ``tests/test_crash.py`` pins that behaviour."""
        error = sys.exc_info()[1]
        frames = traceback.extract_tb(error.__traceback__) if error else []
        where = " < ".join(f"{Path(f.filename).name}:{f.lineno}" for f in reversed(frames[-6:]))
        log.error("the kiosk stopped on %s at %s", type(error).__name__, where)
        self.panic()

    @property
    def assessment(self) -> Assessment:
        """The questionnaire and site, compiled; loaded in the background after the first
        screen, so only a visitor quicker than that load ever waits for it."""
        return self._assessment.get()

    def on_mount(self) -> None:
        self.push_screen(OutOfServiceScreen() if self.saver.status.problem else WelcomeScreen())
        self.call_after_refresh(self._warm_up)
        self.set_interval(1.0, self.check_presence)
        if not self.is_headless:
            loop = asyncio.get_running_loop()
            for stop in (signal.SIGTERM, signal.SIGHUP):  # the service manager; a lost terminal
                loop.add_signal_handler(stop, self.exit)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action == "quit" and self.kiosk_mode)

    def on_unmount(self) -> None:
        """A visit cut short by the app's exit (the service stopped, the browser tab closed)
        is kept as a visitor who left would be, before the save queue is closed."""
        self._save("timed_out")

    @work(thread=True, exit_on_error=False)
    def _warm_up(self) -> None:
        """After the first screen: open the store, load the questionnaire and the screens a
        visit needs, so that no key press waits for them."""
        if not self.saver.started:
            self.saver.start()
        try:
            self._assessment.get()
        except Exception:
            self.call_from_thread(self.exit)  # ``kiosk run`` says what is wrong with the files
            return
        from kiosk.ui.screens import improve, question, result, takeaway  # noqa: F401

        self.call_from_thread(self._warmed_up)

    def _warmed_up(self) -> None:
        # Everything loaded so far (bank, engine tables, styles) lives as long as the app: keep
        # it out of the collector's full passes, which otherwise stall a key press by ~80 ms.
        gc.freeze()
        self.expire_codes()
        self.set_interval(EXPIRE_CODES_EVERY, self.expire_codes)
        if not self._out_of_service_if_unsaved() and isinstance(self.screen, WelcomeScreen) \
                and self.saver.status.incidents:
            self.screen.show_again()  # the staff line tells what opening the store found

    def _out_of_service_if_unsaved(self) -> bool:
        """Between visitors, a kiosk that cannot save says so to staff at once."""
        if self.visit is None and self.saver.status.problem and not self.in_staff_mode and \
                not isinstance(self.screen, OutOfServiceScreen):
            self._forget_visit()
            self.switch_screen(OutOfServiceScreen())
            return True
        return False

    # -- navigation ---------------------------------------------------------------------------

    def may_take_visitors(self) -> bool:
        """Never take answers that could not be kept: else show staff why. While the store
        is still being opened, a visitor may start: their result waits in memory until then."""
        if not self.saver.status.problem:
            return True
        self.switch_screen(OutOfServiceScreen())
        return False

    def action_show_notice(self) -> None:
        if self.may_take_visitors():
            self.switch_screen(NoticeScreen())

    def action_start_visit(self) -> None:
        if not self.may_take_visitors():
            return
        from kiosk.ui.screens.question import QuestionScreen
        from kiosk.visit import Visit

        self.visit = Visit(self.assessment, self.language, seed=self._seed, now=self.now)
        self.switch_screen(QuestionScreen())

    def complete_visit(self) -> None:
        from kiosk.ui.screens.result import ResultScreen

        self._save("completed")
        assert self.outcome is not None
        # Linked to the result until midnight, apart from the results, so that a mediator can
        # open it; never in a record, an export or a log.
        self.result_code = self.issue_code(self.outcome)
        self.switch_screen(ResultScreen())

    def action_stop(self) -> None:
        """The visitor asks to stop: go on, or stop and keep the answers (for statistics,
        nothing that identifies them), or stop and delete them."""

        def stop(choice: str | None) -> None:
            if choice == "keep":
                self.end_visit("abandoned")
            elif choice == "delete" and self.visit is not None:
                # Nothing of the visit is kept: only one more stop in the week's count.
                self.saver.add_abandoned(self.assessment.site.id)
                self.reset_to_welcome()

        self.push_screen(ChoiceScreen("stop_question", [
            ("continue", "stop_cancel"), ("keep", "stop_keep"), ("delete", "stop_delete"),
        ]), stop)

    def end_visit(self, completion: Completion) -> None:
        """The visitor stopped or left: keep what the rules allow, then clear everything."""
        self._save(completion)
        self.reset_to_welcome()

    def show_takeaway(self, decision: Decision, offers: Sequence[ShownOffer]) -> None:
        from kiosk.takeaway import pages, summary
        from kiosk.ui.screens.takeaway import TakeawayScreen

        bank, code = self.assessment.bank, self.result_code
        fit = partial(pages, bank, decision, offers, self.language, code)
        ticket = summary(bank, decision, offers, self.language, code)
        self.push_screen(TakeawayScreen(fit, ticket, code))

    def action_finish(self) -> None:
        """Leave the result, once the visitor says so: one Enter must not wipe it."""

        def finish(choice: str | None) -> None:
            if choice == "finish":
                self._after_result()

        self.push_screen(ChoiceScreen("finish_question", [
            ("result", "finish_cancel"), ("finish", "finish_confirm"),
        ]), finish)

    def _after_result(self) -> None:
        """The optional questions that help improve the service, if any; then the next
        visitor."""
        from kiosk.ui.screens.improve import ImproveScreen

        if self.visit is not None and self.visit.after_result():
            self.switch_screen(ImproveScreen())
        else:
            self.reset_to_welcome()

    def action_done(self) -> None:
        self.reset_to_welcome()

    def reset_to_notice(self) -> None:
        self._forget_visit()
        self.switch_screen(NoticeScreen())

    def reset_to_welcome(self) -> None:
        session_over = self.visit is not None
        self._forget_visit()
        if session_over and self.exit_after_session:
            self.exit()
            return
        self.switch_screen(WelcomeScreen())
        self.language = self.first_language

    def _save(self, completion: Completion) -> None:
        """Store the visit once: a visit already saved (its result is on screen) is not
        saved again when the visitor then leaves or times out."""
        if self.visit is None or self.outcome is not None:
            return
        self.outcome = self.visit.outcome(completion)
        # In the background: the visitor sees the result at once; a failed save is kept and
        # retried, and the staff notice says so.
        self.saver.submit(self.outcome.stored)

    def _forget_visit(self) -> None:
        if self.visit is not None and self.outcome is not None:
            # The answers given after the result join the week's tally (counted already, as
            # "not given", when the result was saved).
            counted = self.visit.counted(self.outcome)
            if counted != self.outcome.counted:
                self.saver.recount(self.outcome.counted, counted)
        self.speaker.stop()  # the next visitor hears nothing of the last one's questions
        self.visit = None
        self.outcome = None
        self.result_code = ""
        self._idle = None
        while isinstance(self.screen, ModalScreen):  # a dialog over the visitor's screen
            self.pop_screen()

    # -- language -----------------------------------------------------------------------------

    def watch_language(self, language: str) -> None:
        if self.visit is not None:  # the record keeps the language the visitor ended in
            self.visit.language = language
        if self.staff_session is not None and self.staff_session.guided is not None:
            self.staff_session.guided.language = language
        if isinstance(self.screen, KioskScreen) and self.screen.is_mounted:
            self.screen.language_changed()

    def action_switch_language(self) -> None:
        languages = self.cover.languages
        self.language = languages[(languages.index(self.language) + 1) % len(languages)]

    # -- the kiosk's look ----------------------------------------------------------------------

    def action_toggle_contrast(self) -> None:
        look: Look = "calm" if self.display_setting.look == "high_contrast" else "high_contrast"
        self._change_display(replace(self.display_setting, look=look))
        self.theme = THEMES[look].name

    def action_toggle_large_text(self) -> None:
        if self.in_browser and self._display_file is not None:
            # The page sets the text's size when it opens: once the setting is kept, this
            # kiosk ends and the page opens a fresh one at the new size.
            self._change_display(replace(self.display_setting,
                                         large_text=not self.display_setting.large_text),
                                 then_reopen=True)

    def _change_display(self, display: Display, then_reopen: bool = False) -> None:
        self.display_setting = display
        if isinstance(self.screen, WelcomeScreen):
            self.screen.show_display()
        if self._display_file is not None:
            self._keep_display(self._display_file, display, then_reopen)

    @work(thread=True, exit_on_error=False)
    def _keep_display(self, file: DisplayFile, display: Display, then_reopen: bool) -> None:
        """Off the screen's thread, like every write: a disk that is slow or full does not
        stop the visitor; the kiosk keeps the look until it restarts."""
        try:
            file.write(display)
        except StorageError as exc:
            log.warning("the kiosk's look was not kept: %s", exc)
        if then_reopen:
            self.call_from_thread(self.exit)

    # -- presence -----------------------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.MouseEvent):
            self._last_input = self._clock()
        await super().on_event(event)

    def check_presence(self) -> None:
        """Once a second: after the site's ``ask_after`` seconds without a key or the mouse
        (``takeaway_after`` while the QR code is shown), ask whether the visitor is still
        there; with no answer within ``countdown``, clear the visit."""
        if self._out_of_service_if_unsaved():
            return
        now = self._clock()
        if self.staff_session is not None:
            self.check_staff_presence(now)
            return
        if self._idle is not None:
            dialog, deadline = self._idle
            if now < deadline:
                dialog.show_left(deadline - now)
            else:
                self._idle = None
                dialog.action_answer(False)
            return
        if not self._assessment.loaded:
            return  # no visit can have begun; the idle times are the site's, still loading
        from kiosk.ui.screens.takeaway import TakeawayScreen

        times = self.assessment.site.idle
        wait = times.takeaway_after if isinstance(self.screen, TakeawayScreen) else times.ask_after
        if now - self._last_input < wait:
            return
        if self.visit is None:
            # Nothing to lose: just make sure the next visitor starts from the French welcome.
            if not isinstance(self.screen, WelcomeScreen) or self.language != self.first_language:
                self.reset_to_welcome()
            return
        dialog = IdleScreen(times.countdown)
        self._idle = (dialog, now + times.countdown)
        self.push_screen(dialog, self._idle_answered)

    def _idle_answered(self, still_here: bool | None) -> None:
        self._idle = None
        self._last_input = self._clock()
        if not still_here:
            self.end_visit("timed_out")  # a result already saved is not saved again
