"""Problems in a data file, each told as ``file:line: what is wrong (how to fix it)``.

A model's own validator finds problems that span several fields (a duplicate id, a missing
translation); it collects them all in ``Problems`` and raises them at once as ``Inconsistent``,
each with its place in the file, which the reader turns into a line number.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# Where a value stands in a data file: ``("items", 3, "params", "b")``.
Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class DataFileError(Exception):
    """A data file that cannot be used, with every problem found in it."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


class Inconsistent(ValueError):
    """Raised from a model validator; the reader turns each entry into a ``file:line`` problem."""

    def __init__(self, problems: list[tuple[Loc, str]]) -> None:
        super().__init__("; ".join(msg for _, msg in problems))
        self.problems = problems


class Problems:
    """Collects cross-field problems so one validation run reports all of them."""

    def __init__(self) -> None:
        self.items: list[tuple[Loc, str]] = []

    def add(self, loc: Loc, message: str) -> None:
        self.items.append((loc, message))

    def unique(self, entries: list[tuple[str, int, str]], what: str) -> None:
        """``entries`` are (section, index, id): each id must be used once in its section."""
        seen: dict[str, int] = {}
        for section, index, ident in entries:
            if ident in seen:
                self.add(
                    (section, index, "id"),
                    f"duplicate {what} id '{ident}' (first used at {section}[{seen[ident]}]): "
                    "give each one its own id",
                )
            else:
                seen[ident] = index

    def raise_if_any(self) -> None:
        if self.items:
            raise Inconsistent(self.items)
