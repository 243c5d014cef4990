"""Shared fixtures: the bundled questionnaire and site, and a kiosk app on a temporary store."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from kiosk import paths
from kiosk.bank.loader import load_bank, load_model
from kiosk.bank.model import Bank
from kiosk.site import Site
from kiosk.storage import ResultStore
from kiosk.storage.saver import SaveQueue
from kiosk.ui.app import KioskApp
from kiosk.visit import Assessment

# A Tuesday at 13:00, when the Geneva "Rive gauche" permanence is open.
TUESDAY_1PM = datetime(2026, 11, 24, 13, 0)


@pytest.fixture(scope="session")
def bank() -> Bank:
    return load_bank(paths.default_bank())


@pytest.fixture(scope="session")
def site() -> Site:
    return load_model(paths.default_site(), Site)


@pytest.fixture(scope="session")
def assessment(bank: Bank, site: Site) -> Assessment:
    return Assessment.from_bank(bank, site)


@pytest.fixture
def store(tmp_path: Path) -> ResultStore:
    return ResultStore(tmp_path / "data")


@pytest.fixture
def make_app(assessment: Assessment, store: ResultStore) -> Callable[..., KioskApp]:
    def build(**options: object) -> KioskApp:
        return KioskApp(assessment, SaveQueue.of(store), now=lambda: TUESDAY_1PM, **options)  # type: ignore[arg-type]

    return build
