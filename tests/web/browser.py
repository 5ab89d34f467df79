"""Helpers of the browser tests: headless Chromium against the live server.

Playwright's sync API runs an event loop in the test's thread, so Django's
async-safety check is switched off while Chromium runs; the live server
runs in its own thread against the same test database.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from playwright.sync_api import Browser, Page, expect, sync_playwright

from .steps import PASSWORD

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def launch() -> Iterator[Browser]:
    """Headless Chromium; one that cannot start fails the test, never skips."""
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def sign_in(browser: Browser, base: str, username: str) -> Page:
    page = browser.new_context(
        viewport={"width": 1360, "height": 900}, locale="zh-CN"
    ).new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    expect(page.locator("header .who")).to_be_visible()
    return page


def act(page: Page, action: str, done: str) -> None:
    """Press the first button of the action's section; expect ``done``."""
    page.locator(f"#{action} button[type=submit]").first.click()
    expect(page.locator(".messages")).to_contain_text(done)


def upload(page: Page, purpose: str, name: str, content: bytes) -> None:
    page.select_option("#id_attach_evidence_purpose", purpose)
    page.set_input_files(
        "#id_attach_evidence_file",
        {"name": name, "mimeType": "image/png", "buffer": content},
    )
    act(page, "attach_evidence", "已上传附件")
