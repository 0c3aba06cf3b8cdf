"""Rule 11: an entry with no link but a whole citation is a paper keyed by
its title (parsing.papers.cited_paper)."""

import pytest

from catalog.ingest.parsing import parse_reading_list as parse
from catalog.ingest.parsing.citations import is_author_list


def papers(text):
    return {p.key: p for p in parse(text).papers}


def test_bold_titled_references_with_no_link_are_papers_one_per_paragraph():
    text = (
        "# Meta-learning\n\n## Papers\n\n"
        "**[2]** Sepp Hochreiter, A Steven Younger, and Peter R Conwell. "
        "**Learning to learn using gradient descent**. In\n"
        "International Conference on Artificial Neural Networks, pages 87–94. "
        "Springer, 2001.\n\n"
        "**[3]** Finn, C., Abbeel, P., & Levine, S. (2017). **Model-Agnostic "
        "Meta-Learning for Fast Adaptation of Deep Networks**. In ICML.\n"
    )
    parsed = parse(text)

    first, second = parsed.papers
    assert first.key == "title:learning to learn using gradient descent"
    assert (first.title, first.url, first.year) == (
        "Learning to learn using gradient descent",
        "",
        2001,
    )
    assert first.lines == (5, 6)
    assert first.notes is None  # the wrapped citation is no note
    assert second.title == (
        "Model-Agnostic Meta-Learning for Fast Adaptation of Deep Networks"
    )
    assert (second.year, second.venue, second.venue_year) == (2017, "ICML", 2017)
    # The references are entries, not the topic's description.
    assert parsed.topics[-1].description == ""


def test_an_author_list_then_title_venue_and_year_is_a_paper():
    text = (
        "### Human Pose Estimation\n"
        "* Zhe Cao, Tomas Simon, Shih-En Wei, and Yaser Sheikh, Realtime "
        "Multi-Person 2D Pose Estimation using Part Affinity Fields, CVPR, 2017.\n"
        "* Shih-En Wei, Varun Ramakrishna, Takeo Kanade, and Yaser Sheikh, "
        "Convolutional pose machines, CVPR, 2016.\n"
    )
    found = papers(text)

    assert found["title:convolutional pose machines"].venue == "CVPR"
    paper = found[
        "title:realtime multi person 2d pose estimation using part affinity fields"
    ]
    assert paper.title == (
        "Realtime Multi-Person 2D Pose Estimation using Part Affinity Fields"
    )
    assert (paper.year, paper.venue_year, paper.topics) == (
        2017,
        2017,
        (("Human Pose Estimation",),),
    )


def test_a_title_over_its_date_line_is_a_paper_and_the_rest_its_notes():
    text = (
        "## 分布式\n"
        "1. A Quick Survey on Large Scale Distributed Deep Learning Systems\n"
        "*2018*\n"
        "深度学习分布式问题汇总；\n"
    )
    (paper,) = parse(text).papers

    assert paper.title == (
        "A Quick Survey on Large Scale Distributed Deep Learning Systems"
    )
    assert (paper.year, paper.notes) == (2018, "深度学习分布式问题汇总；")


def test_a_chinese_reference_to_an_article_is_a_paper_and_to_a_book_none():
    text = (
        "- 何恺明, 孙剑. 深度残差学习[J]. 计算机学报, 2016, 38(1): 1-9.\n"
        "- 诸葛越. 百面机器学习[M]. 北京:人民邮电出版社. 2018.298-332\n"
    )
    (paper,) = parse(text).papers

    assert (paper.key, paper.title, paper.year) == (
        "title:深度残差学习",
        "深度残差学习",
        2016,
    )


def test_code_and_translations_below_a_cited_paper_are_its_own():
    text = (
        "- **Convolutional pose machines**. CVPR, 2016.\n\n"
        "  [pytorch](https://github.com/a/cpm)\n"
        "  **Chinese**: [卷积姿态机](https://zhuanlan.zhihu.com/p/1)\n"
    )
    parsed = parse(text)

    (paper,) = parsed.papers
    (repository,) = parsed.repositories
    (translation,) = parsed.translations
    assert repository.papers == (paper.key,)
    assert repository.framework == "pytorch"
    assert translation.paper == paper.key


def test_a_cited_paper_the_list_also_links_is_the_linked_paper():
    text = (
        "## Detection\n"
        "* Ross Girshick, Jeff Donahue, Trevor Darrell, Jitendra Malik, Rich "
        "feature hierarchies for accurate object detection, CVPR, 2014.\n\n"
        "## Again\n"
        "* [Rich feature hierarchies for accurate object detection]"
        "(https://arxiv.org/abs/1311.2524)\n"
    )
    (paper,) = parse(text).papers

    assert paper.key == "arxiv:1311.2524"
    assert paper.topics == (("Again",), ("Detection",))
    assert set(paper.lines) == {2, 5}


@pytest.mark.parametrize(
    "text",
    [
        # A figure and its credit line cite a paper the list lists elsewhere.
        "![fig](https://example.org/fig.png)\n(from Gedas Bertasius, Jianbo Shi, "
        "DeepEdge: A Multi-Scale Bifurcated Deep Network, CVPR, 2015.)\n",
        # Prose with a bold phrase and a year.
        "**Deep learning** has been popular since 2012.\n",
        "1. A list of **top 100 deep learning papers** published from 2012 to 2016.\n",
        # A title with no year is no whole citation; nor is a name and a year.
        "- **Adam: A Method for Stochastic Optimization**\n",
        "- **2016** :  +60 citations\n",
        "- 站在BERT肩膀上的NLP新秀们 - 2019\n",
        "1. Deep Learning Book\n*2016*\n",
    ],
)
def test_text_that_is_no_whole_citation_is_no_paper(text):
    assert parse(text).papers == ()


@pytest.mark.parametrize(
    ("text", "authors"),
    [
        ("Sepp Hochreiter, A Steven Younger, and Peter R Conwell.", True),
        ("Finn, C., Abbeel, P., & Levine, S. (2017).", True),
        ("Hinton, Geoffrey E., et al.", True),
        ("van der Maaten, L.", True),
        ("A list of", False),
        ("Deep Learning Book.", False),
        ("", False),
    ],
)
def test_an_author_list_is_names_joined_by_commas_and(text, authors):
    assert is_author_list(text) is authors


def test_references_on_consecutive_lines_of_one_paragraph_are_one_each():
    text = (
        "## Few-shot\n\n"
        "**[1]** Brenden M. Lake, Ruslan Salakhutdinov, Joshua B. Tenenbaum. "
        "**Human-level concept learning through probabilistic program "
        "induction**. Science, 2015.\n"
        "**[2]** Santoro, Adam, et al. **Meta-learning with memory-augmented "
        "neural networks.** International conference on machine learning. 2016.\n"
        "\nA note on the second.\n"
    )
    first, second = parse(text).papers

    assert (first.title, first.venue, first.year, first.lines) == (
        "Human-level concept learning through probabilistic program induction",
        "Science",
        2015,
        (3,),
    )
    assert (second.venue, second.year, second.notes) == (
        "ICML",
        2016,
        "A note on the second.",
    )


def test_the_code_of_a_cited_paper_the_list_links_elsewhere_goes_with_it():
    text = (
        "## Pose\n"
        "- **Convolutional Pose Machines for Human Pose**. CVPR, 2016.\n\n"
        "  [caffe](https://github.com/shihenw/convolutional-pose-machines)\n"
        "  **Chinese**: [卷积姿态机](https://zhuanlan.zhihu.com/p/1)\n\n"
        "## Again\n"
        "- [Convolutional Pose Machines for Human Pose]"
        "(https://arxiv.org/abs/1602.00134)\n"
    )
    parsed = parse(text)

    (paper,) = parsed.papers
    (repository,) = parsed.repositories
    (translation,) = parsed.translations
    assert paper.key == "arxiv:1602.00134"
    assert repository.papers == (paper.key,)
    assert translation.paper == paper.key


def test_a_long_title_gives_a_key_the_catalog_can_hold():
    title = " ".join(["Learning"] * 70)  # 629 characters
    (paper,) = parse(f"1. {title}\n*2016*\n").papers

    assert paper.title == title
    assert len(paper.key) <= 600


def test_a_title_whose_venue_is_a_link_with_no_target_is_a_paper():
    parsed = parse(
        "## Papers\n\n"
        "- TarGAN: Generating target data with class labels for unsupervised "
        "domain adaptation [[Knowledge-Based Systems]]()\n"
        "- Some Unsupervised Domain Adaptation Method [[TNNLS 2020]]()\n"
        "- A note that links nothing [[here]]()\n"
        "- Short Title [[CVPR 2019]]()\n"
    )

    assert [(p.key, p.venue, p.year) for p in parsed.papers] == [
        (
            "title:targan generating target data with class labels for "
            "unsupervised domain adaptation",
            "Knowledge-Based Systems",
            None,
        ),
        ("title:some unsupervised domain adaptation method", "TNNLS", 2020),
    ]
    # The links themselves have no target: still said, line by line.
    assert [w.line for w in parsed.warnings] == [3, 4, 5, 6]
