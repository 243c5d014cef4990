"""Imported offers written as a site file a coordinator can read, check and edit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from kiosk.site import Site


def site_text(
    site_id: str, name: str, languages: list[str], region: str, offers: list[dict[str, Any]],
    source: str,
) -> str:
    """The YAML of a site with these offers, checked against the site model first."""
    data = {"id": site_id, "name": dict.fromkeys(languages, name), "languages": languages,
            "region": region, "offers": offers}
    Site.model_validate(data)  # what is written can be read back
    header = (
        f"# Imported from {source} by `kiosk site import`.\n"
        "# Check it with `kiosk validate` after every edit; import again to refresh it.\n"
    )
    body = yaml.safe_dump(
        data, allow_unicode=True, sort_keys=False, width=100, default_flow_style=None
    )
    return header + body


def write_new(path: Path, content: str) -> None:
    """Write ``content`` to a file that does not exist yet: a site file is never overwritten."""
    with path.open("x", encoding="utf-8") as handle:
        handle.write(content)
