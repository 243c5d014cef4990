"""What the visitor takes away: the summary, its QR code drawn as text, the result code."""

from __future__ import annotations

import subprocess
from datetime import datetime

import numpy as np
import pytest
import zxingcpp
from PIL import Image

from kiosk.bank.model import Bank
from kiosk.offers import Visitor, choose_offers
from kiosk.routing import Router
from kiosk.site import Site
from kiosk.takeaway import (
    CODE_ALPHABET,
    QR_OFFERS,
    fitting_summary,
    new_result_code,
    print_ticket,
    qr_lines,
    qr_matrix,
    spaced,
    summary,
)

MON = datetime(2026, 11, 23, 13, 0)
_CHAR_MODULES = {" ": (0, 0), "▀": (1, 0), "▄": (0, 1), "█": (1, 1)}


def _summary(bank: Bank, site: Site, language: str, context: dict[str, str], level: int) -> str:
    levels = dict.fromkeys(bank.domain_ids(), level)
    decision = Router(bank).decide(levels, context)
    offers = choose_offers(site, decision, levels, Visitor(language), MON)[:QR_OFFERS]
    return summary(bank, decision, offers, language, "K7PQ3X")


def _decode_text(lines: list[str]) -> str:
    """Read the QR code back from the characters on screen, as a phone camera would."""
    rows: list[list[int]] = []
    for line in lines:
        pairs = [_CHAR_MODULES[c] for c in line]
        rows += [[top for top, _ in pairs], [bottom for _, bottom in pairs]]
    dark = np.array(rows, dtype=np.uint8)
    pixels = np.where(dark == 1, 0, 255).astype(np.uint8)
    image = Image.fromarray(pixels).resize((dark.shape[1] * 6, dark.shape[0] * 6),
                                           Image.Resampling.NEAREST)
    found = zxingcpp.read_barcodes(image)
    assert len(found) == 1
    return found[0].text


CASES = [
    ("fr", {"urgency": "today", "internet_home": "no", "email": "no"}, 1),
    ("en", {"urgency": "no", "equipment": "none"}, 0),
    ("en", {"urgency": "no"}, 3),
]


@pytest.mark.parametrize(("language", "context", "level"), CASES)
def test_the_terminal_qr_code_decodes_to_the_summary(
    bank: Bank, geneva: Site, language: str, context: dict[str, str], level: int
) -> None:
    text = _summary(bank, geneva, language, context, level)
    lines = qr_lines(qr_matrix(text))
    assert _decode_text(lines) == text
    # It must fit an 80-column terminal.
    assert max(len(line) for line in lines) <= 80


def test_the_summary_says_pathway_offers_addresses_hours_and_code(
    bank: Bank, geneva: Site
) -> None:
    text = _summary(bank, geneva, "fr", {"urgency": "today"}, 1)
    lines = text.splitlines()
    assert lines[0] == "Accompagnement individuel"
    assert "Permanence numérique Rive gauche" in lines
    assert "Rue de la Terrassière 9, 1207 Genève" in lines
    assert "mar. et jeu. 12:30\u2009–\u200916:00" in lines  # the coming week, by Babel
    assert "+41 22 418 99 00" in lines
    assert lines[-1] == "Code conseiller·e : K7P Q3X"  # French: a space before the colon


def test_result_codes_are_short_random_and_unambiguous() -> None:
    codes = {new_result_code() for _ in range(200)}
    assert len(codes) > 190
    assert all(len(c) == 6 and set(c) <= set(CODE_ALPHABET) for c in codes)
    assert not set("O0I1L") & set(CODE_ALPHABET)
    assert spaced("ABCDEF") == "ABC DEF"


def test_printing_never_fails_the_flow(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("shutil.which", lambda name: "/usr/bin/lp")
    sent: list[list[str]] = []

    def ok(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[bytes]:
        sent.append(command)
        assert kwargs["input"] == b"ticket"
        return subprocess.CompletedProcess(command, 0)

    def broken(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[bytes]:
        raise subprocess.TimeoutExpired(command, 10)

    assert print_ticket("ticket", "front-desk", run=ok) is True
    assert sent == [["lp", "-s", "-d", "front-desk"]]
    assert print_ticket("ticket", run=broken) is False
    assert print_ticket("ticket", run=lambda c, **k: subprocess.CompletedProcess(c, 1)) is False
    monkeypatch.setattr("shutil.which", lambda name: None)
    assert print_ticket("ticket", run=ok) is False and len(sent) == 1


def test_fitting_summary_drops_detail_until_the_qr_code_fits(bank: Bank, geneva: Site) -> None:
    levels = dict.fromkeys(bank.domain_ids(), 1)
    decision = Router(bank).decide(levels, {"urgency": "today"})
    offers = choose_offers(geneva, decision, levels, Visitor("fr"), MON)
    sizes = []
    for room in (60, 30, 26, 20, 10):
        text = fitting_summary(bank, decision, offers, "fr", "K7PQ3X", room)
        drawn = len(qr_lines(qr_matrix(text)))
        assert drawn <= room or text == summary(bank, decision, [], "fr", "K7PQ3X")
        assert text.startswith(bank.pathway(decision.pathway).title.fr)
        assert text.endswith("K7P Q3X")
        sizes.append(len(text))
    assert sizes == sorted(sizes, reverse=True) and sizes[0] > sizes[-1]
