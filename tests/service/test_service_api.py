"""The /v1 API over real HTTP against a real uvicorn (the `service` fixture: two workers, login
required, a key per role)."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import sqlite3
import time
from pathlib import Path

import httpx
import pyarrow.parquet as pq
import pytest

from tests.service.conftest import Service, start_service, stop_service, uflpa, wait_done

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "uflpa" / "data" / "examples" / "shipments.csv"
CHAINS = ROOT / "uflpa" / "data" / "examples" / "chains"
UPDATE_PAGE = ROOT / "tests" / "fixtures" / "store" / "page_update.html"


def submit(client: httpx.Client, path: Path, **data: str) -> dict[str, object]:
    with path.open("rb") as handle:
        response = client.post("/v1/screenings", files={"file": (path.name, handle)}, data=data)
    assert response.status_code == 202, response.text
    job: dict[str, object] = response.json()
    assert response.headers["location"] == f"/v1/screenings/{job['id']}"
    return job


# --- matching -----------------------------------------------------------------------------------


def test_match_finds_a_listed_party_in_chinese_with_evidence_in_words(service: Service) -> None:
    with service.client() as client:
        body = client.get("/v1/match", params={"name": "新疆中泰化学股份有限公司"}).json()
    assert body["verdict"] == "hit"
    best = body["candidates"][0]
    assert best["entity_id"] == "UFLPA-020"
    assert best["list_version"].startswith("us-dhs-uflpa@")
    text = " ".join(best["explanation"])
    assert "UFLPA-020" in text and "Listed under" in text and "list version" in text
    assert body["caveats"], "the bundled reconstruction must say it is incomplete"


def test_match_before_a_listing_says_the_entity_was_listed_later(service: Service) -> None:
    name = "Xinjiang Tianhongji Technology Co., Ltd."  # UFLPA-151, listed on 2026-08-03
    with service.client() as client:
        before = client.get("/v1/match", params={"name": name, "as_of": "2025-01-01"}).json()
        after = client.get("/v1/match", params={"name": name, "as_of": "2026-09-01"}).json()
    assert before["verdict"] == "clear" and before["candidates"] == []
    (later,) = before["listed_later"]
    assert later["entity_id"] == "UFLPA-151" and later["verdict"] == "clear"
    assert later["listed_later"]["effective_date"] == "2026-08-03"
    assert "listed later" in later["explanation"][0]
    assert after["verdict"] == "hit" and after["listed_later"] == []


def test_match_post_and_get_agree_and_country_is_used(service: Service) -> None:
    with service.client() as client:
        got = client.get("/v1/match", params={"name": "Hoshine Silicon", "top": 2}).json()
        posted = client.post("/v1/match", json={"name": "Hoshine Silicon", "top": 2}).json()
        assert got["candidates"] == posted["candidates"]
        unlisted = client.get("/v1/match", params={"name": "Acme Garden Tools GmbH"}).json()
    assert unlisted["verdict"] == "clear"


def test_batch_answers_each_party_with_its_own_options_in_order(service: Service) -> None:
    parties = [
        {"ref": "a", "name": "Xinjiang Zhongtai Chemical Co. Ltd."},
        {"ref": "b", "name": "Acme Garden Tools GmbH", "country": "DE"},
        {"ref": "c", "name": "Xinjiang Zhongtai Chemical Co. Ltd.", "as_of": "2020-01-01"},
    ]
    with service.client() as client:
        body = client.post("/v1/match/batch", json={"parties": parties}).json()
    results = body["results"]
    assert [r["ref"] for r in results] == ["a", "b", "c"]
    assert results[0]["verdict"] == "hit"
    assert results[1]["verdict"] == "clear"
    # Listed in 2023: not a hit on a day before its listing.
    assert results[2]["verdict"] != "hit"


def test_compare_locate_and_hts(service: Service) -> None:
    with service.client() as client:
        same = client.post(
            "/v1/compare", json={"name1": "Xinjiang Daqo New Energy", "name2": "新疆大全新能源"}
        ).json()
        assert same["verdict"] in ("hit", "review") and same["score"] > 0.5
        place = client.get("/v1/locate", params={"address": "Shihezi, Xinjiang"}).json()
        assert place["in_xinjiang"] == "yes"
        assert client.get("/v1/hts/5201.00").json()["sectors"]
        missing = client.get("/v1/hts/5201.00", headers={"X-API-Key": "uflpa_nope_nope"})
    assert missing.status_code == 401


# --- access -------------------------------------------------------------------------------------


def test_no_credentials_is_401_and_roles_are_enforced(service: Service) -> None:
    with service.client(role=None) as anonymous:
        response = anonymous.get("/v1/match", params={"name": "x"})
        assert response.status_code == 401
        assert response.json()["error"]["type"] == "unauthorized"
        assert anonymous.get("/healthz").status_code == 200
    with service.client("viewer") as viewer, EXAMPLE.open("rb") as handle:
        denied = viewer.post("/v1/screenings", files={"file": ("s.csv", handle)})
    assert denied.status_code == 403
    assert "analyst" in denied.json()["error"]["message"]
    with service.client("analyst") as analyst, UPDATE_PAGE.open("rb") as handle:
        denied = analyst.post("/v1/lists/us-dhs-uflpa/versions", files={"file": handle})
    assert denied.status_code == 403


def test_keys_and_passwords_are_stored_hashed(service: Service) -> None:
    db = sqlite3.connect(service.home / "records.sqlite")
    try:
        stored = " ".join(str(v) for row in db.execute("SELECT * FROM api_keys") for v in row)
        stored += " ".join(str(v) for row in db.execute("SELECT * FROM users") for v in row)
    finally:
        db.close()
    for key in service.keys.values():
        secret = key.split("_", 2)[2]
        assert secret not in stored
    assert "correct horse" not in stored
    assert "scrypt$" in stored


def test_a_revoked_key_stops_working(service: Service) -> None:
    key = uflpa(service.home, "keys", "create", "--role", "viewer").stdout.strip()
    with httpx.Client(base_url=service.url, headers={"X-API-Key": key}) as client:
        assert client.get("/v1/lists").status_code == 200
        uflpa(service.home, "keys", "revoke", key)
        deadline = time.monotonic() + 15
        while client.get("/v1/lists").status_code == 200:
            assert time.monotonic() < deadline, "a revoked key was still accepted after 15 s"
            time.sleep(0.5)
        assert client.get("/v1/lists").status_code == 401


# --- screenings ---------------------------------------------------------------------------------


def test_screening_job_matches_the_cli_and_serves_every_format(
    service: Service, tmp_path: Path
) -> None:
    cli_out = tmp_path / "cli.jsonl"
    uflpa(service.home, "screen", str(EXAMPLE), "--output", str(cli_out))
    expected = [json.loads(line) for line in cli_out.read_text(encoding="utf-8").splitlines()]
    with service.client("analyst") as client:
        job = submit(client, EXAMPLE)
        assert job["state"] in ("queued", "running", "done")
        done = wait_done(client, str(job["id"]))
        assert done["state"] == "done", done
        assert done["done"] == done["total"] == len(expected)
        jsonl = client.get(f"/v1/screenings/{job['id']}/results", params={"format": "jsonl"})
        rows = [json.loads(line) for line in jsonl.text.splitlines()]
        # The same rows and verdicts as the CLI on the same store (the file name aside).
        assert [(r["row"], r["verdict"]) for r in rows] == [
            (r["row"], r["verdict"]) for r in expected
        ]
        # Rows that could not be screened name the file as the user called it.
        errors = [r for r in rows if r["verdict"] == "error"]
        assert errors and {e["file"] for e in errors} == {"shipments.csv"}
        page = client.get(
            f"/v1/screenings/{job['id']}/results",
            params={"verdict": "hit", "limit": 10, "sort": "-row"},
        ).json()
        hits = [r for r in expected if r["verdict"] == "hit"]
        assert page["total"] == len(hits)
        assert len(page["rows"]) == min(10, len(hits))
        assert {r["verdict"] for r in page["rows"]} == {"hit"}
        second = client.get(
            f"/v1/screenings/{job['id']}/results",
            params={"verdict": "hit", "limit": 10, "sort": "-row", "offset": 10},
        ).json()
        assert not {r["row"] for r in page["rows"]} & {r["row"] for r in second["rows"]}
        by_accept = client.get(
            f"/v1/screenings/{job['id']}/results", headers={"Accept": "text/csv"}
        )
        table = list(csv.DictReader(io.StringIO(by_accept.text)))
        assert len(table) == len(expected)
        parquet = client.get(f"/v1/screenings/{job['id']}/results", params={"format": "parquet"})
        path = tmp_path / "r.parquet"
        path.write_bytes(parquet.content)
        assert pq.read_table(path).num_rows == len(expected)
        report = client.get(f"/v1/screenings/{job['id']}/report")
        assert report.status_code == 200 and "<html" in report.text.lower()
        listed = client.get("/v1/screenings").json()["jobs"]
        assert job["id"] in [j["id"] for j in listed]


def test_a_file_that_cannot_be_screened_is_refused_at_upload_and_nothing_is_kept(
    service: Service, tmp_path: Path
) -> None:
    bad = tmp_path / "suppliers.csv"
    bad.write_text("colour,size\nred,1\n", encoding="utf-8")
    pdf = tmp_path / "invoice.csv"
    pdf.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" * 20)
    why = {bad: "headers found: 'colour', 'size'", pdf: "this is a PDF document, not a table"}
    with service.client("analyst") as client:
        before = len(client.get("/v1/screenings", params={"limit": 500}).json()["jobs"])
        for path in (bad, pdf):
            with path.open("rb") as handle:
                response = client.post("/v1/screenings", files={"file": (path.name, handle)})
            assert response.status_code == 422, response.text
            error = response.json()["error"]
            assert error["file"] == path.name
            assert error["message"].startswith(f"{path.name}: ")
            assert why[path] in error["message"]
            assert "--" not in error["message"], "an API user has form fields, not CLI options"
            assert "/tmp" not in error["message"]
        after = len(client.get("/v1/screenings", params={"limit": 500}).json()["jobs"])
    assert after == before


def test_a_job_that_fails_says_why_with_the_users_file_name(
    service: Service, tmp_path: Path
) -> None:
    """The whole-file checks pass, the run fails (an --as-of list version that does not exist)."""
    with service.client("analyst") as client:
        job = submit(client, EXAMPLE, list_version="no-such-version")
        done = wait_done(client, str(job["id"]))
        assert done["state"] == "failed"
        assert "no-such-version" in str(done["error"])
        assert str(service.home) not in str(done["error"])
        results = client.get(f"/v1/screenings/{done['id']}/results")
    assert results.status_code == 409
    assert "failed" in results.json()["error"]["message"]


def test_unknown_job_is_404(service: Service) -> None:
    with service.client() as client:
        assert client.get("/v1/screenings/0123456789abcdef").status_code == 404
        assert client.get("/v1/screenings/..%2F..%2Fetc").status_code == 404


# --- traces -------------------------------------------------------------------------------------


def test_trace_json_and_upload_agree_and_draw_the_graph(service: Service) -> None:
    nodes = list(csv.DictReader((CHAINS / "cotton" / "nodes.csv").open(encoding="utf-8")))
    edges = list(csv.DictReader((CHAINS / "cotton" / "edges.csv").open(encoding="utf-8")))
    for edge in edges:
        for key in list(edge):
            if edge[key] == "":
                edge[key] = None  # type: ignore[assignment]
    node_keys = ("id", "name", "country", "address", "identifier")
    with service.client() as client:
        sent = client.post(
            "/v1/traces",
            json={
                "nodes": [{k: n.get(k) or None for k in node_keys if k in n} for n in nodes],
                "edges": edges,
                "as_of": "2026-01-01",
            },
        )
        assert sent.status_code == 200, sent.text
        with (
            (CHAINS / "cotton" / "nodes.csv").open("rb") as n,
            (CHAINS / "cotton" / "edges.csv").open("rb") as e,
        ):
            uploaded = client.post(
                "/v1/traces/upload",
                files={"nodes": ("nodes.csv", n), "edges": ("edges.csv", e)},
                data={"as_of": "2026-01-01"},
            )
    assert uploaded.status_code == 200, uploaded.text
    a, b = sent.json(), uploaded.json()
    assert [(r["id"], r["verdict"]) for r in a["nodes"]] == [
        (r["id"], r["verdict"]) for r in b["nodes"]
    ]
    assert a["counts"]["hit"] > 0
    assert a["svg"].startswith("<svg")
    exposed = [r for r in a["nodes"] if r["exposure"]]
    assert exposed and exposed[0]["exposure"][0]["path"]


def test_trace_with_an_edge_to_a_missing_node_names_it(service: Service) -> None:
    body = {
        "nodes": [{"id": "a", "name": "Alpha Trading"}],
        "edges": [{"source": "a", "target": "ghost"}],
    }
    with service.client() as client:
        response = client.post("/v1/traces", json=body)
    assert response.status_code in (400, 422)
    error = response.json()["error"]
    assert "ghost" in error["message"]
    assert "/tmp" not in error["message"]


# --- lists --------------------------------------------------------------------------------------


def test_lists_versions_entity_and_entities(service: Service) -> None:
    with service.client() as client:
        lists = client.get("/v1/lists").json()["lists"]
        assert lists[0]["list"] == "us-dhs-uflpa" and lists[0]["in_use"]["entities"] > 100
        versions = client.get("/v1/lists/us-dhs-uflpa/versions").json()["versions"]
        assert versions and versions[-1]["in_use"]
        entity = client.get("/v1/entities/UFLPA-002").json()
        assert entity["name"].startswith("Changji Esquel")
        assert any(n["name"].startswith("昌吉溢达") for n in entity["chinese_names"])
        assert entity["listings"] and entity["history"][0]["change"] == "first seen"
        found = client.get("/v1/lists/us-dhs-uflpa/entities", params={"q": "esquel"}).json()
        assert "UFLPA-002" in [e["id"] for e in found["entities"]]
        assert len(found["entities"]) < found["total"]
        for e in found["entities"]:
            assert "esquel" in " ".join([e["name"], *e["aliases"]]).casefold()
        assert client.get("/v1/entities/UFLPA-999").status_code == 404
        assert client.get("/v1/lists/no-such-list/versions").status_code == 404
        diff = client.get("/v1/lists/us-dhs-uflpa/diff").json()
        assert diff["old_version"] is None and "first stored version" in diff["note"]


@pytest.fixture()
def fresh_service(tmp_path: Path) -> Service:
    home = tmp_path / "home"
    home.mkdir()
    keys = {
        role: uflpa(home, "keys", "create", "--role", role).stdout.strip()
        for role in ("admin", "viewer")
    }
    running = start_service(home)
    running.keys = keys
    return running


def test_an_ingested_version_reaches_the_next_verdicts(fresh_service: Service) -> None:
    service = fresh_service
    try:
        with service.client("viewer") as viewer:
            before = viewer.get(
                "/v1/match", params={"name": "Lianyungang Brightwater Seafood Co., Ltd."}
            ).json()
            assert before["verdict"] == "clear"
        with service.client("admin") as admin, UPDATE_PAGE.open("rb") as handle:
            done = admin.post(
                "/v1/lists/us-dhs-uflpa/versions", files={"file": ("dhs.html", handle)}
            )
        assert done.status_code == 201, done.text
        new_id = done.json()["version_id"]
        assert done.json()["in_use"] and done.json()["changes"]["added"] >= 1
        with service.client("viewer") as viewer:
            after = viewer.get(
                "/v1/match", params={"name": "Lianyungang Brightwater Seafood Co., Ltd."}
            ).json()
            assert after["verdict"] == "hit"
            assert after["candidates"][0]["list_version"] == new_id
            diff = viewer.get("/v1/lists/us-dhs-uflpa/diff").json()
            assert diff["new_version"] == new_id and diff["counts"]["added"] >= 1
    finally:
        stop_service(service)


def test_a_finished_job_survives_a_restart_and_an_interrupted_one_is_marked_failed(
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    key = uflpa(home, "keys", "create", "--role", "analyst").stdout.strip()
    first = start_service(home, "--job-workers", "1")
    try:
        with httpx.Client(base_url=first.url, headers={"X-API-Key": key}, timeout=60) as client:
            finished = wait_done(client, str(submit(client, EXAMPLE)["id"]))
            assert finished["state"] == "done"
            # A job whose process dies without a word: killed half-way.
            big = tmp_path / "big.csv"
            lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
            big.write_text("\n".join([lines[0], *(lines[1:] * 120)]) + "\n", encoding="utf-8")
            running = submit(client, big)
            folder = home / "jobs" / str(running["id"])
            deadline = time.monotonic() + 60
            while True:
                state = json.loads((folder / "state.json").read_text(encoding="utf-8"))
                if state.get("pid") and state["state"] == "running":
                    break
                assert time.monotonic() < deadline, state
                time.sleep(0.05)
            os.kill(state["pid"], signal.SIGKILL)
    finally:
        stop_service(first)
    second = start_service(home)
    try:
        with httpx.Client(base_url=second.url, headers={"X-API-Key": key}, timeout=60) as client:
            kept = client.get(f"/v1/screenings/{finished['id']}").json()
            assert kept["state"] == "done"
            rows = client.get(
                f"/v1/screenings/{finished['id']}/results", params={"format": "jsonl"}
            ).text.splitlines()
            assert len(rows) == finished["total"]
            lost = client.get(f"/v1/screenings/{running['id']}").json()
            assert lost["state"] == "failed"
            assert "stopped before it finished" in lost["error"]
            assert not (home / "jobs" / str(running["id"]) / "results.parquet").exists()
            # A finished job whose results file is gone from the disk says so (404), never 500.
            (home / "jobs" / str(finished["id"]) / "results.parquet").unlink()
            gone = client.get(f"/v1/screenings/{finished['id']}/results")
            assert gone.status_code == 404
            assert "no longer on this server" in gone.json()["error"]["message"]
    finally:
        stop_service(second)


def test_no_login_is_refused_off_loopback(tmp_path: Path) -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "uflpa", "serve", "--host", "0.0.0.0", "--no-login"],
        capture_output=True,
        text=True,
        env={**os.environ, "UFLPA_HOME": str(tmp_path)},
        timeout=60,
    )
    assert done.returncode == 2
    assert "loopback" in done.stderr and "Traceback" not in done.stderr


def test_local_mode_says_so_and_needs_no_key(local_service: Service) -> None:
    with httpx.Client(base_url=local_service.url) as client:
        assert client.get("/v1/match", params={"name": "Hoshine"}).status_code == 200
        # A browser page of another site may not make the local user act.
        forged = client.post(
            "/v1/match", json={"name": "x"}, headers={"Origin": "http://evil.example"}
        )
    assert forged.status_code == 403
    assert "local single-user mode" in local_service.log_text()


def test_the_api_reference_page_is_our_own_and_lists_every_route(service: Service) -> None:
    with httpx.Client(base_url=service.url) as client:
        spec = client.get("/v1/openapi.json").json()
        page = client.get("/docs")
    assert page.status_code == 200
    for path in spec["paths"]:
        assert f"<code>{path}</code>" in page.text, path
    assert "cdn" not in page.text.lower() and '<script src="http' not in page.text
    # Examples reach the reference: the match request body's.
    assert "新疆中泰化学股份有限公司" in page.text


def test_an_oversized_form_post_from_a_browser_gets_a_page(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    running = start_service(home, "--no-login", "--max-upload-mb", "1")
    try:
        big = b"id,name\n" + b"1,Acme\n" * 200_000
        with httpx.Client(base_url=running.url, timeout=60) as client:
            page = client.post(
                "/screen", files={"file": ("big.csv", big)}, headers={"Accept": "text/html"}
            )
            api = client.post("/v1/screenings", files={"file": ("big.csv", big)})
    finally:
        stop_service(running)
    assert page.status_code == 413 and "text/html" in page.headers["content-type"]
    assert "1 MB" in page.text
    assert api.status_code == 413 and api.json()["error"]["type"] == "too_large"
