"""Map broken rules to HTTP answers with a stable body."""

from __future__ import annotations

import logging

from django.core.exceptions import ObjectDoesNotExist, RequestDataTooBig
from django.db import DataError
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


def refusal(code: str, message: str, status_code: int, field=None) -> Response:  # type: ignore[no-untyped-def]
    return Response(
        {"rule": None, "code": code, "field": field, "message": message},
        status=status_code,
    )


def first_message(detail: object, path: str = "") -> tuple[str, str]:
    """The first error of a nested serializer error, as (field path, text)."""
    if isinstance(detail, dict) and detail:
        key = next(iter(detail))
        return first_message(detail[key], f"{path}.{key}" if path else str(key))
    if isinstance(detail, list) and detail:
        if all(isinstance(item, str) for item in detail):
            return path, str(detail[0])
        for index, item in enumerate(detail):
            if item:
                return first_message(item, f"{path}[{index}]")
    return path, str(detail)


def handle_exception(exc, context):  # type: ignore[no-untyped-def]
    """Answer ``{"rule", "code", "field", "message"}`` for every refusal."""
    if isinstance(exc, RequestDataTooBig):
        return refusal("body_too_large", "请求内容过大。", 413)
    if isinstance(exc, (OverflowError, DataError)):
        # A value the checks let through but the database cannot hold: the
        # transaction was rolled back, so nothing changed.
        logger.warning("api refused a value out of range: %s", type(exc).__name__)
        return refusal("value_out_of_range", "输入的数值或时间超出范围。", 400)
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
    if isinstance(detail, (dict, list)) and not (
        isinstance(detail, dict) and "detail" in detail
    ):
        # A serializer's field errors: name the first field, keep them all.
        field, message = first_message(detail)
        field = field or None
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


def not_found(request, exception=None):  # type: ignore[no-untyped-def]
    """404 as JSON under /api/, Django's page elsewhere."""
    from django.http import JsonResponse
    from django.views.defaults import page_not_found

    if request.path.startswith("/api/"):
        return JsonResponse(
            {
                "rule": None,
                "code": "not_found",
                "field": None,
                "message": "对象不存在。",
            },
            status=404,
        )
    return page_not_found(request, exception)
