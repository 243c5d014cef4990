"""Text that wraps only where a line may break: never at a no-break space.

Rich and Textual wrap at any whitespace, the no-break space included (Rich issue 4196), which
would leave a French "?" or "»" alone at the start of a line. :class:`Unbroken` wraps the words
itself, with the no-break space inside a word, then lets Textual draw lines that already fit.
"""

from __future__ import annotations

import re

from textual.content import Content
from textual.css.styles import RulesMap
from textual.selection import Selection
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widgets import Static

# A word and the ordinary spaces after it: a no-break space is part of the word.
_WORD = re.compile(r"[^ \n]+ *| +")


class Unbroken(Visual):
    """A text wrapped at its ordinary spaces and line ends only."""

    def __init__(self, text: str) -> None:
        self.content = Content(text)

    def __str__(self) -> str:
        return self.content.plain

    def lines(self, width: int) -> Content:
        """The text with a line end wherever it must wrap to fit ``width`` cells."""
        width = max(width, 1)
        plain = self.content.plain
        lines: list[Content] = []
        start = 0
        for paragraph in plain.split("\n"):
            end = start + len(paragraph)
            line_start, used = start, 0
            for word in _WORD.finditer(paragraph):
                size = Content(word.group().rstrip(" ")).cell_length
                if used and used + size > width:
                    lines.append(self.content[line_start:start + word.start()].rstrip())
                    line_start, used = start + word.start(), 0
                used += Content(word.group()).cell_length
            lines.append(self.content[line_start:end].rstrip())
            start = end + 1
        return Content("\n").join(lines)

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        return self.lines(width).render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.content.get_optimal_width(rules, container_width)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self.lines(width).get_height(rules, width)

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        return self.content.get_selection(selection)


class Words(Static):
    """A paragraph, a heading, a label: text that wraps only where it may (no markup)."""

    def __init__(self, text: str = "", **kwargs: str) -> None:
        super().__init__(Unbroken(text), **kwargs)
        self.text = text

    def update(self, content: object = "", *, layout: bool = True) -> None:  # type: ignore[override]
        self.text = str(content)
        super().update(Unbroken(self.text), layout=layout)
