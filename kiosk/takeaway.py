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
# The QR code holds the first two offers at most: with three it no longer fits 80 columns.
QR_OFFERS = 2


def new_result_code(choice: Callable[[str], str] = secrets.choice) -> str:
    """Six random letters and digits (27**6, about 387 million codes)."""
    return "".join(choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def spaced(code: str) -> str:
    """``K7PQ3X`` as ``K7P Q3X``: easier to read aloud."""
    return f"{code[:3]} {code[3:]}"


def summary(
    bank: Bank,
    decision: Decision,
    offers: Sequence[ShownOffer],
    language: str,
    code: str,
    hours: bool = True,
) -> str:
    """The recommendation in a few lines of plain text: what the QR code and the ticket hold."""
    # Access needs have no line of their own: the offers chosen for them say it, in fewer bytes.
    lines = [bank.pathway(decision.pathway).title.get(language)]
    for shown in offers:
        offer = shown.offer
        lines.append("")
        lines.append(name_text(offer, language))
        when = (shown.week or shown.when) if hours else ""
        address = str(offer.address) if offer.address else ""
        lines += [x for x in (address, when, offer.phone or offer.url) if x]
    lines += ["", words().get("takeaway_code", language, code=spaced(code))]
    return "\n".join(lines)


def fitting_summary(
    bank: Bank,
    decision: Decision,
    offers: Sequence[ShownOffer],
    language: str,
    code: str,
    max_lines: int,
) -> str:
    """The fullest summary whose QR code, drawn as text, fits in ``max_lines`` lines: a code
    cut off by the screen's edge cannot be scanned. Fewer offers first, then no hours; at the
    least the pathway and the code."""
    for count in range(min(len(offers), QR_OFFERS), 0, -1):
        for hours in (True, False):
            text = summary(bank, decision, offers[:count], language, code, hours)
            if len(qr_lines(qr_matrix(text))) <= max_lines:
                return text
    return summary(bank, decision, [], language, code)


def qr_matrix(text: str) -> list[list[bool]]:
    """The QR code of ``text`` as rows of modules (True = dark), with its quiet zone."""
    qr = segno.make(text, error="l", micro=False, boost_error=True)
    return [[bool(m) for m in row] for row in qr.matrix_iter(border=QR_BORDER)]


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
