"""The kiosk's site: where it stands (its id is stored with each result) and the help near it."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from kiosk.bank.text import Strict, Text


class Site(Strict):
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_\-]*$", max_length=48)]
    name: Text
