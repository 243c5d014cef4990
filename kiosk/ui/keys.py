"""Every key the kiosk answers to, in named groups, in one place: locking a public terminal down
is a matter of this file, not of every screen. Each binding has an id, so a keymap
(``App.set_keymap({"switch_language": "f2"})``) can move a key without touching a screen."""

from textual.binding import Binding

# Number keys choose an answer; they are shown on the buttons, so they stay out of the footer.
ANSWERS = [Binding(str(n), f"choose({n})", show=False, id=f"answer_{n}") for n in range(1, 10)]
# Answers stand one under the other: up and down move between them.
ANSWER_FOCUS = [
    Binding("up", "app.focus_previous", show=False, id="previous_answer"),
    Binding("down", "app.focus_next", show=False, id="next_answer"),
]
# Buttons in a row: every arrow moves between them.
FOCUS = [
    Binding("up,left", "app.focus_previous", show=False, id="focus_previous"),
    Binding("down,right", "app.focus_next", show=False, id="focus_next"),
]
LANGUAGE = [Binding("l", "app.switch_language", show=False, id="switch_language")]
BACK = [Binding("backspace", "back", show=False, id="back")]
# Reads the question and its answers aloud (where a speech program is installed): shown on the
# question screen's bar.
READ_ALOUD = [Binding("r", "read_aloud", show=False, id="read_aloud")]
STOP = [Binding("escape", "stop", show=False, id="stop")]
# Buttons side by side in a bar: left and right move between them.
ROW_FOCUS = [
    Binding("left", "app.focus_previous", show=False, id="focus_left"),
    Binding("right", "app.focus_next", show=False, id="focus_right"),
]
# A page longer than the screen: up and down scroll it (its buttons are in a row).
SCROLL = [
    Binding("pagedown,space", "scroll_page(1)", show=False, id="page_down"),
    Binding("pageup", "scroll_page(-1)", show=False, id="page_up"),
    Binding("down", "scroll_line(1)", show=False, id="line_down"),
    Binding("up", "scroll_line(-1)", show=False, id="line_up"),
]
CLOSE = [Binding("escape", "close", show=False, id="close")]
# After the result, Esc ends the visit (the questions there are optional).
DONE = [Binding("escape", "app.done", show=False, id="done")]
# Development only: leaving the app. Kiosk mode (the default of `kiosk run`) turns it off; staff
# then stop the kiosk from their area.
QUIT = [Binding("ctrl+q", "quit", show=False, priority=True, id="quit")]
# Staff-only: the PIN prompt that opens the staff screens. Shown on no visitor screen (the README
# tells staff); without the PIN it opens nothing.
STAFF = [Binding("ctrl+k", "app.staff", show=False, priority=True, id="staff")]
# Staff screens: Tab and Shift+Tab move between fields and buttons (the arrows move within a
# list of choices); Esc goes back.
STAFF_BACK = [Binding("escape", "back", show=False, id="staff_back")]

# What each kind of screen answers to.
QUESTION = [*ANSWERS, *ANSWER_FOCUS, *BACK, *LANGUAGE, *STOP, *READ_ALOUD]
SCREEN = [*FOCUS, *LANGUAGE]
LONG_PAGE = [*ROW_FOCUS, *SCROLL, *LANGUAGE]
DIALOG = [*FOCUS, *CLOSE]
APP = [*QUIT, *STAFF]
