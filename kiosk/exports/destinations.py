"""Where a coordinator at the kiosk can put an export: the data folder's ``exports`` folder, or a
USB stick, and a file name there that overwrites nothing.

A USB stick is whatever the system has mounted under ``/media`` or ``/run/media`` (desktop
systems mount removable drives there, one folder per user then per drive) and can be written.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from kiosk.exports.metadata import FileFormat, sidecar

EXPORTS_FOLDER = "exports"
REMOVABLE_ROOTS = (Path("/media"), Path("/run/media"))


@dataclass(frozen=True)
class Destination:
    kind: Literal["data_folder", "removable"]
    folder: Path


def destinations(data_dir: Path, roots: tuple[Path, ...] = REMOVABLE_ROOTS
                 ) -> list[Destination]:
    """The data folder's ``exports`` folder first, then each writable removable drive."""
    found = [Destination("data_folder", data_dir / EXPORTS_FOLDER)]
    for root in roots:
        for place in _two_levels(root):
            if os.path.ismount(place) and os.access(place, os.W_OK):
                found.append(Destination("removable", place))
    return found


def _two_levels(root: Path) -> list[Path]:
    """``root/drive`` and ``root/user/drive``: the two ways systems lay them out."""
    try:
        first = sorted(p for p in root.iterdir() if p.is_dir())
    except OSError:
        return []
    second = []
    for place in first:
        try:
            second += sorted(p for p in place.iterdir() if p.is_dir())
        except OSError:
            continue
    return first + second


def free_name(folder: Path, stem: str, file_format: FileFormat) -> Path:
    """``folder/stem.csv``, or ``stem-2.csv``... : the first name that is free, with its
    description beside it."""
    number = 1
    while True:
        path = folder / f"{stem}{'' if number == 1 else f'-{number}'}.{file_format}"
        if not path.exists() and not sidecar(path).exists():
            return path
        number += 1
