"""A bounded load test on PostgreSQL, then the invariants of every order.

It builds its own database ``gongdan_load`` on 127.0.0.1, serves the app
with gunicorn on 127.0.0.1:8051, and lets USERS virtual people take orders
through intake, dispatch, acceptance, contact, site visit, reply,
judgement and follow-up through the API for SECONDS seconds. Then it checks
that every order's columns equal what its events imply, that no event is
lost or doubled, and that no order is in two units' hands.

    .venv/bin/python -m bench.load [USERS] [SECONDS]

It sends nothing anywhere but 127.0.0.1 and stops by itself.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

BASE = "http://127.0.0.1:8051"
DATABASE = "postgresql://postgres@127.0.0.1:5432/gongdan_load"
REPLY = {
    "investigation": "到现场核查，确认支管接口渗漏。",
    "result": "已更换接口并恢复路面，漏水已停止。",
    "acceptance": "已电话告知来电人，来电人表示满意。",
}


def env() -> dict[str, str]:
    var = Path("var/load").resolve()
    var.mkdir(parents=True, exist_ok=True)
    return {
        **os.environ,
        "DATABASE_URL": DATABASE,
        "GONGDAN_VAR_DIR": str(var),
        "GONGDAN_LOG_LEVEL": "WARNING",
        "GONGDAN_LOGIN_FAILURES": "1000",
    }


def gongdan(*args: str) -> str:
    run = subprocess.run(
        [sys.executable, "-m", "gongdan.cli", *args],
        env=env(),
        capture_output=True,
        text=True,
        check=True,
    )
    return run.stdout.strip()


def prepare() -> dict[str, str]:
    """A fresh database with the demo organisation and accounts, no orders."""
    subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-qc",
            "DROP DATABASE IF EXISTS gongdan_load",
        ],
        check=True,
    )
    subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-qc",
            "CREATE DATABASE gongdan_load",
        ],
        check=True,
    )
    gongdan("migrate", "-v0")
    gongdan(
        "shell",
        "-c",
        "from gongdan.orders.demo import load_org, load_categories, seed_limits, "
        "ensure_users; from gongdan.workdays.queries import seed_from_package; "
        "load_org(); load_categories(); seed_limits(); ensure_users(); "
        "seed_from_package()",
    )
    names = ("agent1", "agent2", "ops1", "east.designee", "east.staff")
    return {name: gongdan("token", name) for name in names}


class Client:
    def __init__(self, tokens: dict[str, str]) -> None:
        self.tokens = tokens
        self.timings: list[float] = []
        self.errors: list[str] = []
        self.refusals = 0
        self.lock = threading.Lock()

    def post(self, who: str, path: str, body: dict | None = None) -> dict | None:
        request = urllib.request.Request(
            BASE + path,
            data=json.dumps(body or {}).encode(),
            headers={
                "Authorization": f"Token {self.tokens[who]}",
                "Content-Type": "application/json",
            },
            method="POST",
        )
        began = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=60) as answer:
                data = json.loads(answer.read())
            status = 200
        except urllib.error.HTTPError as error:
            data, status = None, error.code
        except OSError as error:
            data, status = None, 0
            with self.lock:
                self.errors.append(f"{path}: {error}")
        with self.lock:
            self.timings.append(time.perf_counter() - began)
            if status >= 500:
                self.errors.append(f"{path}: {status}")
            elif status in (400, 403, 409):
                self.refusals += 1
        return data


def person(client: Client, deadline: float, seed: int) -> None:
    """One virtual person taking orders through their whole way."""
    rng = random.Random(seed)
    while time.monotonic() < deadline:
        phone = f"139{rng.randrange(10**8):08d}"
        order = client.post(
            "agent1",
            "/api/orders/",
            {
                "source": "water_hotline",
                "kind": "report",
                "category": "漏水",
                "content": "门口人行道有自来水往外冒。",
                "address": "东城区东门大街33号",
                "district": "东城区",
                "caller_name": "江女士",
                "caller_phone": phone,
                "received_at": time.strftime("%Y-%m-%dT%H:%M:%S+08:00"),
            },
        )
        if not order:
            continue
        url = f"/api/orders/{order['id']}"
        steps = [
            ("agent1", "dispatch", {"unit": "EAST"}),
            ("east.designee", "accept", {}),
            (
                "east.staff",
                "record-contact",
                {"method": "phone", "outcome": "已联系来电人"},
            ),
            ("east.staff", "record-site-visit", {"findings": "到现场确认漏点位置。"}),
            ("east.designee", "submit-reply", {"kind": "resolved", "elements": REPLY}),
            ("ops1", "judge-reply", {"valid": True}),
            (
                "agent2",
                "follow-up",
                {
                    "reached": True,
                    "contacted": True,
                    "consistent": True,
                    "feedback": True,
                    "false_report": False,
                    "process": "satisfied",
                    "result": "satisfied",
                },
            ),
        ]
        for who, action, body in steps:
            if time.monotonic() >= deadline:
                return
            if client.post(who, f"{url}/{action}/", body) is None:
                break
            if rng.random() < 0.05:
                # Now and then two people press the same button at once.
                client.post(who, f"{url}/{action}/", body)


INVARIANTS = """
from collections import Counter
from gongdan.orders.models import Event, Order
problems = []
for order in Order.objects.all():
    events = list(order.events.order_by("seq"))
    seqs = [e.seq for e in events]
    if seqs != list(range(1, len(seqs) + 1)):
        problems.append(f"{order.pk}: seq {seqs}")
    actions = Counter(e.action for e in events)
    for once in ("register", "dispatch", "accept", "submit_reply", "judge_reply"):
        if actions[once] > 1:
            problems.append(f"{order.pk}: {once} x{actions[once]}")
    last = events[-1].action if events else None
    implied = {"register": "registered", "dispatch": "dispatched", "accept": "handling",
               "record_contact": "handling", "record_site_visit": "handling",
               "submit_reply": "submitted", "follow_up": "closed"}
    if last == "judge_reply":
        implied_state = "follow_up" if events[-1].data.get("valid") else "handling"
    else:
        implied_state = implied.get(last)
    if implied_state and order.state != implied_state:
        problems.append(f"{order.pk}: state {order.state} but last event {last}")
    dispatched = [e for e in events if e.action in ("dispatch", "transfer")]
    if dispatched and order.unit.code != dispatched[-1].data["to"]:
        problems.append(f"{order.pk}: unit {order.unit.code} but sent to "
                        f"{dispatched[-1].data['to']}")
print(len(problems), Order.objects.count(), Event.objects.count())
for line in problems[:20]:
    print(line)
"""


def main() -> None:
    users = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    seconds = int(sys.argv[2]) if len(sys.argv) > 2 else 120
    tokens = prepare()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "gongdan.wsgi:application",
            "--bind",
            "127.0.0.1:8051",
            "--workers",
            "4",
            "--threads",
            "4",
            "--no-control-socket",
            "--timeout",
            "120",
        ],
        env=env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(4)
        client = Client(tokens)
        deadline = time.monotonic() + seconds
        began = time.monotonic()
        people = [
            threading.Thread(target=person, args=(client, deadline, n))
            for n in range(users)
        ]
        for p in people:
            p.start()
        for p in people:
            p.join()
        elapsed = time.monotonic() - began
    finally:
        server.terminate()
        server.wait(timeout=30)

    timings = sorted(client.timings)
    print(f"load: {users} people for {seconds} s against gunicorn on PostgreSQL")
    print(f"  requests: {len(timings)}, {len(timings) / elapsed:.1f}/s")
    print(
        f"  p50 {statistics.median(timings) * 1000:.0f} ms, "
        f"p99 {timings[int(len(timings) * 0.99)] * 1000:.0f} ms"
    )
    print(f"  refusals (4xx, expected for repeated presses): {client.refusals}")
    print(f"  errors (5xx or no answer): {len(client.errors)}")
    for line in client.errors[:10]:
        print("   ", line)
    print(
        "invariants: problems, orders, events =",
        gongdan("shell", "--no-imports", "-c", INVARIANTS),
    )


if __name__ == "__main__":
    main()
