"""Browser tests: Debian's Chromium driven by Playwright against a live server.

Screenshots of the key pages land in test-artifacts/ (look at them).
"""

from pathlib import Path

import bibtexparser
import pytest
from django.core.management import call_command

from catalog.models import Paper
from tests.browser import ARTIFACTS, BROWSER_TESTS
from tests.golden import LIST_DIR

playwright_api = pytest.importorskip("playwright.sync_api")

pytestmark = BROWSER_TESTS


@pytest.fixture
def page(browser, live_server, transactional_db):
    call_command("import_lists", str(LIST_DIR), verbosity=0)
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def shot(page, name):
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def result_titles(page):
    return page.locator(".result h3 > a").all_inner_texts()


def test_search_in_english_then_open_a_paper_and_go_back(page, live_server):
    page.goto(live_server.url + "/")
    shot(page, "home")
    page.get_by_label("Search papers").first.fill("regularizing")
    page.keyboard.press("Enter")
    page.wait_for_url("**/papers/?q=regularizing")

    assert "Regularizing and Optimizing LSTM Language Models" in result_titles(page)
    assert page.locator(".result mark").count() > 0
    shot(page, "search-english")

    page.get_by_role(
        "link", name="Regularizing and Optimizing LSTM Language Models"
    ).click()
    page.wait_for_url("**/papers/*/regularizing-and-optimizing*/")
    assert page.locator("h1").inner_text() == (
        "Regularizing and Optimizing LSTM Language Models"
    )
    assert page.get_by_text("salesforce/awd-lstm-lm").count() > 0
    shot(page, "paper-detail")

    page.go_back()
    page.wait_for_url("**/papers/?q=regularizing")
    assert page.locator("#browse-q").input_value() == "regularizing"


def test_search_in_chinese_highlights_the_match(page, live_server):
    page.goto(live_server.url + "/papers/?q=" + "卷积")

    marks = page.locator("mark").all_inner_texts()
    assert marks and set(marks) == {"卷积"}
    assert "What Do We Understand About Convolutional Networks?" in result_titles(page)
    shot(page, "search-chinese")


def test_clicking_a_facet_updates_results_and_other_counts(page, live_server):
    page.goto(live_server.url + "/papers/")
    total = page.locator(".total").inner_text()
    year_2018 = page.locator('[data-facet="year"] a', has_text="2018")
    years_before = page.locator('[data-facet="year"] li').count()

    page.locator('[data-facet="venue"] a', has_text="NeurIPS").click()
    page.wait_for_url("**venue=NeurIPS**")

    assert page.locator(".total").inner_text() != total
    assert page.locator('[data-facet="year"] li').count() < years_before
    assert year_2018.locator(".count").inner_text() == "2"
    assert page.get_by_role("link", name="Remove Venue: NeurIPS").count() == 1
    shot(page, "facet-neurips")

    page.get_by_role("link", name="Remove Venue: NeurIPS").click()
    page.wait_for_url(live_server.url + "/papers/")
    assert page.locator(".total").inner_text() == total


def test_topic_page_and_small_screen_layout(page, live_server):
    page.goto(live_server.url + "/topics/deep-learning/")
    assert page.locator(".breadcrumbs").inner_text().endswith("Deep Learning")
    shot(page, "topic")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/papers/?q=dropout")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page scrolls sideways on a phone"
    shot(page, "mobile-search")


def test_year_range_form_filters_to_the_range(page, live_server):
    page.goto(live_server.url + "/papers/")

    page.get_by_label("Range").fill("2010-2012")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**year=2010-2012**")

    assert page.locator(".total").inner_text().startswith("4 results")
    page.get_by_label("Range").fill("2015")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**year=2015**")
    assert page.locator(".result").count() > 0


def test_pages_run_under_the_content_security_policy_without_violations(
    page, live_server
):
    """Every page (the admin's too) works under the strict CSP: Chromium
    reports no refused script, style or handler; the sort menu, wired by
    static/js/site.js, still submits on change."""
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser("boss", "b@x.org", "right-pw-123")
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    page.goto(live_server.url + "/papers/?q=learning")
    page.select_option("select#sort", "title")
    page.wait_for_url("**/papers/?q=learning&sort=title")
    assert page.locator("form.sort button").is_hidden()

    paper = page.locator(".result h3 > a").first.get_attribute("href")
    for path in ("/", paper, "/venues/", "/topics/deep-learning/", "/stats/"):
        page.goto(live_server.url + path)
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "boss")
    page.fill("#id_password", "right-pw-123")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    for path in ("/admin/catalog/paper/", "/admin/catalog/paper/add/"):
        page.goto(live_server.url + path)
    shot(page, "admin-paper-add-under-csp")

    assert violations == []


def test_the_cite_menu_opens_from_the_keyboard_without_javascript(
    browser, live_server, transactional_db
):
    call_command("import_lists", str(LIST_DIR), verbosity=0)
    paper = Paper.objects.filter(arxiv_id__isnull=False).order_by("pk").first()
    context = browser.new_context(java_script_enabled=False, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(live_server.url + paper.get_absolute_url())
        bibtex_link = page.get_by_role("link", name="BibTeX", exact=True)
        assert not bibtex_link.is_visible()

        page.locator("details.cite summary").focus()
        page.keyboard.press("Enter")
        assert bibtex_link.is_visible()
        bibtex_link.focus()
        with page.expect_download() as download:
            page.keyboard.press("Enter")
        text = Path(download.value.path()).read_text(encoding="utf-8")
        (entry,) = bibtexparser.parse_string(text).entries
        assert entry["eprint"] == paper.arxiv_id
        shot(page, "paper-cite-menu")
    finally:
        context.close()
