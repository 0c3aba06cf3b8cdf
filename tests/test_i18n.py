"""The interface in English and Simplified Chinese (README, "Languages")."""

import io
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.template import engines
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation
from django.utils.translation.template import templatize
from django.views.defaults import server_error

from tests.golden import LIST_DIR

ROOT = Path(settings.BASE_DIR)
PO_FILE = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO_FILE = PO_FILE.with_suffix(".mo")
CHINESE = {"HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9,en;q=0.5"}
# The gettext functions Django code and templates call, as Babel names their
# arguments: a message, (message, plural, count) or a context first.
KEYWORDS = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "npgettext_lazy": ((1, "c"), 2, 3),
}


@pytest.fixture
def seeds(db):
    call_command("import_lists", str(LIST_DIR), verbosity=0)


def _catalog():
    with PO_FILE.open("rb") as po:
        return read_po(po)


def _marked_strings():
    """(file, msgid, context) of every string marked for translation in the
    templates (Django's through templatize, as makemessages reads them; the
    Jinja2 rows through Jinja2's extractor) and in the site's Python."""
    found = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        # templatize writes a message's call on one line, indented as the
        # template was: Python's tokenizer wants no indentation.
        code = templatize(path.read_text(), origin=str(path))
        code = "\n".join(line.lstrip() for line in code.splitlines())
        found += _extracted(path, "python", code)
    jinja = engines["jinja2"].env
    for path in sorted((ROOT / "templates").rglob("*.jinja")):
        for _line, _function, message in jinja.extract_translations(path.read_text()):
            found.append((path, message, None))
    for package in ("catalog", "dlresources"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                found += _extracted(path, "python", path.read_text())
    return found


def _extracted(path, method, code):
    messages = extract(method, io.BytesIO(code.encode()), keywords=KEYWORDS)
    return [(path, m[1], m[3]) for m in messages]


class CatalogTests:
    def test_every_marked_string_has_a_chinese_translation(self):
        """A string marked in a template or in Python but missing from the
        zh-hans catalog, empty there or fuzzy fails this: run `make messages`
        and translate it."""
        catalog = _catalog()
        untranslated = []
        for path, msgid, context in _marked_strings():
            key = msgid if isinstance(msgid, str) else msgid[0]
            message = catalog.get(key, context=context)
            string = message and message.string
            if isinstance(string, tuple | list):
                string = string[0] if all(string) else ""
            if not string or message.fuzzy:
                untranslated.append(f"{path.relative_to(ROOT)}: {msgid!r}")
        assert not untranslated, "\n".join(untranslated)

    def test_the_marked_strings_are_found(self):
        """The extraction above reads every kind of source (or the test
        before could pass on none)."""
        marked = {(m, c) for _p, m, c in _marked_strings()}
        assert ("Skip to content", None) in marked  # base.html
        assert ("implements", None) in marked  # a Jinja2 row
        assert (("%(counter)s result", "%(counter)s results"), None) in marked
        assert ("Sort", "verb") in marked
        assert ("Has translation", None) in marked  # a facet label (Python)
        assert (
            "Merge selected %(verbose_name_plural)s into one…",
            None,
        ) in marked  # an admin action

    def test_no_entry_is_fuzzy_or_empty_and_placeholders_agree(self):
        catalog = _catalog()
        assert catalog.plural_forms == "nplurals=1; plural=0;"
        for message in catalog:
            if not message.id:
                continue
            strings = message.string if message.pluralizable else [message.string]
            assert all(strings) and not message.fuzzy, message.id
        assert not [error for message, error in catalog.check() if error]

    def test_the_compiled_catalog_is_current(self):
        """`make` compiles it (make run, make test): a .mo older than its .po
        would serve stale translations."""
        assert MO_FILE.exists(), "run `make compilemessages`"
        assert MO_FILE.stat().st_mtime >= PO_FILE.stat().st_mtime


def _lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode())[1]


@pytest.mark.django_db
class LanguageTests:
    @pytest.mark.parametrize("accept", ["zh-CN,zh;q=0.9", "zh-Hans", "zh", "zh-SG"])
    def test_a_chinese_browser_gets_the_chinese_interface(self, client, accept):
        response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
        page = response.content.decode()
        assert _lang(response) == "zh-hans"
        assert response["Content-Language"] == "zh-hans"
        assert "搜索论文" in page and "跳到正文" in page
        assert "Skip to content" not in page

    @pytest.mark.parametrize("accept", ["en-US,en;q=0.9", "fr-FR", "de", None])
    def test_any_other_browser_gets_english(self, client, accept):
        headers = {"HTTP_ACCEPT_LANGUAGE": accept} if accept else {}
        response = client.get("/", **headers)
        assert _lang(response) == "en"
        assert "Skip to content" in response.content.decode()

    def test_the_switcher_remembers_the_choice_without_javascript_or_token(self):
        """A plain form post (no CSRF token: cached pages hold none) sets a
        lasting cookie and returns to the page; Accept-Language then loses."""
        client = Client(enforce_csrf_checks=True)
        page = client.get("/venues/").content.decode()
        form = re.search(r'<form class="language" action="([^"]+)"', page)
        assert form and 'value="zh-hans"' in page and 'name="next"' in page
        response = client.post(
            form[1],
            {"language": "zh-hans", "next": "/venues/"},
            HTTP_ACCEPT="text/html",
        )
        assert response.status_code == 302 and response["Location"] == "/venues/"
        cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
        assert cookie.value == "zh-hans" and int(cookie["max-age"]) > 30 * 86400
        after = client.get("/venues/", HTTP_ACCEPT_LANGUAGE="en-US")
        assert _lang(after) == "zh-hans" and "会议/期刊与年份" in after.content.decode()
        client.post(form[1], {"language": "en", "next": "/venues/"})
        assert _lang(client.get("/venues/", **CHINESE)) == "en"

    def test_the_switcher_returns_to_the_page_with_its_filters_only(
        self, client, seeds
    ):
        junk = "&".join(f"junk{n}=x" for n in range(50))
        page = client.get(f"/papers/?year=2015-2018&{junk}").content.decode()
        (back,) = re.findall(r'<input type="hidden" name="next" value="([^"]*)"', page)
        assert back == "/papers/?year=2015-2018"

    def test_the_switcher_returns_only_to_this_site(self, client):
        response = client.post(
            reverse("set_language"),
            {"language": "zh-hans", "next": "https://evil.example/"},
            HTTP_ACCEPT="text/html",
        )
        assert response["Location"] == "/"

    def test_pages_say_they_vary_by_language_header_and_cookie(self, client):
        response = client.get("/venues/")
        vary = {v.strip() for v in response["Vary"].split(",")}
        assert {"Accept-Language", "Cookie"} <= vary


@pytest.mark.django_db
class CachedPageTests:
    @pytest.mark.parametrize("url", ["/", "/papers/", "/venues/"])
    def test_one_url_serves_each_language_its_own_page_from_the_cache(
        self, client, seeds, url, django_assert_num_queries
    ):
        cache.clear()
        english = client.get(url).content.decode()
        chinese = client.get(url, **CHINESE).content.decode()
        # Both are now cached (the page cache is on in the tests): served
        # again without a query, each still in its own language.
        with django_assert_num_queries(0):
            english_again = client.get(url).content.decode()
            chinese_again = client.get(url, **CHINESE).content.decode()
        assert english_again == english and chinese_again == chinese
        assert '<html lang="en">' in english and "Skip to content" in english
        assert '<html lang="zh-hans">' in chinese and "跳到正文" in chinese


@pytest.mark.django_db
class PluralTests:
    @pytest.mark.parametrize("q", ["LSTM Language Models", "regularization"])
    def test_result_counts_take_the_right_plural(self, client, seeds, q):
        en = client.get("/papers/", {"q": q}).content.decode()
        zh = client.get("/papers/", {"q": q}, **CHINESE).content.decode()
        total = re.search(r'<p class="total" role="status">([^<]*)</p>', en)[1]
        count = int(total.split()[0])
        noun = "result" if count == 1 else "results"
        assert total == f"{count} {noun} for “{q}”"
        assert f"“{q}”的 {count} 条结果" in zh

    def test_a_single_result_is_singular(self, client, seeds):
        # A phrase: a few words' strict match is broadened when it finds few.
        en = client.get("/papers/", {"q": '"LSTM Language Models"'}).content.decode()
        assert ">1 result for “&quot;LSTM Language Models&quot;”<" in en

    def test_plural_forms_in_both_languages(self):
        template = engines["django"].from_string(
            "{% load i18n %}{% blocktranslate count counter=n %}{{ counter }} result"
            "{% plural %}{{ counter }} results{% endblocktranslate %}"
        )
        rendered = {}
        for language in ("en", "zh-hans"):
            with translation.override(language):
                rendered[language] = [template.render({"n": n}) for n in (0, 1, 2)]
        assert rendered["en"] == ["0 results", "1 result", "2 results"]
        assert rendered["zh-hans"] == ["0 条结果", "1 条结果", "2 条结果"]


@pytest.mark.django_db
class ChineseInterfaceTests:
    def test_facets_sorts_and_rows_are_chinese(self, client, seeds):
        page = client.get("/papers/", {"q": "regularization"}, **CHINESE)
        html = page.content.decode()
        assert {f.label for f in page.context["facets"]} >= {"主题", "年份", "有代码"}
        assert ">相关度</option>" in html and ">最新</option>" in html
        assert "筛选" in html and "排序" in html
        repositories = client.get("/repositories/", **CHINESE).content.decode()
        assert " · 实现 <a" in repositories  # the Jinja2 row's "implements"
        chosen = client.get("/papers/", {"year": "2017"}, **CHINESE).content.decode()
        assert 'aria-label="移除 年份：2017"' in chosen  # a chip

    def test_form_errors_are_chinese(self, client, seeds):
        html = client.get("/papers/", {"year": "soon"}, **CHINESE).content.decode()
        assert "年份：“soon”不是年份或年份范围。（已忽略）" in html

    def test_a_404_is_chinese(self, client, db):
        response = client.get("/no-such-page/", **CHINESE)
        assert response.status_code == 404
        assert "页面不存在" in response.content.decode()

    def test_the_500_page_is_chinese_and_reads_no_database(
        self, django_assert_num_queries
    ):
        request = RequestFactory().get("/")
        with translation.override("zh-hans"), django_assert_num_queries(0):
            response = server_error(request)
        page = response.content.decode()
        assert response.status_code == 500
        assert '<html lang="zh-hans">' in page and "出错了" in page

    def test_the_admin_is_chinese(self, admin_client):
        page = admin_client.get("/admin/", **CHINESE).content.decode()
        assert "目录维护" in page  # ours (index_title)
        assert "阅读列表" in page and "导入冲突" in page  # the models' names
        assert "代码仓库" in page  # every model's plural too
        assert "站点管理" in page or "最近动作" in page  # Django's own catalog
