"""Casework: watched suppliers, list-update monitoring, alerts, decisions and the audit trail."""
