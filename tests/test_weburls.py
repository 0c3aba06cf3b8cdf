import pytest

from catalog.weburls import is_web_url


@pytest.mark.parametrize(
    "url",
    [
        "https://arxiv.org/abs/1708.02182",
        "http://my_lab.github.io/paper.pdf",
        "HTTPS://Example.org/a?b=c#d",
        "https://论文.example/路径",
    ],
)
def test_http_and_https_addresses_with_a_host_are_web_urls(url):
    assert is_web_url(url) is True


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(document.domain)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox",
        "ftp://files.example/paper.pdf",
        "https://",
        "https:///path",
        "//evil.example/x",
        "/papers/1/",
        "https://[paper",
        "https://example.org/a b",
        "https://example.org/\x00",
        "",
    ],
)
def test_other_schemes_and_malformed_addresses_are_not(url):
    assert is_web_url(url) is False


@pytest.mark.django_db
def test_the_migration_drops_other_urls_saved_before_they_were_validated():
    from importlib import import_module

    from django.apps import apps

    from catalog.models import Paper

    migration = import_module("catalog.migrations.0008_web_urls")
    paper = Paper.objects.create(key="url:x.org/p", title="P", url="https://x.org/p")
    Paper.objects.filter(pk=paper.pk).update(
        alt_urls=["javascript:alert(1)", "https://mirror.example/p", 7]
    )

    migration.drop_other_schemes(apps, None)

    paper.refresh_from_db()
    assert paper.alt_urls == ["https://mirror.example/p"]
