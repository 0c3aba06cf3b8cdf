"""Accessibility, keyboards, phones and dark mode, in Chromium.

axe-core (bundled by axe-playwright-python: no CDN) checks the home,
browse, search, paper, topic, statistics and admin login pages: no serious
or critical violation, in light and dark mode. A 375 px wide viewport shows
every page without sideways scrolling; screenshots of each page land in
test-artifacts/ (CI keeps them).
"""

import pytest
from django.core.management import call_command

from catalog.models import Paper
from tests.browser import ARTIFACTS, BROWSER_TESTS
from tests.golden import LIST_DIR

axe_api = pytest.importorskip("axe_playwright_python.sync_playwright")

pytestmark = BROWSER_TESTS

# The interface's languages: each page is checked in each (the Chinese
# interface adds "zh-hans").
LANGUAGES = ["en", "zh-hans"]
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
SERIOUS = {"serious", "critical"}


def pages() -> dict[str, str]:
    """Name: path of every page checked."""
    return {
        "home": "/",
        "browse": "/papers/",
        "search": "/papers/?q=learning",
        "paper": Paper.objects.order_by("pk").first().get_absolute_url(),
        "topic": "/topics/deep-learning/",
        "stats": "/stats/",
        "admin-login": "/admin/login/",
    }


@pytest.fixture
def catalog(live_server, transactional_db):
    call_command("import_lists", str(LIST_DIR), verbosity=0)
    ARTIFACTS.mkdir(exist_ok=True)
    return live_server


@pytest.fixture
def open_context(browser):
    """A browser context (a language, a colour scheme, a viewport); closed
    after the test."""
    contexts = []

    def open_(language, *, scheme="light", viewport=DESKTOP):
        context = browser.new_context(
            viewport=viewport,
            color_scheme=scheme,
            locale=language,
            extra_http_headers={"Accept-Language": language},
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_
    for context in contexts:
        context.close()


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical violations on the page: rule, impact
    and the elements, one line each."""
    results = axe_api.Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:5]}"
        for v in results.response["violations"]
        if v["impact"] in SERIOUS
    ]


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_pages_have_no_serious_accessibility_violations(
    catalog, open_context, language, scheme
):
    """axe-core finds no serious or critical violation on any page, colour
    contrast included, in light and in dark mode; dark mode changes the
    page's background."""
    page = open_context(language, scheme=scheme)
    found = {}
    for name, path in pages().items():
        page.goto(catalog.url + path)
        found[name] = serious_violations(page)
        if name != "admin-login":
            background = page.evaluate(
                "getComputedStyle(document.body).backgroundColor"
            )
            # --wash: #f6f7f9 in light mode, #0d1117 in dark.
            assert background == (
                "rgb(13, 17, 23)" if scheme == "dark" else "rgb(246, 247, 249)"
            ), name
        if name == "stats":
            # The charts' stylesheet applies, in the scheme's colours.
            bar = page.locator("svg.chart-years .series.color-0 rect").first
            assert bar.evaluate("e => getComputedStyle(e).fill") == (
                "rgb(121, 184, 255)" if scheme == "dark" else "rgb(11, 92, 173)"
            )
        shot(page, f"{name}-{language}-{scheme}")

    assert {name: v for name, v in found.items() if v} == {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_phone_shows_every_page_without_sideways_scrolling(
    catalog, open_context, language
):
    page = open_context(language, viewport=PHONE)
    too_wide = {}
    for name, path in pages().items():
        page.goto(catalog.url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[name] = width
        shot(page, f"phone-{name}-{language}")

    assert too_wide == {}


def tab_to(page, selector: str, limit: int = 150) -> None:
    """Press Tab until the focused element matches ``selector``; every
    element focused on the way shows a focus outline."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "[document.activeElement.matches(arguments[0] ?? ''),"
            " getComputedStyle(document.activeElement).outlineStyle]".replace(
                "arguments[0] ?? ''", repr(selector)
            )
        )
        matches, outline = focused
        assert outline != "none", page.evaluate("document.activeElement.outerHTML")
        if matches:
            return
    raise AssertionError(f"{selector} not reached in {limit} tabs")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_keyboard_walks_the_facets_and_the_charts(catalog, open_context, language):
    """Tab reaches a facet's option and Enter filters by it; on the
    statistics page, Tab reaches the stacking switch, a chart's table (a
    scrollable region) and its links."""
    page = open_context(language)
    page.goto(catalog.url + "/papers/")

    tab_to(page, '[data-facet="venue"] a[href*="venue=NeurIPS"]')
    page.keyboard.press("Enter")
    page.wait_for_url("**/papers/?venue=NeurIPS")
    tab_to(page, '[data-facet="year"] a[href*="year=2018"]')
    page.keyboard.press("Enter")
    page.wait_for_url("**/papers/?venue=NeurIPS&year=2018")
    assert page.locator(".result").count() == 2

    page.goto(catalog.url + "/stats/?venue=NeurIPS")
    tab_to(page, 'nav.switch a[href*="by=framework"]')
    page.keyboard.press("Enter")
    page.wait_for_url("**/stats/?venue=NeurIPS&by=framework")
    tab_to(page, '.chart-table[aria-labelledby="table-years"]')
    tab_to(page, '.chart-table[aria-labelledby="table-years"] th a')
    page.keyboard.press("Enter")
    page.wait_for_url("**/papers/?venue=NeurIPS&year=*")
