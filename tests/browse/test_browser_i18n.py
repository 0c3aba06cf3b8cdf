"""The Chinese interface in a real browser: Chromium asking for zh-CN, the
switcher clicked back and forth (screenshots in test-artifacts/)."""

import pytest
from django.core.management import call_command

from tests.browse.test_browser import shot
from tests.browser import ARTIFACTS, BROWSER_TESTS
from tests.golden import LIST_DIR

pytestmark = BROWSER_TESTS


@pytest.fixture
def chinese_page(browser, live_server, transactional_db):
    call_command("import_lists", str(LIST_DIR), verbosity=0)
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="zh-CN"
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_a_chinese_browser_gets_chinese_and_the_switcher_goes_back(
    chinese_page, live_server
):
    page = chinese_page
    page.goto(f"{live_server.url}/papers/?year=2015-2018")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert "条结果" in page.locator(".total").inner_text()
    assert page.get_by_role("button", name="搜索").count() > 0
    shot(page, "papers-zh-hans")

    page.get_by_role("button", name="English").click()
    page.wait_for_url("**/papers/?year=2015-2018")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "results" in page.locator(".total").inner_text()
    page.goto(f"{live_server.url}/")  # the choice outlives the page
    assert page.locator("html").get_attribute("lang") == "en"

    page.get_by_role("button", name="简体中文").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.locator("h1").inner_text() == "几秒钟内找到合适的论文和代码。"
    shot(page, "home-zh-hans")
