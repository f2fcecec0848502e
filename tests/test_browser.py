"""The explorer in a real browser: ``streamlit run app.py`` on a local port, driven by headless
Chromium (Debian ``/usr/bin/chromium`` through the ``playwright`` package; no browser download).

A search, a comparison and an export, plus the reader and corpus pages; a hostile query must not
run script. Screenshots go to a temporary folder, or to $LEVELFIELD_SCREENSHOTS (e.g.
``docs/screenshots``, which is how the README's screenshots are made).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path(os.environ.get("LEVELFIELD_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
XSS = "<script>alert(1)</script> <img src=x onerror=alert(1)>"

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, process: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"streamlit did not answer on {url} within {timeout} s")


@pytest.fixture(scope="module")
def server(indexed_data, tmp_path_factory):
    """The app served on a free loopback port from a private copy of the indexed data."""
    data = tmp_path_factory.mktemp("browser-data")
    for name in ("units.jsonl", "ingest.json"):
        shutil.copy2(indexed_data / name, data / name)
    shutil.copytree(indexed_data / "index", data / "indexes" / "copy")
    (data / "index").symlink_to("indexes/copy")
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py")]
    command += ["--server.headless", "true", "--server.port", str(port)]
    command += ["--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"]
    command += ["--server.fileWatcherType", "none", "--client.toolbarMode", "minimal"]
    log = (data / "streamlit.log").open("w")
    env = {**os.environ, "LEVELFIELD_DATA": str(data)}
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.is_file():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1440, "height": 1800}, accept_downloads=True)
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    context.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = os.environ.get("LEVELFIELD_SCREENSHOTS")
    path = Path(folder) if folder else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


def settle(page, selector: str, timeout: float = 120_000) -> None:
    """Wait until ``selector`` is shown and the script run has finished."""
    page.wait_for_selector(selector, timeout=timeout)
    page.wait_for_selector("[data-test-script-state=notRunning]", timeout=timeout)
    page.wait_for_timeout(300)


def test_search_from_a_link_then_from_the_box(server, page, shots):
    started = time.monotonic()
    page.goto(f"{server}/?q={quote('complaints procedure')}")
    settle(page, "[data-testid=stDownloadButton]")
    first_render = time.monotonic() - started
    # the hit cites the paragraph of Art. 14 that answers, e.g. "CSDDD Art. 14(2)"
    assert page.get_by_text(re.compile(r"^CSDDD Art\. 14(\(|$)")).first.is_visible()
    assert page.locator(".lf-snippet mark").count() > 0
    page.screenshot(path=str(shots / "search.png"))
    box = page.get_by_role(
        "textbox", name="Your question, in English, Dutch, French, German or Norwegian"
    )
    box.fill("Beschwerdeverfahren")
    page.get_by_role("button", name="Search", exact=True).click()
    # the first results may already hold LkSG § 8: wait for the new query's run, then its results
    page.wait_for_function(
        "() => location.search.includes('q=Beschwerdeverfahren')", timeout=120_000
    )
    settle(page, "text=LkSG § 8")
    assert "q=Beschwerdeverfahren" in page.url
    assert first_render < 60, f"first render took {first_render:.1f} s"


def test_hostile_query_is_shown_as_text(server, page):
    page.goto(f"{server}/?q={quote(XSS + ' complaints')}")
    settle(page, "[data-testid=stDownloadButton]")
    assert page.dialogs == []
    assert page.locator("img[src='x']").count() == 0
    assert (
        page.evaluate("() => [...document.scripts].some(s => s.text.includes('alert(1)'))") is False
    )
    value = page.get_by_role(
        "textbox", name="Your question, in English, Dutch, French, German or Norwegian"
    ).input_value()
    assert value == XSS + " complaints"


def test_comparison_and_its_export(server, page, shots):
    page.goto(f"{server}/?page=compare&topic=grievance-mechanism")
    settle(page, "[data-testid=stDownloadButton]")
    assert page.get_by_text("Level playing field").is_visible()
    assert page.get_by_text("Not in local corpus.").first.is_visible()
    page.screenshot(path=str(shots / "compare.png"))
    with page.expect_download() as event:
        page.get_by_role("button", name="Markdown", exact=True).click()
    text = Path(event.value.path()).read_text(encoding="utf-8")
    assert "CSDDD Art. 14" in text and "https://eur-lex.europa.eu/eli/dir/2024/1760/oj/eng" in text
    assert "not in local corpus" in text


def test_reader_and_corpus_pages(server, page, shots):
    page.goto(f"{server}/?doc=eu-csddd-2024-1760&unit=art-14")
    settle(page, "text=Notification mechanism and complaints procedure")
    assert page.get_by_text("Mécanisme de notification", exact=False).first.is_visible()
    page.screenshot(path=str(shots / "reader.png"))
    page.goto(f"{server}/?page=corpus")
    settle(page, "[data-testid=stFileUploader]")
    assert page.get_by_text("Add a document").is_visible()
    page.screenshot(path=str(shots / "corpus.png"))


def test_uploaded_hostile_document_is_searchable_and_inert(server, page):
    text = (
        "Widget Safety Act (a synthetic test document, not law)\n"
        "1. Widgets\nLorem ipsum: every widget maker shall keep a register of sprockets.\n"
        f"2. Gadgets\nConsectetur {XSS} gadget suppliers shall report quarterly on cogs.\n"
    )
    page.goto(f"{server}/?page=corpus")
    settle(page, "[data-testid=stFileUploader]")
    page.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(
        files=[{"name": "widgets.txt", "mimeType": "text/plain", "buffer": text.encode()}]
    )
    fields = {
        "Full title": "Widget Safety Act (synthetic)",
        "Short title": "Widget Safety Act",
        "Jurisdiction code (e.g. BE, NL, BE-VLG)": "XX",
        "Official URL": "https://example.org/wsa",
    }
    for label, value in fields.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_role("button", name="Add to the knowledge base").click()
    settle(page, "text=now searchable")
    page.goto(f"{server}/?q={quote('gadget suppliers report quarterly on cogs')}")
    settle(page, "text=Widget Safety Act")
    assert page.get_by_text("<script>alert(1)</script>", exact=False).first.is_visible()
    assert page.dialogs == []
    assert page.locator("img[src='x']").count() == 0
