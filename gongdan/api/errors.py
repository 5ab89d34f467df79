"""Map broken rules to HTTP answers with a stable body."""

from __future__ import annotations

import logging

from django.core.exceptions import ObjectDoesNotExist
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from gongdan.rules.errors import RuleViolation, RuleViolations

logger = logging.getLogger(__name__)


def rule_response(error: RuleViolation) -> Response:
    body = error.as_dict()
    if isinstance(error, RuleViolations):
        body["problems"] = [p.as_dict() for p in error.problems]
    return Response(body, status=error.status)


def handle_exception(exc, context):  # type: ignore[no-untyped-def]
    """Answer ``{"rule", "code", "field", "message"}`` for every refusal."""
    if isinstance(exc, RuleViolation):
        logger.warning(
            "api refused %s: %s %s",
            context["view"].__class__.__name__,
            exc.rule,
            exc.code,
        )
        return rule_response(exc)
    if isinstance(exc, ObjectDoesNotExist):
        return Response(
            {
                "rule": None,
                "code": "not_found",
                "field": None,
                "message": "对象不存在。",
            },
            status=status.HTTP_404_NOT_FOUND,
        )
    response = exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    code = getattr(exc, "default_code", "error")
    field = None
    message = detail
    if isinstance(detail, dict) and "detail" not in detail:
        # A serializer's field errors: name the first field, keep them all.
        field = next(iter(detail), None)
        first = detail[field] if field else ""
        message = str(first[0] if isinstance(first, list) and first else first)
        code = "invalid_input"
    elif isinstance(detail, dict):
        message = str(detail["detail"])
        code = getattr(detail["detail"], "code", code)
    response.data = {
        "rule": None,
        "code": str(code),
        "field": field,
        "message": str(message),
        **({"errors": detail} if field else {}),
    }
    return response
