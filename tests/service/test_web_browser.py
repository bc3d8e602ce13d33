"""The web interface in a real browser: Playwright driving Debian's chromium against a real
`uflpa serve` (the `service` fixture, login required), signed in through the login form.

It checks what only a browser shows: that the search finds a listed name with its evidence, that
a `<script>` name is text and runs nothing, that a screening's live progress ends in its results
(filtered, expanded, downloaded), the entity, versions and trace pages with their SVG, the role
note of a viewer, and that a phone-sized screen never scrolls sideways. It saves screenshots of
the main pages to $UFLPA_SCREENSHOTS (default: a temporary folder); docs/img/ holds a set made
with UFLPA_SCREENSHOTS=docs/img.

Without chromium (or Playwright) the tests are skipped, unless UFLPA_REQUIRE_BROWSER=1 (as in
CI), when they fail.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.service.conftest import PASSWORD, Service

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "uflpa" / "data" / "examples" / "shipments.csv"
CHROMIUM = Path(os.environ.get("UFLPA_CHROMIUM", "/usr/bin/chromium"))
SCRIPT = "<script>alert(1)</script>"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
#: Longest wait for a page or an element; a screening of the example takes a few seconds.
TIMEOUT_MS = 60_000


def _unavailable(reason: str) -> None:
    if os.environ.get("UFLPA_REQUIRE_BROWSER") == "1":
        pytest.fail(f"UFLPA_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed")
    if not CHROMIUM.exists():
        _unavailable(f"no chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go: $UFLPA_SCREENSHOTS, or a temporary folder."""
    given = os.environ.get("UFLPA_SCREENSHOTS")
    folder = Path(given) if given else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def sign_in(context: BrowserContext, service: Service, role: str) -> Page:
    """A page of `context`, signed in through the login form as the user of `role`."""
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{service.url}/lists")
    assert "/login?next=%2Flists" in page.url
    page.get_by_label("User name").fill(role)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{service.url}/lists")
    return page


class Dialogs:
    """Every alert, confirm or prompt a page opened (none should ever open)."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def __call__(self, dialog: Any) -> None:
        self.seen.append(dialog.message)
        dialog.dismiss()


@pytest.fixture(scope="module")
def dialogs() -> Dialogs:
    return Dialogs()


@pytest.fixture(scope="module")
def analyst(browser: Browser, service: Service, dialogs: Dialogs) -> Iterator[Page]:
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    page = sign_in(context, service, "analyst")
    page.on("dialog", dialogs)
    yield page
    context.close()


def no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"{page.url} is {width} px wide on a phone"


def test_search_finds_a_listed_name_with_its_evidence(
    analyst: Page, service: Service, shots: Path
) -> None:
    analyst.goto(f"{service.url}/")
    analyst.get_by_label("Party name").fill("Xinjiang Zhongtai Chemical")
    analyst.get_by_role("button", name="Search").click()
    analyst.wait_for_url(re.compile(r"\?name=Xinjiang"))
    best = analyst.locator("article.candidate").first
    assert best.locator(".badge").inner_text().lower() == "hit"
    assert "Xinjiang Zhongtai Chemical Co. Ltd." in best.locator("h3").inner_text()
    sentences = best.locator("ul.explanation li").all_inner_texts()
    assert sentences[0].startswith("hit at score 1.00")
    assert any(s.startswith("Listed under") for s in sentences)
    assert any(
        s.startswith("Why: via the trade name; trade name Zhongtai = Zhongtai") for s in sentences
    )
    # Every feature, folded: the question it tests and whether it held, never a repr.
    features = best.locator("details.features li").all_text_contents()
    assert features and all(
        re.search(r"→ (held in part|held|did not hold|n/a) \(\d\.\d\d\)", f) for f in features
    ), features
    assert not any(mark in s for s in sentences + features for mark in ("{'", "('", "['"))
    assert analyst.locator("p.caveat").first.is_visible()
    analyst.screenshot(path=shots / "service-search.png")


def test_a_script_in_a_name_is_shown_as_text_and_runs_nothing(
    analyst: Page, service: Service, dialogs: Dialogs
) -> None:
    analyst.goto(f"{service.url}/")
    analyst.get_by_label("Party name").fill(SCRIPT)
    analyst.get_by_label("Party name").press("Enter")
    analyst.wait_for_url(re.compile(r"\?name="))
    assert SCRIPT in analyst.locator("#result-title").inner_text()
    assert analyst.get_by_label("Party name").input_value() == SCRIPT
    assert analyst.locator("main script").count() == 0
    assert "No candidate: clear." in analyst.locator("main").inner_text()
    assert dialogs.seen == []


def test_screen_the_example_filter_expand_and_download(
    analyst: Page, service: Service, shots: Path, dialogs: Dialogs
) -> None:
    polls: list[str] = []
    analyst.on(
        "request",
        lambda r: polls.append(r.url) if re.search(r"/v1/screenings/\w+$", r.url) else None,
    )
    analyst.goto(f"{service.url}/screen")
    analyst.locator("input#file").set_input_files(EXAMPLE)
    analyst.get_by_role("button", name="Screen the file").click()
    analyst.wait_for_url(re.compile(r"/screenings/[0-9a-f]{16}$"))
    # The page polls the job and reloads itself when it is done.
    analyst.locator("#results-title").wait_for(timeout=TIMEOUT_MS)
    assert "done" in analyst.locator("h1 .state").inner_text()
    assert polls, "the running job's page did not poll its state (static/screening.js)"
    analyst.locator("nav.filters").get_by_role("link", name=re.compile(r"^hit \d+")).click()
    analyst.wait_for_url(re.compile(r"\?verdict=hit"))
    verdicts = analyst.locator("table.results tbody tr > td > span.badge").all_inner_texts()
    assert verdicts and {v.lower() for v in verdicts} == {"hit"}
    first = analyst.locator("table.results tbody tr").first
    details = first.locator("td.evidence > details")
    assert details.get_attribute("open") is None
    summary = details.locator("summary").first
    summary.focus()
    analyst.keyboard.press("Enter")  # a <summary> opens from the keyboard
    assert details.get_attribute("open") is not None
    evidence = details.locator(".evidence-body")
    assert evidence.is_visible()
    assert "Reasons" in evidence.inner_text()
    with analyst.expect_download() as info:
        analyst.get_by_role("link", name="CSV", exact=True).click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert len(rows) == 71 and {r["verdict"] for r in rows} == {"hit"}
    analyst.locator("#results-title").scroll_into_view_if_needed()
    analyst.evaluate("window.scrollBy(0, -12)")
    analyst.screenshot(path=shots / "service-screening.png")
    assert dialogs.seen == []


def test_an_entity_page_from_the_list(analyst: Page, service: Service, shots: Path) -> None:
    analyst.goto(f"{service.url}/lists")
    analyst.get_by_label("Find an entity").fill("合盛")
    analyst.get_by_role("button", name="Find").click()
    analyst.get_by_role("link", name="UFLPA-012").click()
    analyst.wait_for_url(f"{service.url}/entities/UFLPA-012")
    assert "Hoshine Silicon Industry (Shanshan)" in analyst.locator("h1").inner_text()
    names = analyst.locator("td.zh").all_inner_texts()
    assert "合盛硅业（鄯善）有限公司" in names
    assert "first seen" in analyst.locator("ol.history").inner_text()
    analyst.screenshot(path=shots / "service-entity.png")


def test_the_versions_page_draws_the_growth_chart(
    analyst: Page, service: Service, shots: Path
) -> None:
    analyst.goto(f"{service.url}/lists/versions")
    chart = analyst.locator(".chart-svg svg")
    chart.wait_for()
    box = chart.bounding_box()
    assert box is not None and 300 < box["width"] <= DESKTOP["width"]
    assert analyst.locator("table tr.in-use").count() == 1
    analyst.screenshot(path=shots / "service-versions.png")


def test_trace_the_cotton_example(analyst: Page, service: Service, shots: Path) -> None:
    analyst.goto(f"{service.url}/trace")
    analyst.get_by_label(re.compile("Cotton apparel")).check()
    analyst.get_by_role("button", name="Trace").click()
    graph = analyst.locator(".graph-svg svg")
    graph.wait_for()
    assert graph.locator("g.node").count() == 10
    table = analyst.locator("table").inner_text()
    assert "Harbor Line Apparel Inc." in table and "us-harbor-line ← vn-needlecraft" in table
    analyst.screenshot(path=shots / "service-trace.png")


def test_a_post_without_the_token_is_refused(analyst: Page, service: Service) -> None:
    response = analyst.request.post(f"{service.url}/trace", form={"example": "cotton"})
    assert response.status == 403
    response = analyst.request.post(
        f"{service.url}/screen",
        multipart={"file": {"name": "a.csv", "mimeType": "text/csv", "buffer": b"name\nx\n"}},
    )
    assert response.status == 403


def test_a_viewer_cannot_upload(browser: Browser, service: Service) -> None:
    context = browser.new_context(viewport=DESKTOP)
    try:
        page = sign_in(context, service, "viewer")
        page.goto(f"{service.url}/screen")
        assert "needs the analyst role" in page.locator("p.note").inner_text()
        assert page.locator("input[type=file]").count() == 0
        assert "viewer" in page.locator(".nav-user").inner_text()
    finally:
        context.close()


def test_a_phone_screen_never_scrolls_sideways(
    browser: Browser, analyst: Page, service: Service
) -> None:
    context = browser.new_context(viewport=PHONE, storage_state=analyst.context.storage_state())
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(f"{service.url}/?name=Hoshine%20Silicon")
        assert page.locator("article.candidate").count() >= 1
        no_sideways_scroll(page)
        for path in ("/", "/lists", "/entities/UFLPA-012", "/lists/versions", "/screenings"):
            page.goto(f"{service.url}{path}")
            no_sideways_scroll(page)
        jobs = page.locator("tr:has(.state-done) a[href^='/screenings/']")
        if jobs.count():
            jobs.first.click()
            page.locator("#results-title").wait_for()
            no_sideways_scroll(page)
    finally:
        context.close()
