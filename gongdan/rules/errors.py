"""The one error type for a broken rule."""

from __future__ import annotations


class RuleViolation(Exception):
    """A rule of the standard refused an action.

    ``rule`` is the catalogue ID (``"R4.1"``), ``code`` a stable snake_case
    code for the API, ``field`` the input at fault (or ``None``), and
    ``message`` a Chinese sentence for the person who acted.
    """

    status = 400

    def __init__(
        self, rule: str, code: str, message: str, field: str | None = None
    ) -> None:
        super().__init__(f"[{rule}] {message}")
        self.rule = rule
        self.code = code
        self.field = field
        self.message = message

    def as_dict(self) -> dict[str, str | None]:
        return {
            "rule": self.rule,
            "code": self.code,
            "field": self.field,
            "message": self.message,
        }


class NotAllowed(RuleViolation):
    """The actor's role may not take this action (HTTP 403)."""

    status = 403


class Conflict(RuleViolation):
    """The order is not in a state that allows this action (HTTP 409)."""

    status = 409


class RuleViolations(RuleViolation):
    """Several rules or fields refused one input at once.

    The first problem gives the summary fields; ``problems`` holds each.
    """

    def __init__(self, problems: list[RuleViolation]) -> None:
        first = problems[0]
        super().__init__(first.rule, first.code, first.message, first.field)
        self.problems = problems
        self.status = max(p.status for p in problems)
