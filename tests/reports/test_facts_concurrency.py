"""D7: deriving an order's facts again while an action changes the order
never writes the facts of an older history (``gongdan facts --rebuild``)."""

import threading

import pytest
from django.db import connection, transaction

from gongdan.orders import actions
from gongdan.reports import facts
from tests.conftest import bj, make_flow


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite runs one writing transaction at a time: the race cannot happen",
)
def test_d7_rebuild_racing_an_action_keeps_the_actions_facts(
    transactional_cast, monkeypatch
):
    """The rebuild holds the order's row while it derives; the action waits
    for it, then writes its own facts. Without the lock the rebuild would
    overwrite them with the facts of the history it read before."""
    cast = transactional_cast
    order = make_flow(cast).submitted()
    derived, go_on = threading.Event(), threading.Event()
    real = facts.derive_facts

    def paused(target, codes=None):  # type: ignore[no-untyped-def]
        rows = real(target, codes)
        if threading.current_thread().name == "rebuild":
            derived.set()
            go_on.wait(20)
        return rows

    monkeypatch.setattr(facts, "derive_facts", paused)

    def rebuild() -> None:
        try:
            with transaction.atomic():
                facts.refresh_facts(order.pk)
        finally:
            connection.close()

    worker = threading.Thread(target=rebuild, name="rebuild")
    worker.start()
    assert derived.wait(20)
    # The action blocks on the rebuild's lock; let the rebuild finish soon.
    threading.Timer(1.0, go_on.set).start()
    actions.do_judge_reply(order, cast.ops, valid=True, at=bj(2026, 7, 6, 13, 0))
    worker.join(30)

    assert facts.check_all() == []
    assert order.facts.filter(kind="completed").count() == 1
