"""Search that finds what researchers mean (issue 16): topic paths, the
bilingual glossary, Traditional/Simplified and full-width folding, typos,
Chinese runs cut at glossary terms, the broadened search and the catalog's
signals in the ranking; through the papers page, on SQLite and PostgreSQL."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from catalog.fulltext.analyzer import parse_query, tokens
from catalog.models import GlossaryTerm, Paper, ReadingList, Source, Topic
from catalog.search.expansion import cut_run, expand, glossary, term_token, words

pytestmark = pytest.mark.django_db

PAPERS = reverse("catalog:paper-list")
_counter = iter(range(1, 1_000_000))


def make_paper(title, *, topics=(), **fields):
    n = next(_counter)
    fields.setdefault("key", f"url:example.org/p/{n}")
    fields.setdefault("url", f"https://example.org/p/{n}")
    paper = Paper.objects.create(title=title, **fields)
    for topic in topics:
        paper.topics.add(topic)
    return paper


def make_topic(name):
    return Topic.objects.create(name=name, path=name, slug=f"t-{next(_counter)}")


def found(client, q):
    response = client.get(PAPERS, {"q": q})
    assert response.status_code == 200
    return [paper.title for paper in response.context["page_obj"].object_list]


# -- folding -------------------------------------------------------------------------


def test_traditional_characters_are_folded_to_simplified():
    assert tokens("卷積神經網絡") == tokens("卷积神经网络")
    assert tokens("目標檢測") == tokens("目标检测")


def test_a_traditional_query_finds_what_its_simplified_form_finds(client):
    make_paper("基于卷积神经网络的图像分类")
    make_paper("卷積神經網絡的可視化")
    make_paper("Unrelated")

    simplified = found(client, "卷积神经网络")
    traditional = found(client, "卷積神經網絡")

    assert len(simplified) == 2
    assert sorted(traditional) == sorted(simplified)


def test_full_width_letters_find_their_ascii_form(client):
    make_paper("Deep Residual Learning", short_name="ResNet")

    assert found(client, "ｒｅｓｎｅｔ") == ["Deep Residual Learning"]


# -- topic paths and the glossary ----------------------------------------------------


def test_a_chinese_topic_finds_the_english_papers_under_it(client):
    topic = make_topic("图神经网络(GNN)")
    make_paper("Semi-Supervised Classification with Graph Convolutions", topics=[topic])
    make_paper("Something else")

    assert found(client, "图神经网络") == [
        "Semi-Supervised Classification with Graph Convolutions"
    ]


def test_renaming_a_topic_reindexes_its_papers(client):
    topic = make_topic("Old heading")
    make_paper("A paper", topics=[topic])
    topic.path = topic.name = "元学习"
    topic.save()

    assert found(client, "元学习") == ["A paper"]


def test_the_glossary_bridges_the_languages_and_acronyms(client):
    make_paper("Graph Neural Networks: A Review")
    make_paper("目标检测综述")
    make_paper("Rich Feature Hierarchies for Accurate Object Detection")

    assert found(client, "图神经网络") == ["Graph Neural Networks: A Review"]
    assert found(client, "GNN") == ["Graph Neural Networks: A Review"]
    assert sorted(found(client, "object detection")) == [
        "Rich Feature Hierarchies for Accurate Object Detection",
        "目标检测综述",
    ]


def test_a_glossary_term_added_by_an_editor_is_used_by_the_next_search(
    client, django_capture_on_commit_callbacks
):
    make_paper("Neural Ordinary Differential Equations")
    assert found(client, "神经常微分方程") == []

    with django_capture_on_commit_callbacks(execute=True):
        term = GlossaryTerm.objects.create(
            english="neural ordinary differential equations",
            chinese="神经常微分方程",
            aliases="Neural ODE",
        )

    assert found(client, "神经常微分方程") == ["Neural Ordinary Differential Equations"]
    assert found(client, '"neural ode"') == ["Neural Ordinary Differential Equations"]

    with django_capture_on_commit_callbacks(execute=True):
        term.delete()

    assert found(client, "神经常微分方程") == []


def test_the_glossary_is_shipped_with_the_app():
    names = glossary().names
    gnn = GlossaryTerm.objects.get(english="graph neural network")
    for name in ("GNN", "图神经网络", "graph neural networks"):
        assert term_token(gnn.pk) in names[words(name)]


def test_documents_are_indexed_with_the_glossary_terms_they_name():
    gnn = GlossaryTerm.objects.get(english="graph neural network")
    paper = make_paper("Graph Neural Networks: A Review")

    assert term_token(gnn.pk) in paper.search_document.document.split()


def test_a_chinese_run_is_cut_at_glossary_terms():
    known = glossary()
    assert cut_run("图神经网络推荐", known) == ["图神经网络", "推荐"]
    assert cut_run("目标检测", known) == ["目标检测"]
    # Pieces of one character are not cut off.
    assert cut_run("点云的", known) == ["点云的"]


def test_a_chinese_run_of_two_terms_finds_papers_holding_both(client):
    make_paper("Graph Neural Networks for Recommendation")
    make_paper("Graph Neural Networks for Chemistry")

    assert found(client, "图神经网络推荐")[0] == (
        "Graph Neural Networks for Recommendation"
    )


def test_expansion_keeps_exclusions_and_phrases():
    query = expand(parse_query('"object detection" -survey'))
    assert query.excluded == ("survey",)
    detection = GlossaryTerm.objects.get(english="object detection")
    assert query.options("object detection")[1:] == (term_token(detection.pk),)


# -- typos ----------------------------------------------------------------------------


def test_a_typo_finds_the_word_along_with_its_other_matches(client):
    make_paper("Attention Is All You Need: the Transformer")
    make_paper("Transformers in Vision")

    assert sorted(found(client, "trasnformer")) == [
        "Attention Is All You Need: the Transformer",
        "Transformers in Vision",
    ]


# -- the broadened search ------------------------------------------------------------


def test_few_papers_holding_every_word_broadens_to_most_words(client):
    make_paper("Point cloud segmentation with transformers")
    make_paper("Point cloud registration")
    make_paper("Image segmentation")
    make_paper("Unrelated title")

    response = client.get(PAPERS, {"q": "point cloud segmentation lidar"})
    titles = [p.title for p in response.context["page_obj"].object_list]

    assert response.context["broadened"] is True
    assert b"matching most of your words" in response.content
    assert titles[0] == "Point cloud segmentation with transformers"
    assert set(titles[1:]) == {"Point cloud registration", "Image segmentation"}


def test_a_broadened_search_keeps_its_exclusions(client):
    make_paper("Point cloud registration")
    make_paper("Point cloud survey")

    titles = found(client, "point cloud lidar -survey")

    assert titles == ["Point cloud registration"]


def test_a_search_many_papers_match_is_not_broadened(client):
    for n in range(12):
        make_paper(f"Point cloud segmentation {n}")
    make_paper("Point cloud registration")

    response = client.get(PAPERS, {"q": "point cloud segmentation"})

    assert response.context["broadened"] is False
    assert response.context["paginator"].count == 12
    assert b"matching most of your words" not in response.content


# -- ranking -------------------------------------------------------------------------


def test_a_paper_more_lists_cite_ranks_first_among_equals(client):
    first = make_paper("Residual networks")
    second = make_paper("Residual networks")
    for n in range(3):
        reading_list = ReadingList.objects.create(path=f"list-{n}.md")
        Source.objects.create(reading_list=reading_list, line=1, paper=second)
    Source.objects.create(reading_list=reading_list, line=2, paper=first)

    response = client.get(PAPERS, {"q": "residual"})
    ranked = [p.pk for p in response.context["page_obj"].object_list]

    assert ranked == [second.pk, first.pk]


# -- the admin ------------------------------------------------------------------------


def test_editors_edit_the_glossary_in_the_admin(client):
    admin = get_user_model().objects.create_superuser("admin", "a@example.org", "pw")
    client.force_login(admin)
    term = GlossaryTerm.objects.get(english="graph neural network")

    listing = client.get(reverse("admin:catalog_glossaryterm_changelist"))
    page = client.get(reverse("admin:catalog_glossaryterm_change", args=[term.pk]))

    assert listing.status_code == page.status_code == 200
    assert "图神经网络".encode() in page.content
