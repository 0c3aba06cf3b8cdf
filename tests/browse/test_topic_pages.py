"""A topic page's fixed parts (the topic, its subtopics, code and links) are
made once per catalog version, topic and language."""

import pytest

from catalog.models import Link, Paper, Repository, Topic

FIXED_PARTS = {"catalog/_topic_subtopics.html", "catalog/_topic_others.html"}

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic():
    parent = Topic.objects.create(name="Vision", path="Vision", slug="vision")
    Topic.objects.create(
        name="Detection", path="Vision > Detection", slug="vision-detection",
        parent=parent, depth=1,
    )  # fmt: skip
    repository = Repository.objects.create(
        key="github.com/a/detector", host="github.com", owner="a", name="detector",
        url="https://github.com/a/detector", framework="pytorch",
    )  # fmt: skip
    repository.topics.add(parent)
    Paper.objects.create(
        key="url:x.org/p", title="A detector", url="https://x.org/p", year=2019
    ).topics.add(parent)
    Link.objects.create(
        url="https://x.org/course", title="A course", kind="course"
    ).topics.add(parent)
    return parent


def rendered(response) -> set[str]:
    return {t.name for t in response.templates} & FIXED_PARTS


def test_a_topic_page_shows_its_subtopics_code_and_links(client, topic):
    page = client.get(topic.get_absolute_url()).content.decode()

    assert 'href="/topics/vision-detection/">Detection</a>' in page
    assert 'href="/repositories/' in page and "a/detector</a>" in page
    assert '<span class="tag">PyTorch</span>' in page
    assert '<span class="tag">Course</span>' in page
    assert 'href="https://x.org/course" rel="noopener">A course</a>' in page


def test_a_topic_page_reads_only_its_papers_once_its_fixed_parts_are_made(
    client, topic, django_assert_num_queries
):
    first = client.get(topic.get_absolute_url())
    with django_assert_num_queries(1):  # the page's papers
        again = client.get(topic.get_absolute_url(), {"year": "2019"})

    assert rendered(first) == FIXED_PARTS
    assert rendered(again) == set()
    assert "a/detector</a>" in again.content.decode()


def test_a_write_shows_on_a_topic_page_at_once(client, topic):
    client.get(topic.get_absolute_url())
    Link.objects.create(
        url="https://x.org/tool", title="A new tool", kind="tool"
    ).topics.add(topic)
    Repository.objects.get().topics.remove(topic)
    topic.name = "Computer vision"
    topic.save()

    page = client.get(topic.get_absolute_url()).content.decode()

    assert "A new tool</a>" in page
    assert "a/detector</a>" not in page
    assert "<h1>Computer vision</h1>" in page


def test_languages_do_not_share_a_topic_pages_fixed_parts(client, topic):
    english = client.get(topic.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    chinese = client.get(topic.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-CN")
    chinese_again = client.get(topic.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-CN")

    assert rendered(english) == FIXED_PARTS
    assert rendered(chinese) == FIXED_PARTS
    assert rendered(chinese_again) == set()
    assert "<h2>代码</h2>" in chinese.content.decode()


def test_an_unknown_topic_is_not_found(client, topic):
    assert client.get("/topics/no-such-topic/").status_code == 404
    assert client.get("/topics/no-such-topic/").status_code == 404
