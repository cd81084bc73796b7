"""Drives a running `scripts/cluster` through nginx while parts of it fail, then checks that
nothing was lost or doubled. Standard library only; run by scripts/cluster-faults.

Timeline (seconds from the start of the load; FAULT_SECONDS stretches or shrinks it):
  0    20 members start replying without pause; the SMTP catcher goes away (for SMTP_DOWN s)
  15   node 1 is killed with SIGKILL; 22 it is started again
  35   PostgreSQL restarts (fast shutdown); /healthz of each node is watched meanwhile
  LOAD  the load stops
  then a rolling restart under the same load: node 1, then node 2, SIGTERM, drain, start
  then the SMTP catcher is back (if not yet) and the outbox must drain

Checks: every reply that got its redirect is in the database exactly once, none twice; no
failed reply outside the kill, the database restart and the requests in flight then; no
failed request during the rolling restart; one crisis alert per crisis reply; every mail
delivered once (by Message-ID) after the catcher returns.
"""

from __future__ import annotations

import email
import http.client
import json
import os
import random
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[2]
CLUSTER = [str(ROOT / "scripts" / "cluster")]
URL = os.environ["CLUSTER_URL"]
DATABASE_URL = os.environ["CLUSTER_DATABASE_URL"]
MAILDIR = Path(os.environ["CLUSTER_MAILDIR"])
NODE_PORTS = [int(os.environ["CLUSTER_NODE1_PORT"]), int(os.environ["CLUSTER_NODE2_PORT"])]
MEMBERS = int(os.environ.get("FAULT_MEMBERS", "20"))
LOAD = float(os.environ.get("FAULT_SECONDS", "60"))
SMTP_DOWN = float(os.environ.get("FAULT_SMTP_DOWN_SECONDS", "120"))
PASSWORD = "demo-calm-harbour-2026"
CRISIS = "Ik denk er steeds vaker aan om zelfmoord te plegen."
HOST, PORT = urlsplit(URL).hostname, urlsplit(URL).port
LETTERS = str.maketrans("0123456789", "ghijklmnop")


def log(message: str) -> None:
    print(f"[faults {time.strftime('%H:%M:%S')}] {message}", flush=True)


def cluster(*args: str) -> None:
    subprocess.run(CLUSTER + list(args), check=True, stdout=subprocess.DEVNULL)


def psql(sql: str) -> list[list[str]]:
    out = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1", DATABASE_URL, "-c", sql],
                         check=True, capture_output=True, text=True).stdout
    return [line.split("\t") for line in out.splitlines() if line]


@dataclass
class Attempt:
    kind: str          # "reply", "read"
    token: str | None  # the reply's unique token
    crisis: bool
    started: float
    ended: float
    status: int        # 0: no answer at all
    phase: str
    error: str = ""


@dataclass
class Log:
    attempts: list[Attempt] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    phase: str = "load"

    def add(self, attempt: Attempt) -> None:
        with self.lock:
            self.attempts.append(attempt)


class Member:
    """One member's browser: cookies, the CSRF cookie sent back as the form field."""

    def __init__(self, number: int) -> None:
        self.email = f"demo-{number}@example.org"
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, fields: dict[str, str] | None = None) -> tuple[int, str]:
        connection = http.client.HTTPConnection(HOST, PORT, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if fields is not None:
            fields = {"_csrf": self.cookies.get("dc_csrf", ""), **fields}
            body = urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                cookie = SimpleCookie()
                cookie.load(header)
                for key, morsel in cookie.items():
                    self.cookies[key] = morsel.value
            return response.status, response.headers.get("Location", "")
        finally:
            connection.close()

    def log_in(self) -> None:
        for _ in range(50):
            try:
                self.request("GET", "/login")
                status, location = self.request("POST", "/login", {"email": self.email, "password": PASSWORD})
                if status == 303 and not location.startswith("/login"):
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"{self.email} could not log in")


def worker(member: Member, topics: list[int], record: Log, stop: threading.Event, rng: random.Random) -> None:
    while not stop.is_set():
        topic = rng.choice(topics)
        crisis = rng.random() < 0.05
        # Letters only: a long run of digits would look like a phone number to the privacy check.
        token = "fault-" + uuid.uuid4().hex.translate(LETTERS)
        text = (CRISIS + " " if crisis else "Dank voor het delen, ik herken veel van wat je schrijft. ") + token
        started = time.monotonic()
        phase = record.phase
        error = ""
        try:
            status, _ = member.request("POST", f"/t/{topic}/reply", {"body": text})
        except (OSError, http.client.HTTPException) as problem:
            status, error = 0, repr(problem)
        record.add(Attempt("reply", token, crisis, started, time.monotonic(), status, phase, error))
        started = time.monotonic()
        error = ""
        try:
            status, _ = member.request("GET", f"/t/{topic}")
        except (OSError, http.client.HTTPException) as problem:
            status, error = 0, repr(problem)
        record.add(Attempt("read", None, False, started, time.monotonic(), status, phase, error))


def watch_health(stop: threading.Event, seen: dict[int, set[int]]) -> None:
    """Polls each node's /healthz directly (not through nginx)."""
    while not stop.is_set():
        for port in NODE_PORTS:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                connection.request("GET", "/healthz")
                status = connection.getresponse().status
                connection.close()
            except OSError:
                status = 0
            seen.setdefault(port, set()).add(status)
        time.sleep(0.1)


def maildir_messages() -> list[email.message.Message]:
    messages = []
    for folder in ("new", "cur"):
        for path in sorted((MAILDIR / folder).glob("*")) if (MAILDIR / folder).exists() else []:
            messages.append(email.message_from_bytes(path.read_bytes()))
    return messages


def main() -> int:
    topics = [int(row[0]) for row in psql("SELECT id FROM topics WHERE kind = 'forum' ORDER BY id LIMIT 30")]
    assert topics, "the cluster has no topics: seed it first"
    members = [Member(n) for n in range(1, MEMBERS + 1)]
    for member in members:
        member.log_in()
    log(f"{len(members)} members logged in through nginx at {URL}; {len(topics)} topics")

    record = Log()
    stop = threading.Event()
    threads = [threading.Thread(target=worker, args=(m, topics, record, stop, random.Random(i)), daemon=True)
               for i, m in enumerate(members)]
    health_stop = threading.Event()
    health: dict[int, set[int]] = {}
    start = time.monotonic()
    events: dict[str, float] = {}

    def at(second: float) -> None:
        time.sleep(max(0.0, start + second * LOAD / 60 - time.monotonic()))

    for thread in threads:
        thread.start()
    cluster("smtp", "stop")
    smtp_back_at = time.monotonic() + SMTP_DOWN
    log(f"load started; SMTP catcher down for {SMTP_DOWN:.0f} s")

    at(15)
    events["kill"] = time.monotonic()
    cluster("node", "1", "kill")
    log("node 1 killed (SIGKILL)")
    at(22)
    cluster("node", "1", "start")
    events["killed node back"] = time.monotonic()
    log("node 1 started again")

    at(35)
    health_thread = threading.Thread(target=watch_health, args=(health_stop, health), daemon=True)
    health_thread.start()
    time.sleep(1)
    events["postgres restart"] = time.monotonic()
    cluster("pg", "restart")
    log("PostgreSQL restarted")
    # The nodes reconnect by themselves: both answer /healthz with 200 again.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if all(_health(port) == 200 for port in NODE_PORTS):
            break
        time.sleep(0.1)
    events["postgres back"] = time.monotonic()
    time.sleep(1)
    health_stop.set()

    at(60)
    events["rolling"] = time.monotonic()
    for n in ("1", "2"):
        cluster("node", n, "stop")
        log(f"node {n} stopped (SIGTERM, drained)")
        cluster("node", n, "start")
        log(f"node {n} started")
    events["rolling end"] = time.monotonic()
    time.sleep(2)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    events["end"] = time.monotonic()

    wait = smtp_back_at - time.monotonic()
    if wait > 0:
        log(f"waiting {wait:.0f} s more for the end of the SMTP outage")
        time.sleep(wait)
    cluster("smtp", "start")
    smtp_returned = time.monotonic()
    log("SMTP catcher back")

    # --- The outbox drains ---------------------------------------------------------------
    deadline = time.monotonic() + 240
    while True:
        waiting = int(psql("SELECT COUNT(*) FROM outbox_mails WHERE sent_at IS NULL AND failed_at IS NULL")[0][0])
        if waiting == 0 or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    drained = time.monotonic() - smtp_returned
    time.sleep(1)

    # --- Checks ------------------------------------------------------------------------------
    failures: list[str] = []
    replies = [a for a in record.attempts if a.kind == "reply"]
    succeeded = [a for a in replies if a.status == 303]
    failed = [a for a in record.attempts if a.status != 303 and not (a.kind == "read" and a.status == 200)]
    counts = {row[0]: int(row[1]) for row in psql(
        "SELECT substring(body_markdown from 'fault-[a-p]{32}') AS token, COUNT(*) FROM posts "
        "WHERE body_markdown LIKE '%fault-%' GROUP BY 1")}
    missing = [a.token for a in succeeded if counts.get(a.token, 0) == 0]
    doubled = [token for token, n in counts.items() if n > 1]
    if missing:
        failures.append(f"{len(missing)} replies answered with success are not in the database: {missing[:3]}")
    if doubled:
        failures.append(f"{len(doubled)} replies are in the database more than once: {doubled[:3]}")
    # Each failure is put down to the fault whose time it overlaps: a request in flight when
    # a node died, while PostgreSQL restarted (and the second after, while pools reconnect),
    # or during the rolling restart. Anything else is a failure of the drill.
    def overlaps(a: Attempt, begin: float, end: float) -> bool:
        return a.started <= end and a.ended >= begin

    in_kill = [a for a in failed if overlaps(a, events["kill"] - 0.5, events["kill"] + 1)]
    in_postgres = [a for a in failed if a not in in_kill and overlaps(a, events["postgres restart"], events["postgres back"] + 1)]
    in_rolling = [a for a in failed if a not in in_kill and a not in in_postgres and overlaps(a, events["rolling"], events["rolling end"])]
    unexpected = [a for a in failed if a not in in_kill and a not in in_postgres and a not in in_rolling]
    if unexpected:
        failures.append(f"{len(unexpected)} requests failed outside the faults: "
                        f"{[(a.kind, a.status, round(a.started - start, 1)) for a in unexpected[:5]]}")
    # Only the requests in flight on the killed node can fail: at most one per member.
    kill_replies = [a for a in in_kill if a.kind == "reply"]
    if len(in_kill) > MEMBERS:
        failures.append(f"{len(in_kill)} requests failed around the kill, more than the {MEMBERS} that can be in flight")
    if in_rolling:
        failures.append(f"{len(in_rolling)} requests failed during the rolling restart: "
                        f"{[(a.kind, a.status, a.error, round(a.started - start, 2)) for a in in_rolling[:5]]}")
    for port in NODE_PORTS:
        statuses = health.get(port, set())
        if 503 not in statuses and 0 not in statuses:
            failures.append(f"/healthz on node :{port} never reported the database outage (saw {sorted(statuses)})")

    # Crisis alerts: one per successful crisis reply, none lost, none doubled.
    crisis_tokens = {a.token for a in succeeded if a.crisis}
    alert_rows = psql("SELECT substring(p.body_markdown from 'fault-[a-p]{32}'), COUNT(*) FROM alerts a "
                      "JOIN posts p ON p.id = a.post_id WHERE p.body_markdown LIKE '%fault-%' GROUP BY 1")
    alerts = {row[0]: int(row[1]) for row in alert_rows}
    lost_alerts = [t for t in crisis_tokens if alerts.get(t, 0) == 0]
    double_alerts = [t for t, n in alerts.items() if n > 1]
    if lost_alerts:
        failures.append(f"{len(lost_alerts)} crisis replies have no alert")
    if double_alerts:
        failures.append(f"{len(double_alerts)} crisis replies have more than one alert")

    # Mail: every outbox row sent once; the catcher holds each Message-ID once.
    sent = int(psql("SELECT COUNT(*) FROM outbox_mails WHERE sent_at IS NOT NULL")[0][0])
    unsent = int(psql("SELECT COUNT(*) FROM outbox_mails WHERE sent_at IS NULL")[0][0])
    messages = maildir_messages()
    ids = [m.get("Message-ID", "") for m in messages]
    duplicate_mails = len(ids) - len(set(ids))
    alert_mails = [m for m in messages if m.get("To", "").strip() == "moderators@connect.test"]
    if unsent:
        failures.append(f"{unsent} mails were never delivered")
    if duplicate_mails:
        failures.append(f"{duplicate_mails} mails were delivered twice")
    if len(set(ids)) != sent:
        failures.append(f"the catcher holds {len(set(ids))} distinct mails, the outbox says {sent} were sent")
    if len(crisis_tokens) and not alert_mails:
        failures.append("no crisis alert mail reached the moderators' mailbox")

    figures = {
        "members": MEMBERS,
        "load seconds": round(events["end"] - start, 1),
        "requests served": sum(1 for a in record.attempts if a.status in (200, 303)),
        "replies written": len(succeeded),
        "failed requests around the kill (in flight on the killed node)": len(in_kill),
        "of which replies": len(kill_replies),
        "failed requests during the PostgreSQL restart": len(in_postgres),
        "failed requests during the rolling restart": len(in_rolling),
        "failed requests otherwise": len(unexpected),
        "/healthz statuses seen during the PostgreSQL restart": {str(p): sorted(s) for p, s in health.items()},
        "crisis replies": len(crisis_tokens),
        "crisis alerts (one each)": sum(alerts.get(t, 0) for t in crisis_tokens),
        "mails delivered": len(set(ids)),
        "crisis alert mails to the moderators": len(alert_mails),
        "outbox drained after SMTP returned (s)": round(drained, 1),
        "duplicates found (posts, alerts, mails)": len(doubled) + len(double_alerts) + duplicate_mails,
    }
    print(json.dumps(figures, indent=2, ensure_ascii=False), flush=True)
    for failure in failures:
        log("FAILED: " + failure)
    if not failures:
        log("every check passed")
    return 1 if failures else 0


def _health(port: int) -> int:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        connection.request("GET", "/healthz")
        status = connection.getresponse().status
        connection.close()
        return status
    except OSError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
