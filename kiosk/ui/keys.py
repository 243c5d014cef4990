"""Every key the kiosk answers to, in one place, so that locking a public terminal down is a
matter of this file and not of every screen."""

from textual.binding import Binding

# Number keys choose an answer; they are shown on the buttons, so they stay out of the footer.
ANSWER_KEYS = [Binding(str(n), f"choose({n})", show=False) for n in range(1, 10)]

BACK = [Binding("backspace", "back", show=False)]

QUESTION = [
    *ANSWER_KEYS,
    Binding("up", "app.focus_previous", show=False),
    Binding("down", "app.focus_next", show=False),
    *BACK,
    Binding("l", "app.switch_language", show=False),
    Binding("escape", "stop", show=False),
]

SCREEN = [
    Binding("up,left", "app.focus_previous", show=False),
    Binding("down,right", "app.focus_next", show=False),
    Binding("l", "app.switch_language", show=False),
]

SCROLL = [
    Binding("pagedown,space", "scroll(1)", show=False),
    Binding("pageup", "scroll(-1)", show=False),
]

CLOSE = [Binding("escape", "close", show=False)]

# Staff-only: leaving the app. A hardened public kiosk drops it (see the roadmap).
APP = [Binding("ctrl+q", "quit", show=False, priority=True)]
