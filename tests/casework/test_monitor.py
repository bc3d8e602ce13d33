"""Monitoring: a list update re-screens only the watched parties it can reach and raises exactly
the alerts a full re-screen would (`uflpa monitor run --from PAGE` as a real process, checked
against `full_rescreen` of every party against both versions); a run killed half-way leaves
nothing of itself and is redone by the next; alerts reach a webhook that was down when they were
raised (a real HTTP receiver on 127.0.0.1, HMAC checked with `verify_signature`) and an e-mail
address (a real aiosmtpd server)."""

from __future__ import annotations

import email
import email.policy
import http.server
import json
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP as SMTPServer
from aiosmtpd.smtp import Envelope, Session
from sqlalchemy import Engine, select

from tests.casework.conftest import (
    ADDED,
    ME,
    NEW_ALIAS,
    REMOVED,
    Pages,
    as_json,
    cli_env,
    master,
    ok,
    peek,
    sqlite_url,
    uflpa,
    wait_for,
)
from uflpa.casework.audit import verify
from uflpa.casework.delivery import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify_signature
from uflpa.casework.monitor import full_rescreen, run_monitor
from uflpa.casework.outbox import add_hook, deliver_due, delivery_records
from uflpa.casework.watchlists import import_file
from uflpa.catalog import open_lists
from uflpa.model import CLEAR
from uflpa.records import engine_for
from uflpa.records.tables import alerts, parties
from uflpa.settings import Settings

#: Watched suppliers: some the update reaches, most it does not. The first three are near the
#: added entities (INVENTED names, like the entities), one takes the new alias, one is the entity
#: page C removes, one is listed and stays so.
WATCHED = [
    ("W1", "Zhoushan Brightwater Seafoods Co Ltd", "CN", "Zhoushan"),
    ("W2", "Weihai Brightwater Aquatic Trading", "CN", ""),
    ("W3", NEW_ALIAS, "CN", ""),
    ("W4", REMOVED, "CN", ""),
    ("W5", "Xinjiang Daqo New Energy Co., Ltd.", "CN", ""),
    ("W6", "Harborlight Marine Supply LLC", "US", "Seattle"),
    *[
        (f"G{i:02d}", f"Generic Trading Company {i} Limited", "US", f"{i} Main Street")
        for i in range(30)
    ],
]


def _expected_alerts(
    before: dict[str, tuple[str, str | None]], after: dict[str, tuple[str, str | None]]
) -> set[tuple[str, str, str, str | None]]:
    """What a full re-screen says must be told: (party id, verdict before, now, entity)."""
    out = set()
    for pid, (verdict, entity) in after.items():
        old_verdict, old_entity = before[pid]
        changed = verdict != old_verdict or (verdict != CLEAR and entity != old_entity)
        if changed:
            out.add((pid, old_verdict, verdict, entity if verdict != CLEAR else old_entity))
    return out


def _run_alerts(engine: Engine, run_id: int) -> set[tuple[str, str, str, str | None]]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                alerts.c.party_id, alerts.c.previous_verdict, alerts.c.verdict, alerts.c.entity_id
            ).where(alerts.c.run_id == run_id)
        ).all()
    return {(str(r.party_id), r.previous_verdict, r.verdict, r.entity_id) for r in rows}


def _keys(engine: Engine) -> dict[str, str]:
    with engine.connect() as conn:
        return {str(r.id): r.key for r in conn.execute(select(parties.c.id, parties.c.key))}


def test_a_list_update_reaches_only_the_parties_it_can_and_alerts_like_a_full_rescreen(
    home_a: Path, pages: Pages
) -> None:
    settings = Settings(home=home_a)
    engine = engine_for(sqlite_url(home_a))
    day = date.today()
    import_file(engine, ME, master(home_a.parent / "m.csv", WATCHED))
    lists_a = open_lists(settings=settings)
    full_a = full_rescreen(engine, lists_a, day)
    assert {p: v for p, (v, _) in full_a.items()} == {
        str(pid): verdict for pid, verdict in peek(home_a, "SELECT id, verdict FROM parties")
    }

    out = as_json(uflpa(home_a, "monitor", "run", "--from", str(pages.b), "--format", "json"))
    lists_b = open_lists(settings=settings)
    assert out["list_version"] == lists_b.versions[0].label != lists_a.versions[0].label
    assert out["previous_versions"] == [lists_a.versions[0].label]
    assert out["ingested"]["changes"]["added"] == 5
    assert out["ingested"]["changes"]["aliases_changed"] == 1
    assert out["parties"] == len(WATCHED)
    assert 0 < out["rescreened"] < out["parties"]
    assert out["rescreened"] + out["carried"] == out["parties"]

    full_b = full_rescreen(engine, lists_b, day)
    expected = _expected_alerts(full_a, full_b)
    got = _run_alerts(engine, out["run_id"])
    assert got == expected
    keys = _keys(engine)
    assert {keys[p] for p, *_ in got} >= {"W1", "W3"}, "the update must change some verdicts"
    assert sorted(out["alert_ids"]) == sorted(
        r[0] for r in peek(home_a, "SELECT id FROM alerts WHERE run_id = ?", (out["run_id"],))
    )
    # Every party is now where a full re-screen puts it, checked against the new version.
    assert {
        str(pid): (verdict, version)
        for pid, verdict, version in peek(
            home_a, "SELECT id, verdict, checked_version FROM parties"
        )
    } == {p: (v, lists_b.versions[0].label) for p, (v, _) in full_b.items()}

    causes = {
        key: (cause, entity)
        for key, cause, entity in peek(
            home_a,
            "SELECT p.key, a.cause, a.entity_name FROM alerts a "
            "JOIN parties p ON p.id = a.party_id WHERE a.run_id = ?",
            (out["run_id"],),
        )
    }
    zhoushan = ADDED[1][0]
    assert causes["W1"][1] == zhoushan
    assert f"'{zhoushan}' was added to the list" in causes["W1"][0]
    assert "section 2(d)(2)(B)(iv) from 2026-10-01" in causes["W1"][0]
    assert f"names added: '{NEW_ALIAS}'" in causes["W3"][0]

    # Nothing new: nothing screened, nothing raised.
    again = run_monitor(engine, ME, settings=settings)
    assert (again.unchanged, again.rescreened, again.carried) == (len(WATCHED), 0, 0)
    assert again.alerts == [] and _run_alerts(engine, again.run_id) == set()

    # Page C removes an entity a watched party matched: the party turns clear, told why.
    removed = run_monitor(engine, ME, settings=settings, source_ref=str(pages.c))
    lists_c = open_lists(settings=settings)
    full_c = full_rescreen(engine, lists_c, day)
    assert _run_alerts(engine, removed.run_id) == _expected_alerts(full_b, full_c)
    assert removed.rescreened < len(WATCHED)
    [(key, previous, verdict, entity, cause)] = peek(
        home_a,
        "SELECT p.key, a.previous_verdict, a.verdict, a.entity_id, a.cause FROM alerts a "
        "JOIN parties p ON p.id = a.party_id WHERE a.run_id = ?",
        (removed.run_id,),
    )
    assert (key, previous, verdict, entity) == ("W4", "hit", "clear", "UFLPA-030")
    assert f"UFLPA-030 '{REMOVED}' was removed from the list" in cause

    # --full screens every party again; no verdict changes, so no alert.
    full = as_json(uflpa(home_a, "monitor", "run", "--full", "--format", "json"))
    assert (full["rescreened"], full["carried"], full["alerts"]) == (len(WATCHED), 0, 0)
    assert full["why_rescreened"] == {"full re-screen asked for": len(WATCHED)}
    assert peek(home_a, "SELECT count(*) FROM screenings WHERE run_id = ?", (full["run_id"],)) == [
        (len(WATCHED),)
    ]


# --- a run killed half-way -----------------------------------------------------------------------


def _generated(n: int) -> list[tuple[str, str, str, str]]:
    words = [
        "Alpine",
        "Bayside",
        "Cedar",
        "Dune",
        "Elm",
        "Fjord",
        "Granite",
        "Heath",
        "Iris",
        "Juniper",
    ]
    rows = [
        (
            f"K{i:04d}",
            f"{words[i % 10]} {words[i // 10 % 10]} {words[i // 100 % 10]} Trading {i} Co Ltd",
            "US",
            "",
        )
        for i in range(n)
    ]
    # A few the update reaches (INVENTED names close to the added entities).
    rows += [
        (f"N{i}", f"{name.split(' Co.,')[0]} Company", "CN", "")
        for i, (name, _, _) in enumerate(ADDED)
    ]
    rows.append(("N9", NEW_ALIAS, "CN", ""))
    return rows


def _alert_set(home: Path, run_id: int) -> set[tuple[Any, ...]]:
    return set(
        peek(
            home,
            "SELECT p.key, a.previous_verdict, a.verdict, a.entity_id, a.cause, a.state "
            "FROM alerts a JOIN parties p ON p.id = a.party_id WHERE a.run_id = ?",
            (run_id,),
        )
    )


def test_a_killed_monitor_run_leaves_nothing_and_the_next_run_redoes_it(
    home_a: Path, pages: Pages, tmp_path: Path
) -> None:
    engine = engine_for(sqlite_url(home_a))
    rows = _generated(3000)
    import_file(engine, ME, master(tmp_path / "big.csv", rows))
    engine.dispose()
    clean = tmp_path / "clean-home"
    shutil.copytree(home_a, clean)  # the same state, for a run nobody kills

    proc = subprocess.Popen(
        [sys.executable, "-m", "uflpa", "monitor", "run", "--from", str(pages.b), "--full"],
        env=cli_env(home_a),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        [(run_id,)] = wait_for(
            lambda: peek(
                home_a, "SELECT id FROM runs WHERE kind = 'monitor' AND state = 'running'"
            ),
            60,
            "the monitor run to be recorded as running",
        )
        time.sleep(0.3)  # well inside its screening of 3,000 parties
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    assert proc.returncode == -signal.SIGKILL
    assert peek(home_a, "SELECT state FROM runs WHERE id = ?", (run_id,)) == [("running",)]
    assert peek(home_a, "SELECT count(*) FROM screenings WHERE run_id = ?", (run_id,)) == [(0,)]
    assert peek(home_a, "SELECT count(*) FROM alerts WHERE run_id = ?", (run_id,)) == [(0,)]
    assert peek(home_a, "SELECT count(DISTINCT checked_version) FROM parties") == [(1,)]

    # The next run (no --from: the update was ingested before the kill), and a clean run on the
    # copy, side by side.
    redo = subprocess.Popen(
        [sys.executable, "-m", "uflpa", "monitor", "run", "--format", "json"],
        env=cli_env(home_a),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # The clean run, in this process meanwhile.
    fresh = run_monitor(
        engine_for(sqlite_url(clean)), ME, settings=Settings(home=clean), source_ref=str(pages.b)
    ).to_dict()
    redo_out, redo_err = redo.communicate(timeout=120)
    assert redo.returncode == 0, redo_err
    redone = json.loads(redo_out)
    assert redone["abandoned_runs"] == [run_id]
    assert peek(home_a, "SELECT state FROM runs WHERE id = ?", (run_id,)) == [("abandoned",)]
    assert peek(
        home_a, "SELECT count(*) FROM audit_log WHERE action = 'monitor run abandoned'"
    ) == [(1,)]
    assert redone["rescreened"] == fresh["rescreened"] < redone["parties"] == len(rows)
    assert redone["list_version"] == fresh["list_version"]

    got = _alert_set(home_a, redone["run_id"])
    want = _alert_set(clean, fresh["run_id"])
    assert got == want
    assert {k for k, *_ in got} >= {"N1", "N9"}
    verdicts = "SELECT key, verdict, checked_version FROM parties ORDER BY key"
    assert peek(home_a, verdicts) == peek(clean, verdicts)
    # And the audit log of the killed store is whole.
    assert verify(engine_for(sqlite_url(home_a))).ok


# --- webhooks and e-mail -------------------------------------------------------------------------


SECRET = "monitor-test-secret"


@dataclass
class Hooked:
    requests: list[tuple[dict[str, str], bytes]] = field(default_factory=list)


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    hooked: Hooked


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.server.hooked.requests.append((dict(self.headers.items()), body))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Inbox:
    def __init__(self) -> None:
        self.envelopes: list[Envelope] = []

    async def handle_DATA(self, server: SMTPServer, session: Session, envelope: Envelope) -> str:
        self.envelopes.append(envelope)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


@pytest.fixture
def smtp() -> Iterator[tuple[int, _Inbox]]:
    inbox = _Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield port, inbox
    controller.stop()


def test_alerts_wait_for_a_webhook_that_is_down_and_reach_it_signed(
    home_a: Path, pages: Pages, smtp: tuple[int, _Inbox]
) -> None:
    engine = engine_for(sqlite_url(home_a))
    import_file(engine, ME, master(home_a.parent / "m.csv", WATCHED[:8]))
    port = _free_port()  # nothing listens there (yet)
    ok(
        uflpa(
            home_a,
            "hooks",
            "add",
            f"http://127.0.0.1:{port}/hook",
            "--secret-env",
            "UFLPA_TEST_SECRET",
        )
    )
    smtp_port, inbox = smtp
    add_hook(engine, ME, "compliance@uflpa.example")
    env = {
        "UFLPA_TEST_SECRET": SECRET,
        "UFLPA_SMTP_HOST": "127.0.0.1",
        "UFLPA_SMTP_PORT": str(smtp_port),
        "UFLPA_SMTP_FROM": "alerts@uflpa.example",
    }
    out = as_json(
        uflpa(home_a, "monitor", "run", "--from", str(pages.b), "--format", "json", env=env)
    )
    raised = out["alert_ids"]
    assert raised, "the update must raise alerts"

    # The e-mail went at once; the webhook stays pending with its error; the alert stays open.
    for alert_id in raised:
        webhook = next(d for d in delivery_records(engine, alert_id) if "127.0.0.1" in d["target"])
        mail = next(d for d in delivery_records(engine, alert_id) if "@" in d["target"])
        assert webhook["state"] == "pending" and webhook["attempts"] == 1
        assert "refused" in webhook["last_error"] and f"127.0.0.1:{port}" in webhook["last_error"]
        assert mail["state"] == "delivered", mail["last_error"]
    assert peek(
        home_a, f"SELECT DISTINCT state FROM alerts WHERE id IN ({','.join(map(str, raised))})"
    ) == [("open",)]
    assert len(inbox.envelopes) == len(raised)
    messages = [
        email.message_from_bytes(e.content, policy=email.policy.default) for e in inbox.envelopes
    ]  # type: ignore[arg-type]
    assert all(e.rcpt_tos == ["compliance@uflpa.example"] for e in inbox.envelopes)
    text = "\n".join(m.get_content() for m in messages)  # type: ignore[union-attr]
    assert "Zhoushan Brightwater Seafoods Co Ltd" in text

    # Still down: a try now fails again, and the delivery is still there.
    later = datetime.now(UTC) + timedelta(days=1)
    counts = deliver_due(engine, env=env, now=later)
    assert counts["delivered"] == 0 and counts["retrying"] == len(raised)

    # The receiver comes up on that port; the next delivery round sends every alert, signed.
    server = _Server(("127.0.0.1", port), _Handler)
    server.hooked = Hooked()
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        counts = deliver_due(engine, env=env, now=later + timedelta(days=1))
        assert counts["delivered"] == len(raised), counts
        assert len(server.hooked.requests) == len(raised)
        got_ids = set()
        for headers, body in server.hooked.requests:
            assert verify_signature(
                SECRET.encode(), headers[TIMESTAMP_HEADER], body, headers[SIGNATURE_HEADER]
            )
            assert not verify_signature(
                b"another secret", headers[TIMESTAMP_HEADER], body, headers[SIGNATURE_HEADER]
            )
            payload = json.loads(body)
            got_ids.add(payload["alert_id"])
            assert payload["event"] == "alert" and payload["cause"]
        assert got_ids == set(raised)
        # Delivered once: another round sends nothing.
        assert deliver_due(engine, env=env, now=later + timedelta(days=2))["delivered"] == 0
        assert len(server.hooked.requests) == len(raised)
    finally:
        server.shutdown()
        server.server_close()
    states = {d["state"] for a in raised for d in delivery_records(engine, a)}
    assert states == {"delivered"}
