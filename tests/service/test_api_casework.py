"""Casework through the API, over real HTTP to a real `uflpa serve` with accounts: a supplier
master imported, its alerts listed and decided (with the two-person rule), a monitor run fed by
a list page served from 127.0.0.1, and the audit log read, verified and exported. A service of
its own, so that other tests' data cannot change what these count."""

from __future__ import annotations

import csv
import functools
import http.server
import json
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from tests.casework.pages import invented, page, rows_of
from tests.service.conftest import PASSWORD, Service, start_service, stop_service, uflpa
from uflpa.lists.bundled import load_bundled

LISTED = "Xinjiang Tianmian Foundation Textile Co Ltd"  # UFLPA-033
ADDED = invented(3, date(2026, 12, 1))  # INVENTED entities the update page adds


@pytest.fixture(scope="module")
def svc(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    home = tmp_path_factory.mktemp("casework-home")
    for role in ("admin", "analyst", "viewer"):
        uflpa(home, "users", "add", role, "--role", role, "--password-stdin", stdin=PASSWORD)
    keys = {
        role: uflpa(home, "keys", "create", "--role", role).stdout.strip()
        for role in ("admin", "analyst", "viewer")
    }
    keys["analyst2"] = uflpa(home, "keys", "create", "--role", "analyst").stdout.strip()
    running = start_service(home)
    running.keys = keys
    yield running
    stop_service(running)


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """DHS-style list pages served over HTTP on 127.0.0.1: a.html (the bundled entities) and
    b.html (the same plus three invented entities)."""
    folder = tmp_path_factory.mktemp("pages")
    base = rows_of(load_bundled())
    (folder / "a.html").write_text(page(base, date(2026, 11, 1)), encoding="utf-8")
    (folder / "b.html").write_text(page(base + ADDED, date(2026, 12, 1)), encoding="utf-8")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def master(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["supplier_id", "supplier_name", "country", "address"])
        writer.writerows(rows)
    return path


def upload(svc: Service, role: str, path: Path, watchlist: str = "api") -> tuple[int, dict]:  # type: ignore[type-arg]
    with svc.client(role) as client, path.open("rb") as fh:
        res = client.post(
            f"/v1/watchlists/{watchlist}/parties", files={"file": (path.name, fh, "text/csv")}
        )
    return res.status_code, res.json()


def test_import_decide_monitor_and_audit(svc: Service, pages: str, tmp_path: Path) -> None:
    first = master(
        tmp_path / "suppliers.csv",
        [
            ["S-1", LISTED, "CN", ""],
            ["S-2", "Acme Widgets Inc", "US", "Ohio"],
            ["S-2", "Acme Widgets Again", "US", ""],
            ["", "No Key Trading", "CN", ""],
            ["S-3", ADDED[0][0].replace(", Ltd.", " Ltd"), "CN", ""],
        ],
    )
    assert upload(svc, "viewer", first)[0] == 403
    status, done = upload(svc, "analyst", first)
    assert status == 201, done
    assert (done["rows"], done["added"], done["not_imported"]) == (5, 3, 2)
    problems = {p["row"]: p for p in done["problems"]}
    assert set(problems) == {4, 5}
    assert problems[4]["file"] == "suppliers.csv" and "already on row 3" in problems[4]["reason"]
    assert problems[5]["column"] == "supplier_id"
    assert done["flagged"] == 1 and done["alerts"] == 1

    with svc.client("viewer") as client:
        lists = client.get("/v1/watchlists").json()["watchlists"]
        assert [w["watchlist"] for w in lists] == ["api"] and lists[0]["open_alerts"] == 1
        parties = client.get("/v1/watchlists/api/parties").json()
        assert parties["total"] == 3 and parties["parties"][0]["key"] == "S-1"
        alerts = client.get("/v1/alerts").json()["alerts"]
        assert [a["key"] for a in alerts] == ["S-1"]
        alert = client.get(f"/v1/alerts/{alerts[0]['id']}").json()
        assert alert["verdict"] == "hit" and alert["entity_id"] == "UFLPA-033"
        assert "suppliers.csv row 2" in alert["cause"]
        evidence = alert["screening"]["result"]
        assert evidence["entity_id"] == "UFLPA-033"
        assert (
            evidence["evidence"]["matched_name"] == "Xinjiang Tianmian Foundation Textile Co., Ltd."
        )
        assert evidence["versions"]["list_version"].startswith("us-dhs-uflpa@")
        # A viewer reads but does not decide.
        refused = client.post(
            "/v1/decisions",
            json={"alert_id": alerts[0]["id"], "outcome": "false_positive", "note": "x"},
        )
        assert refused.status_code == 403

    # The two-person rule, turned on by an admin at the command line.
    uflpa(svc.home, "decisions", "rule", "two-person", "on", "--user", "admin")
    with svc.client("analyst") as client:
        decided = client.post(
            "/v1/decisions",
            json={
                "alert_id": alerts[0]["id"],
                "outcome": "false positive",
                "note": "Different company: registered in Jiangsu.",
            },
        )
        assert decided.status_code == 201, decided.text
        decision = decided.json()
        assert decision["state"] == "pending_approval" and decision["needs_approval"]
        own = client.post(f"/v1/decisions/{decision['id']}/approve", json={})
        assert own.status_code == 409 and "second person" in own.json()["error"]["message"]
    with svc.client("analyst2") as client:
        approved = client.post(f"/v1/decisions/{decision['id']}/approve", json={"note": "ok"})
        assert approved.status_code == 200, approved.text
        assert client.get("/v1/alerts").json()["total"] == 0
        decided_alerts = client.get("/v1/alerts", params={"state": "decided"}).json()["alerts"]
        assert [a["decision_id"] for a in decided_alerts] == [decision["id"]]
        # A decided alert is not decided again behind the first decision's back.
        again = client.post(
            "/v1/decisions",
            json={"alert_id": alerts[0]["id"], "outcome": "confirmed match", "note": "listed"},
        )
        assert again.status_code == 409 and "reopen" in again.json()["error"]["message"]

    # A monitor run: analysts may not, a path on the server is refused, a URL is ingested.
    with svc.client("analyst") as client:
        assert client.post("/v1/monitor/runs", json={}).status_code == 403
    with svc.client("admin") as client:
        path = client.post("/v1/monitor/runs", json={"source": "/etc/passwd"})
        assert path.status_code == 422
        client.post("/v1/monitor/runs", json={"source": f"{pages}/a.html"}).raise_for_status()
        run = client.post("/v1/monitor/runs", json={"source": f"{pages}/b.html"})
        assert run.status_code == 201, run.text
        result = run.json()
        assert result["ingested"]["created"] and result["changed_entities"] == 3
        assert result["rescreened"] < result["parties"] == 3
        assert len(result["alert_ids"]) == 1
        new = client.get(f"/v1/alerts/{result['alert_ids'][0]}").json()
        assert new["key"] == "S-3" and new["previous_verdict"] == "clear"
        assert "was added to the list" in new["cause"]
        runs = client.get("/v1/monitor/runs").json()["runs"]
        assert [r["kind"] for r in runs] == ["monitor", "monitor", "import"]

    # The party's data changes: a decision on its old alert is refused.
    second = master(tmp_path / "suppliers2.csv", [["S-3", ADDED[0][0], "CN", "Lianyungang"]])
    assert upload(svc, "analyst", second)[1]["changed"] == 1
    with svc.client("analyst") as client:
        stale = client.post(
            "/v1/decisions",
            json={"alert_id": new["id"], "outcome": "confirmed match", "note": "listed"},
        )
        assert stale.status_code == 409
        assert "S-3 changed since alert" in stale.json()["error"]["message"]
        history = client.get("/v1/watchlists/api/parties/S-3").json()
        # Screened on import, by both monitor runs (a.html changes every entry of the bundled
        # snapshot: the page has no sectors or notes), and on the second import.
        assert len(history["versions"]) == 2 and len(history["screenings"]) == 4

    # The audit log: analysts read and verify it, only admins export it.
    with svc.client("viewer") as client:
        assert client.get("/v1/audit").status_code == 403
    with svc.client("analyst") as client:
        actions = [e["action"] for e in client.get("/v1/audit").json()["entries"]]
        for action in ("watch import", "screening", "decision", "approval", "list ingest",
                       "monitor run", "policy", "key created", "user added"):  # fmt: skip
            assert action in actions, action
        check = client.get("/v1/audit/verify").json()
        assert check["ok"] and check["entries"] == len(actions)
        assert client.get("/v1/audit/export").status_code == 403
    with svc.client("admin") as client:
        lines = client.get("/v1/audit/export").text.splitlines()
    entries = [json.loads(line) for line in lines]
    assert [e["seq"] for e in entries] == list(range(1, len(entries) + 1))
    assert all(len(e["hash"]) == 64 for e in entries)


def test_unknown_things_and_bad_requests_are_clear(svc: Service) -> None:
    with svc.client("analyst") as client:
        assert client.get("/v1/alerts/999999").status_code == 404
        assert client.get("/v1/watchlists/nope/parties").status_code == 404
        res = client.post("/v1/decisions", json={"alert_id": 1, "outcome": "maybe", "note": "x"})
        assert res.status_code in (400, 404)
        res = client.post("/v1/decisions", json={"outcome": "escalated", "note": "x"})
        assert res.status_code == 400 and "name the alert" in res.json()["error"]["message"]
        res = client.get("/v1/alerts", params={"state": "everything"})
        assert res.status_code == 400
        res = client.post(
            "/v1/watchlists/bad name!/parties", files={"file": ("a.csv", b"id,name\n1,x\n")}
        )
        assert res.status_code == 400 and "watchlist name" in res.json()["error"]["message"]
        res = client.post("/v1/watchlists/w/parties", files={"file": ("a.exe", b"MZ")})
        assert res.status_code == 400
