"""What the visitor takes away: the summary, its QR code drawn as text, the result code."""

from __future__ import annotations

import subprocess
from datetime import datetime

import pytest
from ui_helpers import decode_qr

from kiosk.bank.model import Bank
from kiosk.offer_text import name_text
from kiosk.offers import Visitor, choose_offers
from kiosk.routing import Router
from kiosk.site import Site
from kiosk.takeaway import (
    CODE_ALPHABET,
    QR_OFFERS,
    new_result_code,
    pages,
    print_ticket,
    qr_lines,
    qr_matrix,
    qr_size,
    spaced,
    summary,
)

MON = datetime(2026, 11, 23, 13, 0)
def _summary(bank: Bank, site: Site, language: str, context: dict[str, str], level: int) -> str:
    levels = dict.fromkeys(bank.domain_ids(), level)
    decision = Router(bank).decide(levels, context)
    offers = choose_offers(site, decision, levels, Visitor(language), MON)[:QR_OFFERS]
    return summary(bank, decision, offers, language, "K7PQ3X")


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
    assert decode_qr(lines) == text
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
    # The coming week, by Babel; plain spaces and a hyphen: fewer bytes in a QR code.
    assert "mar. et jeu. 12:30 - 16:00" in lines
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


# A version-6 code (45 modules with its quiet zone) is the biggest 80x24 shows beside its words.
SMALLEST_SCREEN = 45


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize(("context", "level"), [({"urgency": "today"}, 1), ({}, 3),
                                                ({"help_preference": "group"}, 2)])
def test_the_codes_fit_and_the_first_holds_the_first_offer(
    bank: Bank, geneva: Site, language: str, context: dict[str, str], level: int
) -> None:
    levels = {**dict.fromkeys(bank.domain_ids(), level), "safety": 1}
    decision = Router(bank).decide(levels, context)
    offers = choose_offers(geneva, decision, levels, Visitor.from_answers(language, context), MON)
    full = summary(bank, decision, offers[:QR_OFFERS], language, "K7PQ3X")
    for most in (SMALLEST_SCREEN, 57, 81):
        texts = pages(bank, decision, offers, language, "K7PQ3X", most)
        assert all(qr_size(text) <= most for text in texts), most
        first = texts[0].splitlines()
        assert first[0] == bank.pathway(decision.pathway).title.get(language)
        offer, shown = offers[0].offer, offers[0]
        assert name_text(offer, language).startswith(first[2].rstrip("…"))
        told = "\n".join(first)
        assert (str(offer.address) if offer.address else "") in told
        assert (shown.week or shown.when).replace("\u2013", "-").replace("\u2009", " ") in told
        # Nothing is lost: every line of the ticket is on a code, a long name at least cut.
        on_codes = "\n".join(texts)
        assert all(line in on_codes or line[:10] in on_codes for line in full.splitlines())
        later = [text.splitlines()[0] for text in texts[1:]]
        names = {o.offer.name.get(language) for o in offers}
        assert all(line.rstrip("…")[:10] in " ".join(names) or "K7P Q3X" in line
                   for line in later), later
    assert len(pages(bank, decision, offers, language, "K7PQ3X", 200)) == 1
