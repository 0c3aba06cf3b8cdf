"""The API's documentation page in Chromium, under the site's own
Content-Security-Policy: Swagger UI renders the schema's operations and the
browser reports no policy violation."""

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))

playwright_api = pytest.importorskip("playwright.sync_api")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists() and os.environ.get("CI") != "true",
        reason=f"no Chromium at {CHROMIUM} (make install-browser)",
    ),
]


@pytest.fixture
def page(live_server, transactional_db):
    # Playwright runs an event loop in this thread; the ORM calls of the test
    # itself are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page()
        page.set_default_timeout(15_000)
        yield page
        browser.close()


def test_the_docs_page_renders_every_operation_within_the_policy(page, live_server):
    problems = []
    page.on(
        "console",
        lambda m: m.type == "error" and problems.append(m.text),
    )
    page.on("pageerror", lambda e: problems.append(str(e)))

    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".opblock-summary-path")

    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/papers/" in paths
    assert len(paths) == 10
    assert not problems, problems
