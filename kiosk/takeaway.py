"""What a visitor takes away: a short plain-text summary, a QR code of it, a result code.

Nothing in them identifies the person: the pathway, the offers with their addresses and hours,
and a random code to show a mediator. The QR code is drawn with text characters so any
terminal shows it; printing a ticket is a bonus that never stops the kiosk.
"""

from __future__ import annotations

import secrets
import shutil
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from itertools import groupby
from typing import Literal

import segno

from kiosk.bank.model import Bank
from kiosk.offer_text import name_text
from kiosk.offers import ShownOffer
from kiosk.routing import Decision
from kiosk.words import words

# No O/0, I/1/L, nor S/5 and Z/2 pairs that a tired eye or a bad print mixes up.
CODE_ALPHABET = "ABCDEFGHJKMNPQRTUVWXY346789"
CODE_LENGTH = 6
QR_BORDER = 2  # quiet zone in modules; the light frame that phone cameras need to lock on
# The QR codes hold the first two offers at most (the third is on the screen only).
QR_OFFERS = 2
SHORTEST = 12  # characters an offer's name or address is never cut below
_PLAIN = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2013": "-"})


def new_result_code(choice: Callable[[str], str] = secrets.choice) -> str:
    """Six random letters and digits (27**6, about 387 million codes)."""
    return "".join(choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def spaced(code: str) -> str:
    """``K7PQ3X`` as ``K7P Q3X``: easier to read aloud."""
    return f"{code[:3]} {code[3:]}"


@dataclass(frozen=True)
class _Line:
    text: str
    kind: Literal["pathway", "name", "address", "when", "contact", "code"]
    offer: int | None = None  # the offer it tells about, by rank


def summary(
    bank: Bank,
    decision: Decision,
    offers: Sequence[ShownOffer],
    language: str,
    code: str,
) -> str:
    """The recommendation in a few lines of plain text: what the ticket holds."""
    return "\n".join(_joined(_lines(bank, decision, offers, language, code)))


def pages(
    bank: Bank,
    decision: Decision,
    offers: Sequence[ShownOffer],
    language: str,
    code: str,
    max_modules: int,
) -> list[str]:
    """The texts of the QR codes that hold the summary, each at most ``max_modules`` wide and
    high (quiet zone included): one where it fits, else one after the other. The first always
    holds the pathway and the first offer's name, address and next opening (a name or address
    too long for the smallest screen is shortened); a later one starts with the name of the
    offer it goes on with, so that each reads alone."""

    def fits(lines: list[_Line]) -> bool:
        return qr_size("\n".join(_joined(lines))) <= max_modules

    lines = _lines(bank, decision, offers[:QR_OFFERS], language, code)
    first = [line for line in lines
             if line.kind == "pathway" or (line.offer == 0 and line.kind != "contact")]
    done = [_shortened(first, fits)]
    names = {line.offer: line for line in lines if line.kind == "name"}

    def alone(block: list[_Line]) -> list[_Line]:
        """A block starting a page: with its offer's name if it goes on with one, shortened
        if need be."""
        head = block[0]
        if head.offer is not None and head.kind != "name":
            block = [names[head.offer], *block]
        return _shortened(block, fits)

    rest = [line for line in lines if line not in first]
    for _, grouped in groupby(rest, key=lambda line: line.offer):
        block = list(grouped)
        if fits([*done[-1], *block]):
            done[-1] += block
        elif fits(alone(block)):  # an offer is not split when it fits a code of its own
            done.append(alone(block))
        else:
            for line in block:
                if fits([*done[-1], line]):
                    done[-1].append(line)
                else:
                    done.append(alone([line]))
    return ["\n".join(_joined(page)) for page in done]


def qr_size(text: str) -> int:
    """Modules across the QR code of ``text``, quiet zone included."""
    return int(_qr(text).symbol_size(border=QR_BORDER)[0])


def _lines(
    bank: Bank, decision: Decision, offers: Sequence[ShownOffer], language: str, code: str
) -> list[_Line]:
    # Access needs have no line of their own: the offers chosen for them say it, in fewer bytes.
    lines = [_Line(bank.pathway(decision.pathway).title.get(language), "pathway")]
    for rank, shown in enumerate(offers):
        offer = shown.offer
        told = [(name_text(offer, language), "name"),
                (str(offer.address) if offer.address else "", "address"),
                (shown.week or shown.when, "when"), (offer.phone or offer.url or "", "contact")]
        lines += [_Line(_plain(text), kind, rank) for text, kind in told if text]  # type: ignore[arg-type]
    lines.append(_Line(words().get("takeaway_code", language, code=spaced(code)), "code"))
    return lines


def _joined(lines: Sequence[_Line]) -> list[str]:
    """The lines' texts, a blank line before each offer and the code (but at the top)."""
    texts: list[str] = []
    for line in lines:
        if texts and line.kind in ("name", "code"):
            texts.append("")
        texts.append(line.text)
    return texts


def _shortened(lines: list[_Line], fits: Callable[[list[_Line]], bool]) -> list[_Line]:
    """``lines`` with the offer's name, then its address, cut (with "…") until they fit."""
    lines = list(lines)
    for kind in ("name", "address"):
        for i, line in enumerate(lines):
            while line.kind == kind and not fits(lines) and len(line.text) > SHORTEST:
                line = lines[i] = replace(line, text=line.text[:-2].rstrip() + "…")
    return lines


def _plain(text: str) -> str:
    """Thin and no-break spaces as spaces, a dash as a hyphen: the same to a reader, fewer
    bytes in a QR code, and what any printer prints."""
    return text.translate(_PLAIN)


def qr_matrix(text: str) -> list[list[bool]]:
    """The QR code of ``text`` as rows of modules (True = dark), with its quiet zone."""
    return [[bool(m) for m in row] for row in _qr(text).matrix_iter(border=QR_BORDER)]


@cache
def _qr(text: str) -> segno.QRCode:
    # The lowest error correction packs the most text in a code that fits a small screen (a
    # terminal's code is not scratched or stained; a bigger one is not possible at 80x24);
    # segno raises it where that costs no size.
    return segno.make(text, error="l", micro=False, boost_error=True)


# Two rows of modules per line of text: (top dark, bottom dark) -> character drawn in the
# dark colour on a light background.
_HALF_BLOCKS = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}


def qr_lines(matrix: list[list[bool]]) -> list[str]:
    """The matrix as text, two module rows per line. Draw it dark on light (black on white):
    in a dark-themed terminal, spaces would otherwise read as dark modules."""
    rows = [*matrix, [False] * len(matrix[0])] if len(matrix) % 2 else matrix
    return [
        "".join(_HALF_BLOCKS[top, bottom] for top, bottom in zip(upper, lower, strict=True))
        for upper, lower in zip(rows[::2], rows[1::2], strict=True)
    ]


def print_ticket(
    text: str,
    printer: str | None = None,
    run: Callable[..., subprocess.CompletedProcess[bytes]] = subprocess.run,
) -> bool:
    """Send ``text`` to the CUPS printer (``lp``); False, never an exception, when it fails."""
    if shutil.which("lp") is None:
        return False
    command = ["lp", "-s", *(["-d", printer] if printer else [])]
    try:
        done = run(command, input=text.encode("utf-8"), capture_output=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0
