"""The part of a screen between its bars: one centred column at every width, scrolled by the
screen's keys and the mouse wheel, never a Tab stop of its own (an invisible one would lose a
keyboard user)."""

from __future__ import annotations

from textual.containers import VerticalScroll

# Lines longer than this are hard to follow; wider terminals centre the column.
COLUMN = 96


class Page(VerticalScroll, can_focus=False):
    DEFAULT_CSS = f"""
    Page {{
        height: 1fr;
        padding: 0 2;
        align-horizontal: center;
    }}
    Page > * {{
        width: 100%;
        max-width: {COLUMN};
    }}
    """

    @property
    def more_below(self) -> bool:
        """Part of the page is below the visible part."""
        return self.scroll_y < self.max_scroll_y
