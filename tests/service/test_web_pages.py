"""The web pages over real HTTP (httpx against a real uvicorn): signing in and its redirects,
CSRF on every form, roles, escaping of names from files and queries, error pages, the results
table's filters, sorting and paging, the version diff, and the local single-user mode.

The browser itself (script, layout, downloads) is driven in test_web_browser.py.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from markupsafe import escape

from tests.service.conftest import PASSWORD, Service, start_service, stop_service, uflpa, wait_done
from uflpa.service.auth import CSRF_FIELD, SESSION_COOKIE
from uflpa.service.web.templating import ENV, TEMPLATES

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "uflpa" / "data" / "examples" / "shipments.csv"
STORE_FIXTURES = ROOT / "tests" / "fixtures" / "store"
SCRIPT = "<script>alert(1)</script>"
HTML = {"accept": "text/html,application/xhtml+xml"}


def token_of(page: str) -> str:
    """The CSRF token of the first form of a page."""
    found = re.search(rf'name="{CSRF_FIELD}" value="([^"]*)"', page)
    assert found, "the page has no form token"
    return html.unescape(found.group(1))


def signed_in(service: Service, role: str) -> httpx.Client:
    """A client signed in through the login form as the user of `role`."""
    client = httpx.Client(base_url=service.url, timeout=60, headers=HTML)
    form = client.get("/login")
    assert form.status_code == 200
    response = client.post(
        "/login",
        data={"username": role, "password": PASSWORD, "next": "/", CSRF_FIELD: token_of(form.text)},
    )
    assert response.status_code == 303, response.text
    assert client.cookies.get(SESSION_COOKIE)
    return client


@pytest.fixture(scope="module")
def analyst(service: Service) -> Iterator[httpx.Client]:
    with closing(signed_in(service, "analyst")) as client:
        yield client


@pytest.fixture(scope="module")
def viewer(service: Service) -> Iterator[httpx.Client]:
    with closing(signed_in(service, "viewer")) as client:
        yield client


@pytest.fixture(scope="module")
def shipments_job(service: Service) -> str:
    """The bundled example screened once (through the API, with the analyst's key)."""
    with service.client("analyst") as client, EXAMPLE.open("rb") as handle:
        response = client.post("/v1/screenings", files={"file": ("shipments.csv", handle)})
        assert response.status_code == 202, response.text
        job_id: str = response.json()["id"]
        assert wait_done(client, job_id)["state"] == "done"
    return job_id


# --- signing in -----------------------------------------------------------------------------


def test_pages_send_a_browser_that_is_not_signed_in_to_the_login_form(service: Service) -> None:
    with httpx.Client(base_url=service.url, headers=HTML) as client:
        for path in ("/", "/lists?q=cotton&x=1", "/screenings/0123456789abcdef", "/trace"):
            response = client.get(path)
            assert response.status_code == 303, path
            expected = "/login" if path == "/" else f"/login?next={quote(path, safe='')}"
            assert response.headers["location"] == expected
        form = client.get("/login?next=%2Flists%3Fq%3Dcotton")
        assert form.status_code == 200
        assert 'name="next" value="/lists?q=cotton"' in form.text
        assert 'type="password"' in form.text and 'for="password"' in form.text


def test_login_goes_back_only_to_a_path_of_this_site(service: Service) -> None:
    for given, expected in [
        ("/lists?q=a", "/lists?q=a"),
        ("//evil.example/x", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("/ok\r\nSet-Cookie: x=1", "/"),
    ]:
        with httpx.Client(base_url=service.url, headers=HTML) as client:
            token = token_of(client.get("/login").text)
            response = client.post(
                "/login",
                data={"username": "viewer", "password": PASSWORD, "next": given, CSRF_FIELD: token},
            )
            assert response.status_code == 303, given
            assert response.headers["location"] == expected, given


def test_the_session_cookie_is_httponly_and_lax(service: Service) -> None:
    with httpx.Client(base_url=service.url, headers=HTML) as client:
        token = token_of(client.get("/login").text)
        response = client.post(
            "/login", data={"username": "viewer", "password": PASSWORD, CSRF_FIELD: token}
        )
    cookie = next(
        c for c in response.headers.get_list("set-cookie") if c.startswith(SESSION_COOKIE)
    )
    attributes = {a.strip().split("=")[0].lower(): a for a in cookie.split(";")[1:]}
    assert "httponly" in attributes
    assert attributes["samesite"].lower().endswith("lax")
    assert attributes["path"].strip() == "Path=/"
    assert "secure" not in attributes  # plain http here; https sets Secure


def test_the_login_form_refuses_a_post_it_did_not_issue(service: Service) -> None:
    fields = {"username": "viewer", "password": PASSWORD}
    with httpx.Client(base_url=service.url, headers=HTML) as client:
        assert client.post("/login", data=fields).status_code == 403
        token = token_of(client.get("/login").text)
        forged = token.rsplit(".", 1)[0] + "." + "0" * 64
        assert client.post("/login", data={**fields, CSRF_FIELD: forged}).status_code == 403
        foreign = client.post(
            "/login", data={**fields, CSRF_FIELD: token}, headers={"origin": "http://evil.example"}
        )
        assert foreign.status_code == 403
    # A token without the cookie it was issued with (another browser's, or a page's) is refused.
    with httpx.Client(base_url=service.url, headers=HTML) as other:
        refused = other.post("/login", data={**fields, CSRF_FIELD: token})
        assert refused.status_code == 403
        assert "sign-in form" in refused.text
        assert not other.cookies.get(SESSION_COOKIE)


def test_a_wrong_password_shows_the_form_again_with_the_name_escaped(service: Service) -> None:
    with httpx.Client(base_url=service.url, headers=HTML) as client:
        token = token_of(client.get("/login").text)
        response = client.post(
            "/login", data={"username": SCRIPT, "password": "not it at all", CSRF_FIELD: token}
        )
    assert response.status_code == 401
    assert "the user name or the password is wrong" in response.text
    assert SCRIPT not in response.text
    assert html.escape(SCRIPT, quote=True) in response.text


def test_sign_out_needs_the_token_and_ends_the_session(service: Service) -> None:
    with closing(signed_in(service, "viewer")) as client:
        page = client.get("/")
        assert page.status_code == 200 and "Sign out" in page.text
        assert client.post("/logout").status_code == 403
        response = client.post("/logout", data={CSRF_FIELD: token_of(page.text)})
        assert response.status_code == 303 and response.headers["location"] == "/login"
        assert client.get("/").status_code == 303


# --- forms, roles -----------------------------------------------------------------------------


def test_every_form_post_needs_the_sessions_csrf_token(
    service: Service, analyst: httpx.Client
) -> None:
    files = {"file": ("shipments.csv", EXAMPLE.read_bytes())}
    assert analyst.post("/screen", files=files).status_code == 403
    assert analyst.post("/screen", files=files, data={CSRF_FIELD: "x" * 32}).status_code == 403
    assert analyst.post("/trace", data={"example": "cotton"}).status_code == 403
    refused = analyst.post("/trace", data={"example": "cotton", CSRF_FIELD: "nope"})
    assert refused.status_code == 403
    assert "security token" in refused.text and "<html" in refused.text.lower()
    # The right token from another site's page is refused too (Origin is checked).
    token = token_of(analyst.get("/trace").text)
    foreign = analyst.post(
        "/trace",
        data={"example": "cotton", CSRF_FIELD: token},
        headers={"origin": "http://evil.example"},
    )
    assert foreign.status_code == 403
    # An API key carries no ambient authority and is refused by nothing here but its role.
    with service.client("analyst") as client:
        assert client.get("/screen").status_code == 200


def test_a_viewer_is_told_screening_takes_the_analyst_role(viewer: httpx.Client) -> None:
    page = viewer.get("/screen")
    assert page.status_code == 200
    assert "needs the analyst role" in page.text
    assert 'type="file"' not in page.text
    token = token_of(viewer.get("/").text)
    response = viewer.post(
        "/screen", files={"file": ("shipments.csv", EXAMPLE.read_bytes())}, data={CSRF_FIELD: token}
    )
    assert response.status_code == 403
    assert "analyst role" in response.text


def test_an_upload_error_is_shown_beside_the_file_input(analyst: httpx.Client) -> None:
    token = token_of(analyst.get("/screen").text)
    for name, body, status, words in [
        ("invoice.pdf", b"%PDF-1.4", 400, "the service screens .csv"),
        ("empty.csv", b"", 400, "is empty"),
    ]:
        response = analyst.post(
            "/screen",
            files={"file": (name, body)},
            data={CSRF_FIELD: token, "kind": "shipment"},
        )
        assert response.status_code == status, response.text
        error = re.search(r'<p class="field-error" id="file-error"[^>]*>([^<]*)</p>', response.text)
        assert error and words in html.unescape(error.group(1)), name
        assert 'aria-describedby="file-error"' in response.text
        assert '<option value="shipment" selected>' in response.text  # the form keeps its values
    unreadable = analyst.post(
        "/screen",
        files={"file": ("suppliers.csv", b"colour,size\nred,1\n")},
        data={CSRF_FIELD: token},
    )
    assert unreadable.status_code == 422
    assert "headers found: &#39;colour&#39;, &#39;size&#39;" in unreadable.text
    assert 'id="file-error"' in unreadable.text
    bad = analyst.post(
        "/screen",
        files={"file": ("shipments.csv", EXAMPLE.read_bytes())},
        data={CSRF_FIELD: token, "as_of": "31/02/2024", "columns": "no equals sign"},
    )
    assert bad.status_code == 400
    assert 'id="as_of-error"' in bad.text and 'id="columns-error"' in bad.text


def test_an_upload_starts_a_job_and_goes_to_its_page(analyst: httpx.Client) -> None:
    token = token_of(analyst.get("/screen").text)
    response = analyst.post(
        "/screen",
        files={"file": ("shipments.csv", EXAMPLE.read_bytes())},
        data={CSRF_FIELD: token, "as_of": "2025-06-01"},
    )
    assert response.status_code == 303
    location = response.headers["location"]
    assert re.fullmatch(r"/screenings/[0-9a-f]{16}", location)
    running = analyst.get(location).text  # the runner takes a second to start: not done yet
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in running
    assert "<progress" in running and 'src="/static/screening.js' in running
    job = wait_done(analyst, location.rsplit("/", 1)[1])
    assert job["state"] == "done" and job["owner"] == "analyst"
    assert job["options"]["as_of"] == "2025-06-01"  # type: ignore[index]
    page = analyst.get(location)
    assert "Results" in page.text and "shipments.csv" in page.text
    listing = analyst.get("/screenings")
    assert location in listing.text


def test_a_failed_job_shows_its_error_beside_the_file_name(
    service: Service, analyst: httpx.Client
) -> None:
    with service.client("analyst") as client, EXAMPLE.open("rb") as handle:
        response = client.post(
            "/v1/screenings",
            files={"file": ("shipments.csv", handle)},
            data={"list_version": "no-such-version"},
        )
        job_id = response.json()["id"]
        assert wait_done(client, job_id)["state"] == "failed"
    page = analyst.get(f"/screenings/{job_id}").text
    error = re.search(r'<p class="form-error" role="alert">(.*?)</p>', page, re.S)
    assert error and "<strong>shipments.csv</strong> could not be screened" in error.group(1)
    assert "no-such-version" in error.group(1)
    assert "<progress" not in page and "Results" not in page
    listing = analyst.get("/screenings").text
    row = listing.split(f'href="/screenings/{job_id}"', 1)[1].split("</td>", 1)[0]
    assert "field-error" in row and "no-such-version" in row


# --- escaping -------------------------------------------------------------------------------


def test_markup_in_a_search_is_text(viewer: httpx.Client) -> None:
    page = viewer.get("/", params={"name": SCRIPT, "address": '"><img src=x onerror=alert(2)>'})
    assert page.status_code == 200
    assert SCRIPT not in page.text
    assert "<img src=x" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "No candidate: clear." in page.text


def test_markup_in_a_screened_file_is_text_on_every_page(
    analyst: httpx.Client, tmp_path: Path
) -> None:
    name = "<img src=x onerror='alert(3)'>.csv"
    body = f'name,country\n"{SCRIPT}",US\nHoshine Silicon Industry (Shanshan) Co. Ltd,CN\n'
    token = token_of(analyst.get("/screen").text)
    response = analyst.post(
        "/screen", files={"file": (name, body.encode())}, data={CSRF_FIELD: token}
    )
    assert response.status_code == 303, response.text
    job_id = response.headers["location"].rsplit("/", 1)[1]
    assert wait_done(analyst, job_id)["state"] == "done"
    for path in (f"/screenings/{job_id}", "/screenings", f"/screenings/{job_id}?sort=-score"):
        page = analyst.get(path).text
        assert SCRIPT not in page and "<img src=x" not in page, path
        assert str(escape(name)) in page, path
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in analyst.get(f"/screenings/{job_id}").text


def test_markup_in_a_traced_chain_is_text_in_the_graph_and_the_table(
    analyst: httpx.Client,
) -> None:
    nodes = f'id,name,country,address\nbuyer,"{SCRIPT}",US,\nseller,Hoshine Silicon,CN,\n'
    edges = "source,target,relation\nseller,buyer,supplies\n"
    token = token_of(analyst.get("/trace").text)
    page = analyst.post(
        "/trace",
        data={"example": "", CSRF_FIELD: token},
        files={"nodes": ("n<b>.csv", nodes.encode()), "edges": ("edges.csv", edges.encode())},
    )
    assert page.status_code == 200, page.text
    assert "<svg" in page.text
    assert SCRIPT not in page.text and "<b>" not in page.text
    assert page.text.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 2  # graph and table


def test_templates_print_raw_html_only_for_the_servers_own_svg() -> None:
    assert ENV.autoescape is True
    raw = []
    for template in sorted(TEMPLATES.glob("*.html")):
        raw += re.findall(r"\{\{\s*([\w.]+)\s*\|\s*safe\s*\}\}", template.read_text())
    assert sorted(raw) == ["chart_svg", "data.svg"]
    assert not any("Markup" in p.read_text() for p in (TEMPLATES.parent).glob("*.py"))


# --- errors, headers, static ------------------------------------------------------------------


def test_errors_are_pages_for_a_browser_and_json_for_the_api(viewer: httpx.Client) -> None:
    page = viewer.get("/entities/%3Cb%3EUFLPA-999")
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "&lt;b&gt;UFLPA-999" in page.text and "<b>UFLPA-999" not in page.text
    assert 'href="/"' in page.text
    missing = viewer.get("/no/such/page")
    assert missing.status_code == 404 and "not found" in missing.text
    assert "Sign out" in missing.text  # the nav bar of the signed-in user, even on a 404
    assert viewer.get("/screenings/zzz").status_code == 404
    api = viewer.get("/v1/entities/NOPE", headers={"accept": "application/json"})
    assert api.status_code == 404 and api.json()["error"]["status"] == 404


def test_pages_carry_the_security_headers_and_load_nothing_from_elsewhere(
    viewer: httpx.Client,
) -> None:
    page = viewer.get("/lists")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-store"
    references = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert references and all(r.startswith(("/", "#", "data:")) for r in references), references
    css = viewer.get("/static/uflpa.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    script = viewer.get("/static/screening.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]


# --- search, lists, results --------------------------------------------------------------------


def test_search_shows_the_candidate_its_evidence_and_the_caveat(viewer: httpx.Client) -> None:
    page = viewer.get("/", params={"name": "合盛硅业"})
    assert page.status_code == 200
    text = page.text
    assert 'class="badge badge-hit">hit<' in text
    assert 'href="/entities/UFLPA-012"' in text
    assert "Listed under" in text and "list version" in text
    assert "Reconstruction from public notices" in text
    empty = viewer.get("/").text
    assert "Type the name of a supplier" in empty
    blank = viewer.get("/", params={"name": "  ", "country": "CN"})
    assert blank.status_code == 400 and 'id="name-error"' in blank.text


def test_the_entity_and_list_pages(viewer: httpx.Client) -> None:
    listing = viewer.get("/lists", params={"q": "合盛"})
    assert listing.status_code == 200
    assert "UFLPA-012" in listing.text and "UFLPA-020" not in listing.text
    entity = viewer.get("/entities/UFLPA-012").text
    for words in ("Hoshine Silicon Industry (Shanshan)", "合盛硅业", "registered", "2(d)(2)(B)(i)"):
        assert words in entity
    assert 'rel="noopener noreferrer nofollow"' in entity
    versions = viewer.get("/lists/versions").text
    assert "<svg" in versions and "us-dhs-uflpa@" in versions
    first = viewer.get("/lists/diff")
    assert first.status_code == 200 and "is the first stored version" in first.text


def test_results_filter_sort_and_page(viewer: httpx.Client, shipments_job: str) -> None:
    base = f"/screenings/{shipments_job}"
    page = viewer.get(base).text
    assert "Rows 1–50 of 357" in page
    assert 'href="?verdict=hit"' in page and "/v1/screenings/" in page
    for fmt in ("csv", "jsonl", "parquet"):
        assert f"/v1/screenings/{shipments_job}/results?format={fmt}" in page
    assert f"/v1/screenings/{shipments_job}/report" in page
    hits = viewer.get(base, params={"verdict": "hit", "offset": 50}).text
    assert "Rows 51–71 of 71 with verdict hit" in hits
    assert hits.count('<tr class="row-hit">') == 21 and 'class="row-review"' not in hits
    assert "format=csv&amp;verdict=hit" in hits
    assert "Name match: via " in hits  # why a listed party's name matched, in words
    desc = viewer.get(base, params={"sort": "-row"}).text
    rows = [int(r) for r in re.findall(r'<td class="num">(\d+)</td>', desc)]
    assert rows == sorted(rows, reverse=True) and rows[0] == 358
    assert "<details>" in desc
    # A shipment file has no score column: a score sort falls back to the row order.
    assert viewer.get(base, params={"sort": "score"}).status_code == 200
    assert viewer.get(base, params={"verdict": "nonsense"}).status_code == 400


def test_trace_an_example_with_the_form(analyst: httpx.Client) -> None:
    token = token_of(analyst.get("/trace").text)
    page = analyst.post("/trace", data={"example": "cotton", CSRF_FIELD: token})
    assert page.status_code == 200, page.text
    assert "<svg" in page.text and "Harbor Line Apparel" in page.text
    assert "us-harbor-line ← vn-needlecraft" in page.text
    bad = analyst.post(
        "/trace", data={"example": "", CSRF_FIELD: token}, files={"nodes": ("n.pdf", b"x")}
    )
    assert bad.status_code == 400 and 'id="nodes-error"' in bad.text


# --- the local single-user mode and a list with history --------------------------------------


def test_local_mode_needs_no_sign_in_and_says_so(local_service: Service) -> None:
    with httpx.Client(base_url=local_service.url, headers=HTML) as client:
        page = client.get("/")
        assert page.status_code == 200
        assert "local single-user mode" in page.text
        assert "Sign out" not in page.text
        login = client.get("/login?next=/lists")
        assert login.status_code == 303 and login.headers["location"] == "/lists"
        # Forms still need the (local) token: another site's page cannot post one.
        assert client.post("/trace", data={"example": "cotton"}).status_code == 403
        token = token_of(client.get("/trace").text)
        assert (
            client.post("/trace", data={"example": "cotton", CSRF_FIELD: token}).status_code == 200
        )


@pytest.fixture(scope="module")
def history_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """A local service whose list has three stored versions: the bundled one and two pages."""
    home = tmp_path_factory.mktemp("web-history")
    for page in ("page_a.html", "page_b.html"):
        uflpa(home, "lists", "update", "--from", str(STORE_FIXTURES / page), "--force")
    running = start_service(home, "--no-login")
    yield running
    stop_service(running)


def test_the_diff_of_two_versions(history_service: Service) -> None:
    with httpx.Client(base_url=history_service.url, headers=HTML) as client:
        versions = client.get("/lists/versions").text
        ids = re.findall(r'<td class="mono nowrap">(us-dhs-uflpa@[0-9a-f]+)</td>', versions)
        assert len(ids) == 3
        assert '<option value="' + ids[1] + '"' in versions
        latest = client.get("/lists/diff").text
        assert "UFLPA-033" in latest and "removed" in latest and "UFLPA-149" in latest
        assert "former names added" in latest
        chosen = client.get("/lists/diff", params={"from": ids[1], "to": ids[2]})
        assert chosen.status_code == 200
        assert f'<option value="{ids[1]}" selected>' in chosen.text
        missing = client.get("/lists/diff", params={"from": "us-dhs-uflpa@000000000000"})
        assert missing.status_code == 404
        assert 'id="diff-error"' in missing.text
