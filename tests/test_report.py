"""The HTML report from demo data: self-contained, the same cells hidden as everywhere, both
languages, and opened in headless Chromium (a screenshot that is not blank, no script error)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from kiosk.cli import app

runner = CliRunner()
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("report") / "data"
    done = runner.invoke(app, ["demo-data", "--count", "400", "--seed", "3", "--engine-visits",
                               "40", "--data-dir", str(data)])
    assert done.exit_code == 0, done.output
    return data


def make_report(data_dir: Path, out: Path, *options: str) -> str:
    done = runner.invoke(app, ["report", "--out", str(out), "--include-synthetic",
                               "--data-dir", str(data_dir), *options])
    assert done.exit_code == 0, done.output
    return out.read_text(encoding="utf-8")


def test_the_report_stands_alone_and_hides_what_could_single_someone_out(
    data_dir: Path, tmp_path: Path
) -> None:
    html = make_report(data_dir, tmp_path / "report.html")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="fr">' in html
    # Nothing fetched: no script, no stylesheet or image from elsewhere.
    assert "<script" not in html and "<link" not in html and "<img" not in html
    assert not re.search(r"""(src|href)=["']?https?:|url\(\s*["']?https?:""", html)
    # Every chart is an image labelled with its title, with its table of figures.
    charts = html.count('role="img"')
    assert charts == html.count("<svg") >= 3 and html.count("<table>") == 4
    for words in ("Parcours proposés", "Niveaux par domaine", "Besoins d&#39;accès par lieu",
                  "Motifs de la visite par lieu", "Visites"):
        assert words in html
    # A published count is 0 or at least 10; the others are hidden (x).
    cells = re.findall(r"<td>([^<]*)</td>", html)
    numbers = [int(c) for c in cells if c.isdigit()]
    assert "x" in cells and numbers and all(n == 0 or n >= 10 for n in numbers)


def test_the_report_in_english_and_what_it_refuses(data_dir: Path, tmp_path: Path) -> None:
    html = make_report(data_dir, tmp_path / "en.html", "--language", "en")
    assert '<html lang="en">' in html and "Suggested pathways over time" in html
    again = runner.invoke(app, ["report", "--out", str(tmp_path / "en.html"),
                                "--data-dir", str(data_dir)])
    assert again.exit_code == 2 and "never overwrites" in again.output
    small = runner.invoke(app, ["report", "--out", str(tmp_path / "k.html"), "--min-count",
                                "3", "--data-dir", str(data_dir)])
    assert small.exit_code == 2 and "too small" in small.output


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)")
def test_chromium_shows_the_report_without_error(data_dir: Path, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    make_report(data_dir, page)
    shot = tmp_path / "shot.png"
    done = subprocess.run(
        [CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         "--enable-logging=stderr", "--v=0", "--window-size=1200,1600",
         f"--screenshot={shot}", page.as_uri()],
        capture_output=True, text=True, timeout=120)
    assert shot.exists(), done.stderr[-2000:]
    assert "Uncaught" not in done.stderr and "CONSOLE" not in done.stderr
    image = Image.open(shot).convert("L")
    dark = sum(image.histogram()[:128])  # pixels darker than mid-grey
    assert dark > 0.01 * image.width * image.height  # text, boxes and bars, not a blank page
