"""Casework: watchlists, parties and their history, runs, screenings, alerts, hooks and their
deliveries, decisions and their documents, policies, and the hash-chained audit log.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer, primary_key=True, autoincrement=True)


def upgrade() -> None:
    op.create_table(
        "watchlists",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
    )
    op.create_table(
        "parties",
        _id(),
        sa.Column("watchlist", sa.String(64), sa.ForeignKey("watchlists.name"), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("country", sa.String(100), nullable=False),
        sa.Column("address", sa.Text, nullable=False),
        sa.Column("identifier", sa.String(100), nullable=False),
        sa.Column("data_sha256", sa.String(64), nullable=False),
        sa.Column("version_id", sa.Integer, nullable=True),
        sa.Column("added_at", _TS, nullable=False),
        sa.Column("updated_at", _TS, nullable=False),
        sa.Column("removed_at", _TS, nullable=True),
        sa.Column("screening_id", sa.Integer, nullable=True),
        sa.Column("verdict", sa.String(16), nullable=True),
        sa.Column("checked_version", sa.String(200), nullable=True),
        sa.Column("checked_rules", sa.String(100), nullable=True),
        sa.Column("checked_algorithm", sa.String(100), nullable=True),
        sa.Column("checked_on", sa.String(10), nullable=True),
        sa.UniqueConstraint("watchlist", "key", name="uq_parties_watchlist_key"),
    )
    op.create_table(
        "party_versions",
        _id(),
        sa.Column("party_id", sa.Integer, sa.ForeignKey("parties.id"), nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("data_sha256", sa.String(64), nullable=False),
        sa.Column("at", _TS, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
    )
    op.create_index("ix_party_versions_party_id", "party_versions", ["party_id"])
    op.create_table(
        "runs",
        _id(),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("watchlist", sa.String(64), nullable=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("started_at", _TS, nullable=False),
        sa.Column("finished_at", _TS, nullable=True),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("input_sha256", sa.String(64), nullable=True),
        sa.Column("output_sha256", sa.String(64), nullable=True),
        sa.Column("list_version", sa.String(200), nullable=True),
        sa.Column("previous_list_version", sa.String(200), nullable=True),
        sa.Column("rules_version", sa.String(100), nullable=True),
        sa.Column("algorithm", sa.String(100), nullable=True),
        sa.Column("as_of", sa.String(10), nullable=True),
        sa.Column("detail", sa.Text, nullable=False),
    )
    op.create_table(
        "screenings",
        _id(),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
        sa.Column("party_id", sa.Integer, sa.ForeignKey("parties.id"), nullable=False),
        sa.Column(
            "party_version_id", sa.Integer, sa.ForeignKey("party_versions.id"), nullable=False
        ),
        sa.Column("at", _TS, nullable=False),
        sa.Column("as_of", sa.String(10), nullable=False),
        sa.Column("verdict", sa.String(16), nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("entity_id", sa.String(100), nullable=True),
        sa.Column("entity_name", sa.Text, nullable=True),
        sa.Column("matched_name", sa.Text, nullable=True),
        sa.Column("candidates", sa.Text, nullable=False),
        sa.Column("list_version", sa.String(200), nullable=False),
        sa.Column("rules_version", sa.String(100), nullable=False),
        sa.Column("algorithm", sa.String(100), nullable=False),
        sa.Column("result", sa.Text, nullable=False),
    )
    op.create_index("ix_screenings_run_id", "screenings", ["run_id"])
    op.create_index("ix_screenings_party_id", "screenings", ["party_id"])
    op.create_table(
        "alerts",
        _id(),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
        sa.Column("party_id", sa.Integer, sa.ForeignKey("parties.id"), nullable=False),
        sa.Column("screening_id", sa.Integer, sa.ForeignKey("screenings.id"), nullable=False),
        sa.Column("previous_screening_id", sa.Integer, nullable=True),
        sa.Column("previous_verdict", sa.String(16), nullable=True),
        sa.Column("verdict", sa.String(16), nullable=False),
        sa.Column("entity_id", sa.String(100), nullable=True),
        sa.Column("entity_name", sa.Text, nullable=True),
        sa.Column("cause", sa.Text, nullable=False),
        sa.Column("change", sa.Text, nullable=False),
        sa.Column("list_version", sa.String(200), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("decision_id", sa.Integer, nullable=True),
        sa.Column("created_at", _TS, nullable=False),
    )
    op.create_index("ix_alerts_party_id", "alerts", ["party_id"])
    op.create_index("ix_alerts_state", "alerts", ["state"])
    op.create_table(
        "hooks",
        _id(),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("target", sa.Text, nullable=False),
        sa.Column("secret_env", sa.String(100), nullable=True),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("removed_at", _TS, nullable=True),
    )
    op.create_table(
        "deliveries",
        _id(),
        sa.Column("alert_id", sa.Integer, sa.ForeignKey("alerts.id"), nullable=False),
        sa.Column("hook_id", sa.Integer, sa.ForeignKey("hooks.id"), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", _TS, nullable=True),
        sa.Column("last_status", sa.Integer, nullable=True),
        sa.Column("last_error", sa.Text, nullable=False),
        sa.Column("delivered_at", _TS, nullable=True),
        sa.Column("created_at", _TS, nullable=False),
        sa.UniqueConstraint("alert_id", "hook_id", name="uq_deliveries_alert_hook"),
    )
    op.create_index("ix_deliveries_state", "deliveries", ["state"])
    op.create_table(
        "decisions",
        _id(),
        sa.Column("party_id", sa.Integer, sa.ForeignKey("parties.id"), nullable=False),
        sa.Column("entity_id", sa.String(100), nullable=False),
        sa.Column("alert_id", sa.Integer, nullable=True),
        sa.Column("screening_id", sa.Integer, sa.ForeignKey("screenings.id"), nullable=False),
        sa.Column("verdict", sa.String(16), nullable=False),
        sa.Column("outcome", sa.String(32), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("decided_by", sa.String(100), nullable=False),
        sa.Column("decided_at", _TS, nullable=False),
        sa.Column("party_sha256", sa.String(64), nullable=False),
        sa.Column("listing_sha256", sa.String(64), nullable=False),
        sa.Column("state", sa.String(24), nullable=False),
        sa.Column("needs_approval", sa.Boolean, nullable=False),
        sa.Column("approved_by", sa.String(100), nullable=True),
        sa.Column("approved_at", _TS, nullable=True),
        sa.Column("reopened_by", sa.String(100), nullable=True),
        sa.Column("reopened_at", _TS, nullable=True),
        sa.Column("reopen_note", sa.Text, nullable=True),
    )
    op.create_index("ix_decisions_party_id", "decisions", ["party_id"])
    op.create_table(
        "decision_documents",
        sa.Column("decision_id", sa.Integer, sa.ForeignKey("decisions.id"), primary_key=True),
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
    )
    op.create_table(
        "policies",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("value", sa.String(200), nullable=False),
        sa.Column("set_by", sa.String(100), nullable=False),
        sa.Column("set_at", _TS, nullable=False),
    )
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )


def downgrade() -> None:
    for table in (
        "audit_log",
        "policies",
        "decision_documents",
        "decisions",
        "deliveries",
        "hooks",
        "alerts",
        "screenings",
        "runs",
        "party_versions",
        "parties",
        "watchlists",
    ):
        op.drop_table(table)
