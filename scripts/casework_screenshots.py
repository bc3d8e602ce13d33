"""Screenshots of the casework pages (the inbox, an alert, a supplier's record) for the docs, at a
desktop width (1280 px) and a phone's (390 px), taken by Playwright driving Debian's chromium.

It starts `uflpa serve` on 127.0.0.1 in a temporary UFLPA_HOME with an analyst, imports an
example supplier master through the web form (invented suppliers beside names on the list),
decides one alert, imports the master again with one address changed (so that a supplier has a
data history), and then photographs the pages:

    python scripts/casework_screenshots.py [--out docs/img]

writes casework-inbox.png, casework-alert.png, casework-party.png and their -phone twins.
UFLPA_CHROMIUM names another chromium than /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import html
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path(os.environ.get("UFLPA_CHROMIUM", "/usr/bin/chromium"))
PASSWORD = "screenshots only"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
#: An example supplier master: three suppliers that are (or resemble) listed entities, and
#: invented ones that are not.
MASTER = """supplier_id,name,country,address
V-1001,Xinjiang Tianmian Foundation Textile Co Ltd,CN,"No. 8 Kashi West Road, Urumqi"
V-1002,Hoshine Silicon Industry (Shanshan) Co Ltd,CN,Shanshan County
V-1003,Zhongtai Huaxue Trading,CN,
V-1004,Lop County Hair Products,CN,Lop County
V-1005,Harbor Line Apparel Inc,US,"200 Pier Street, Oakland CA"
V-1006,Nordic Cotton Weavers AB,SE,Boras
V-1007,Saigon Needlecraft Co,VN,Ho Chi Minh City
V-1008,Tianmian Textile Trading Co,CN,
"""


def _uflpa(home: Path, *args: str, stdin: str | None = None) -> None:
    subprocess.run(
        [sys.executable, "-m", "uflpa", *args],
        input=stdin,
        text=True,
        capture_output=True,
        check=True,
        env={**os.environ, "UFLPA_HOME": str(home)},
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _token(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]*)"', page)
    assert found, "no form token on the page"
    return html.unescape(found.group(1))


def _sign_in(url: str, user: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=60, headers={"accept": "text/html"})
    form = client.get("/login")
    done = client.post(
        "/login",
        data={"username": user, "password": PASSWORD, "next": "/", "csrf_token": _token(form.text)},
    )
    assert done.status_code == 303, done.text
    return client


def _import(client: httpx.Client, text: str) -> None:
    token = _token(client.get("/watchlists").text)
    done = client.post(
        "/watchlists",
        data={"csrf_token": token, "watchlist": "suppliers"},
        files={"file": ("supplier-master.csv", text.encode(), "text/csv")},
    )
    assert done.status_code == 303, done.text


def _alert_of(client: httpx.Client, name: str) -> int:
    inbox = client.get("/inbox?state=all").text
    row = next(r for r in inbox.split("<tr") if html.escape(name, quote=False) in r)
    found = re.search(r'href="/alerts/(\d+)"', row)
    assert found, f"no alert for {name}"
    return int(found.group(1))


def _prepare(url: str, home: Path) -> dict[str, str]:
    """The casework the screenshots show; the paths of the pages to photograph."""
    analyst = _sign_in(url, "analyst")
    _import(analyst, MASTER)
    decided = _alert_of(analyst, "Xinjiang Tianmian Foundation Textile Co Ltd")
    page = analyst.get(f"/alerts/{decided}").text
    letter = home / "supplier-letter.txt"
    letter.write_text("Letter from the supplier on its mills and its cotton (example).\n")
    done = analyst.post(
        f"/alerts/{decided}/decision",
        data={
            "csrf_token": _token(page),
            "seen": "0",
            "outcome": "confirmed_match",
            "note": "Same legal name and address as the listed entity (UFLPA-033); the "
            "supplier's business licence confirms it. No purchase orders until further notice.",
        },
        files={"documents": ("business-licence.txt", letter.read_bytes(), "text/plain")},
    )
    assert done.status_code == 303, done.text
    _import(analyst, MASTER.replace("No. 8 Kashi West Road, Urumqi", "No. 16 Beijing Road, Urumqi"))
    open_alert = _alert_of(analyst, "Hoshine Silicon Industry (Shanshan) Co Ltd")
    return {
        "inbox": "/inbox",
        "alert": f"/alerts/{open_alert}",
        "party": "/watchlists/suppliers/parties/V-1001",
    }


def _shoot(url: str, pages: dict[str, str], out: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        context = browser.new_context(viewport=DESKTOP)
        page = context.new_page()
        page.goto(f"{url}/login")
        page.get_by_label("User name").fill("analyst")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{url}/")
        state = context.storage_state()
        for viewport, suffix in ((DESKTOP, ""), (PHONE, "-phone")):
            shot = browser.new_context(viewport=viewport, storage_state=state).new_page()
            for name, path in pages.items():
                shot.goto(f"{url}{path}")
                width = shot.evaluate("document.documentElement.scrollWidth")
                assert width <= viewport["width"], f"{path} is {width} px wide"
                target = out / f"casework-{name}{suffix}.png"
                shot.screenshot(path=str(target))
                print(f"wrote {target}")
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="uflpa-shots-") as folder:
        home = Path(folder)
        _uflpa(
            home,
            "users",
            "add",
            "analyst",
            "--role",
            "analyst",
            "--password-stdin",
            stdin=PASSWORD,
        )
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        log = (home / "serve.log").open("wb")
        server = subprocess.Popen(
            [sys.executable, "-m", "uflpa", "serve", "--host", "127.0.0.1", "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "UFLPA_HOME": str(home)},
        )
        try:
            deadline = time.monotonic() + 90
            while True:
                try:
                    if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit((home / "serve.log").read_text(errors="replace"))
                time.sleep(0.2)
            _shoot(url, _prepare(url, home), args.out)
        finally:
            server.terminate()
            server.wait(timeout=15)
            log.close()


if __name__ == "__main__":
    main()
