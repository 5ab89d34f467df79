"""The quarterly assessment at a large city's volume, on PostgreSQL.

It builds its own database ``gongdan_bench`` on 127.0.0.1 (dropped first
if it exists) with the demo organisation and one year (2025) of orders
from ``bench.city``, checks a sample of orders' facts against
``reports.facts.derive_facts``, then times the assessment, its page and
one drill-down against hand-written SQL of the same figures.

    .venv/bin/python -m bench.report [--orders N] [--repeat N] [--reuse]

``--reuse`` skips the build and measures the database already there, so
the measurements can be run again after the pages change. It sends
nothing anywhere but 127.0.0.1 and stops by itself; EXPLAIN output and
the figures go to var/bench-report/.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import psycopg

from bench.city import City

if TYPE_CHECKING:
    from gongdan.reports.queries import Assessment

DATABASE = "gongdan_bench"
DSN = f"postgresql://postgres@127.0.0.1:5432/{DATABASE}"
ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"
VAR = Path("var/bench-report").resolve()
QUARTER = "2025Q3"
CHUNK = 10_000


def setup_django() -> None:
    VAR.mkdir(parents=True, exist_ok=True)
    os.environ["DATABASE_URL"] = DSN
    os.environ["GONGDAN_VAR_DIR"] = str(VAR)
    os.environ.setdefault("GONGDAN_LOG_LEVEL", "WARNING")
    os.environ["DJANGO_SETTINGS_MODULE"] = "gongdan.settings"
    import django

    django.setup()


def say(message: str) -> None:
    print(message, flush=True)


# --- the build -------------------------------------------------------------


def create_database() -> None:
    with psycopg.connect(ADMIN_DSN, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
        connection.execute(f"CREATE DATABASE {DATABASE}")


def load_organisation() -> None:
    from django.core.management import call_command

    from gongdan.orders.demo import (
        ensure_users,
        load_categories,
        load_org,
        seed_limits,
    )
    from gongdan.workdays.queries import seed_from_package

    call_command("migrate", verbosity=0)
    load_org()
    load_categories()
    seed_limits()
    ensure_users()
    seed_from_package()


def city_of_database() -> City:
    from django.contrib.auth import get_user_model

    from bench.city import DISTRICT_MIX
    from gongdan.orders.models import Category
    from gongdan.org.models import Membership, Unit, UnitKind

    units = list(Unit.objects.filter(kind=UnitKind.UNIT).order_by("code"))
    owners = {}
    for category in Category.objects.all():
        for district, _ in DISTRICT_MIX:
            covering = [u for u in units if u.covers(category.name, district)]
            if covering:
                owners[(category.name, district)] = covering[0].code
    users = {}
    for member in Membership.objects.select_related("user"):
        users[member.user.get_username()] = (member.user_id, member.unit_id)
    assert get_user_model().objects.filter(username="ops1").exists()
    return City(
        units={u.code: u.pk for u in units},
        owners=owners,
        categories={
            c.name: (c.pk, c.default_urgency, c.parent) for c in Category.objects.all()
        },
        users=users,
    )


def schema_extras(connection: psycopg.Connection) -> list[tuple[str, str, str]]:
    """The unique and foreign-key constraints and the plain indexes of the
    tables the build fills: (table, name, how to create it again)."""
    from bench.city import TABLES

    extras = []
    for table in TABLES:
        for name, definition in connection.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid = %s::regclass AND contype IN ('u', 'f')"
            " ORDER BY contype DESC, conname",
            (table,),
        ):
            extras.append(
                (table, name, f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
            )
        for name, definition in connection.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)"
            " FROM pg_index i WHERE i.indrelid = %s::regclass"
            " AND NOT i.indisprimary AND NOT EXISTS"
            " (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)"
            " ORDER BY 1",
            (table,),
        ):
            extras.append((table, name, definition))
    return extras


def detach(connection: psycopg.Connection) -> list[tuple[str, str, str]]:
    """Drop the extras before COPY; the caller creates them again after."""
    extras = schema_extras(connection)
    for table, name, definition in extras:
        if definition.startswith("ALTER TABLE"):
            connection.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
    for _table, name, definition in extras:
        if not definition.startswith("ALTER TABLE"):
            connection.execute(f"DROP INDEX {name}")
    connection.commit()
    return extras


def attach(connection: psycopg.Connection, extras: list[tuple[str, str, str]]) -> None:
    """Indexes and unique constraints first, then the foreign keys, which
    check every row they cover."""
    connection.execute("SET maintenance_work_mem = '1GB'")
    first = [e for e in extras if "FOREIGN KEY" not in e[2]]
    for _table, _name, definition in first + [e for e in extras if e not in first]:
        connection.execute(definition)
        connection.commit()


def build(orders: int, workers: int) -> dict[str, float]:
    from bench.city import YEAR, Chunk, write_chunk
    from gongdan.rules.workdays import TZ

    seconds: dict[str, float] = {}
    began = time.perf_counter()
    create_database()
    load_organisation()
    city = city_of_database()
    with psycopg.connect(DSN) as connection:
        extras = detach(connection)
    seconds["schema and organisation"] = time.perf_counter() - began

    start = datetime(YEAR, 1, 1, tzinfo=TZ)
    span = datetime(YEAR + 1, 1, 1, tzinfo=TZ) - start
    count = (orders + CHUNK - 1) // CHUNK
    chunks = [
        Chunk(
            DSN,
            city,
            first=1 + n * CHUNK,
            count=min(CHUNK, orders - n * CHUNK),
            start=start + span * n / count,
            end=start + span * (n + 1) / count,
            seed=YEAR * 1000 + n,
        )
        for n in range(count)
    ]
    step = time.perf_counter()
    totals: dict[str, int] = defaultdict(int)
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        done = 0
        for future in as_completed([pool.submit(write_chunk, c) for c in chunks]):
            for table, n in future.result()["counts"].items():
                totals[table] += n
            done += 1
            if done % 10 == 0 or done == count:
                say(f"  {done}/{count} chunks, {time.perf_counter() - step:.0f} s")
    seconds["generate and COPY"] = time.perf_counter() - step
    say("  rows: " + ", ".join(f"{t} {n:,}" for t, n in totals.items()))

    step = time.perf_counter()
    with psycopg.connect(DSN) as connection:
        attach(connection, extras)
        if schema_extras(connection) != extras:
            raise SystemExit("the indexes and constraints did not come back alike")
        for table in totals:
            connection.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'),"
                f" (SELECT coalesce(max(id), 1) FROM {table}))",
                (table,),
            )
        connection.commit()
    seconds["indexes and constraints"] = time.perf_counter() - step

    step = time.perf_counter()
    with psycopg.connect(DSN, autocommit=True) as connection:
        connection.execute("VACUUM (ANALYZE)")
    seconds["VACUUM (ANALYZE)"] = time.perf_counter() - step
    seconds["total"] = time.perf_counter() - began
    return seconds


# --- the facts against derive_facts ----------------------------------------

# Orders of each path the check samples, found in the tables themselves.
PATHS = {
    "transfer": "SELECT DISTINCT order_id FROM orders_event WHERE action = 'transfer'",
    "extension": "SELECT order_id FROM orders_request WHERE kind = 'extension'",
    "return": "SELECT order_id FROM orders_request WHERE kind = 'return' AND NOT late",
    "return late": "SELECT order_id FROM orders_request WHERE kind = 'return' AND late",
    "plan": "SELECT order_id FROM orders_request"
    " WHERE kind = 'plan' AND ops_approved_at IS NULL",
    "plan over 3 months": "SELECT order_id FROM orders_request"
    " WHERE kind = 'plan' AND ops_approved_at IS NOT NULL",
    "unresolvable": "SELECT order_id FROM orders_request WHERE kind = 'unresolvable'",
    "statement": "SELECT order_id FROM orders_request WHERE kind = 'statement'",
    "cannot satisfy ruled": "SELECT order_id FROM orders_reply"
    " WHERE kind = 'cannot_satisfy'",
    "reply judged invalid": "SELECT order_id FROM orders_reply"
    " WHERE verdict = 'invalid'",
    "open, no reply": "SELECT id FROM orders_order"
    " WHERE state IN ('dispatched', 'handling')",
    "open, reply pending": "SELECT id FROM orders_order WHERE state = 'submitted'",
    "late valid reply": "SELECT id FROM orders_order"
    " WHERE valid_reply_at > due_at AND NOT caller_delay_accepted",
    "caller delay": "SELECT id FROM orders_order WHERE caller_delay_accepted",
    "late dispatch": "SELECT id FROM orders_order"
    " WHERE dispatched_at - received_at > interval '30 minutes'",
    "redo": "SELECT id FROM orders_order WHERE redo_count > 0",
    "unreachable": "SELECT order_id FROM followups_followup WHERE NOT reached"
    " GROUP BY order_id HAVING count(*) >= 3",
    "awaiting follow-up": "SELECT id FROM orders_order WHERE state = 'follow_up'",
    "commitment kept": "SELECT order_id FROM orders_commitment WHERE state = 'kept'",
    "commitment kept late": "SELECT order_id FROM orders_commitment"
    " WHERE state = 'kept_late'",
    "commitment claimed": "SELECT order_id FROM orders_commitment"
    " WHERE state = 'claimed'",
    "commitment open": "SELECT order_id FROM orders_commitment WHERE state = 'open'",
    "notice": "SELECT order_id FROM followups_notice",
    "any": "SELECT id FROM orders_order",
}


def check_facts(per_path: int = 20, anywhere: int = 60) -> dict[str, Any]:
    """Compare the stored facts of sampled orders with ``derive_facts``."""
    from gongdan.orders.models import Order
    from gongdan.reports.facts import derived_rows, stored_rows, unit_codes

    codes = unit_codes()
    sampled: dict[int, str] = {}
    found: dict[str, int] = {}
    with psycopg.connect(DSN) as connection:
        connection.execute("SELECT setseed(0.2025)")
        for path, query in PATHS.items():
            limit = anywhere if path == "any" else per_path
            rows = connection.execute(
                f"SELECT * FROM ({query}) q ORDER BY random() LIMIT {limit}"
            ).fetchall()
            found[path] = len(rows)
            for (pk,) in rows:
                sampled.setdefault(pk, path)

    mismatches = []
    facts = 0
    for pk, path in sorted(sampled.items()):
        order = Order.objects.get(pk=pk)
        derived = derived_rows(order, codes)
        stored = stored_rows(order)
        facts += len(stored)
        if derived != stored:
            mismatches.append((pk, path, derived, stored))
    return {
        "orders": len(sampled),
        "facts": facts,
        "paths": found,
        "mismatches": mismatches,
    }


# --- the measurements ------------------------------------------------------


def timed(operation: Callable[[], object], repeat: int) -> list[float]:
    operation()  # warm-up
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        operation()
        times.append((time.perf_counter() - began) * 1000)
    return times


FLOOR = """
SELECT unit_id, kind, count(*), sum(value),
       count(*) FILTER (WHERE kind = 'dispatch' AND value > %(limit)s)
  FROM reports_fact
 WHERE at >= %(start)s AND at < %(end)s
   AND (kind <> ALL(%(timed)s) OR at < %(passed)s)
 GROUP BY unit_id, kind
"""
# What the page adds to the figures: the months of the trend, counted in
# the same pass, and the breakdowns by category and district.
PAGE_GROUPS = """
SELECT category, district, kind, count(*)
  FROM reports_fact
 WHERE kind IN ('received', 'overdue')
   AND at >= %(start)s AND at < %(end)s
   AND (kind <> 'overdue' OR at < %(passed)s)
 GROUP BY category, district, kind
"""


def page_floor_sql(months: list[tuple[str, Any, Any]]) -> str:
    """The floor with one count per month of the period, as the page asks."""
    extra = "".join(
        f",\n       count(*) FILTER (WHERE at >= %(m{i}s)s AND at < %(m{i}e)s)"
        for i in range(len(months))
    )
    return FLOOR.replace("sum(value),", f"sum(value){extra},", 1)


DRILL_PAGE = """
SELECT f.id, f.at, f.note, o.id, o.external_no, o.source, o.state, c.name, u.name
  FROM reports_fact f
  JOIN orders_order o ON o.id = f.order_id
  LEFT JOIN orders_category c ON c.id = o.category_id
  JOIN org_unit u ON u.id = f.unit_id
 WHERE f.unit_id = %(unit)s AND f.kind = 'overdue'
   AND f.at >= %(start)s AND f.at < %(end)s AND f.at < %(passed)s
 ORDER BY f.at, f.id
 LIMIT 100
"""
DRILL_COUNT = """
SELECT count(*) FROM reports_fact
 WHERE unit_id = %(unit)s AND kind = 'overdue'
   AND at >= %(start)s AND at < %(end)s AND at < %(passed)s
"""
# Two figures straight from the base tables, to show what the facts buy:
# orders received by each unit (dispatch events) and the follow-ups that
# reached the caller, with their satisfaction inputs.
BASE_RECEIVED = """
SELECT u.id, count(*)
  FROM orders_event e
  JOIN orders_order o ON o.id = e.order_id
  JOIN org_unit u ON u.code = e.data ->> 'to'
 WHERE e.action = 'dispatch' AND e.at >= %(start)s AND e.at < %(end)s
   AND o.duplicate_of_id IS NULL
 GROUP BY u.id
"""
BASE_FOLLOWED = """
SELECT unit_id, count(*),
       count(*) FILTER (WHERE feedback),
       count(*) FILTER (WHERE process IN ('satisfied', 'basically_satisfied')),
       count(*) FILTER (WHERE result IN ('satisfied', 'basically_satisfied'))
  FROM followups_followup
 WHERE reached AND at >= %(start)s AND at < %(end)s
 GROUP BY unit_id
"""


def floor_figures(
    connection: psycopg.Connection, params: dict[str, Any], sql: str = FLOOR
) -> dict[int, dict[str, Any]]:
    """The hand-written query, and the rates from its counts; with
    ``page_floor_sql``, the months' counts come in the same pass."""
    from gongdan.rules.satisfaction import rates_of_counts

    units: dict[int, dict[str, Any]] = defaultdict(
        lambda: {"kinds": defaultdict(int), "late": 0, "seconds": 0}
    )
    for unit, kind, n, total, late, *months in connection.execute(sql, params):
        units[unit]["kinds"][kind] = n
        units[unit].setdefault("months", {})[kind] = months
        if kind == "dispatch":
            units[unit]["late"], units[unit]["seconds"] = late, int(total or 0)
    for figures in units.values():
        k = figures["kinds"]
        figures["rates"] = rates_of_counts(
            k["followed_up"],
            k["feedback"],
            k["process_satisfied"] + k["process_basic"],
            k["result_satisfied"] + k["result_basic"],
        )
    return units


def compare_with_assess(
    result: Assessment, floor: dict[int, dict[str, Any]]
) -> list[str]:
    """Every count, dispatch total and rate of every unit, both ways."""
    from gongdan.reports.queries import FIGURES, INPUTS

    problems = []
    for unit in result.units:
        row = floor.get(unit.pk, {"kinds": {}, "late": 0, "seconds": 0})
        kinds = row["kinds"]
        for figure in (*FIGURES, *INPUTS):
            expected = (
                row["late"]
                if figure.key == "dispatch_late"
                else kinds.get(figure.kind, 0)
            )
            if unit.counts[figure.key] != expected:
                problems.append(
                    f"{unit.code} {figure.key}: {unit.counts[figure.key]} != {expected}"
                )
        if unit.dispatch_seconds != row["seconds"]:
            problems.append(f"{unit.code} dispatch seconds differ")
        if kinds.get("followed_up") and unit.rates != row["rates"]:
            problems.append(f"{unit.code} rates differ")
    return problems


def explain(sql: str, params: dict[str, Any] | None = None) -> str:
    with psycopg.connect(DSN) as connection:
        rows = connection.execute(
            "EXPLAIN (ANALYZE, BUFFERS) " + sql, params or {}
        ).fetchall()
    return "\n".join(row[0] for row in rows)


def captured(operation: Callable[[], object]) -> list[dict[str, str]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        operation()
    return list(context.captured_queries)


def plan_summary(plan: str) -> str:
    lines = plan.splitlines()
    timing = next((x for x in lines if x.startswith("Execution Time")), "")
    return f"{lines[0].strip()[:90]} … {timing}"


def measure(repeat: int) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.utils import timezone

    from gongdan.org.models import Unit
    from gongdan.reports.facts import INSTANT, TIMED_KINDS
    from gongdan.reports.queries import (
        assess,
        dispatch_limit_seconds,
        figure_facts,
        month_bounds,
        quarter_period,
    )

    period = quarter_period(QUARTER)
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(get_user_model().objects.get(username="ops1"))
    connection = psycopg.connect(DSN, autocommit=True)

    def params(**more: Any) -> dict[str, Any]:
        now = more.pop("now", None) or timezone.now()
        return {
            "start": period.start,
            "end": period.end,
            "now": now,
            # A deadline's fact is kept at the instant before it; it has
            # passed when that is earlier than an instant before now.
            "passed": now - INSTANT,
            "timed": list(TIMED_KINDS),
            "limit": dispatch_limit_seconds(),
            **more,
        }

    # The floor's numbers are the assessment's numbers.
    now = timezone.now()
    result = assess(period, now)
    floor = floor_figures(connection, params(now=now))
    problems = compare_with_assess(result, floor)
    if problems:
        raise SystemExit("the floor and assess() disagree:\n" + "\n".join(problems))

    # The drill-down of the unit with the most overdue orders in the quarter.
    unit_id, overdue = connection.execute(
        "SELECT unit_id, count(*) FROM reports_fact WHERE kind = 'overdue'"
        " AND at >= %(start)s AND at < %(end)s AND at < %(passed)s"
        " GROUP BY unit_id ORDER BY 2 DESC LIMIT 1",
        params(),
    ).fetchone()
    code = next(u.code for u in result.units if u.pk == unit_id)
    report_url = f"/report/?quarter={QUARTER}"
    drill_url = f"/report/orders/?quarter={QUARTER}&unit={code}&figure=overdue"

    def page(url: str, must: str) -> Callable[[], None]:
        def get() -> None:
            response = client.get(url)
            if response.status_code != 200 or must not in response.content.decode():
                raise SystemExit(f"{url}: {response.status_code}, {must!r} missing")

        return get

    def drill_floor() -> None:
        rows = connection.execute(DRILL_PAGE, params(unit=unit_id)).fetchall()
        (count,) = connection.execute(DRILL_COUNT, params(unit=unit_id)).fetchone()
        if count != overdue or len(rows) != min(100, overdue):
            raise SystemExit("the drill-down floor found other rows")

    unit = next(u for u in Unit.objects.filter(pk=unit_id))

    def drill_query() -> None:
        # What a page of 100 would ask: the first rows and the count.
        facts = figure_facts("overdue", period, unit)
        if len(list(facts[:100])) != min(100, overdue) or facts.count() != overdue:
            raise SystemExit("figure_facts found other rows")

    months = month_bounds(period)
    page_sql = page_floor_sql(months)
    month_params = {}
    for i, (_, start, end) in enumerate(months):
        month_params[f"m{i}s"], month_params[f"m{i}e"] = start, end

    def figures_floor() -> None:
        floor_figures(connection, params(**month_params), page_sql)

    def page_floor() -> None:
        figures_floor()
        connection.execute(PAGE_GROUPS, params()).fetchall()

    received = str(result.total.counts["received"])
    operations = [
        ("(a) assess(quarter_period('2025Q3'))", lambda: assess(period), "c"),
        (f"(b) GET {report_url}", page(report_url, received), "e"),
        (
            "(c) floor: hand-written SQL of the figures and months, rates",
            figures_floor,
            "c",
        ),
        (
            "(e) floor of the page: figures with months, and breakdowns, SQL",
            page_floor,
            "e",
        ),
        (f"(d) GET {drill_url}", page(drill_url, f"（{overdue}）"), "d"),
        ("(d) floor: first 100 rows + count, SQL", drill_floor, "d"),
        ("(d) figure_facts(...)[:100] + .count(), ORM", drill_query, "d"),
    ]
    base = [
        ("base tables: received by unit", BASE_RECEIVED, "received"),
        ("base tables: follow-ups and inputs", BASE_FOLLOWED, "followed_up"),
    ]
    load = [os.getloadavg()[0]]
    timings = {name: timed(fn, repeat) for name, fn, _ in operations}
    for name, sql, _ in base:
        timings[name] = timed(lambda s=sql: connection.execute(s, params()), repeat)

    load.append(os.getloadavg()[0])

    # What the facts table saves: the same numbers from the base tables.
    got = dict(connection.execute(BASE_RECEIVED, params()).fetchall())
    for unit in result.units:
        if got.get(unit.pk, 0) != unit.counts["received"]:
            raise SystemExit(f"received of {unit.code} differs from the base tables")
    for unit_pk, n, fed, process, outcome in connection.execute(
        BASE_FOLLOWED, params()
    ):
        row = result.row(next(u.code for u in result.units if u.pk == unit_pk))
        c = row.counts  # type: ignore[union-attr]
        if (n, fed) != (c["followed_up"], c["feedback"]) or (process, outcome) != (
            c["process_satisfied"] + c["process_basic"],
            c["result_satisfied"] + c["result_basic"],
        ):
            raise SystemExit("follow-up figures differ from the base tables")

    # Plans: the ORM's own SQL as it ran, and the floors.
    plans = []
    for label, fn in (
        ("assess()", lambda: assess(period)),
        ("report page", page(report_url, received)),
        ("drill-down page", page(drill_url, f"（{overdue}）")),
    ):
        for query in captured(fn):
            if "reports_fact" in query["sql"]:
                plans.append((f"{label}: {query['sql'][:200]}", explain(query["sql"])))
    plans.append(("floor", explain(FLOOR, params())))
    plans.append(("page floor, months", explain(page_sql, params(**month_params))))
    plans.append(("page floor, breakdowns", explain(PAGE_GROUPS, params())))
    plans.append(("drill-down floor, page", explain(DRILL_PAGE, params(unit=unit_id))))
    plans.append(
        ("drill-down floor, count", explain(DRILL_COUNT, params(unit=unit_id)))
    )
    connection.close()

    table = []
    floors = {"c": operations[2][0], "e": operations[3][0], "d": operations[5][0]}
    for name, _fn, group in operations:
        floor_ms = statistics.median(timings[floors[group]])
        row = (name, timings[name], statistics.median(timings[name]) / floor_ms)
        table.append(row)
    for name, _sql, _ in base:
        floor_ms = statistics.median(timings[floors["c"]])
        table.append((name, timings[name], statistics.median(timings[name]) / floor_ms))
    return {
        "table": table,
        "plans": plans,
        "unit": code,
        "overdue": overdue,
        "load": load,
        "facts_in_quarter": sum(n for u in floor.values() for n in u["kinds"].values()),
    }


def server_settings() -> dict[str, str]:
    names = (
        "server_version",
        "shared_buffers",
        "work_mem",
        "effective_cache_size",
        "max_parallel_workers_per_gather",
        "jit",
    )
    with psycopg.connect(DSN) as connection:
        return {
            n: connection.execute(f"SHOW {n}").fetchone()[0]  # type: ignore[index]
            for n in names
        }


def sizes() -> dict[str, Any]:
    with psycopg.connect(DSN) as connection:
        rows = connection.execute(
            "SELECT relname, n_live_tup, pg_size_pretty(pg_total_relation_size(relid))"
            " FROM pg_stat_user_tables WHERE n_live_tup > 100000 ORDER BY 2 DESC"
        ).fetchall()
        database = connection.execute(
            "SELECT pg_size_pretty(pg_database_size(current_database()))"
        ).fetchone()[0]  # type: ignore[index]
    return {"tables": rows, "database": database}


def mix() -> dict[str, Any]:
    """The data as loaded, in the shares the documentation quotes."""
    queries = {
        "orders": "SELECT count(*) FROM orders_order",
        "events": "SELECT count(*) FROM orders_event",
        "facts": "SELECT count(*) FROM reports_fact",
        "citizen hotline": "SELECT count(*) FROM orders_order"
        " WHERE source = 'citizen_hotline'",
        "water hotline": "SELECT count(*) FROM orders_order"
        " WHERE source = 'water_hotline'",
        "construction hotline": "SELECT count(*) FROM orders_order"
        " WHERE source = 'construction_hotline'",
        "other source": "SELECT count(*) FROM orders_order WHERE source = 'other'",
        "transferred": "SELECT count(DISTINCT order_id) FROM orders_event"
        " WHERE action = 'transfer'",
        "overdue": "SELECT count(DISTINCT order_id) FROM reports_fact"
        " WHERE kind = 'overdue'",
        "caller delay": "SELECT count(*) FROM reports_fact WHERE kind = 'caller_delay'",
        "extended": "SELECT count(DISTINCT order_id) FROM orders_request"
        " WHERE kind = 'extension'",
        "plans": "SELECT count(*) FROM orders_request WHERE kind = 'plan'",
        "unresolvable": "SELECT count(*) FROM orders_request"
        " WHERE kind = 'unresolvable'",
        "statements": "SELECT count(*) FROM orders_request WHERE kind = 'statement'",
        "returned": "SELECT count(*) FROM orders_order WHERE state = 'returned'",
        "returned late": "SELECT count(*) FROM orders_order WHERE return_late",
        "redone": "SELECT count(*) FROM orders_order WHERE redo_count > 0",
        "followed up (reached)": "SELECT count(DISTINCT order_id)"
        " FROM followups_followup WHERE reached",
        "unreachable": "SELECT count(*) FROM reports_fact WHERE kind = 'unreachable'",
        "with a commitment": "SELECT count(*) FROM orders_commitment",
        "notices": "SELECT count(*) FROM followups_notice",
        "notices confirmed": "SELECT count(*) FROM followups_notice"
        " WHERE state = 'confirmed'",
        "dispatched late": "SELECT count(*) FROM reports_fact"
        " WHERE kind = 'dispatch' AND value > 1800",
        "still open": "SELECT count(*) FROM orders_order"
        " WHERE state IN ('dispatched', 'handling', 'submitted')",
    }
    with psycopg.connect(DSN) as connection:
        return {
            k: connection.execute(q).fetchone()[0]  # type: ignore[index]
            for k, q in queries.items()
        }


def print_table(table: list[tuple[str, list[float], float]]) -> None:
    say(f"{'operation':<64} {'median ms':>10} {'min ms':>9} {'× floor':>8}")
    for name, times, ratio in table:
        say(
            f"{name:<64} {statistics.median(times):>10.1f} {min(times):>9.1f}"
            f" {ratio:>8.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args()
    setup_django()

    record: dict[str, Any] = {"argv": sys.argv[1:]}
    if not args.reuse:
        say(f"build: {args.orders:,} orders of 2025 into {DATABASE} on 127.0.0.1")
        record["build_seconds"] = build(args.orders, args.workers)
        for step, seconds in record["build_seconds"].items():
            say(f"  {step}: {seconds:.0f} s")
    record["mix"] = mix()
    say("mix: " + ", ".join(f"{k} {v:,}" for k, v in record["mix"].items()))
    record["sizes"] = sizes()
    record["server"] = server_settings()

    say("facts: sampled orders against derive_facts")
    check = check_facts()
    say(f"  {check['orders']} orders, {check['facts']} facts, paths: {check['paths']}")
    if check["mismatches"]:
        for pk, path, derived, stored in check["mismatches"][:5]:
            say(f"  order {pk} ({path}):\n    derived {derived}\n    stored  {stored}")
        raise SystemExit(f"{len(check['mismatches'])} orders' facts differ")
    say("  every sampled order's facts equal derive_facts")
    record["check"] = {k: v for k, v in check.items() if k != "mismatches"}

    say(f"measure: {args.repeat} runs after one warm-up")
    results = measure(args.repeat)
    say(
        f"  drill-down unit {results['unit']}: {results['overdue']:,} overdue;"
        f" facts counted in {QUARTER}: {results['facts_in_quarter']:,}"
    )
    say(
        "  load average (1 min) before and after the runs: "
        + ", ".join(f"{x:.1f}" for x in results["load"])
    )
    print_table(results["table"])
    for label, plan in results["plans"]:
        say(f"  plan {label[:60]!r}: {plan_summary(plan)}")

    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    with open(VAR / f"explain-{stamp}.txt", "w", encoding="utf-8") as out:
        for label, plan in results["plans"]:
            out.write(f"== {label}\n{plan}\n\n")
    record["table"] = [
        {
            "operation": name,
            "median_ms": statistics.median(times),
            "min_ms": min(times),
            "runs_ms": times,
            "ratio": ratio,
        }
        for name, times, ratio in results["table"]
    ]
    record["unit"], record["overdue"] = results["unit"], results["overdue"]
    record["load"] = results["load"]
    with open(VAR / f"report-{stamp}.json", "w", encoding="utf-8") as out:
        json.dump(record, out, ensure_ascii=False, indent=1, default=str)
    say(f"written: var/bench-report/report-{stamp}.json, explain-{stamp}.txt")


if __name__ == "__main__":
    main()
