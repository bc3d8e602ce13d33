"""Every table of the store of record, in one SQLAlchemy `MetaData`: the service's accounts, keys
and sessions, and casework (watchlists, parties and their history, screenings, alerts, their
deliveries, decisions and the audit log).

The migrations under `migrations/versions` create exactly these tables; `tests/records` checks that
a database migrated from nothing matches this metadata, so the two cannot drift apart.
Timestamps are timezone-aware; JSON is kept as text (the same on SQLite and PostgreSQL, and what
the audit chain hashes).
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

# --- accounts (the service) --------------------------------------------------------------------

users = Table(
    "users",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("password_hash", String(256), nullable=False),
    Column("role", String(16), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("disabled_at", DateTime(timezone=True), nullable=True),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("key_id", String(32), primary_key=True),
    Column("secret_sha256", String(64), nullable=False),
    Column("role", String(16), nullable=False),
    Column("label", String(200), nullable=False),
    Column("owner", String(64), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
)

web_sessions = Table(
    "web_sessions",
    metadata,
    Column("token_sha256", String(64), primary_key=True),
    Column("user_name", String(64), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)

# --- casework ----------------------------------------------------------------------------------

watchlists = Table(
    "watchlists",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(100), nullable=False),
)

#: A watched party as it is now: its data, and the screening its verdict comes from. The list
#: version it was last checked against can be newer than that screening's: a monitor run that
#: finds a change cannot affect a party carries its verdict forward without screening it again.
parties = Table(
    "parties",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("watchlist", String(64), ForeignKey("watchlists.name"), nullable=False),
    Column("key", String(200), nullable=False),
    Column("name", Text, nullable=False),
    Column("country", String(100), nullable=False, default=""),
    Column("address", Text, nullable=False, default=""),
    Column("identifier", String(100), nullable=False, default=""),
    Column("data_sha256", String(64), nullable=False),
    Column("version_id", Integer, nullable=True),
    Column("added_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("removed_at", DateTime(timezone=True), nullable=True),
    Column("screening_id", Integer, nullable=True),
    Column("verdict", String(16), nullable=True),
    Column("checked_version", String(200), nullable=True),
    Column("checked_rules", String(100), nullable=True),
    Column("checked_algorithm", String(100), nullable=True),
    Column("checked_on", String(10), nullable=True),
    UniqueConstraint("watchlist", "key", name="uq_parties_watchlist_key"),
)

#: Each state a party's data has had (a new row whenever an import changes it).
party_versions = Table(
    "party_versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("party_id", Integer, ForeignKey("parties.id"), nullable=False, index=True),
    Column("data", Text, nullable=False),
    Column("data_sha256", String(64), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("source", Text, nullable=False),
    Column("actor", String(100), nullable=False),
)

#: A run over watched parties: an import, a monitor run, a replay. A monitor run is recorded as
#: `running` in a transaction of its own and completed in one transaction with everything it
#: found, so that a run killed half-way leaves its row `running` and nothing else.
runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),
    Column("watchlist", String(64), nullable=True),
    Column("state", String(16), nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True), nullable=True),
    Column("actor", String(100), nullable=False),
    Column("source", Text, nullable=False, default=""),
    Column("input_sha256", String(64), nullable=True),
    Column("output_sha256", String(64), nullable=True),
    Column("list_version", String(200), nullable=True),
    Column("previous_list_version", String(200), nullable=True),
    Column("rules_version", String(100), nullable=True),
    Column("algorithm", String(100), nullable=True),
    Column("as_of", String(10), nullable=True),
    Column("detail", Text, nullable=False, default="{}"),
)

screenings = Table(
    "screenings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", Integer, ForeignKey("runs.id"), nullable=False, index=True),
    Column("party_id", Integer, ForeignKey("parties.id"), nullable=False, index=True),
    Column("party_version_id", Integer, ForeignKey("party_versions.id"), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("as_of", String(10), nullable=False),
    Column("verdict", String(16), nullable=False),
    Column("score", Float, nullable=False),
    Column("entity_id", String(100), nullable=True),
    Column("entity_name", Text, nullable=True),
    Column("matched_name", Text, nullable=True),
    Column("candidates", Text, nullable=False, default="[]"),
    Column("list_version", String(200), nullable=False),
    Column("rules_version", String(100), nullable=False),
    Column("algorithm", String(100), nullable=False),
    Column("result", Text, nullable=False),
)

alerts = Table(
    "alerts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", Integer, ForeignKey("runs.id"), nullable=False),
    Column("party_id", Integer, ForeignKey("parties.id"), nullable=False, index=True),
    Column("screening_id", Integer, ForeignKey("screenings.id"), nullable=False),
    Column("previous_screening_id", Integer, nullable=True),
    Column("previous_verdict", String(16), nullable=True),
    Column("verdict", String(16), nullable=False),
    Column("entity_id", String(100), nullable=True),
    Column("entity_name", Text, nullable=True),
    Column("cause", Text, nullable=False),
    Column("change", Text, nullable=False, default="null"),
    Column("list_version", String(200), nullable=False),
    Column("state", String(16), nullable=False),
    Column("decision_id", Integer, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_alerts_state", "state"),
)

#: Where alerts are sent: a webhook or an e-mail address. A webhook's HMAC secret is never
#: stored: `secret_env` names the environment variable that holds it at delivery time.
hooks = Table(
    "hooks",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),
    Column("target", Text, nullable=False),
    Column("secret_env", String(100), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(100), nullable=False),
    Column("removed_at", DateTime(timezone=True), nullable=True),
)

#: One alert to one hook (the outbox): written with the alert, in its transaction, and sent
#: after; a failed attempt stays `pending` with its next time, so that no alert is lost to an
#: endpoint that is down.
deliveries = Table(
    "deliveries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("alert_id", Integer, ForeignKey("alerts.id"), nullable=False),
    Column("hook_id", Integer, ForeignKey("hooks.id"), nullable=False),
    Column("state", String(16), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", DateTime(timezone=True), nullable=True),
    Column("last_status", Integer, nullable=True),
    Column("last_error", Text, nullable=False, default=""),
    Column("delivered_at", DateTime(timezone=True), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("alert_id", "hook_id", name="uq_deliveries_alert_hook"),
    Index("ix_deliveries_state", "state"),
)

decisions = Table(
    "decisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("party_id", Integer, ForeignKey("parties.id"), nullable=False, index=True),
    Column("entity_id", String(100), nullable=False),
    Column("alert_id", Integer, nullable=True),
    Column("screening_id", Integer, ForeignKey("screenings.id"), nullable=False),
    Column("verdict", String(16), nullable=False),
    Column("outcome", String(32), nullable=False),
    Column("note", Text, nullable=False),
    Column("decided_by", String(100), nullable=False),
    Column("decided_at", DateTime(timezone=True), nullable=False),
    Column("party_sha256", String(64), nullable=False),
    Column("listing_sha256", String(64), nullable=False),
    Column("state", String(24), nullable=False),
    Column("needs_approval", Boolean, nullable=False, default=False),
    Column("approved_by", String(100), nullable=True),
    Column("approved_at", DateTime(timezone=True), nullable=True),
    Column("reopened_by", String(100), nullable=True),
    Column("reopened_at", DateTime(timezone=True), nullable=True),
    Column("reopen_note", Text, nullable=True),
)

#: Documents attached to decisions, stored once by content hash under UFLPA_HOME/documents.
decision_documents = Table(
    "decision_documents",
    metadata,
    Column("decision_id", Integer, ForeignKey("decisions.id"), primary_key=True),
    Column("sha256", String(64), primary_key=True),
    Column("name", String(255), nullable=False),
    Column("size", Integer, nullable=False),
)

#: Casework settings an admin changes (the two-person rule), audited like everything else.
policies = Table(
    "policies",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", String(200), nullable=False),
    Column("set_by", String(100), nullable=False),
    Column("set_at", DateTime(timezone=True), nullable=False),
)

#: The audit log: append-only, each entry holding the hash of the one before (`uflpa.casework.
#: audit`). `seq` is given by the writer, under a lock, so that the chain has no forks.
audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", String(40), nullable=False),
    Column("actor", String(100), nullable=False),
    Column("action", String(40), nullable=False),
    Column("subject", Text, nullable=False),
    Column("detail", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)
