"""The HTML report renders in headless Chromium with no network (Debian's ``chromium``).

Skipped where no Chromium is installed (``apt-get install chromium``). Chromium runs with a
fresh profile, background networking off, every host name unresolvable and a dead proxy: the
page can only show what it carries inline.
"""

import shutil
import subprocess

import pytest

import reconcile

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
BROWSER = next((shutil.which(b) for b in BROWSERS if shutil.which(b)), None)
pytestmark = pytest.mark.skipif(BROWSER is None, reason="no Chromium here: apt-get install chromium")


def _chromium(tmp_path, *arguments: str) -> subprocess.CompletedProcess:
    command = [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
               f"--user-data-dir={tmp_path / 'profile'}", "--host-resolver-rules=MAP * ~NOTFOUND",
               "--proxy-server=127.0.0.1:9", *arguments]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "seed.html"
    result = reconcile.reconcile("data/seed_claims.csv")
    result.to_html(path, inputs=["data/seed_claims.csv"])
    return path


def test_report_renders_to_a_screenshot(page, tmp_path):
    image = pytest.importorskip("PIL.Image", reason="Pillow (with matplotlib) reads the screenshot")
    shot = tmp_path / "shot.png"
    done = _chromium(tmp_path, "--window-size=1200,2400", f"--screenshot={shot}", page.as_uri())
    assert shot.exists(), done.stderr[-2000:]
    with image.open(shot) as picture:
        assert picture.size == (1200, 2400)
        colours = picture.convert("RGB").getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 50  # text, badges, bars and the graph, not a blank page


def test_report_dom_shows_the_facts_and_evidence(page, tmp_path):
    done = _chromium(tmp_path, "--dump-dom", page.as_uri())
    dom = done.stdout
    assert "russian soldiers / wounded" in dom
    assert "<mark>three</mark>" in dom
    assert "Russian Reconciliation Center for Syria" in dom
    assert "<svg" in dom or "Install matplotlib" in dom
    assert "<script" not in dom
