"""Decisions: a false positive answers an alert and suppresses the same alert later (recorded
`suppressed`, never sent) while the party's data and the entity's entry stay the same, until the
decision is reopened; a decision on a supplier whose data changed since its alert is refused
(exit 8); roles once accounts exist (a viewer cannot decide: exit 7); the two-person rule (a false
positive on a hit waits for a second analyst, never its author). Real CLI processes for what the
CLI promises, a real store in tmp_path, list updates through real pages."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.casework.conftest import (
    ME,
    Pages,
    as_json,
    base_rows,
    failed,
    master,
    ok,
    peek,
    sqlite_url,
    uflpa,
)
from tests.casework.pages import invented
from uflpa.casework.actors import cli_actor
from uflpa.casework.alerts import list_alerts
from uflpa.casework.decisions import approve, decide, set_two_person_rule
from uflpa.casework.monitor import run_monitor
from uflpa.casework.outbox import add_hook, delivery_records
from uflpa.casework.watchlists import import_file
from uflpa.errors import ConflictError, PermissionDenied, UsageError
from uflpa.records import engine_for
from uflpa.service.accounts import add_user
from uflpa.settings import Settings

#: INVENTED entities: X is the one the watched supplier resembles, Y and Z only make each page a
#: new version.
X = invented(1, date(2026, 10, 1), start=200)[0]  # Lianyungang Silverline Polysilicon Co., Ltd.
Y = invented(1, date(2026, 10, 1), start=100)[0]
Z = invented(1, date(2026, 10, 1), start=300)[0]
SUPPLIER = "Lianyungang Silverline Polysilicon Co Ltd"
LISTED = "Xinjiang Daqo New Energy Co., Ltd."  # UFLPA-009
PASSWORD = "a long enough password"


def _alerts_of(home: Path, run_id: int) -> list[tuple[object, ...]]:
    return peek(
        home,
        "SELECT id, state, previous_verdict, verdict, entity_id, cause, decision_id FROM alerts "
        "WHERE run_id = ? ORDER BY id",
        (run_id,),
    )


def test_a_false_positive_suppresses_the_same_alert_until_it_is_reopened(
    home_a: Path, pages: Pages
) -> None:
    settings = Settings(home=home_a)
    engine = engine_for(sqlite_url(home_a))
    import_file(engine, ME, master(home_a.parent / "m.csv", [("P1", SUPPLIER, "CN", "")]))
    assert peek(home_a, "SELECT verdict FROM parties") == [("clear",)]
    add_hook(engine, ME, "http://127.0.0.1:9/hook")  # nothing listens: deliveries stay pending
    base = base_rows()

    def update(name: str, *extra: tuple[str, str, date]) -> int:
        path = pages.write(name, base + list(extra), date(2026, 10, 2))
        return run_monitor(engine, ME, settings=settings, source_ref=str(path)).run_id

    listed = update("x.html", X)
    [(alert_id, state, _, verdict, entity, cause, _)] = _alerts_of(home_a, listed)
    assert (state, verdict) == ("open", "hit") and "was added to the list" in cause

    res = as_json(
        uflpa(
            home_a,
            "decisions",
            "add",
            "--alert",
            str(alert_id),
            "--outcome",
            "false positive",
            "--note",
            "another company: different registration number",
            "--format",
            "json",
        )
    )
    decision_id = res["id"]
    assert res["state"] == "active" and res["entity_id"] == entity
    assert peek(home_a, "SELECT state, decision_id FROM alerts WHERE id = ?", (alert_id,)) == [
        ("decided", decision_id)
    ]
    assert alert_id not in [a["id"] for a in list_alerts(engine)[1]]  # what `uflpa alerts` lists

    # X leaves the list: that is news (its entry is gone), the alert is open.
    gone = update("y.html", Y)
    [(_, state, previous, verdict, gone_entity, cause, _)] = _alerts_of(home_a, gone)
    assert (state, previous, verdict, gone_entity) == ("open", "hit", "clear", entity)
    assert "was removed from the list" in cause

    # X comes back with the same entry; the supplier's data never changed: the decision answers
    # the alert, which is recorded as suppressed and sent nowhere.
    back = update("xy.html", X, Y)
    [(again_id, state, previous, verdict, again_entity, cause, by)] = _alerts_of(home_a, back)
    assert again_entity == entity  # the same entity, by the same id
    assert (state, previous, verdict, by) == ("suppressed", "clear", "hit", decision_id)
    assert f"suppressed: decision {decision_id} already answers it" in cause
    assert delivery_records(engine, again_id) == []
    assert again_id not in [a["id"] for a in list_alerts(engine, state="waiting")[1]]
    assert delivery_records(engine, alert_id)  # (an open alert does get its delivery)

    ok(
        uflpa(
            home_a, "decisions", "reopen", str(decision_id), "--note", "the supplier was re-audited"
        )
    )
    assert (
        peek(home_a, "SELECT state, reopened_by FROM decisions WHERE id = ?", (decision_id,))[0][0]
        == "reopened"
    )

    # Reopened: the same change reaches the inbox again.
    update("yz.html", Y, Z)
    relisted = update("xyz.html", X, Y, Z)
    [(last_id, state, previous, verdict, last_entity, cause, by)] = _alerts_of(home_a, relisted)
    assert (state, previous, verdict, last_entity, by) == ("open", "clear", "hit", entity, None)
    assert "suppressed" not in cause
    assert [d["state"] for d in delivery_records(engine, last_id)] == ["pending"]


def test_a_decision_on_a_supplier_whose_data_changed_is_refused(home: Path) -> None:
    engine = engine_for(sqlite_url(home))
    path = master(home.parent / "m.csv", [("S1", LISTED, "CN", "Shihezi")])
    import_file(engine, ME, path)
    [alert] = list_alerts(engine)[1]
    assert alert["verdict"] == "hit"
    moved = master(home.parent / "m2.csv", [("S1", LISTED, "CN", "Urumqi Road 9, Shihezi")])
    assert import_file(engine, ME, moved).changed == 1

    err = failed(
        uflpa(
            home,
            "decisions",
            "add",
            "--alert",
            str(alert["id"]),
            "--outcome",
            "false positive",
            "--note",
            "x",
        ),
        8,
    )
    assert f"supplier S1 changed since alert {alert['id']}" in err
    assert peek(home, "SELECT count(*) FROM decisions") == [(0,)]
    assert peek(home, "SELECT state FROM alerts WHERE id = ?", (alert["id"],)) == [("open",)]
    # On its newest screening the decision is taken.
    done = decide(
        engine, ME, outcome="confirmed match", note="it is them", watchlist="default", key="S1"
    )
    assert done["state"] == "active"


def test_roles_and_the_two_person_rule(home: Path) -> None:
    engine = engine_for(sqlite_url(home))
    path = master(
        home.parent / "m.csv",
        [("S1", LISTED, "CN", ""), ("S2", "Hoshine Silicon Industry Co Ltd", "CN", "")],
    )
    import_file(engine, ME, path)
    by_key = {a["key"]: a for a in list_alerts(engine)[1]}
    hit, review = by_key["S1"], by_key["S2"]
    assert (hit["verdict"], review["verdict"]) == ("hit", "review")

    ok(uflpa(home, "users", "add", "vic", "--role", "viewer", "--password-stdin", stdin=PASSWORD))
    add_user(engine, "boss", PASSWORD, "admin")
    add_user(engine, "ana", PASSWORD, "analyst")
    add_user(engine, "ben", PASSWORD, "analyst")
    decide_hit = ["decisions", "add", "--alert", str(hit["id"]), "--outcome", "false positive"]

    # Accounts exist: who acts must be said, and be allowed.
    err = failed(uflpa(home, *decide_hit, "--note", "n", "--user", "vic"), 11)
    assert "a decision needs the analyst role; vic is a viewer" in err
    with pytest.raises(UsageError, match="say who you are"):
        cli_actor(engine, None)
    with pytest.raises(PermissionDenied, match="admin"):
        set_two_person_rule(engine, cli_actor(engine, "ana"), True)
    assert peek(home, "SELECT count(*) FROM decisions") == [(0,)]

    ok(uflpa(home, "decisions", "rule", "two-person", "on", "--user", "boss"))
    made = as_json(
        uflpa(home, *decide_hit, "--note", "not them", "--user", "ana", "--format", "json")
    )
    decision_id = made["id"]
    assert made["state"] == "pending_approval" and made["needs_approval"] is True
    assert peek(home, "SELECT state FROM alerts WHERE id = ?", (hit["id"],)) == [
        ("pending_approval",)
    ]

    err = failed(uflpa(home, "decisions", "approve", str(decision_id), "--user", "ana"), 8)
    assert "second person" in err
    with pytest.raises(PermissionDenied):
        approve(engine, cli_actor(engine, "vic"), decision_id)
    assert peek(home, "SELECT state, approved_by FROM decisions WHERE id = ?", (decision_id,)) == [
        ("pending_approval", None)
    ]
    ok(uflpa(home, "decisions", "approve", str(decision_id), "--user", "ben", "--note", "checked"))
    assert peek(home, "SELECT state, approved_by FROM decisions WHERE id = ?", (decision_id,)) == [
        ("active", "ben")
    ]
    assert peek(home, "SELECT state FROM alerts WHERE id = ?", (hit["id"],)) == [("decided",)]
    # Approved once: approving again is refused.
    with pytest.raises(ConflictError, match="active"):
        approve(engine, cli_actor(engine, "boss"), decision_id)

    # A decided alert is not decided again (until its decision is reopened).
    ana = cli_actor(engine, "ana")
    with pytest.raises(ConflictError, match="reopen"):
        decide(engine, ana, outcome="confirmed match", note="n", alert_id=hit["id"])
    # The rule is about false positives on hits: a review, or a confirmed match, counts at once.
    on_review = decide(engine, ana, outcome="false positive", note="n", alert_id=review["id"])
    assert on_review["state"] == "active"
    confirmed = decide(
        engine, ana, outcome="confirmed match", note="n", watchlist="default", key="S1"
    )
    assert confirmed["state"] == "active"
    assert peek(home, "SELECT state FROM decisions WHERE id = ?", (decision_id,)) == [
        ("superseded",)
    ]
    actions = [a for (a,) in peek(home, "SELECT action FROM audit_log ORDER BY seq")]
    assert actions.count("decision") == 3 and actions.count("approval") == 1
    assert "policy" in actions
