"""The API fuzzed from its own OpenAPI schema against a live server on
127.0.0.1: no answer is a 5xx, and no documented answer breaks its schema.

Each operation's cases come from schemathesis's strategy for it and run
through hypothesis here, a bounded number per operation (schemathesis's
own pytest plugin does not run under this pytest).
"""

from __future__ import annotations

import json

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.api.test_api_orders import client_for

pytestmark = pytest.mark.django_db(transaction=True)

EXAMPLES = 12


def test_api_never_answers_5xx(live_server, transactional_cast):  # type: ignore[no-untyped-def]
    from tests.conftest import make_flow

    flow = make_flow(transactional_cast)
    flow.handling()
    flow.submitted()
    flow.follow_up()
    from rest_framework.authtoken.models import Token

    key = Token.objects.get_or_create(user=transactional_cast.ops)[0].key
    token = f"Token {key}"
    raw = json.loads(
        client_for(transactional_cast.ops).get("/api/schema/?format=json").content
    )
    schema = schemathesis.openapi.from_dict(raw)
    schema.config.update(base_url=live_server.url)
    failures: list[str] = []

    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def probe(case):  # type: ignore[no-untyped-def]
            response = case.call(headers={"Authorization": token})
            if response.status_code >= 500:
                failures.append(
                    f"{case.method} {case.formatted_path} -> {response.status_code}"
                )
            try:
                case.validate_response(response, checks=[response_schema_conformance])
            except AssertionError as error:
                failures.append(f"{case.method} {case.formatted_path}: {error!s:.300}")

        probe()

    assert failures == []
