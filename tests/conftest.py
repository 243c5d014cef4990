"""Shared fixtures: the bundled questionnaire and sites, and a kiosk app on a temporary store.

Everything loaded from a data file is built once per test process and shared: the bank, the
sites and the compiled assessment are immutable.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from kiosk import paths
from kiosk.bank.model import Bank
from kiosk.datafile import load_model
from kiosk.site import Site
from kiosk.staff import StaffAccess
from kiosk.storage import ResultStore
from kiosk.storage.saver import SaveQueue
from kiosk.ui.app import KioskApp
from kiosk.visit import Assessment, load_assessment

# A Tuesday at 13:00, when the Geneva "Rive gauche" permanence is open.
TUESDAY_1PM = datetime(2026, 11, 24, 13, 0)
GENEVA_FILE = paths.questionnaires_dir() / "sites" / "geneve.yaml"
# PIN hashing far cheaper than the kiosk's (which takes a quarter of a second on purpose), for
# tests that are not about the hashing itself.
FAST_PINS = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@pytest.fixture(scope="session")
def assessment() -> Assessment:
    """The bundled questionnaire at the bundled example site."""
    return load_assessment()


@pytest.fixture(scope="session")
def bank(assessment: Assessment) -> Bank:
    return assessment.bank


@pytest.fixture(scope="session")
def site(assessment: Assessment) -> Site:
    return assessment.site


@pytest.fixture(scope="session")
def geneva() -> Site:
    """Geneva's two Permanences numériques and the offers around them."""
    return load_model(GENEVA_FILE, Site)


@pytest.fixture(scope="session")
def geneva_assessment(assessment: Assessment, geneva: Site) -> Assessment:
    return dataclasses.replace(assessment, site=geneva)


@pytest.fixture
def store(tmp_path: Path) -> ResultStore:
    return ResultStore(tmp_path / "data")


@pytest.fixture
def staff(store: ResultStore) -> StaffAccess:
    """The staff files beside the store, no PIN set, on the Tuesday of ``TUESDAY_1PM``."""
    return StaffAccess(store.data_dir, hasher=FAST_PINS, today=TUESDAY_1PM.date)


@pytest.fixture
def make_app(assessment: Assessment, store: ResultStore,
             staff: StaffAccess) -> Callable[..., KioskApp]:
    def build(questionnaire: Assessment = assessment, **options: object) -> KioskApp:
        options.setdefault("staff", staff)
        return KioskApp(questionnaire, SaveQueue.of(store), now=lambda: TUESDAY_1PM, **options)  # type: ignore[arg-type]

    return build
