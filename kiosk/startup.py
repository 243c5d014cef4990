"""Starting quickly: the first screen is drawn before the questionnaire is loaded.

Loading and checking the questionnaire and the site takes Pydantic, NumPy, the opening-hours
library and the engine's tables: most of a start. The kiosk restarts often (a fresh process for
each visitor with ``--exit-after-session``, one per browser visit with ``kiosk serve``), always
on the same files. So once files have been checked, their fingerprint is kept in the user's
cache folder with what the first screen needs of them (the questionnaire's title and
languages: its :class:`Cover`); the next start on the same files, by the same code, draws the
welcome screen from that and loads the rest in the background while the visitor reads. Files
never checked, or changed since, are checked before anything is shown, as ``kiosk validate``
would, and a problem stops the start with its ``file:line``.

The fingerprint covers the content of every file read at start and the kiosk's own code (its
version and the modification times of its modules), so an edit to either is checked again.
Nothing in the cache says anything about visitors.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar

from platformdirs import user_cache_dir

import kiosk
from kiosk.bounded_read import MAX_BYTES, Unreadable, read_bytes

if TYPE_CHECKING:
    from kiosk.bank.model import Bank

T = TypeVar("T")

CACHE_DIR_ENV = "KIOSK_CACHE_DIR"
_PACKAGE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Cover:
    """What the welcome screen shows of a questionnaire: its title, by language, and the
    languages a visitor may switch between (French first: the questionnaire's order)."""

    title: Mapping[str, str]
    languages: tuple[str, ...]

    @classmethod
    def of(cls, bank: Bank) -> Cover:
        return cls({lang: bank.title.get(lang) for lang in bank.languages},
                   tuple(bank.languages))


def cache_file() -> Path:
    folder = os.environ.get(CACHE_DIR_ENV) or user_cache_dir("kiosk", appauthor=False)
    return Path(folder) / "checked.json"


def fingerprint(files: Iterable[Path]) -> str:
    """A digest of the files' paths and contents and of the kiosk's code."""
    digest = hashlib.sha256(_code_version().encode())
    for path in files:
        digest.update(str(path.resolve()).encode() + b"\0")
        # Within the data files' limits: a pipe or a huge file is refused, never waited on.
        digest.update(hashlib.sha256(read_bytes(path, MAX_BYTES)).digest())
    return digest.hexdigest()


def _code_version() -> str:
    """The kiosk's version and the newest modification time of its files (an editable
    install changes code without changing its version)."""
    newest = max(p.stat().st_mtime_ns for p in _PACKAGE.rglob("*") if p.suffix in
                 {".py", ".yaml", ".tcss", ".json"})
    return f"{kiosk.__version__}:{newest}"


def checked_cover(files: Iterable[Path]) -> Cover | None:
    """The cover kept for exactly these files, if they were checked before, unchanged since."""
    try:
        kept = json.loads(cache_file().read_text(encoding="utf-8"))
        if kept.get("fingerprint") != fingerprint(files):
            return None
        return Cover(dict(kept["title"]), tuple(kept["languages"]))
    except (OSError, ValueError, KeyError, TypeError, Unreadable):
        return None  # no cache, an unreadable one or a file that is none: check as at a first start


def remember_checked(files: Iterable[Path], cover: Cover) -> None:
    """Keep that these files passed every check (best effort: a cache that cannot be written
    only means the next start checks them again)."""
    target = cache_file()
    entry = {"fingerprint": fingerprint(files), "title": dict(cover.title),
             "languages": list(cover.languages)}
    with contextlib.suppress(OSError):
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".checked-")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(entry, out)
        os.replace(temporary, target)


class Lazy(Generic[T]):
    """A value loaded once, on first ``get``, from whichever thread asks first; the others wait
    for it. A load that raised raises the same error to every caller."""

    def __init__(self, load: Callable[[], T]) -> None:
        self._load: Callable[[], T] | None = load
        self._lock = threading.Lock()
        self._value: T | None = None
        self._error: BaseException | None = None

    @classmethod
    def of(cls, value: T) -> Lazy[T]:
        """A value already there."""
        ready: Lazy[T] = cls(lambda: value)
        ready.get()
        return ready

    @property
    def loaded(self) -> bool:
        return self._load is None

    @property
    def error(self) -> BaseException | None:
        """What the load raised, once it has run."""
        return self._error

    def get(self) -> T:
        with self._lock:
            if self._load is not None:
                try:
                    self._value = self._load()
                except Exception as exc:
                    self._error = exc
                finally:
                    self._load = None
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[return-value]  # set when the load did not raise
