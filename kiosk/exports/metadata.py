"""What an export says about itself: what it holds, where and when from, how it was made
anonymous, and a checksum. CSV and JSON-lines files carry it beside them, as ``FILE.meta.json``;
a workbook carries it as its first sheet."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

import kiosk

FORMAT = "kiosk-export"
FORMAT_VERSION = 1
FileFormat = Literal["csv", "jsonl", "xlsx"]
Kind = Literal["visit_records", "answer_sheets"]


class Questionnaire(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    version: str
    records: int


class Anonymity(BaseModel):
    """k-anonymity over the quasi-identifiers: how many records went out with their period
    as stored, how many coarsened to each coarser period, how many were left out."""

    model_config = ConfigDict(extra="forbid")

    k: int
    quasi_identifiers: list[str]
    periods: dict[str, int] = Field(default_factory=dict)  # "week": records, ... "any": ...
    left_out: int = 0


class Checksum(BaseModel):
    model_config = ConfigDict(extra="forbid")

    algorithm: Literal["sha256"] = "sha256"
    # "file": the bytes of the data file; "rows": each data row of a workbook as a JSON array
    # and a newline (a workbook's own bytes change with every save).
    of: Literal["file", "rows"]
    value: str


class Source(BaseModel):
    """A file merged into this one."""

    model_config = ConfigDict(extra="forbid")

    file: str
    records: int
    checksum: str


class ExportMetadata(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format: Literal["kiosk-export"] = FORMAT
    format_version: Literal[1] = FORMAT_VERSION
    kind: Kind
    file: str
    file_format: FileFormat
    encoding: str | None = None  # CSV: utf-8-sig (with a byte-order mark), JSON lines: utf-8
    delimiter: str | None = None
    schema_version: int  # the highest record schema in the file
    columns: list[str]
    records: int
    sites: list[str] = Field(default_factory=list)
    first_period: str | None = None
    last_period: str | None = None
    questionnaires: list[Questionnaire] = Field(default_factory=list)
    synthetic_included: bool = False
    anonymity: Anonymity
    suppression_rule: str
    checksum: Checksum
    sources: list[Source] = Field(default_factory=list)
    created_by: str = f"kiosk {kiosk.__version__}"


def sidecar(path: Path) -> Path:
    return path.with_name(path.name + ".meta.json")


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def rule(k: int, quasi_identifiers: Iterable[str]) -> str:
    return (f"k-anonymity, k = {k}, over {', '.join(quasi_identifiers)}: a rarer combination's "
            "period is coarsened (week, month, quarter, year, any time) until k records share "
            "it, or the records are left out")
