"""The API's documentation page in Chromium, under the site's own
Content-Security-Policy: Swagger UI renders the schema's operations and the
browser reports no policy violation."""

import pytest

from tests.browser import BROWSER_TESTS

pytestmark = BROWSER_TESTS


@pytest.fixture
def page(browser, live_server, transactional_db):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


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
