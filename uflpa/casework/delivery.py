"""Deliver an alert to where an analyst will see it: a webhook (HMAC-signed POST) or an e-mail.

An alert is worth nothing if it is lost or forged, so this module is careful at both ends. A webhook
body is canonical JSON signed with a shared secret over the timestamp and the body
(`X-Uflpa-Signature: sha256=…`), so a receiver can check, with `verify_signature`, that the alert
came from us, was not altered and is not an old request replayed; redirects are not followed,
since a 3xx would carry a signed alert to a host nobody configured. An e-mail is plain text whose
subject and body have control characters removed, so that a supplier name taken from a user's file
cannot add a `Bcc:` header.

Delivery never raises for network trouble: every try returns an `Attempt` (ok or not, with one line
a person understands), and the caller decides when to try again (`backoff`). Standard library
only; the secret is named by an environment variable, never stored with the target.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import http.client
import json
import re
import smtplib
import socket
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, replace
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from typing import Any

from uflpa import __version__
from uflpa.errors import UsageError

SIGNATURE_HEADER = "X-Uflpa-Signature"
TIMESTAMP_HEADER = "X-Uflpa-Timestamp"
DELIVERY_HEADER = "X-Uflpa-Delivery"
USER_AGENT = f"uflpa/{__version__}"
DEFAULT_SENDER = "uflpa@localhost"
#: A receiver's answer is only evidence that it got the alert; read no more of it than this.
MAX_RESPONSE_BYTES = 64 * 1024

# A dot-atom address (no quoted local parts, no comments): what a person types into a form.
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_ADDRESS = re.compile(rf"{_ATEXT}(?:\.{_ATEXT})*@{_LABEL}(?:\.{_LABEL})*")
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# C0 controls, DEL and C1 controls (NEL among them): none belongs in a header or a target.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_BUT_NEWLINE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"", "0", "false", "no", "off"})


# --- targets ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Target:
    """Where an alert goes: `kind` "webhook" (an http(s) URL) or "email" (an address)."""

    kind: str
    address: str
    #: Name of the environment variable holding the webhook's HMAC secret (webhooks only).
    secret_env: str | None = None

    @classmethod
    def parse(cls, text: str, secret_env: str | None = None) -> Target:
        """A target from what a user typed: "https://…" or "http://…" is a webhook; "mailto:a@b.c"
        or "a@b.c" is an e-mail address. Anything else is a UsageError saying why."""
        if _CONTROL.search(text):
            raise UsageError(
                "alert target contains a control character (line break, tab, …); "
                "give one URL or one e-mail address"
            )
        text = text.strip()
        if not text:
            raise UsageError("alert target is empty: give an https:// URL or an e-mail address")
        if secret_env is not None and not _ENV_NAME.fullmatch(secret_env):
            raise UsageError(
                f"secret variable {secret_env!r} is not an environment variable name "
                "(letters, digits and _, not starting with a digit)"
            )
        scheme, colon, rest = text.partition(":")
        scheme = scheme.lower()
        if colon and scheme in ("http", "https"):
            return cls("webhook", _check_url(text), secret_env)
        if colon and scheme == "mailto":
            address = rest
        elif "@" in text and (not colon or "@" in scheme):
            address = text  # a bare address (which has no scheme before the @)
        elif colon and re.fullmatch(r"[a-z][a-z0-9+.-]*", scheme):
            raise UsageError(
                f"alert target {_shorten(text)!r}: unsupported scheme {scheme!r} "
                "(use an http:// or https:// URL, or an e-mail address)"
            )
        else:
            raise UsageError(
                f"alert target {_shorten(text)!r} is neither an http(s) URL nor an e-mail address"
            )
        if secret_env is not None:
            raise UsageError("a secret variable signs webhooks only; an e-mail target takes none")
        if not is_email_address(address):
            raise UsageError(
                f"alert target {_shorten(text)!r} is not an e-mail address "
                "(expected one plain address like name@example.com)"
            )
        return cls("email", address, None)

    @property
    def label(self) -> str:
        """The target for display: a URL without any user:password part, query or fragment."""
        return _url_label(self.address) if self.kind == "webhook" else self.address


def is_email_address(text: str) -> bool:
    """True for one plain ASCII address like name@example.com (no display name, no comments)."""
    return len(text) <= 254 and _ADDRESS.fullmatch(text) is not None


def _check_url(url: str) -> str:
    if not url.isascii() or " " in url:
        raise UsageError(
            f"webhook URL {_shorten(url)!r} has spaces or non-ASCII characters; percent-encode them"
        )
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
    except ValueError as exc:
        raise UsageError(f"webhook URL {_shorten(url)!r} is malformed: {exc}") from exc
    if not parts.hostname:
        raise UsageError(f"webhook URL {_shorten(url)!r} has no host")
    return url


def _url_label(url: str) -> str:
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return "(malformed URL)"
    host = parts.netloc.rpartition("@")[2]
    return f"{parts.scheme}://{host}{parts.path}"


def _shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- attempts and retries -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Attempt:
    """The outcome of one try at delivering an alert."""

    ok: bool
    #: The HTTP status, or the SMTP reply code when known.
    status: int | None
    #: "" when ok; else one line a person understands.
    error: str
    seconds: float


def backoff(attempts: int, *, base: float = 30.0, cap: float = 6 * 3600.0) -> float:
    """Seconds to wait before attempt number `attempts` + 1, after `attempts` (>= 1) have failed:
    base, 2 x base, 4 x base, … and never more than `cap` (30 s, 1 min, 2 min, … 6 h)."""
    if attempts < 1:
        raise ValueError(
            f"backoff is for after a failed attempt: attempts must be >= 1, not {attempts}"
        )
    return float(min(cap, base * 2.0 ** min(attempts - 1, 64)))


# --- webhooks -----------------------------------------------------------------------------------


def sign(secret: bytes, timestamp: str, body: bytes) -> str:
    """The signature header's value: "sha256=" + hex HMAC-SHA256 of `timestamp` + "." + `body`."""
    message = timestamp.encode("utf-8") + b"." + body
    return "sha256=" + hmac.new(secret, message, hashlib.sha256).hexdigest()


def verify_signature(
    secret: bytes,
    timestamp: str,
    body: bytes,
    header: str,
    *,
    now: float | None = None,
    tolerance: float = 300.0,
) -> bool:
    """What a webhook receiver runs to trust an alert: True when `header` (the X-Uflpa-Signature
    value) is the signature of `timestamp` (X-Uflpa-Timestamp) and the raw request `body` under
    the shared `secret`, and the timestamp is within `tolerance` seconds of `now` (default: the
    clock).

    The comparison takes constant time, so the answer leaks nothing about the expected signature;
    the timestamp check rejects a captured request replayed later. Verify the body exactly as
    received, before parsing the JSON, and keep the delivery ids you have handled
    (X-Uflpa-Delivery) to drop a replay inside the tolerance window or a retried duplicate.
    """
    if not (timestamp.isascii() and timestamp.isdigit()):
        return False
    current = time.time() if now is None else now
    if abs(current - int(timestamp)) > tolerance:
        return False
    expected = sign(secret, timestamp, body).encode("ascii")
    return hmac.compare_digest(expected, header.strip().encode("utf-8", "backslashreplace"))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Refuse every redirect: urllib then raises HTTPError with the 3xx status."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: Any,
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        return None


def _opener() -> urllib.request.OpenerDirector:
    # Only http(s), and no redirects; proxies from the environment as for list downloads.
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
        _NoRedirect(),
    ):
        opener.add_handler(handler)
    return opener


def post_webhook(
    url: str,
    body: bytes,
    secret: bytes | None,
    delivery_id: str,
    *,
    timeout: float = 10.0,
) -> Attempt:
    """POST the JSON `body` to `url`, signed with `secret` when one is given. A 2xx answer is a
    delivery; anything else (a 3xx included: redirects are not followed) is a failed attempt.
    Never raises for network trouble."""
    started = time.monotonic()
    where = _url_label(url)

    def failed(error: str, status: int | None = None) -> Attempt:
        return Attempt(False, status, error, time.monotonic() - started)

    try:
        parts = urllib.parse.urlsplit(url)
        default_port = 443 if parts.scheme.lower() == "https" else 80
        host_port = f"{parts.hostname}:{parts.port or default_port}"
    except ValueError:
        return failed(f"malformed URL: {_shorten(where)}")
    if not url.isascii() or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return failed(f"not an http(s) URL: {_shorten(where)}")
    if _CONTROL.search(delivery_id):
        return failed("delivery id contains a control character")
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        TIMESTAMP_HEADER: timestamp,
        DELIVERY_HEADER: delivery_id,
    }
    if secret is not None:
        headers[SIGNATURE_HEADER] = sign(secret, timestamp, body)
    if "@" in parts.netloc:
        # urllib does not use credentials in the URL: send them as basic authentication.
        userinfo, _, host = parts.netloc.rpartition("@")
        user, _, password = userinfo.partition(":")
        credentials = f"{urllib.parse.unquote(user)}:{urllib.parse.unquote(password)}"
        headers["Authorization"] = "Basic " + base64.b64encode(credentials.encode()).decode()
        url = urllib.parse.urlunsplit(parts._replace(netloc=host))
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with _opener().open(request, timeout=timeout) as response:
            status = int(response.status)
            # The receiver answered 2xx: it has the alert even if its answer is cut short.
            with contextlib.suppress(OSError, http.client.HTTPException):
                response.read(MAX_RESPONSE_BYTES)
            return Attempt(True, status, "", time.monotonic() - started)
    except urllib.error.HTTPError as exc:
        exc.close()  # its body is the receiver's business; the status says what we need
        if 300 <= exc.code < 400:
            location = exc.headers.get("Location") if exc.headers else None
            to = f" to {_url_label(urllib.parse.urljoin(url, location))}" if location else ""
            return failed(
                f"HTTP {exc.code} redirect{to} from {where} not followed (configure the final URL)",
                exc.code,
            )
        reason = f" {exc.reason}" if exc.reason else ""
        return failed(f"HTTP {exc.code}{reason} from {where}", exc.code)
    except urllib.error.URLError as exc:
        return failed(_describe(exc.reason, host_port, timeout))
    except http.client.HTTPException as exc:
        return failed(f"broken response from {where} ({type(exc).__name__})")
    except (OSError, ValueError) as exc:  # a reset mid-body, a timeout while reading
        return failed(_describe(exc, host_port, timeout))


def _describe(reason: object, where: str, timeout: float) -> str:
    """One line for a socket-level failure talking to `where` (host:port)."""
    if isinstance(reason, ConnectionRefusedError):
        return f"connection refused by {where}"
    if isinstance(reason, socket.gaierror):
        return f"host not found: {where.rpartition(':')[0]} ({reason.strerror})"
    if isinstance(reason, TimeoutError | socket.timeout):
        return f"timed out after {timeout:g} s waiting for {where}"
    if isinstance(reason, ssl.SSLCertVerificationError):
        return f"TLS certificate of {where} not accepted: {reason.verify_message}"
    if isinstance(reason, ssl.SSLError):
        return f"TLS failed with {where}: {reason.reason or reason}"
    if isinstance(reason, ConnectionResetError):
        return f"connection reset by {where}"
    if isinstance(reason, OSError):
        return f"{where}: {reason.strerror or reason}"
    return f"{where}: {reason}"


# --- e-mail -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    """The SMTP server alerts are sent through (plain SMTP, optionally upgraded with STARTTLS)."""

    host: str
    port: int = 25
    sender: str = DEFAULT_SENDER
    user: str | None = None
    password: str | None = None
    starttls: bool = False
    timeout: float = 10.0

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> SmtpSettings | None:
        """Settings from UFLPA_SMTP_HOST (None when unset or empty), UFLPA_SMTP_PORT (25),
        UFLPA_SMTP_FROM, UFLPA_SMTP_USER, UFLPA_SMTP_PASSWORD and UFLPA_SMTP_STARTTLS ("1" or
        "true"). A value that cannot be right is a UsageError naming its variable."""
        host = env.get("UFLPA_SMTP_HOST", "").strip()
        if not host:
            return None
        if _CONTROL.search(host) or " " in host:
            raise UsageError("UFLPA_SMTP_HOST must be a host name, without spaces")
        port_text = env.get("UFLPA_SMTP_PORT", "").strip() or "25"
        if not (port_text.isascii() and port_text.isdigit() and 1 <= int(port_text) <= 65535):
            raise UsageError(
                f"UFLPA_SMTP_PORT must be a port number from 1 to 65535, not {port_text!r}"
            )
        sender = env.get("UFLPA_SMTP_FROM", "").strip() or DEFAULT_SENDER
        if _CONTROL.search(sender) or not is_email_address(parseaddr(sender)[1]):
            raise UsageError(
                f"UFLPA_SMTP_FROM must be an e-mail address (like alerts@example.com), "
                f"not {_shorten(sender)!r}"
            )
        starttls_text = env.get("UFLPA_SMTP_STARTTLS", "").strip().lower()
        if starttls_text not in _TRUE | _FALSE:
            raise UsageError(
                f"UFLPA_SMTP_STARTTLS must be 1 or 0 (true or false), not {starttls_text!r}"
            )
        return cls(
            host=host,
            port=int(port_text),
            sender=sender,
            user=env.get("UFLPA_SMTP_USER") or None,
            password=env.get("UFLPA_SMTP_PASSWORD") or None,
            starttls=starttls_text in _TRUE,
        )


def _clean_line(text: str) -> str:
    """One line: control characters (line breaks included) become spaces, runs of spaces one."""
    return " ".join(_CONTROL.sub(" ", text).split())


def _clean_text(text: str) -> str:
    """A body: line breaks normalised to \\n, every other control character removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL_BUT_NEWLINE.sub("", text)


def send_email(smtp: SmtpSettings, to: str, subject: str, text: str) -> Attempt:
    """Send a plain-text e-mail to `to` through `smtp`. The subject is made one line and the text
    loses its control characters (line breaks aside), so no value inside can add a header. Never
    raises for network or SMTP trouble."""
    started = time.monotonic()
    where = f"{smtp.host}:{smtp.port}"

    def failed(error: str, status: int | None = None) -> Attempt:
        return Attempt(False, status, error, time.monotonic() - started)

    if not is_email_address(to):
        return failed(f"not an e-mail address: {_shorten(_clean_line(to))!r}")
    sender_address = parseaddr(smtp.sender)[1]
    message = EmailMessage()
    message["From"] = _clean_line(smtp.sender)
    message["To"] = to
    message["Subject"] = _clean_line(subject)[:200]
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid(domain=sender_address.rpartition("@")[2] or "localhost")
    message.set_content(_clean_text(text))
    client: smtplib.SMTP | None = None
    sent = False
    try:
        client = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
        if smtp.starttls:
            client.ehlo()
            client.starttls(context=ssl.create_default_context())
            client.ehlo()
        if smtp.user:
            client.login(smtp.user, smtp.password or "")
        client.send_message(message, from_addr=sender_address, to_addrs=[to])
        # send_message raises unless the server accepted `to` and answered 250 to the message.
        sent = True
        return Attempt(True, 250, "", time.monotonic() - started)
    except smtplib.SMTPRecipientsRefused as exc:
        code, reply = next(iter(exc.recipients.values()), (None, b""))
        return failed(f"{where} refused the recipient {to}: {code} {_reply(reply)}".strip(), code)
    except smtplib.SMTPNotSupportedError:
        return failed(f"{where} does not offer STARTTLS or login (check UFLPA_SMTP_STARTTLS)")
    except smtplib.SMTPAuthenticationError as exc:
        return failed(
            f"{where} refused the login: {exc.smtp_code} {_reply(exc.smtp_error)}", exc.smtp_code
        )
    except smtplib.SMTPResponseException as exc:
        return failed(f"SMTP {exc.smtp_code} from {where}: {_reply(exc.smtp_error)}", exc.smtp_code)
    except smtplib.SMTPServerDisconnected:
        return failed(f"{where} closed the connection before the message was sent")
    except smtplib.SMTPException as exc:
        return failed(f"SMTP error with {where}: {_clean_line(str(exc))}")
    except (OSError, ValueError) as exc:
        return failed(_describe(exc, where, smtp.timeout))
    finally:
        if client is not None:
            _close(client, polite=sent)


def _close(client: smtplib.SMTP, *, polite: bool) -> None:
    # Say goodbye after a delivery (a server slow to answer QUIT changes nothing: the message is
    # accepted); after a failure just drop the connection rather than wait on it once more.
    if polite:
        try:
            client.quit()
            return
        except (smtplib.SMTPException, OSError):
            pass
    client.close()


def _reply(reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
    return _shorten(_clean_line(text), 200)


_VERDICT_WORDS = {
    "hit": "hit (the UFLPA presumption applies: goods are presumed made with forced labour)",
    "review": "review (a person must look before goods move)",
    "clear": "clear (nothing on the lists matches)",
}


def render_email(payload: Mapping[str, Any]) -> tuple[str, str]:
    """(subject, text) of the e-mail for an alert payload: what changed for which supplier, why,
    and where to look. Missing keys and None values are left out, never an error."""

    def line(value: object) -> str:
        return "" if value is None else _clean_line(str(value))

    def mapping(value: object) -> Mapping[str, Any]:
        return value if isinstance(value, Mapping) else {}

    party = mapping(payload.get("party"))
    entity = mapping(payload.get("entity"))
    name = line(party.get("name")) or line(party.get("key")) or "a watched supplier"
    key = line(party.get("key"))
    country = line(party.get("country"))
    verdict = line(payload.get("verdict")) or "unknown"
    previous = line(payload.get("previous_verdict"))
    change = f"{previous} → {verdict}" if previous else verdict
    subject = f"UFLPA alert: {name} is now {verdict}" + (f" (was {previous})" if previous else "")

    about = ", ".join(p for p in (f"key {key}" if key else "", country) if p)
    rows = [
        ("Supplier", f"{name} ({about})" if about else name),
        ("Watchlist", line(payload.get("watchlist"))),
        ("Verdict", _VERDICT_WORDS.get(verdict, verdict)),
        ("Was", _VERDICT_WORDS.get(previous, previous)),
        (
            "Listed entity",
            " ".join(p for p in (line(entity.get("id")), line(entity.get("name"))) if p),
        ),
        ("Why", line(payload.get("cause"))),
        ("List version", line(payload.get("list_version"))),
        ("Detected", line(payload.get("created_at"))),
        (
            "Alert",
            f"#{line(payload.get('alert_id'))}" if payload.get("alert_id") is not None else "",
        ),
        ("Open", line(payload.get("link"))),
    ]
    width = max(len(label) for label, value in rows if value) + 1
    text = [
        f"The screening verdict of a watched supplier changed: {change}.",
        "",
        *(f"{label + ':':<{width}} {value}" for label, value in rows if value),
        "",
    ]
    if verdict == "hit":
        text.append(
            "Hold shipments from this supplier and review the match; record a decision "
            "(confirmed or false positive) so the alert is closed with a reason."
        )
    elif verdict == "review":
        text.append("Review the match and record a decision so the alert is closed with a reason.")
    else:
        text.append("Check the change and record a decision so the alert is closed with a reason.")
    text += ["", "-- ", "Sent by uflpa, the UFLPA forced-labour screening tool."]
    return subject, "\n".join(text) + "\n"


# --- one entry point ----------------------------------------------------------------------------


def canonical_json(payload: Mapping[str, Any]) -> bytes:
    """The webhook body: keys sorted, no spaces, UTF-8 (not \\u escapes), no NaN."""
    text = json.dumps(
        payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    )
    return text.encode("utf-8")


def deliver(
    target: Target,
    payload: Mapping[str, Any],
    delivery_id: str,
    *,
    env: Mapping[str, str],
    timeout: float = 10.0,
) -> Attempt:
    """One try at delivering the alert `payload` to `target`. A webhook gets the canonical JSON,
    signed with the secret in env[target.secret_env] when the target names one (nothing is sent
    when that variable is unset); an e-mail goes through the SMTP server of `env` (UFLPA_SMTP_*).
    Configuration trouble is a failed Attempt saying what to set, not an exception; a payload that
    is not JSON (a datetime, NaN) is a programming error and raises TypeError or ValueError."""
    if target.kind == "webhook":
        secret: bytes | None = None
        if target.secret_env:
            value = env.get(target.secret_env)
            if not value:
                state = "is not set" if value is None else "is empty"
                error = f"no secret: environment variable {target.secret_env} {state}"
                return Attempt(False, None, error, 0.0)
            secret = value.encode("utf-8")
        return post_webhook(
            target.address, canonical_json(payload), secret, delivery_id, timeout=timeout
        )
    if target.kind == "email":
        try:
            smtp = SmtpSettings.from_env(env)
        except UsageError as exc:
            return Attempt(False, None, str(exc), 0.0)
        if smtp is None:
            return Attempt(False, None, "no SMTP server: set UFLPA_SMTP_HOST", 0.0)
        subject, text = render_email(payload)
        return send_email(replace(smtp, timeout=timeout), target.address, subject, text)
    return Attempt(False, None, f"unknown alert target kind {target.kind!r}", 0.0)
