"""Delivering alerts to a real HTTP receiver and a real SMTP server on 127.0.0.1 (no mocks)."""

from __future__ import annotations

import email
import email.policy
import hashlib
import hmac
import http.server
import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP as SMTPServer
from aiosmtpd.smtp import Envelope, Session

from uflpa import __version__
from uflpa.casework.delivery import (
    DELIVERY_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    SmtpSettings,
    Target,
    backoff,
    deliver,
    render_email,
    send_email,
    sign,
    verify_signature,
)
from uflpa.errors import UsageError

SECRET = "s3cret-for-tests"
PAYLOAD: dict[str, Any] = {
    "event": "alert",
    "alert_id": 12,
    "watchlist": "default",
    "party": {"key": "S-001", "name": "Xinjiang 新疆 Cotton Co", "country": "CN"},
    "previous_verdict": "clear",
    "verdict": "hit",
    "entity": {"id": "UFLPA-0042", "name": "Xinjiang Cotton Group"},
    "cause": "entity added to the list on 2026-08-14 (section 2(d)(2)(B)(v))",
    "list_version": "uflpa-2026-08-14",
    "created_at": "2026-12-07T03:00:00+00:00",
    "link": "http://uflpa.example/parties/S-001",
}


def free_port() -> int:
    """A port that was free a moment ago (and has no listener now)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


# --- the webhook receiver -----------------------------------------------------------------------


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class ReceiverState:
    requests: list[Received] = field(default_factory=list)
    fail_first: int = 0  # answer 500 to this many requests on /hook
    release: threading.Event = field(default_factory=threading.Event)


class ReceiverServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    state: ReceiverState


class Receiver(http.server.BaseHTTPRequestHandler):
    """/hook answers 200 (500 while fail_first lasts), /redirect a 302, /slow nothing for long."""

    server: ReceiverServer

    def do_POST(self) -> None:
        state = self.server.state
        path = self.path.partition("?")[0]
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        state.requests.append(Received(path, dict(self.headers.items()), body))
        if path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/hook?token=do-not-show")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if path == "/slow":
            state.release.wait(10)  # until the test is over; the client times out first
            return
        if path == "/hook" and state.fail_first > 0:
            state.fail_first -= 1
            self.send_error(500, "Internal Server Error")
            return
        answer = b'{"received": true}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, format: str, *args: object) -> None:  # keep test output clean
        pass


@pytest.fixture
def receiver() -> Iterator[tuple[str, ReceiverState]]:
    httpd = ReceiverServer(("127.0.0.1", 0), Receiver)
    httpd.state = ReceiverState()
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", httpd.state
    httpd.state.release.set()
    httpd.shutdown()
    httpd.server_close()


def test_signed_delivery_is_verified_by_the_receiver(
    receiver: tuple[str, ReceiverState],
) -> None:
    base, state = receiver
    target = Target.parse(f"{base}/hook", secret_env="UFLPA_HOOK_SECRET")
    attempt = deliver(target, PAYLOAD, "delivery-1", env={"UFLPA_HOOK_SECRET": SECRET})
    assert attempt.ok, attempt.error
    assert (attempt.status, attempt.error) == (200, "")
    assert attempt.seconds >= 0

    [request] = state.requests
    body, headers = request.body, request.headers
    assert json.loads(body) == PAYLOAD
    # Canonical: sorted keys, compact, UTF-8 rather than \u escapes.
    assert body == json.dumps(
        PAYLOAD, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    ).encode("utf-8")
    assert "新疆".encode() in body
    assert headers["Content-Type"] == "application/json"
    assert headers["User-Agent"] == f"uflpa/{__version__}"
    assert headers[DELIVERY_HEADER] == "delivery-1"
    timestamp, signature = headers[TIMESTAMP_HEADER], headers[SIGNATURE_HEADER]
    assert abs(int(timestamp) - time.time()) < 60
    assert signature.startswith("sha256=")

    secret = SECRET.encode()
    assert verify_signature(secret, timestamp, body, signature)
    assert not verify_signature(secret, timestamp, body.replace(b"hit", b"hat"), signature)
    assert not verify_signature(b"another secret", timestamp, body, signature)
    assert not verify_signature(secret, str(int(timestamp) + 1), body, signature)
    # Replay: the same request presented later than the tolerance is refused.
    assert verify_signature(secret, timestamp, body, signature, now=int(timestamp) + 299)
    assert not verify_signature(secret, timestamp, body, signature, now=int(timestamp) + 301)
    assert not verify_signature(secret, timestamp, body, signature, now=int(timestamp) - 301)


def test_sign_is_hmac_sha256_over_timestamp_dot_body() -> None:
    expected = hmac.new(b"key", b"1700000000.{}", hashlib.sha256).hexdigest()
    assert sign(b"key", "1700000000", b"{}") == "sha256=" + expected
    now = 1700000000.0
    assert verify_signature(b"key", "1700000000", b"{}", "sha256=" + expected, now=now)
    assert not verify_signature(b"key", "1700000000", b"{}", "sha256=" + "0" * 64, now=now)
    assert not verify_signature(b"key", "1700000000", b"{}", "", now=now)
    assert not verify_signature(b"key", "1.7e9", b"{}", "sha256=" + expected, now=now)
    assert not verify_signature(b"key", "1700000000", b"{}", "sha256=ü", now=now)


def test_unsigned_delivery_has_no_signature_header(receiver: tuple[str, ReceiverState]) -> None:
    base, state = receiver
    attempt = deliver(Target.parse(f"{base}/hook"), PAYLOAD, "delivery-2", env={})
    assert attempt.ok, attempt.error
    [request] = state.requests
    assert SIGNATURE_HEADER not in request.headers
    assert request.headers[DELIVERY_HEADER] == "delivery-2"


def test_a_500_fails_and_the_retry_succeeds(receiver: tuple[str, ReceiverState]) -> None:
    base, state = receiver
    state.fail_first = 1
    target = Target.parse(f"{base}/hook?token=abc", secret_env="UFLPA_HOOK_SECRET")
    env = {"UFLPA_HOOK_SECRET": SECRET}
    first = deliver(target, PAYLOAD, "delivery-3", env=env)
    assert not first.ok
    assert first.status == 500
    assert first.error.startswith("HTTP 500")
    assert f"{base}/hook" in first.error
    assert "token" not in first.error  # the query string may hold a credential
    second = deliver(target, PAYLOAD, "delivery-3", env=env)
    assert second.ok, second.error
    assert second.status == 200
    assert [r.headers[DELIVERY_HEADER] for r in state.requests] == ["delivery-3", "delivery-3"]


def test_refused_connection_is_a_failed_attempt_not_an_exception() -> None:
    port = free_port()
    attempt = deliver(Target.parse(f"http://127.0.0.1:{port}/hook"), PAYLOAD, "d", env={})
    assert not attempt.ok
    assert attempt.status is None
    assert attempt.error == f"connection refused by 127.0.0.1:{port}"


def test_a_receiver_that_does_not_answer_times_out(receiver: tuple[str, ReceiverState]) -> None:
    base, state = receiver
    started = time.monotonic()
    attempt = deliver(Target.parse(f"{base}/slow"), PAYLOAD, "d", env={}, timeout=0.5)
    assert time.monotonic() - started < 5
    assert not attempt.ok
    assert attempt.status is None
    assert attempt.error.startswith("timed out after 0.5 s")
    assert len(state.requests) == 1


def test_a_redirect_is_not_followed(receiver: tuple[str, ReceiverState]) -> None:
    base, state = receiver
    target = Target.parse(f"{base}/redirect", secret_env="UFLPA_HOOK_SECRET")
    attempt = deliver(target, PAYLOAD, "d", env={"UFLPA_HOOK_SECRET": SECRET})
    assert not attempt.ok
    assert attempt.status == 302
    assert "not followed" in attempt.error
    assert f"to {base}/hook" in attempt.error
    assert "do-not-show" not in attempt.error
    assert [r.path for r in state.requests] == ["/redirect"]  # /hook never saw the alert


def test_a_missing_secret_sends_nothing(receiver: tuple[str, ReceiverState]) -> None:
    base, state = receiver
    target = Target.parse(f"{base}/hook", secret_env="UFLPA_HOOK_SECRET")
    attempt = deliver(target, PAYLOAD, "d", env={"OTHER": "x"})
    assert not attempt.ok
    assert attempt.error == "no secret: environment variable UFLPA_HOOK_SECRET is not set"
    empty = deliver(target, PAYLOAD, "d", env={"UFLPA_HOOK_SECRET": ""})
    assert not empty.ok
    assert "UFLPA_HOOK_SECRET is empty" in empty.error
    assert state.requests == []


# --- targets ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("file:///etc/passwd", "unsupported scheme 'file'"),
        ("javascript:alert(1)", "unsupported scheme 'javascript'"),
        ("ftp://example.com/x", "unsupported scheme 'ftp'"),
        ("a@b.c\r\nBcc: x@y.z", "control character"),
        ("https://example.com/\nX-Injected: 1", "control character"),
        ("mailto:a@b.c?bcc=x@y.z", "not an e-mail address"),
        ("a@b.c, x@y.z", "not an e-mail address"),
        ("not a target", "neither an http(s) URL nor an e-mail address"),
        ("https:///path-only", "has no host"),
        ("https://example.com:99999/", "malformed"),
        ("", "empty"),
    ],
)
def test_parse_refuses_what_is_not_a_target(text: str, message: str) -> None:
    with pytest.raises(UsageError, match=re.escape(message)) as info:
        Target.parse(text)
    assert "\n" not in str(info.value)


def test_parse_accepts_urls_and_addresses() -> None:
    assert Target.parse("mailto:analyst@example.com") == Target("email", "analyst@example.com")
    assert Target.parse(" analyst@example.com ") == Target("email", "analyst@example.com")
    hook = Target.parse("https://user:pw@hooks.example.com:8443/in?token=abc#x", "HOOK_SECRET")
    assert hook == Target(
        "webhook", "https://user:pw@hooks.example.com:8443/in?token=abc#x", "HOOK_SECRET"
    )
    assert hook.label == "https://hooks.example.com:8443/in"
    assert Target.parse("HTTP://example.com/x").kind == "webhook"
    assert Target.parse("analyst@example.com").label == "analyst@example.com"


def test_parse_checks_the_secret_variable() -> None:
    with pytest.raises(UsageError, match="not an environment variable name"):
        Target.parse("https://example.com/", secret_env="A B")
    with pytest.raises(UsageError, match="webhooks only"):
        Target.parse("analyst@example.com", secret_env="HOOK_SECRET")


def test_url_credentials_are_sent_as_basic_auth(receiver: tuple[str, ReceiverState]) -> None:
    base, state = receiver
    url = base.replace("http://", "http://alice:p%40ss@") + "/hook"
    attempt = deliver(Target.parse(url), PAYLOAD, "d", env={})
    assert attempt.ok, attempt.error
    assert state.requests[0].headers["Authorization"] == "Basic YWxpY2U6cEBzcw=="  # alice:p@ss


# --- e-mail -------------------------------------------------------------------------------------


class Inbox:
    def __init__(self) -> None:
        self.envelopes: list[Envelope] = []

    async def handle_DATA(self, server: SMTPServer, session: Session, envelope: Envelope) -> str:
        self.envelopes.append(envelope)
        return "250 OK"

    def only_message(self) -> tuple[Envelope, email.message.EmailMessage]:
        [envelope] = self.envelopes
        assert isinstance(envelope.content, bytes)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, email.message.EmailMessage)
        return envelope, message


@pytest.fixture(scope="module")
def smtp_server() -> Iterator[tuple[int, Inbox]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield port, inbox
    controller.stop()


@pytest.fixture
def smtp(smtp_server: tuple[int, Inbox]) -> tuple[dict[str, str], Inbox]:
    port, inbox = smtp_server
    inbox.envelopes.clear()
    env = {
        "UFLPA_SMTP_HOST": "127.0.0.1",
        "UFLPA_SMTP_PORT": str(port),
        "UFLPA_SMTP_FROM": "alerts@uflpa.example",
    }
    return env, inbox


def test_email_alert_arrives_with_the_party_and_verdict(smtp: tuple[dict[str, str], Inbox]) -> None:
    env, inbox = smtp
    attempt = deliver(Target.parse("mailto:analyst@example.com"), PAYLOAD, "d", env=env)
    assert attempt.ok, attempt.error
    assert attempt.status == 250
    envelope, message = inbox.only_message()
    assert envelope.mail_from == "alerts@uflpa.example"
    assert envelope.rcpt_tos == ["analyst@example.com"]
    assert message["To"] == "analyst@example.com"
    assert message["From"] == "alerts@uflpa.example"
    assert "Xinjiang 新疆 Cotton Co" in message["Subject"]
    assert "hit" in message["Subject"]
    body = message.get_content()
    assert "Xinjiang 新疆 Cotton Co" in body
    assert "hit" in body and "clear" in body
    assert "UFLPA-0042" in body
    assert "http://uflpa.example/parties/S-001" in body


def test_a_party_name_cannot_add_a_header(smtp: tuple[dict[str, str], Inbox]) -> None:
    env, inbox = smtp
    payload = {**PAYLOAD, "party": {"key": "S-9", "name": "Acme\r\nBcc: evil@x.example"}}
    attempt = deliver(Target.parse("analyst@example.com"), payload, "d", env=env)
    assert attempt.ok, attempt.error
    envelope, message = inbox.only_message()
    assert envelope.rcpt_tos == ["analyst@example.com"]
    assert message["Bcc"] is None
    assert "Acme Bcc: evil@x.example" in message["Subject"]
    assert isinstance(envelope.content, bytes)
    lines = envelope.content.decode("utf-8", "replace").splitlines()
    assert not any(line.lower().startswith("bcc:") for line in lines)


def test_send_email_strips_control_characters(smtp: tuple[dict[str, str], Inbox]) -> None:
    env, inbox = smtp
    settings = SmtpSettings.from_env(env)
    assert settings is not None
    attempt = send_email(
        settings, "analyst@example.com", "Hi\r\nBcc: evil@x.example", "one\r\ntwo\x00\x1b[31m\n"
    )
    assert attempt.ok, attempt.error
    envelope, message = inbox.only_message()
    assert envelope.rcpt_tos == ["analyst@example.com"]
    assert message["Bcc"] is None
    assert message["Subject"] == "Hi Bcc: evil@x.example"
    assert message.get_content().replace("\r\n", "\n") == "one\ntwo[31m\n"
    assert isinstance(envelope.content, bytes)
    assert b"\x00" not in envelope.content and b"\x1b" not in envelope.content


def test_email_without_a_server_is_a_failed_attempt() -> None:
    target = Target.parse("analyst@example.com")
    attempt = deliver(target, PAYLOAD, "d", env={})
    assert not attempt.ok
    assert attempt.error == "no SMTP server: set UFLPA_SMTP_HOST"
    port = free_port()
    refused = deliver(
        target, PAYLOAD, "d", env={"UFLPA_SMTP_HOST": "127.0.0.1", "UFLPA_SMTP_PORT": str(port)}
    )
    assert not refused.ok
    assert refused.error == f"connection refused by 127.0.0.1:{port}"
    bad_port = deliver(target, PAYLOAD, "d", env={"UFLPA_SMTP_HOST": "h", "UFLPA_SMTP_PORT": "x"})
    assert not bad_port.ok
    assert "UFLPA_SMTP_PORT" in bad_port.error


def test_smtp_settings_from_env() -> None:
    assert SmtpSettings.from_env({}) is None
    assert SmtpSettings.from_env({"UFLPA_SMTP_HOST": " "}) is None
    assert SmtpSettings.from_env({"UFLPA_SMTP_HOST": "mail.example"}) == SmtpSettings(
        "mail.example"
    )
    settings = SmtpSettings.from_env(
        {
            "UFLPA_SMTP_HOST": "mail.example",
            "UFLPA_SMTP_PORT": "587",
            "UFLPA_SMTP_FROM": "UFLPA alerts <alerts@example.com>",
            "UFLPA_SMTP_USER": "me",
            "UFLPA_SMTP_PASSWORD": "pw",
            "UFLPA_SMTP_STARTTLS": "true",
        }
    )
    assert settings == SmtpSettings(
        "mail.example", 587, "UFLPA alerts <alerts@example.com>", "me", "pw", True
    )
    for name, value in [
        ("UFLPA_SMTP_PORT", "abc"),
        ("UFLPA_SMTP_PORT", "0"),
        ("UFLPA_SMTP_PORT", "70000"),
        ("UFLPA_SMTP_STARTTLS", "maybe"),
        ("UFLPA_SMTP_FROM", "alerts@example.com\r\nBcc: evil@x.example"),
    ]:
        with pytest.raises(UsageError, match=name):
            SmtpSettings.from_env({"UFLPA_SMTP_HOST": "mail.example", name: value})


def test_render_email_copes_with_missing_and_none_values() -> None:
    payload = {**PAYLOAD, "entity": None, "link": None, "previous_verdict": None}
    subject, text = render_email(payload)
    assert subject == "UFLPA alert: Xinjiang 新疆 Cotton Co is now hit"
    assert "Listed entity" not in text
    assert "Open:" not in text
    assert "entity added to the list on 2026-08-14" in text
    assert "S-001" in text

    subject, text = render_email({})
    assert subject == "UFLPA alert: a watched supplier is now unknown"
    assert text.endswith("\n")
    subject, text = render_email({"party": None, "verdict": "review", "entity": "not a mapping"})
    assert "review" in subject
    assert "a person must look" in text


def test_render_email_keeps_each_value_on_its_line() -> None:
    payload = {**PAYLOAD, "cause": "x\nVerdict: clear"}
    _, text = render_email(payload)
    assert "\nVerdict: clear" not in text
    assert "x Verdict: clear" in text


# --- retries ------------------------------------------------------------------------------------


def test_backoff_doubles_up_to_the_cap() -> None:
    assert backoff(1) == 30.0
    assert backoff(2) == 60.0
    assert backoff(3) == 120.0
    assert backoff(10) == 30.0 * 512
    assert backoff(11) == 6 * 3600.0
    assert backoff(10_000) == 6 * 3600.0
    assert backoff(3, base=1.0, cap=3.0) == 3.0
    with pytest.raises(ValueError):
        backoff(0)
