"""Every page asks for a login first, and home sends each role to its work."""

from __future__ import annotations

import pytest
from django.test import Client

from .steps import PASSWORD, login

PAGES = [
    "/",
    "/orders/",
    "/orders/new/",
    "/orders/1/",
    "/inbox/",
    "/review/",
    "/followups/",
    "/report/",
    "/report/orders/?quarter=2026Q3&unit=EAST&figure=overdue",
    "/attachments/1/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_pages_redirect_to_login_when_anonymous(url: str) -> None:
    response = Client().get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


def test_login_page_logs_in_and_logout_is_post(cast: dict) -> None:
    client = Client()

    page = client.get("/login/")
    response = client.post("/login/", {"username": "agent", "password": PASSWORD})

    assert page.status_code == 200
    assert "登录" in page.content.decode()
    assert response.status_code == 302
    assert client.get("/logout/").status_code == 405
    assert client.post("/logout/").status_code == 302
    assert client.get("/orders/").status_code == 302


def test_login_refuses_wrong_password(cast: dict) -> None:
    response = Client().post("/login/", {"username": "agent", "password": "nope"})

    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


@pytest.mark.parametrize(
    ("username", "target"),
    [
        ("agent", "/orders/new/"),
        ("east_designee", "/inbox/"),
        ("east_staff", "/inbox/"),
        ("east_head", "/inbox/"),
        ("ops", "/review/"),
        ("committee", "/queue/"),
        ("admin", "/orders/"),
    ],
)
def test_home_sends_each_role_to_its_page(cast: dict, username: str, target: str):
    response = login(username).get("/")

    assert response.status_code == 302
    assert response["Location"] == target


def test_header_shows_name_unit_role_and_links(cast: dict) -> None:
    page = login("agent").get("/orders/").content.decode()
    ops_page = login("ops").get("/orders/").content.decode()

    assert "坐席 王晓" in page and "客户服务中心" in page and "热线坐席" in page
    assert 'href="/orders/new/"' in page and 'href="/followups/"' in page
    assert 'href="/review/"' not in page
    assert 'href="/review/"' in ops_page and 'href="/orders/new/"' not in ops_page
