"""Hostile and mutated data files, given to the real ``kiosk`` commands as separate processes.

Used by the tests (a quick run) and by ``benchmarks/datafile_fuzz.py`` (thousands of cases); not
shipped with the kiosk:

- ``HOSTILE``: hand-made hostile YAML, each with the line and the words its problem must be
  reported with;
- ``mutate``: a bundled questionnaire or site with a few random edits (lines deleted,
  duplicated, swapped, re-indented; values replaced by hostile ones; bytes inserted; the file
  cut short);
- ``run_kiosk``: one command on one file in its own process (``kiosk run`` in a
  pseudo-terminal, as at a kiosk), and its ``verdict``: ``ok`` (exit 0, or the kiosk's first
  screen), ``refused`` (exit 1 with only ``file:line: what (how to fix)`` lines, each at a line
  of its file that is no default) or what went wrong (a traceback, another exit code, a hang,
  other output, a line that is a default or out of the file).
"""

from __future__ import annotations

import fcntl
import os
import pty
import random
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from dataclasses import dataclass
from pathlib import Path

from kiosk import paths

BANK = paths.default_bank()
SITES = sorted((paths.questionnaires_dir() / "sites").glob("*.yaml"))
# Commands each kind of file is given to; hostile files go to every one of them.
COMMANDS = {
    "bank": ("validate", "run --bank", "calibrate --bank"),
    "site": ("validate", "run --site", "site upgrade"),
    "hostile": ("validate", "run --bank", "run --site", "calibrate --bank", "site upgrade"),
}
PROBLEM_LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+): (?P<message>.+)$")
# Problems of a whole file have no line of their own: they are told at line 0.
WHOLE_FILE = ("cannot read the file", "not a file but", "the file is larger", "the file is empty")
# Problems a comment can have.
CHARACTER_PROBLEMS = ("not UTF-8 text", "the character U+")
# What else a command may say when it refuses (calibrate, on a valid questionnaire whose id no
# stored answer has).
OTHER_REFUSALS = (re.compile(r"^no stored answers for questionnaire '.*': nothing to calibrate$"),)
# The kiosk's first screen, in either language of its screens.
WELCOME = (b"Bonjour, bienvenue", b"Hello, welcome")
SIZE = (80, 24)
TIMEOUT = 60.0
# Each command runs with this much address space at most: the kiosk needs a few hundred MB; a
# file that makes it take more fails as "memory" instead of taking the machine down.
MEMORY_LIMIT = 2 << 30
# ``python -m kiosk`` under that limit (set by a small Python that then becomes the kiosk).
KIOSK = [
    sys.executable, "-c",
    "import os, resource, sys; "
    f"resource.setrlimit(resource.RLIMIT_AS, ({MEMORY_LIMIT}, {MEMORY_LIMIT})); "
    "os.execv(sys.executable, [sys.executable, '-m', 'kiosk', *sys.argv[1:]])",
]


@dataclass(frozen=True)
class Hostile:
    """A hand-made hostile file; its first line is a comment, so no problem belongs at line 1."""

    name: str
    text: bytes
    line: int  # where the problem must be told (0: the whole file)
    says: str  # words of the message


def _laughs() -> bytes:
    """The 342-byte "billion laughs": nine levels of nine aliases of the level below."""
    rows = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        rows.append(f"{name}: &{name} [{','.join(['*' + prev] * 9)}]")
    return ("\n".join(rows) + "\n").encode()


def _hostile(name: str, body: str | bytes, line: int, says: str) -> Hostile:
    head = f"# hostile YAML: {name}\nid: hostile\n".encode()
    return Hostile(name, head + (body if isinstance(body, bytes) else body.encode()), line, says)


HOSTILE: tuple[Hostile, ...] = (
    Hostile("billion-laughs", b"# hostile YAML: billion laughs\n" + _laughs(), 7,
            "aliases of aliases multiply"),
    _hostile("recursive-alias", "a: &a [1, *a]\n", 3, "inside the value it repeats"),
    _hostile("undefined-alias", "a: *nowhere\n", 3, "names no value"),
    _hostile("bad-date", "closed: 2026-02-30\n", 3, "'2026-02-30' is not a date"),
    _hostile("raw-control-character", 'name: "a\x01b"\n', 3, "U+0001 cannot be in a data file"),
    _hostile("nul-byte", "name: a\x00b\n", 3, "U+0000 cannot be in a data file"),
    _hostile("escaped-control-character", 'name: "\\e[2Jcleared"\n', 3,
             "control character U+001B"),
    _hostile("python-object", 'x: !!python/object/apply:os.system ["echo hi"]\n', 3,
             "'!!python/object/apply:os.system' is not allowed"),
    _hostile("python-name", "x: !!python/name:os.system ''\n", 3, "is not allowed"),
    _hostile("unknown-tag", "x: !foo bar\n", 3, "the tag '!foo' is not allowed"),
    _hostile("binary", "x: !!binary aGk=\n", 3, "the tag '!!binary' is not allowed"),
    _hostile("set", "x: !!set {a, b}\n", 3, "the tag '!!set' is not allowed"),
    _hostile("int-abc", "x: !!int abc\n", 3, "'abc' is not a whole number"),
    _hostile("bool-maybe", "x: !!bool maybe\n", 3, "'maybe' is not true or false"),
    _hostile("timestamp-nope", "x: !!timestamp nope\n", 3, "'nope' is not a date"),
    _hostile("huge-integer", "x: " + "9" * 5000 + "\n", 3, "a number of more than"),
    _hostile("base-60-integer", "x: " + "1:" * 2000 + "1\n", 3, "a number of more than"),
    _hostile("list-key", "? [a, b]\n: c\n", 3, "cannot be a key"),
    _hostile("mapping-key", "{a: 1}: c\n", 3, "cannot be a key"),
    _hostile("alias-key", "a: &l [1]\n? *l\n: c\n", 4, "cannot be a key"),
    _hostile("merge-key", "base: &b {x: 1}\nother:\n  <<: *b\n", 5, "merge keys"),
    _hostile("deep-nesting", "x: " + "[" * 5000 + "]" * 5000 + "\n", 3, "nested more than"),
    _hostile("deep-block-nesting",
             "".join(f"{'  ' * i}k{i}:\n" for i in range(100)) + "  " * 100 + "v: 1\n", 43,
             "nested more than"),
    _hostile("two-documents", "a: 1\n---\nb: 2\n", 4, "a second document"),
    _hostile("not-utf8", b"name: caf\xe9\n", 3, "not UTF-8"),
    _hostile("unclosed-bracket", "name: [a, b\nother: c\n", 4, "YAML syntax"),
    _hostile("tab-indentation", "a:\n\tb: 1\n", 4, "a tab cannot indent"),
    _hostile("many-values", "x: [" + "1," * 150_000 + "1]\n", 3, "more than 100000 values"),
    Hostile("flow-list-50mb", b"x: [" + b"1," * 25_000_000 + b"1]\n", 0, "larger than 4 MB"),
    Hostile("comments-only", b"# hostile YAML: nothing but comments\n# at all\n", 0,
            "the file is empty"),
)


def special_files(folder: Path) -> dict[str, Path]:
    """Paths that are no regular file, or none at all; each is told at line 0."""
    fifo = folder / "fifo.yaml"
    if not fifo.exists():
        os.mkfifo(fifo)
    directory = folder / "directory.yaml"
    directory.mkdir(exist_ok=True)
    dangling = folder / "dangling.yaml"
    if not dangling.is_symlink():
        dangling.symlink_to(folder / "nowhere")
    return {"fifo": fifo, "device": Path("/dev/zero"), "directory": directory,
            "missing": folder / "missing.yaml", "dangling-symlink": dangling}


# -- mutations --------------------------------------------------------------------------------

# Values a person or an attacker could put anywhere.
TOKENS = (
    ".inf", "-.inf", ".nan", "1e308", "1.0e+308", "-1.0e+308", "true", "false", "no", "null",
    "~", "[]", "{}", "''", '""', "0", "-1", "1.5", "99", "0x1F", "0o17", "1_000", "12:30",
    "2026-02-30", "2026-13-01", "2026-11-24T10:00:00Z", "!!python/object/apply:os.system [ls]",
    "!!python/name:os.system ''", "!!int abc", "!!float x", "!!bool maybe", "!!timestamp x",
    "!!binary aGk=", "!foo bar", "*nowhere", "&a [*a]", "9" * 5000, "1:" * 40 + "1",
    '"\\e[2J"', '"\\x00"', "'", '"', ":", "- x", "? [a]", "{a: 1}", "[" * 60 + "]" * 60,
    "x" * 20_000, "é", "<<", "=", "[a, b", "{a: 1}: b", "&x 1", "|\n  text",
)
# Raw bytes a broken editor or a copy from elsewhere could leave.
BYTES = (b"\x00", b"\x01", b"\x1b", b"\x7f", b"\xff", b"\xc3", b"\t", b"\r", b"\xef\xbb\xbf",
         b"\xe2\x80\xae", b"'", b'"', b"[", b"{", b"&", b"*", b"!", b"%", b"@", b"`", b"\n")


def source(kind: str, rng: random.Random) -> bytes:
    """A file of this kind to mutate: the bundled questionnaire, a bundled site, a hostile
    file."""
    if kind == "bank":
        return BANK.read_bytes()
    if kind == "site":
        return rng.choice(SITES).read_bytes()
    return rng.choice(HOSTILE).text


def mutate(text: bytes, rng: random.Random, edits: int) -> bytes:
    """``text`` with ``edits`` random edits."""
    lines = text.splitlines(keepends=True) or [b""]
    for _ in range(edits):
        lines = _EDITS[rng.randrange(len(_EDITS))](lines, rng) or [b""]
    return b"".join(lines)


def _delete(lines: list[bytes], rng: random.Random) -> list[bytes]:
    del lines[rng.randrange(len(lines))]
    return lines


def _duplicate(lines: list[bytes], rng: random.Random) -> list[bytes]:
    i = rng.randrange(len(lines))
    lines.insert(i, lines[i])
    return lines


def _swap(lines: list[bytes], rng: random.Random) -> list[bytes]:
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[i], lines[j] = lines[j], lines[i]
    return lines


def _indent(lines: list[bytes], rng: random.Random) -> list[bytes]:
    i = rng.randrange(len(lines))
    lines[i] = lines[i][2:] if rng.random() < 0.5 else b"  " + lines[i]
    return lines


def _replace_value(lines: list[bytes], rng: random.Random) -> list[bytes]:
    i = rng.randrange(len(lines))
    head, sep, _ = lines[i].partition(b": ")
    if not sep:
        head, sep, _ = lines[i].partition(b"- ")
    lines[i] = head + (sep or b": ") + rng.choice(TOKENS).encode() + b"\n"
    return lines


def _insert_bytes(lines: list[bytes], rng: random.Random) -> list[bytes]:
    i = rng.randrange(len(lines))
    at = rng.randrange(len(lines[i]) + 1)
    lines[i] = lines[i][:at] + rng.choice(BYTES) + lines[i][at:]
    return lines


def _cut(lines: list[bytes], rng: random.Random) -> list[bytes]:
    i = rng.randrange(len(lines))
    return [*lines[:i], lines[i][: rng.randrange(len(lines[i]) + 1)]]


_EDITS = (_delete, _duplicate, _swap, _indent, _replace_value, _replace_value, _insert_bytes,
          _cut)


# -- running a command ------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    command: str
    path: Path
    code: int | None  # None: the kiosk reached its first screen, or a hang (see ``hung``)
    output: str
    hung: bool = False


@dataclass(frozen=True)
class Workspace:
    """The folders the commands use: results for the kiosk, synthetic answers for calibrate
    (so that a questionnaire it accepts is calibrated in full), and where calibrate writes."""

    root: Path

    @classmethod
    def prepare(cls, root: Path, env: dict[str, str]) -> Workspace:
        # Run from the workspace: ``python -m`` imports from the current folder first.
        workspace = cls(root)
        workspace.out.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [*KIOSK, "demo-data", "--count", "40", "--engine-visits", "40",
             "--seed", "1", "--data-dir", str(workspace.answers)],
            check=True, capture_output=True, env={**os.environ, **env}, cwd=root,
        )
        return workspace

    @property
    def results(self) -> Path:
        return self.root / "results"

    @property
    def answers(self) -> Path:
        return self.root / "answers"

    @property
    def out(self) -> Path:
        return self.root / "calibrated"


def kiosk_argv(command: str, path: Path, workspace: Workspace) -> list[str]:
    argv = [*KIOSK, *command.split(), str(path)]
    if command.startswith("run"):
        return [*argv, "--data-dir", str(workspace.results)]
    if command.startswith("calibrate"):
        out = workspace.out / f"{path.stem}-{os.getpid()}-{time.monotonic_ns()}.yaml"
        return [*argv, "--data-dir", str(workspace.answers), "--include-synthetic",
                "--out", str(out)]
    return argv


def run_kiosk(command: str, path: Path, workspace: Workspace,
              env: dict[str, str] | None = None, timeout: float = TIMEOUT) -> Run:
    """``kiosk COMMAND PATH`` in its own process; ``kiosk run`` in a pseudo-terminal, stopped
    once its first screen is drawn."""
    argv = kiosk_argv(command, path, workspace)
    environment = {**os.environ, **(env or {})}
    if command.startswith("run"):
        return _run_in_terminal(command, path, argv, environment, workspace.root, timeout)
    try:
        done = subprocess.run(argv, capture_output=True, env=environment, timeout=timeout,
                              check=False, cwd=workspace.root)
    except subprocess.TimeoutExpired as exc:
        output = (exc.stdout or b"") + (exc.stderr or b"")
        return Run(command, path, None, output.decode(errors="replace"), hung=True)
    output = (done.stdout + done.stderr).decode(errors="replace")
    return Run(command, path, done.returncode, output)


def _run_in_terminal(command: str, path: Path, argv: list[str], env: dict[str, str],
                     cwd: Path, timeout: float) -> Run:
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
    process = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave,
                               env={**env, "TERM": "xterm-256color"}, start_new_session=True,
                               cwd=cwd)
    os.close(slave)
    seen = b""
    deadline = time.monotonic() + timeout
    try:
        while not any(needle in seen for needle in WELCOME):
            ready, _, _ = select.select([master], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                return Run(command, path, None, seen.decode(errors="replace"), hung=True)
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the process ended and closed the terminal
                chunk = b""
            if not chunk:
                code = process.wait(timeout=max(1.0, deadline - time.monotonic()))
                return Run(command, path, code, _plain(seen))
            seen += chunk
        return Run(command, path, None, _plain(seen))
    finally:
        if process.poll() is None:  # the kiosk has no quit key for visitors
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        os.close(master)


def _plain(output: bytes) -> str:
    return output.decode(errors="replace").replace("\r\n", "\n")


# -- verdicts ---------------------------------------------------------------------------------

FAILURES = ("memory", "traceback", "hang", "exit code", "other output", "default line",
            "line outside")


def verdict(run: Run) -> str:
    """``ok``, ``refused`` or one of ``FAILURES``."""
    if "MemoryError" in run.output or run.code == -signal.SIGKILL:
        return "memory"
    if "Traceback" in run.output:
        return "traceback"
    if run.hung:
        return "hang"
    if run.code is None or run.code == 0:
        return "ok"
    if run.code != 1:
        return "exit code"
    return _refusal([line for line in run.output.splitlines() if line.strip()])


def _refusal(lines: list[str]) -> str:
    """``refused`` if every line is a problem at a real place or another known refusal."""
    if not lines:
        return "other output"
    for line in lines:
        found = PROBLEM_LINE.match(line)
        if found is None:
            if not any(other.match(line) for other in OTHER_REFUSALS):
                return "other output"
            continue
        problem = _line_problem(Path(found["file"]), int(found["line"]), found["message"])
        if problem:
            return problem
    return "refused"


def _line_problem(path: Path, line: int, message: str) -> str:
    """What is wrong with a problem's line, or ''."""
    if line == 0:
        return "" if message.startswith(WHOLE_FILE) else "default line"
    if not path.is_file():  # a pipe, a device, a folder: it has no lines (and may never end)
        return "default line"
    lines = path.read_bytes().splitlines()
    if line > len(lines) + 1:
        return "line outside"
    # The files given start with a comment: only a wrong byte or character can be there; any
    # other problem told at line 1 is told at a default, not at its place.
    comment = lines and lines[0].lstrip().startswith(b"#")
    if line == 1 and comment and not message.startswith(CHARACTER_PROBLEMS):
        return "default line"
    return ""
