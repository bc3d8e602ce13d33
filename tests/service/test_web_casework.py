"""The casework pages over a real `uflpa serve` (uvicorn on 127.0.0.1, two workers, login
required): an analyst imports a supplier master through the form and reads which rows were not
imported, the inbox lists the alert, the alert page shows the cause and the evidence, a decision
takes the alert out of the inbox, the two-person rule holds the same analyst back and lets a
second one approve, a viewer sees no form and is refused, a form without its token is refused,
a supplier called `<script>…` is text, the audit page checks the chain and shows the decision,
and a second import gives the supplier a data history. Then a real browser (Playwright driving
Debian's chromium) imports and decides through the forms, runs no script from a name, and never
scrolls sideways at 390 px.

The service is this module's own (its own UFLPA_HOME), because the tests turn the two-person rule
on and break the audit chain on purpose, which no other test should see. Without chromium (or
Playwright) the browser tests are skipped, unless UFLPA_REQUIRE_BROWSER=1 (as in CI).
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest
from sqlalchemy import Engine, select, update

from tests.service.conftest import PASSWORD, Service, start_service, stop_service
from tests.service.test_web_pages import HTML, signed_in, token_of
from uflpa.casework.actors import Actor
from uflpa.casework.decisions import set_two_person_rule
from uflpa.records import database_url, engine_for
from uflpa.records.tables import audit_log
from uflpa.service.accounts import add_user
from uflpa.service.auth import CSRF_FIELD
from uflpa.settings import Settings

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = Path(os.environ.get("UFLPA_CHROMIUM", "/usr/bin/chromium"))
SCRIPT = "<script>alert(1)</script>"
LISTED = "Xinjiang Tianmian Foundation Textile Co Ltd"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 60_000
#: A supplier master: a listed name, a clear one, a key given twice, a row without a key, and a
#: name that is markup.
MASTER = f"""supplier_id,name,country,address
S-1,{LISTED},CN,"No. 8 Kashi West Road, Urumqi"
S-2,Acme Widgets Inc,US,1 Main Street Springfield
S-1,Another Name For The Same Key,CN,
,Keyless Trading Co,CN,
S-3,{SCRIPT},US,
"""
NOTE = "Checked the business licence: a different firm in Henan with a similar name."


@dataclass
class Casework:
    """The service of this module and the store of record it writes."""

    service: Service
    engine: Engine


@pytest.fixture(scope="module")
def casework(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Casework]:
    home = tmp_path_factory.mktemp("casework-home")
    settings = Settings.from_env({**os.environ, "UFLPA_HOME": str(home)})
    engine = engine_for(database_url(settings))
    for name, role in (("analyst", "analyst"), ("analyst2", "analyst"), ("viewer", "viewer")):
        add_user(engine, name, PASSWORD, role)
    running = start_service(home, "--job-workers", "1")
    try:
        yield Casework(running, engine)
    finally:
        stop_service(running)


def _client(casework: Casework, user: str) -> Iterator[httpx.Client]:
    with closing(signed_in(casework.service, user)) as client:
        yield client


@pytest.fixture(scope="module")
def analyst(casework: Casework) -> Iterator[httpx.Client]:
    yield from _client(casework, "analyst")


@pytest.fixture(scope="module")
def analyst2(casework: Casework) -> Iterator[httpx.Client]:
    yield from _client(casework, "analyst2")


@pytest.fixture(scope="module")
def viewer(casework: Casework) -> Iterator[httpx.Client]:
    yield from _client(casework, "viewer")


def import_master(
    client: httpx.Client, text: str, watchlist: str, filename: str = "suppliers.csv"
) -> httpx.Response:
    """Post the import form; the import's page it redirects to."""
    token = token_of(client.get("/watchlists").text)
    posted = client.post(
        "/watchlists",
        data={CSRF_FIELD: token, "watchlist": watchlist},
        files={"file": (filename, text.encode(), "text/csv")},
    )
    assert posted.status_code == 303, posted.text
    location = posted.headers["location"]
    assert re.fullmatch(rf"/watchlists/{watchlist}/imports/\d+", location), location
    page = client.get(location)
    assert page.status_code == 200
    return page


def alert_ids(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'href="/alerts/(\d+)"', page)]


def text_of(page: str) -> str:
    """A page's <main> (or a piece of a page) as plain text: tags dropped, entities decoded,
    spaces squeezed."""
    found = re.search(r"<main.*?</main>", page, re.S)
    part = found.group(0) if found else page
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", part)))


@pytest.fixture(scope="module")
def imported(analyst: httpx.Client) -> tuple[str, int]:
    """The master imported into watchlist `web`: the import page, and the alert it raised."""
    page = import_master(analyst, MASTER, "web")
    inbox = analyst.get("/inbox?watchlist=web")
    ids = alert_ids(inbox.text)
    assert len(ids) == 1, inbox.text
    return page.text, ids[0]


@pytest.fixture(scope="module")
def decided(analyst: httpx.Client, imported: tuple[str, int]) -> int:
    """The alert decided a false positive, with a document; its id."""
    alert_id = imported[1]
    page = analyst.get(f"/alerts/{alert_id}")
    response = analyst.post(
        f"/alerts/{alert_id}/decision",
        data={CSRF_FIELD: token_of(page.text), "outcome": "false_positive", "note": NOTE},
        files=[("documents", ("licence.txt", b"business licence no. 4101", "text/plain"))],
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"/alerts/{alert_id}?done=decided#decision"
    return alert_id


@pytest.fixture(scope="module")
def reimported(analyst: httpx.Client, decided: int) -> str:
    """The master imported again with S-1's address changed: the import page."""
    changed = MASTER.replace("No. 8 Kashi West Road, Urumqi", "No. 16 Beijing Road, Urumqi")
    return import_master(analyst, changed, "web").text


# --- the pages over HTTP -----------------------------------------------------------------------


def test_an_empty_inbox_says_to_import_a_supplier_master(viewer: httpx.Client) -> None:
    # Before any import (the first test of the module), and for a watchlist without alerts.
    for path in ("/inbox", "/inbox?watchlist=nothing-here"):
        page = viewer.get(path)
        assert page.status_code == 200, path
        assert "import a supplier master on watchlists" in text_of(page.text).lower(), path
        assert re.search(r'<a href="/watchlists">[Ii]mport a supplier master', page.text), path
        assert "<table" not in page.text, path


def test_an_import_names_the_rows_it_did_not_import(imported: tuple[str, int]) -> None:
    words = text_of(imported[0])
    assert "Import of suppliers.csv" in words
    assert "5 rows: 3 added, 0 changed, 0 restored, 0 unchanged, 2 not imported" in words
    rows = re.findall(r"<tr>\s*<td>(.*?)</td>\s*<td class=\"num\">(\d*)</td>", imported[0])
    assert [(html.unescape(f), r) for f, r in rows] == [
        ("suppliers.csv", "4"),
        ("suppliers.csv", "5"),
    ]
    assert "supplier key 'S-1' is already on row 2" in words
    assert "required value is empty" in words
    assert "supplier_id" in words


def test_the_inbox_lists_the_alert(analyst: httpx.Client, imported: tuple[str, int]) -> None:
    alert_id = imported[1]
    page = analyst.get("/inbox")
    assert page.status_code == 200
    assert alert_id in alert_ids(page.text)
    row = next(r for r in page.text.split("<tr") if f'href="/alerts/{alert_id}"' in r)
    assert LISTED in row and 'href="/watchlists/web/parties/S-1"' in row
    assert 'href="/entities/UFLPA-033"' in row and "Xinjiang Tianmian Foundation" in row
    assert "badge-hit" in row and ">new<" in row
    assert "first screening of this supplier, imported from suppliers.csv row 2" in row
    assert 'class="state state-open"' in row
    # The other suppliers are clear: no alert for them.
    assert len(alert_ids(analyst.get("/inbox?state=all&watchlist=web").text)) == 1


def test_the_alert_page_shows_the_cause_the_evidence_and_the_form(
    analyst: httpx.Client, imported: tuple[str, int]
) -> None:
    page = analyst.get(f"/alerts/{imported[1]}")
    assert page.status_code == 200
    words = text_of(page.text)
    assert f"Alert {imported[1]}: {LISTED}" in words
    assert "first screening of this supplier, imported from suppliers.csv row 2" in words
    assert "Matched name “Xinjiang Tianmian Foundation Textile Co., Ltd.”" in words
    assert "Score 1.00" in words
    assert "listed-party" in words and "xinjiang-location" in words
    assert "Best candidate: UFLPA-033" in words
    assert "No. 8 Kashi West Road, Urumqi" in words
    assert f'action="/alerts/{imported[1]}/decision"' in page.text
    options = re.findall(r'<option value="(\w+)">([^<]+)</option>', page.text)
    assert [w for _, w in options] == [
        "confirmed match",
        "false positive",
        "needs more information",
        "escalated",
    ]


def test_a_viewer_sees_no_form_and_is_refused(
    viewer: httpx.Client, casework: Casework, imported: tuple[str, int]
) -> None:
    alert_id = imported[1]
    page = viewer.get(f"/alerts/{alert_id}")
    assert page.status_code == 200
    assert "Deciding alerts needs the analyst role" in page.text
    assert "/decision" not in page.text and 'type="file"' not in page.text
    refused = viewer.post(
        f"/alerts/{alert_id}/decision",
        data={CSRF_FIELD: token_of(page.text), "outcome": "false_positive", "note": NOTE},
    )
    assert refused.status_code == 403
    assert "this needs the analyst role; viewer is viewer" in text_of(refused.text)
    watchlists = viewer.get("/watchlists")
    assert "Importing suppliers needs the analyst role" in watchlists.text
    assert 'type="file"' not in watchlists.text
    upload = viewer.post(
        "/watchlists",
        data={CSRF_FIELD: token_of(watchlists.text), "watchlist": "web"},
        files={"file": ("suppliers.csv", MASTER.encode())},
    )
    assert upload.status_code == 403
    assert viewer.get("/audit").status_code == 403
    assert 'href="/audit"' not in watchlists.text
    assert 'class="state state-open"' in viewer.get(f"/alerts/{alert_id}").text


def test_a_post_without_the_token_is_refused(
    analyst: httpx.Client, imported: tuple[str, int]
) -> None:
    alert_id = imported[1]
    fields = {"outcome": "false_positive", "note": NOTE}
    for data in (fields, {**fields, CSRF_FIELD: "x" * 32}):
        refused = analyst.post(f"/alerts/{alert_id}/decision", data=data)
        assert refused.status_code == 403
        assert "security token" in refused.text
    upload = analyst.post(
        "/watchlists", data={"watchlist": "web"}, files={"file": ("s.csv", MASTER.encode())}
    )
    assert upload.status_code == 403
    token = token_of(analyst.get("/watchlists").text)
    foreign = analyst.post(
        f"/alerts/{alert_id}/decision",
        data={**fields, CSRF_FIELD: token},
        headers={"origin": "http://evil.example"},
    )
    assert foreign.status_code == 403
    assert 'class="state state-open"' in analyst.get(f"/alerts/{alert_id}").text


def test_a_decision_without_a_note_is_refused_on_the_page(
    analyst: httpx.Client, imported: tuple[str, int]
) -> None:
    alert_id = imported[1]
    page = analyst.get(f"/alerts/{alert_id}")
    refused = analyst.post(
        f"/alerts/{alert_id}/decision",
        data={CSRF_FIELD: token_of(page.text), "outcome": "false_positive", "note": "   "},
    )
    assert refused.status_code == 400
    error = re.search(r'<p class="form-error" role="alert">(.*?)</p>', refused.text, re.S)
    assert error and "a decision needs a note" in error.group(1)
    assert '<option value="false_positive" selected>' in refused.text
    odd = analyst.post(
        f"/alerts/{alert_id}/decision",
        data={CSRF_FIELD: token_of(page.text), "outcome": "maybe", "note": NOTE},
    )
    assert odd.status_code == 400 and "outcome &#39;maybe&#39;" in odd.text
    assert 'class="state state-open"' in analyst.get(f"/alerts/{alert_id}").text


def test_a_false_positive_leaves_the_inbox(analyst: httpx.Client, decided: int) -> None:
    page = analyst.get(f"/alerts/{decided}?done=decided")
    words = text_of(page.text)
    assert "Decision recorded." in words
    assert "false positive" in words and NOTE in words
    assert "by analyst" in words
    assert 'class="state state-decided"' in page.text
    assert f'action="/alerts/{decided}/decision"' not in page.text
    link = re.search(r'href="(/decisions/\d+/documents/[0-9a-f]{64})"[^>]*>licence.txt<', page.text)
    assert link, "the document is not linked"
    download = analyst.get(link.group(1))
    assert download.status_code == 200 and download.content == b"business licence no. 4101"
    assert "attachment" in download.headers["content-disposition"]
    assert decided not in alert_ids(analyst.get("/inbox").text)
    assert decided in alert_ids(analyst.get("/inbox?state=decided").text)
    again = analyst.post(
        f"/alerts/{decided}/decision",
        data={CSRF_FIELD: token_of(page.text), "outcome": "confirmed_match", "note": NOTE},
    )
    assert again.status_code == 409 and "reopen it to decide again" in text_of(again.text)


def test_the_two_person_rule(
    casework: Casework, analyst: httpx.Client, analyst2: httpx.Client
) -> None:
    admin = Actor("admin", "admin")
    set_two_person_rule(casework.engine, admin, True)
    try:
        import_master(analyst, f"id,name\nT-1,{LISTED}\n", "two")
        (alert_id,) = alert_ids(analyst.get("/inbox?watchlist=two").text)
        page = analyst.get(f"/alerts/{alert_id}")
        assert "The two-person rule is on" in page.text
        posted = analyst.post(
            f"/alerts/{alert_id}/decision",
            data={CSRF_FIELD: token_of(page.text), "outcome": "false_positive", "note": NOTE},
        )
        assert posted.status_code == 303
        assert posted.headers["location"] == f"/alerts/{alert_id}?done=pending#decision"
        mine = analyst.get(posted.headers["location"])
        assert "waits for a second analyst" in mine.text
        assert "You made this decision: another analyst must approve it." in mine.text
        assert f'action="/alerts/{alert_id}/approve"' not in mine.text
        assert alert_id in alert_ids(analyst.get("/inbox").text)  # still waiting
        decision = re.search(r'name="decision" value="(\d+)"', mine.text)
        assert decision, "no reopen form with the decision"
        refused = analyst.post(
            f"/alerts/{alert_id}/approve",
            data={CSRF_FIELD: token_of(mine.text), "decision": decision.group(1)},
        )
        assert refused.status_code == 409
        assert "a second person must approve it" in text_of(refused.text)
        other = analyst2.get(f"/alerts/{alert_id}")
        assert f'action="/alerts/{alert_id}/approve"' in other.text
        approved = analyst2.post(
            f"/alerts/{alert_id}/approve",
            data={CSRF_FIELD: token_of(other.text), "decision": decision.group(1)},
        )
        assert approved.status_code == 303, approved.text
        done = analyst2.get(approved.headers["location"])
        assert "Decision approved" in done.text and "approved by analyst2" in done.text
        assert 'class="state state-decided"' in done.text
        assert alert_id not in alert_ids(analyst.get("/inbox").text)
    finally:
        set_two_person_rule(casework.engine, admin, False)


def test_markup_in_a_supplier_name_is_text(
    analyst: httpx.Client, imported: tuple[str, int]
) -> None:
    escaped = html.escape(SCRIPT, quote=False)
    for path in ("/watchlists/web", "/watchlists/web/parties/S-3", "/watchlists/web?q=script"):
        page = analyst.get(path)
        assert page.status_code == 200, path
        assert SCRIPT not in page.text, path
        assert escaped in page.text, path


def test_the_audit_page_checks_the_chain_and_shows_the_decision(
    casework: Casework, analyst: httpx.Client, decided: int
) -> None:
    page = analyst.get("/audit")
    assert page.status_code == 200
    status = re.search(r'<p class="chain chain-ok" role="status">(.*?)</p>', page.text, re.S)
    assert status and re.search(r"Intact: \d+ entries\.", text_of(status.group(0)))
    decisions = analyst.get("/audit?action=decision")
    rows = [r for r in decisions.text.split("<tr")[2:]]
    assert rows and all('data-label="Action">decision<' in r for r in rows)
    assert any("party web/S-1" in r and "false_positive" in r for r in rows)
    # An entry changed behind the log's back is found, and named.
    second = audit_log.c.seq == 2
    with casework.engine.begin() as conn:
        actor = conn.execute(select(audit_log.c.actor).where(second)).scalar_one()
        conn.execute(update(audit_log).where(second).values(actor="someone else"))
    try:
        broken = analyst.get("/audit")
        assert "Broken at entry 2:" in text_of(broken.text)
        assert "chain-ok" not in broken.text and 'class="row-broken"' in broken.text
    finally:
        with casework.engine.begin() as conn:
            conn.execute(update(audit_log).where(second).values(actor=actor))
    assert "chain-ok" in analyst.get("/audit").text


def test_a_second_import_gives_the_supplier_a_history(
    analyst: httpx.Client, decided: int, reimported: str
) -> None:
    assert "0 added, 1 changed, 0 restored, 2 unchanged, 2 not imported" in text_of(reimported)
    page = analyst.get("/watchlists/web/parties/S-1")
    assert page.status_code == 200
    words = text_of(page.text)
    assert "No. 16 Beijing Road, Urumqi" in words and "No. 8 Kashi West Road, Urumqi" in words
    assert re.search(r'<mark class="changed"[^>]*>No. 16 Beijing Road, Urumqi</mark>', page.text)
    assert "first state" in words
    assert NOTE in words and "licence.txt" in words
    assert f'href="/alerts/{decided}"' in page.text
    # The alert shows the data it was raised on, and says that the supplier changed since.
    alert = text_of(analyst.get(f"/alerts/{decided}").text)
    assert "data changed since this alert was raised" in alert
    assert "No. 8 Kashi West Road, Urumqi" in alert


def test_reopen_needs_a_note_and_a_changed_supplier_is_not_decided_blind(
    analyst: httpx.Client, decided: int, reimported: str
) -> None:
    page = analyst.get(f"/alerts/{decided}")
    decision = re.search(r'name="decision" value="(\d+)"', page.text)
    assert decision
    form = {CSRF_FIELD: token_of(page.text), "decision": decision.group(1)}
    refused = analyst.post(f"/alerts/{decided}/reopen", data={**form, "note": ""})
    assert refused.status_code == 400 and "why the decision is reopened" in refused.text
    assert '<details class="reopen" open>' in refused.text
    done = analyst.post(f"/alerts/{decided}/reopen", data={**form, "note": "the address moved"})
    assert done.status_code == 303
    reopened = analyst.get(done.headers["location"])
    assert "Decision reopened" in reopened.text and 'class="state state-open"' in reopened.text
    assert decided in alert_ids(analyst.get("/inbox").text)
    blind = analyst.post(
        f"/alerts/{decided}/decision",
        data={CSRF_FIELD: token_of(reopened.text), "outcome": "false_positive", "note": NOTE},
    )
    assert blind.status_code == 409
    assert "changed since alert" in text_of(blind.text)
    # It is decided on the supplier's newest screening instead, which answers the alert.
    assert "decide on the supplier's newest screening" in text_of(blind.text)
    party = analyst.get("/watchlists/web/parties/S-1")
    assert "Decide: 1 alert waiting" in text_of(party.text)
    seen = re.search(r'name="seen" value="(\d+)"', party.text)
    assert seen
    fields = {CSRF_FIELD: token_of(party.text), "key": "S-1", "outcome": "false_positive"}
    stale = analyst.post("/watchlists/web/decisions", data={**fields, "note": NOTE, "seen": "1"})
    assert stale.status_code == 409 and "screened again since" in stale.text
    posted = analyst.post(
        "/watchlists/web/decisions", data={**fields, "note": NOTE, "seen": seen.group(1)}
    )
    assert posted.status_code == 303, posted.text
    assert posted.headers["location"] == "/watchlists/web/parties/S-1?done=decided#decide"
    assert "Decision recorded." in analyst.get(posted.headers["location"]).text
    assert 'class="state state-decided"' in analyst.get(f"/alerts/{decided}").text
    assert decided not in alert_ids(analyst.get("/inbox").text)


def test_unknown_things_are_404_pages(analyst: httpx.Client) -> None:
    for path in (
        "/alerts/999999",
        "/watchlists/no-such-list",
        "/watchlists/web/parties/no-such-key",
        "/watchlists/web/imports/999999",
        "/decisions/1/documents/" + "0" * 64,
    ):
        page = analyst.get(path)
        assert page.status_code == 404, path
        assert "<html" in page.text.lower(), path
    with httpx.Client(base_url=analyst.base_url, headers=HTML) as anonymous:
        assert anonymous.get("/inbox").status_code == 303


# --- in a browser ------------------------------------------------------------------------------


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
def signed_in_page(browser: Browser, casework: Casework) -> Iterator[Page]:
    """An analyst's page, signed in through the login form; every dialog it opens is kept."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    url = casework.service.url
    page.goto(f"{url}/inbox")
    assert "/login?next=%2Finbox" in page.url
    page.get_by_label("User name").fill("analyst")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{url}/inbox")
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.dialogs = dialogs  # type: ignore[attr-defined]
    yield page
    context.close()


def test_in_a_browser_import_read_and_decide(
    signed_in_page: Page, casework: Casework, tmp_path: Path
) -> None:
    page, url = signed_in_page, casework.service.url
    master = tmp_path / "browser master.csv"
    master.write_text(f"vendor_id,name\nB-1,Xinjiang Zhongtai Chemical Co Ltd\nB-2,{SCRIPT}\n")
    page.goto(f"{url}/watchlists")
    page.locator("input#file").set_input_files(master)
    page.get_by_label("Into watchlist").fill("browser")
    page.get_by_role("button", name="Import and screen").click()
    page.wait_for_url(re.compile(r"/watchlists/browser/imports/\d+$"))
    assert "2 rows: 2 added" in page.locator("main").inner_text()
    page.get_by_role("link", name="The suppliers of browser").click()
    assert page.get_by_role("link", name=SCRIPT).count() == 1
    page.get_by_role("link", name=SCRIPT).click()
    page.wait_for_url(re.compile(r"/watchlists/browser/parties/B-2$"))
    assert SCRIPT in page.locator("h1").inner_text()
    assert page.locator("main script").count() == 0
    page.goto(f"{url}/inbox?watchlist=browser")
    page.locator("a.alert-link").first.click()
    page.wait_for_url(re.compile(r"/alerts/\d+$"))
    assert "UFLPA-020" in page.locator("main").inner_text()
    page.get_by_label("Outcome").select_option(label="confirmed match")
    page.get_by_label("Note").fill("The listed firm itself; no orders.")
    page.get_by_role("button", name="Record the decision").click()  # no document chosen
    page.wait_for_url(re.compile(r"/alerts/\d+\?done=decided#decision$"))
    assert page.locator("p.flash").inner_text() == "Decision recorded."
    assert "confirmed match" in page.locator(".decision-outcome").inner_text()
    assert page.dialogs == []  # type: ignore[attr-defined]


def test_in_a_browser_nothing_scrolls_sideways_on_a_phone(
    browser: Browser, signed_in_page: Page, casework: Casework, reimported: str, decided: int
) -> None:
    context = browser.new_context(
        viewport=PHONE, storage_state=signed_in_page.context.storage_state()
    )
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        for path in (
            "/inbox?state=all",
            "/inbox",
            f"/alerts/{decided}",
            "/watchlists/web/parties/S-1",
            "/watchlists",
            "/watchlists/web",
            "/audit",
        ):
            page.goto(f"{casework.service.url}{path}")
            assert page.locator("main h1").count() == 1, path
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"{path} is {width} px wide on a phone"
        # The evidence opened on the alert page still fits.
        page.goto(f"{casework.service.url}/alerts/{decided}")
        page.locator("details.raw > summary").first.click()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()


def test_a_master_that_cannot_be_imported_is_told_beside_its_field(
    analyst: httpx.Client,
) -> None:
    token = token_of(analyst.get("/watchlists").text)
    cases = [
        ("no key.csv", b"name,country\nAcme,US\n", "web", "file", 422, "no key.csv"),
        ("notes.pdf", b"%PDF-1.4", "web", "file", 400, "expected .csv"),
        ("ok.csv", MASTER.encode(), "../etc", "watchlist", 400, "watchlist name"),
    ]
    for filename, body, watchlist, field, status, words in cases:
        page = analyst.post(
            "/watchlists",
            data={CSRF_FIELD: token, "watchlist": watchlist},
            files={"file": (filename, body, "text/csv")},
        )
        assert page.status_code == status, (filename, page.text)
        error = re.search(
            rf'<p class="field-error" id="{field}-error" role="alert">(.*?)</p>', page.text
        )
        assert error and words in html.unescape(error.group(1)), (filename, page.text)
        assert "/tmp" not in page.text and "suppliers.csv" not in error.group(1)
