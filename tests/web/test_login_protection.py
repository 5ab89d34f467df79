"""Login protection: lockout after repeated failures, sessions that end."""

from __future__ import annotations

from django.conf import settings
from django.test import Client


def test_lockout_after_five_failed_logins(cast: dict) -> None:
    from tests.web.steps import PASSWORD

    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": "agent", "password": "wrong"})

    locked = client.post("/login/", {"username": "agent", "password": PASSWORD})

    assert locked.status_code == 429
    assert "登录已暂停" in locked.content.decode()


def test_right_password_before_the_limit_logs_in(cast: dict) -> None:
    from tests.web.steps import PASSWORD

    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post("/login/", {"username": "agent", "password": "wrong"})

    answer = client.post("/login/", {"username": "agent", "password": PASSWORD})

    assert answer.status_code == 302


def test_sessions_end(cast: dict) -> None:
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_HTTPONLY
