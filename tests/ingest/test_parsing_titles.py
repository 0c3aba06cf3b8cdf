"""Rule 8: a paper's title out of the text around it (parsing.citations)."""

import pytest

from catalog.ingest.parsing import parse_reading_list as parse
from catalog.ingest.parsing import vocabulary
from catalog.ingest.parsing.citations import Title, citation_title, link_title


def only_paper(text):
    (paper,) = parse(text).papers
    return paper


@pytest.mark.parametrize(
    ("text", "title", "venue", "year"),
    [
        (
            "[Arxiv 27 May 2021] Rethinking Attention",
            "Rethinking Attention",
            None,
            2021,
        ),
        ("Deep Stuff [CVPR 2023]", "Deep Stuff", "CVPR", 2023),
        (
            "Convolutional Sequence Learning (IJCAI 2016)",
            "Convolutional Sequence Learning",
            "IJCAI",
            2016,
        ),
        (
            "Attention Is All You Need(注意力就是你所需要的)",
            "Attention Is All You Need",
            None,
            None,
        ),
        (
            "Feature Pyramid Transformer (CVPR)",
            "Feature Pyramid Transformer",
            "CVPR",
            None,
        ),
        (
            "Independently Recurrent Neural Network (IndRNN): A Longer RNN",
            "Independently Recurrent Neural Network (IndRNN): A Longer RNN",
            None,
            None,
        ),
        (
            "What Can ResNet Learn Efficiently, Going Beyond Kernels?",
            "What Can ResNet Learn Efficiently, Going Beyond Kernels?",
            None,
            None,
        ),
    ],
)
def test_a_link_text_loses_its_tags_venue_parenthetical_and_translation(
    text, title, venue, year
):
    assert link_title(text) == Title(title, venue, year)


@pytest.mark.parametrize(
    ("text", "title", "venue", "year"),
    [
        (
            "arXiv: Natural Language Processing (Almost) from Scratch",
            "Natural Language Processing (Almost) from Scratch",
            None,
            None,
        ),
        ("CVPR 2019: Deep Stuff", "Deep Stuff", "CVPR", 2019),
        (
            "Neural Architectures for NER (Lample et al.)",
            "Neural Architectures for NER",
            None,
            None,
        ),
        (
            "Self-Attentive Constituency Parsing (Kitaev & Klein)",
            "Self-Attentive Constituency Parsing",
            None,
            None,
        ),
        ("Mogrifier LSTM (Melis et al., 2019)", "Mogrifier LSTM", None, 2019),
        # A colon after a name, and words of a title in parentheses, stay.
        (
            "YOLO9000: Better, Faster, Stronger",
            "YOLO9000: Better, Faster, Stronger",
            None,
            None,
        ),
        (
            "Paper2vec: Citation-Context Based Document Representation",
            "Paper2vec: Citation-Context Based Document Representation",
            None,
            None,
        ),
        (
            "Robot Learning (Search & Rescue)",
            "Robot Learning (Search & Rescue)",
            None,
            None,
        ),
    ],
)
def test_a_link_text_loses_where_it_appeared_and_who_wrote_it(text, title, venue, year):
    """Rule 8: "arXiv: Title", "Title (Lample et al.)": a source label before
    the title and an author credit after it are no part of it."""
    assert link_title(text) == Title(title, venue, year)


def test_a_citation_whose_year_parenthesis_is_never_closed_loses_it():
    paper = only_paper(
        "- Learning a Deep Convolutional Network for Image Super-Resolution "
        "(2014, C. Dong et al. [[pdf]](https://example.org/srcnn.pdf)\n"
    )
    assert (
        paper.title
        == "Learning a Deep Convolutional Network for Image Super-Resolution"
    )
    assert paper.year == 2014


@pytest.mark.parametrize(
    ("text", "title", "venue", "year"),
    [
        (
            "Jens Kober, J. Andrew Bagnell, Jan Peters, Reinforcement Learning in "
            "Robotics, A Survey (IJRR 2013)",
            "Reinforcement Learning in Robotics, A Survey",
            "IJRR",
            2013,
        ),
        (
            "P. Travis Jardine, Sidney N. Givigi and Shahram Yousefi, Adaptive control "
            "tuned with reinforcement learning (Int J Adapt Control Signal Process "
            "2019)",
            "Adaptive control tuned with reinforcement learning",
            "Int J Adapt Control Signal Process",
            2019,
        ),
        (
            "Jacob Devlin, C. Lawrence Zitnick, Exploring Nearest Neighbor Approaches "
            "for Image Captioning, arXiv:1505.04467",
            "Exploring Nearest Neighbor Approaches for Image Captioning",
            None,
            None,
        ),
        (
            "Reducing the dimensionality of data with neural networks, G. Hinton and "
            "R. Salakhutdinov.",
            "Reducing the dimensionality of data with neural networks",
            None,
            None,
        ),
        (
            "On the importance of initialization and momentum (2013), "
            "I. Sutskever et al.",
            "On the importance of initialization and momentum",
            None,
            2013,
        ),
        (
            "Todd Hester, and Peter Stone, Generalized Model Learning, ICRA, 2010",
            "Generalized Model Learning",
            "ICRA",
            2010,
        ),
        (
            "Stronger, Fewer, & Superior: Harnessing Vision Foundation Models",
            "Stronger, Fewer, & Superior: Harnessing Vision Foundation Models",
            None,
            None,
        ),
        # Initials without stops, a mark of affiliation, a name's particles.
        (
            "N Wang, DY Yeung, Learning a Deep Compact Image Representation for "
            "Visual Tracking, NIPS, 2013.",
            "Learning a Deep Compact Image Representation for Visual Tracking",
            "NeurIPS",
            2013,
        ),
        (
            "Wei Liu1, Dragomir Anguelov, Alexander C. Berg, SSD: Single Shot "
            "MultiBox Detector, arXiv:1512.02325",
            "SSD: Single Shot MultiBox Detector",
            None,
            None,
        ),
        (
            "Ian Reid, Anton van dan Hengel, Efficient piecewise training of deep "
            "structured models, arXiv:1504.01013.",
            "Efficient piecewise training of deep structured models",
            None,
            None,
        ),
        # One author, no initials: a name, not the first words of a title.
        ("Ross Girshick, Fast R-CNN, arXiv:1504.08083.", "Fast R-CNN", None, None),
        (
            "Alex Graves, Generating Sequences With Recurrent Neural Networks, "
            "arXiv:1308.0850",
            "Generating Sequences With Recurrent Neural Networks",
            None,
            None,
        ),
        (
            "Batch Normalization, Accelerating Deep Network Training",
            "Batch Normalization, Accelerating Deep Network Training",
            None,
            None,
        ),
        (
            "Neural Machines, Turing Complete Memory, ICLR 2016",
            "Neural Machines, Turing Complete Memory",
            "ICLR",
            2016,
        ),
        # Surnames and first names apart, the list closed by "and".
        (
            "Osendorfer, Christian, Hubert Soyer, and Patrick van der Smagt, Image "
            "Super-Resolution with Fast Approximate Convolutional Sparse Coding, "
            "ICONIP, 2014.",
            "Image Super-Resolution with Fast Approximate Convolutional Sparse Coding",
            "ICONIP",
            2014,
        ),
        (
            "Faster, Better, and Cheaper Detection with Sparse Anchors, CVPR 2020",
            "Faster, Better, and Cheaper Detection with Sparse Anchors",
            "CVPR",
            2020,
        ),
        # "et al." among the names; two names joined by "and".
        (
            "Pieter Abbeel, Adam Coates, et al., An Application of Reinforcement "
            "Learning to Aerobatic Helicopter Flight (NIPS 2006)",
            "An Application of Reinforcement Learning to Aerobatic Helicopter Flight",
            "NeurIPS",
            2006,
        ),
        (
            "Richard Sutton and Andrew Barto, Reinforcement Learning: An Introduction",
            "Reinforcement Learning: An Introduction",
            None,
            None,
        ),
        # A figure's credit line.
        (
            "(from Shaoqing Ren, Kaiming He, Faster R-CNN: Towards Real-Time Object "
            "Detection with Region Proposal Networks, arXiv:1506.01497.)",
            "Faster R-CNN: Towards Real-Time Object Detection with Region Proposal "
            "Networks",
            None,
            None,
        ),
        (
            "From Pixels to Torques: Policy Learning with Deep Dynamical Models",
            "From Pixels to Torques: Policy Learning with Deep Dynamical Models",
            None,
            None,
        ),
        # APA and MLA: the year in parentheses, the title in quotes.
        (
            "Mordvintsev, Alexander; Olah, Christopher; Tyka, Mike (2015). "
            '"Inceptionism: Going Deeper into Neural Networks". Google Research.',
            "Inceptionism: Going Deeper into Neural Networks",
            None,
            2015,
        ),
        (
            'Bengio, Yoshua, Ian J. Goodfellow, and Aaron Courville. "Deep '
            'learning." An MIT Press book. (2015).',
            "Deep learning",
            None,
            2015,
        ),
        # A journal's volume, number and pages closing a citation.
        (
            "Y. LeCun, L. Bottou, Gradient-based learning applied to document "
            "recognition. Proceedings of the IEEE, vol. 86, no. 11, pp. 2278-2324, "
            "1998.",
            "Gradient-based learning applied to document recognition",
            "Proceedings of the IEEE",
            1998,
        ),
        # Authors after the first written in full; a year before a subtitle.
        (
            "On the Origin of Deep Learning (2017), H. Wang and Bhiksha Raj",
            "On the Origin of Deep Learning",
            None,
            2017,
        ),
        (
            "Neural Machine Translation and Sequence-to-sequence Models(2017): "
            "A Tutorial, G. Neubig",
            "Neural Machine Translation and Sequence-to-sequence Models: A Tutorial",
            None,
            2017,
        ),
    ],
)
def test_a_citation_loses_its_authors_arxiv_id_and_venue(text, title, venue, year):
    assert citation_title(text) == Title(title, venue, year)


def test_a_citation_before_a_pdf_link_gives_title_venue_and_year():
    paper = only_paper(
        " - Jens Kober, J. Andrew Bagnell, Jan Peters, Reinforcement Learning in "
        "Robotics, A Survey (IJRR 2013) [[Paper]](http://x.org/Kober_IJRR_2013.pdf)\n"
    )
    assert (paper.title, paper.venue, paper.venue_year, paper.year) == (
        "Reinforcement Learning in Robotics, A Survey",
        "IJRR",
        2013,
        2013,
    )


def test_a_link_text_citing_a_paper_gives_way_to_its_real_title_later():
    parsed = parse(
        "See ([Krause et al., (2017)](https://arxiv.org/abs/1709.07432)).\n\n"
        "- [Dynamic Evaluation of Neural Sequence Models](https://arxiv.org/abs/1709.07432)\n"
    )
    (paper,) = parsed.papers
    assert (paper.title, paper.title_is_short_name, paper.line) == (
        "Dynamic Evaluation of Neural Sequence Models",
        False,
        1,
    )


def test_an_organisation_beside_a_pdf_link_gives_way_to_the_citation_under_it():
    paper = only_paper(
        "* Univ. Montreal [[Paper](http://arxiv.org/pdf/1507.01053.pdf)]\n"
        "  * Kyunghyun Cho, Aaron Courville, Yoshua Bengio, Describing Multimedia "
        "Content using Attention-based Encoder-Decoder Networks, arXiv:1507.01053\n"
    )
    assert paper.title == (
        "Describing Multimedia Content using Attention-based Encoder-Decoder Networks"
    )


def test_a_figure_credit_naming_a_paper_gives_its_title():
    paper = only_paper(
        "![detection](https://x.org/figure.png)\n"
        "(from Shaoqing Ren, Kaiming He, Ross Girshick, Jian Sun, Faster R-CNN: "
        "Towards Real-Time Object Detection with Region Proposal Networks, "
        "arXiv:1506.01497.)\n"
    )
    assert paper.title == (
        "Faster R-CNN: Towards Real-Time Object Detection with Region Proposal Networks"
    )


def test_a_label_with_its_organisation_gives_way_to_the_citation_under_it():
    paper = only_paper(
        "* R-CNN, UC Berkeley [[Paper]](http://x.org/Girshick_CVPR_2014.pdf)\n"
        "  * Ross Girshick, Jeff Donahue, Trevor Darrell, Jitendra Malik, Rich "
        "feature hierarchies for accurate object detection and semantic "
        "segmentation, CVPR, 2014.\n"
    )
    assert (paper.title, paper.organisation, paper.venue, paper.year) == (
        "Rich feature hierarchies for accurate object detection and semantic "
        "segmentation",
        "UC Berkeley",
        "CVPR",
        2014,
    )
    assert not paper.title_is_short_name


@pytest.mark.parametrize(
    ("head", "citation", "title", "year"),
    [
        # Organisations joined by "/" name no paper.
        (
            "* Baidu / UCLA [[Paper]](http://arxiv.org/pdf/1505.05612)",
            "Hauyuan Gao, Junhua Mao, Jie Zhou, Zhiheng Huang, Lei Wang, Wei Xu, "
            "Are You Talking to a Machine? Dataset and Methods for Multilingual "
            "Image Question Answering, arXiv:1505.05612.",
            "Are You Talking to a Machine? Dataset and Methods for Multilingual "
            "Image Question Answering",
            2015,
        ),
        # ... or by "+"; an italic title, an arXiv id with a colon for a dot.
        (
            "* SNU + NAVER [[Paper](http://arxiv.org/abs/1606.01455)]",
            "Jin-Hwa Kim, Sang-Woo Lee, Dong-Hyun Kwak, Min-Oh Heo, Jeonghee Kim, "
            "Jung-Woo Ha, Byoung-Tak Zhang, *Multimodal Residual Learning for "
            "Visual QA*, arXiv:1606:01455",
            "Multimodal Residual Learning for Visual QA",
            2016,
        ),
        # A citation wrapped over two lines.
        (
            "* MS + City Univ. of HongKong [[Paper](http://x.org/Yao_ICCV_2015.pdf)]",
            'Ting Yao, Tao Mei, and Chong-Wah Ngo, "Learning Query and Image '
            'Similarities\n    with Ranking Canonical Correlation Analysis", ICCV, '
            "2015",
            "Learning Query and Image Similarities with Ranking Canonical "
            "Correlation Analysis",
            2015,
        ),
        # An APA citation: authors, (year), title.
        (
            "* CMU / Microsoft Research [[Paper](http://arxiv.org/pdf/1511.02274v2.pdf)]",
            "Yang, Z., He, X., Gao, J., Deng, L., & Smola, A. (2015). Stacked "
            "Attention Networks for Image Question Answering. arXiv:1511.02274.",
            "Stacked Attention Networks for Image Question Answering",
            2015,
        ),
        # An MLA citation: authors, then the title in quotes.
        (
            "* MetaMind [[Paper](http://arxiv.org/pdf/1603.01417v1.pdf)]",
            'Xiong, Caiming, Stephen Merity, and Richard Socher. "Dynamic Memory '
            'Networks for Visual and Textual Question Answering." arXiv:1603.01417 '
            "(2016).",
            "Dynamic Memory Networks for Visual and Textual Question Answering",
            2016,
        ),
    ],
)
def test_an_organisation_label_gives_way_to_the_citation_under_it(
    head, citation, title, year
):
    paper = only_paper(f"{head}\n  * {citation}\n")

    assert (paper.title, paper.year, paper.title_is_short_name) == (title, year, False)


def test_a_second_paper_named_by_the_entrys_label_borrows_the_entrys_title():
    parsed = parse(
        "* CMU / Microsoft [[Paper-arXiv]](http://arxiv.org/pdf/1411.5654) "
        "[[Paper-CVPR]](http://www.cs.cmu.edu/~xinleic/papers/cvpr15_rnn.pdf)\n"
        "  * Xinlei Chen, C. Lawrence Zitnick, Mind's Eye: A Recurrent Visual "
        "Representation for Image Caption Generation, CVPR 2015\n"
    )

    assert {(p.key, p.title, p.title_is_short_name) for p in parsed.papers} == {
        (
            "arxiv:1411.5654",
            "Mind's Eye: A Recurrent Visual Representation for Image Caption "
            "Generation",
            False,
        ),
        (
            "url:www.cs.cmu.edu/~xinleic/papers/cvpr15_rnn.pdf",
            "Mind's Eye: A Recurrent Visual Representation for Image Caption "
            "Generation",
            True,
        ),
    }


@pytest.mark.parametrize(
    ("label", "title", "organisation"),
    [
        ("Fast R-CNN, Microsoft Research", "Fast R-CNN", "Microsoft Research"),
        ("Microsoft (Deep Residual Learning)", "Deep Residual Learning", "Microsoft"),
        ("OverFeat, NYU", "OverFeat", "NYU"),
    ],
)
def test_a_label_naming_its_organisation_is_a_short_name(label, title, organisation):
    paper = only_paper(f"* {label} [[Paper]](http://arxiv.org/pdf/1504.08083)\n")
    assert (paper.title, paper.organisation, paper.title_is_short_name) == (
        title,
        organisation,
        True,
    )


def test_notes_that_are_no_citation_leave_a_short_name_alone():
    paper = only_paper(
        "* Zoom-out [[Paper]](http://x.org/zoomout.pdf)\n"
        "  * Works well on small objects, see the appendix.\n"
    )
    assert (paper.title, paper.title_is_short_name) == ("Zoom-out", True)


def test_a_citation_closed_by_et_al_loses_its_authors():
    paper = only_paper(
        "- MobileNets: Efficient Convolutional Neural Networks for Mobile Vision "
        "Applications (2017), Andrew G. Howard et al. "
        "[[pdf]](https://arxiv.org/pdf/1704.04861.pdf)\n"
    )
    assert (paper.title, paper.year) == (
        "MobileNets: Efficient Convolutional Neural Networks for Mobile Vision "
        "Applications",
        2017,
    )


def test_slides_and_supplementary_material_beside_a_paper_are_no_papers():
    parsed = parse(
        "* Microsoft (Deep Residual Learning) "
        "[[Paper](http://arxiv.org/pdf/1512.03385v1.pdf)]"
        "[[Slide](http://image-net.org/talks/deep_residual_learning.pdf)]"
        " [[Supplementary]](http://x.org/papers/style-supp.pdf)\n"
    )
    assert [p.key for p in parsed.papers] == ["arxiv:1512.03385"]
    assert {(link.url, link.title) for link in parsed.links} == {
        ("http://image-net.org/talks/deep_residual_learning.pdf", "Slide"),
        ("http://x.org/papers/style-supp.pdf", "Supplementary"),
    }


@pytest.mark.parametrize("label", ["[Paper ICONIP-2014]", "[arXiv Paper]"])
def test_a_paper_link_named_paper_and_a_tag_takes_the_title_before_it(label):
    paper = only_paper(
        "  * Bolei Zhou, Aditya Khosla, Object Detectors Emerge in Deep Scene "
        f"CNNs, ICLR, 2015. [{label}](http://x.org/detectors.pdf)\n"
    )
    assert (paper.title, paper.venue) == (
        "Object Detectors Emerge in Deep Scene CNNs",
        "ICLR",
    )


def test_a_link_text_starting_with_its_authors_loses_them():
    paper = only_paper(
        "19.  [Wojciech Zaremba, Ilya Sutskever, An Empirical Exploration of "
        "Recurrent Network Architectures](http://x.org/jozefowicz15.pdf)\n"
    )
    assert paper.title == "An Empirical Exploration of Recurrent Network Architectures"


def test_a_link_text_starting_with_a_name_like_phrase_keeps_it():
    paper = only_paper("- [Neural Turing Machines, Revisited](http://x.org/ntm.pdf)\n")
    assert paper.title == "Neural Turing Machines, Revisited"


def test_a_bold_remark_after_the_link_is_no_title():
    paper = only_paper(
        '**[20]** Chen, Tianqi, Ian Goodfellow, and Jonathon Shlens. "Net2net: '
        'Accelerating learning via knowledge transfer." arXiv preprint '
        "arXiv:1511.05641 (2015). [[pdf]](https://arxiv.org/abs/1511.05641) "
        "**(Modify previously trained network to reduce training epochs)**\n"
    )
    assert paper.title == "Net2net: Accelerating learning via knowledge transfer"


@pytest.mark.parametrize(
    "tag", ["(oral)", "(** oral**)", "[Spotlight]", "(4th ranked in VOC 2012)"]
)
def test_a_presentation_tag_is_no_part_of_the_title(tag):
    assert link_title(f"HOTR: Interaction Detection with Transformers {tag}") == (
        Title("HOTR: Interaction Detection with Transformers")
    )


def test_an_organisation_before_a_title_is_its_organisation():
    paper = only_paper(
        "1. [Google - Sequence to Sequence Learning with Neural Networks]"
        "(http://papers.nips.cc/paper/5346-sequence-to-sequence-learning.pdf)\n"
    )
    assert (paper.title, paper.organisation) == (
        "Sequence to Sequence Learning with Neural Networks",
        "Google",
    )


def test_a_title_that_starts_with_a_word_like_an_organisation_keeps_it():
    paper = only_paper("- [Meta-Learning - A Survey](http://x.org/meta.pdf)\n")
    assert paper.title == "Meta-Learning - A Survey"


@pytest.mark.parametrize("remark", ["(**Marr Prize**)", "(**workshop**)", "(oral)"])
def test_a_bold_remark_in_parentheses_is_neither_title_nor_part_of_it(remark):
    paper = only_paper(
        "- Swin Transformer: Hierarchical Vision Transformer using Shifted Windows "
        f" {remark}  [[paper](https://arxiv.org/abs/2103.14030)]\n"
    )
    assert paper.title == (
        "Swin Transformer: Hierarchical Vision Transformer using Shifted Windows"
    )


def test_a_citation_closed_by_a_venues_full_name_and_year_gives_both():
    paper = only_paper(
        "**[4]** Krizhevsky, Alex, Ilya Sutskever, and Geoffrey E. Hinton. "
        '"**Imagenet classification with deep convolutional neural networks**." '
        "Advances in neural information processing systems. 2012. "
        "[[pdf]](http://papers.nips.cc/paper/4824-imagenet.pdf)\n"
    )
    assert (paper.venue, paper.year) == ("NeurIPS", 2012)


def test_a_journals_volume_is_no_year():
    paper = only_paper(
        '**[15]** Srivastava, Nitish, et al. "**Dropout: a simple way to prevent '
        'neural networks from overfitting**." Journal of Machine Learning '
        "Research 15.1 (2014): 1929-1958. [[pdf]](https://x.org/JMLRdropout.pdf)\n"
    )
    assert (paper.venue, paper.year) == ("JMLR", 2014)


def test_a_scholarly_sites_home_page_is_no_paper():
    parsed = parse("* [ACL Anthology](https://aclanthology.org/) - papers of ACL.\n")
    assert not parsed.papers
    assert [link.url for link in parsed.links] == ["https://aclanthology.org/"]


def test_a_title_wrapped_over_two_lines_before_a_date_link_is_one_title():
    paper = only_paper(
        "- Generalized Domain Adaptation with Covariate and\n"
        "Label Shift CO-ALignment [[23 Oct 2019]](https://arxiv.org/abs/1910.10320)\n"
    )
    assert (paper.title, paper.year) == (
        "Generalized Domain Adaptation with Covariate and Label Shift CO-ALignment",
        2019,
    )


def test_a_title_whose_first_words_read_like_a_name_keeps_them():
    paper = only_paper(
        "- **Professor Forcing: A New Algorithm for Training Recurrent Networks** "
        "(2016), Anirudh Goyal et al. [[pdf]](https://arxiv.org/pdf/1610.09038)\n"
    )
    assert paper.title == (
        "Professor Forcing: A New Algorithm for Training Recurrent Networks"
    )


def test_a_short_name_alone_is_marked_for_the_importer():
    paper = only_paper("- ResNet [[pdf]](https://arxiv.org/abs/1512.03385)\n")
    assert (paper.title, paper.title_is_short_name) == ("ResNet", True)


def test_an_item_named_before_its_video_link_is_titled_by_its_name():
    parsed = parse(
        "1. An Introduction to Reinforcement Learning  \n"
        "David Silver， [Video](https://www.youtube.com/watch?v=2pWv7GOvuf0)-youtube\n"
    )
    assert [link.title for link in parsed.links] == [
        "An Introduction to Reinforcement Learning"
    ]


def test_a_second_arxiv_id_behind_a_generic_link_is_marked_as_titled_by_stand_in():
    parsed = parse(
        "- Instance-level Image Retrieval using Reranking Transformers "
        "[[paper](https://arxiv.org/abs/2103.12424)] "
        "[[code](https://arxiv.org/abs/2103.12236)]\n"
    )
    assert [(p.key, p.title_is_short_name) for p in parsed.papers] == [
        ("arxiv:2103.12424", False),
        ("arxiv:2103.12236", True),
    ]


@pytest.mark.parametrize(
    ("line", "venue", "year"),
    [
        # Rules 9 and 10: "<venue words> <year>" after the link, all that
        # follows it, is the venue as written and the year.
        (
            "[Artificial intelligence should genuinely support clinical reasoning]"
            "(https://www.nature.com/articles/s41746-025-01725-9), "
            "NPJ Digit. Med. 2025",
            "NPJ Digit. Med.",
            2025,
        ),
        (
            "[Explainable AI in Healthcare](https://www.nature.com/articles/x1), "
            "Some Journal 2021. [Website](https://example.org/site)",
            "Some Journal",
            2021,
        ),
        # arXiv is no venue; its year is the entry's.
        (
            "[XAI meets LLMs: A Survey](https://www.nature.com/articles/x2), "
            "Arxiv 2024",
            None,
            2024,
        ),
    ],
)
def test_venue_words_and_a_year_after_the_link_are_its_venue_and_year(
    line, venue, year
):
    paper = only_paper(f"## XAI\n\n{line}\n")

    assert (paper.venue, paper.year) == (venue, year)
    assert paper.venue_year == (year if venue else None)


@pytest.mark.parametrize(
    ("line", "title", "venue", "year"),
    [
        # Rule 8: a bracketed link text beside a title is a tag.
        (
            "- Some Domain Adaptation Method [[arXiv 13 Sep 2019]]"
            "(https://arxiv.org/abs/1909.06001)",
            "Some Domain Adaptation Method",
            None,
            2019,
        ),
        (
            "- A Third Domain Adaptation Method [[IEEE ACCESS]]"
            "(https://ieeexplore.ieee.org/document/9000001)",
            "A Third Domain Adaptation Method",
            "IEEE Access",
            None,
        ),
        # Rule 10: "<venue words> <year>" closing a bold title's citation.
        (
            "1. **Deep Learning on Graphs: A Survey.** IEEE TNN 2009. "
            "[paper](https://ieeexplore.ieee.org/document/4700287)",
            "Deep Learning on Graphs: A Survey",
            "TNN",
            2009,
        ),
    ],
)
def test_tags_and_venue_words_around_a_title_written_outside_its_link(
    line, title, venue, year
):
    paper = only_paper(f"## Papers\n\n{line}\n")

    assert (paper.title, paper.venue, paper.year) == (title, venue, year)


@pytest.mark.parametrize(
    ("text", "title"),
    [
        # A GB/T 7714 reference to a web page: its title, before "[EB/OL]".
        (
            "1. 王小惟. 强化学习从入门到放弃的资料[EB/OL]. "
            "<https://zhuanlan.zhihu.com/p/34918639>. 2018-03-25/2019-04-22.",
            "强化学习从入门到放弃的资料",
        ),
        # A name before an autolink; its "[[pdf]]" label and authors off.
        ("- Gensim: <https://radimrehurek.com/gensim/>", "Gensim"),
        (
            "- Improving distributional similarity with lessons learned, "
            "O. Levy et al. [[pdf]] (https://www.transacl.org/ojs/570/124)",
            "Improving distributional similarity with lessons learned",
        ),
        # A label is no name.
        ("- Homepage: https://cjerry1243.github.io/M3Act/", None),
    ],
)
def test_an_autolinked_resource_is_titled_by_the_name_before_it(text, title):
    (link,) = parse(f"## Resources\n\n{text}\n").links

    assert link.title == title


def test_a_link_with_no_target_titles_the_bare_url_below_it():
    text = (
        "## Detection\n\n"
        "1. [Receptive Field Block Net for Accurate and Fast Object Detection]()\n"
        "RBF [2017.11 - 2018.7]\n"
        "https://arxiv.org/abs/1711.07767\n"
    )
    paper = only_paper(text)

    assert paper.key == "arxiv:1711.07767"
    assert paper.title == (
        "Receptive Field Block Net for Accurate and Fast Object Detection"
    )
    assert not paper.title_is_short_name


def test_a_bold_title_over_labelled_links_one_without_its_colon():
    text = (
        "**Learning from Synthetic Human Group Activities**\n\n"
        "- Homepage: https://cjerry1243.github.io/M3Act/\n"
        "- Paper  https://arxiv.org/abs/2306.16772\n"
        "- Code: https://github.com/cjerry1243/M3Act\n"
    )
    parsed = parse(text)

    (paper,) = parsed.papers
    assert paper.title == "Learning from Synthetic Human Group Activities"
    assert parsed.repositories[0].papers == ("arxiv:2306.16772",)
    assert parsed.links[0].paper == "arxiv:2306.16772"


def test_a_malformed_title_link_still_titles_the_paper_linked_beside_it():
    text = (
        "1. [Path Aggregation Network for Instance Segmentation]"
        "(http:cn.//arxiv.org/abs/1803.01534)\n"
        "CVPR 2018 *2018-03-05* [paper](https://arxiv.org/abs/1803.01534)\n"
    )
    paper = only_paper(text)

    assert paper.title == "Path Aggregation Network for Instance Segmentation"
    assert (paper.venue, paper.date.isoformat()) == ("CVPR", "2018-03-05")


def test_a_second_paper_linked_as_a_dot_borrows_the_entrys_name():
    text = (
        "15.  [GFRNN](http://arxiv.org/pdf/1502.02367v3.pdf) "
        "[.](http://jmlr.org/proceedings/papers/v37/chung15.pdf)\n"
    )
    first, second = parse(text).papers

    assert (first.title, second.title) == ("GFRNN", "GFRNN")
    assert second.title_is_short_name


def test_a_pdf_link_beside_an_article_on_a_marked_title_takes_that_title():
    """Rule 8: "[《Title》](article) && [pdf](arXiv)": the article is about the
    paper the pdf link gives, and 《》 mark its title; "pdf" is no title."""
    parsed = parse(
        "* [《Bag of Tricks for Image Classification with CNN》]"
        "(https://zhuanlan.zhihu.com/p/53324148) && "
        "[pdf](https://arxiv.org/pdf/1812.01187.pdf)\n"
    )
    (paper,) = parsed.papers
    assert paper.title == "Bag of Tricks for Image Classification with CNN"
    (article,) = parsed.links
    assert article.paper == paper.key


@pytest.mark.parametrize(
    ("citation", "title"),
    [
        (
            "G.A. Rummery, M. Niranjan, On-line Q-learning using connectionist "
            "systems, Technical Report, Cambridge Univ., 1994.",
            "On-line Q-learning using connectionist systems",
        ),
        (
            "A. Author, Learning Things Deeply, PhD thesis, Some University, 2010.",
            "Learning Things Deeply",
        ),
    ],
)
def test_a_citation_of_a_report_or_thesis_loses_what_kind_of_document_it_is(
    citation, title
):
    assert citation_title(citation).text == title


def test_a_references_number_is_no_short_name():
    """ "**[28]** A. Author, "**Title**." [[pdf]](...)": 28 numbers the
    reference; a bold "[QRNN]" before a link is a short name."""
    parsed = parse(
        '**[28]** Le, Quoc V. "**Building high-level features using large scale '
        'unsupervised learning**." IEEE, 2013. [[pdf]](http://arxiv.org/pdf/1112.6209.pdf)\n\n'
        "**[QRNN]** [Quasi-Recurrent Neural Networks](https://arxiv.org/abs/1611.01576)\n"
    )
    assert [(p.title, p.short_name) for p in parsed.papers] == [
        ("Building high-level features using large scale unsupervised learning", None),
        ("Quasi-Recurrent Neural Networks", "QRNN"),
    ]


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("22. Dropout", "Dropout"),
        ("3) Deep Stuff Here", "Deep Stuff Here"),
        ("2.5D Vision", "2.5D Vision"),
        ("100 Layers Tiramisu", "100 Layers Tiramisu"),
    ],
)
def test_a_link_text_loses_the_lists_numbering(text, title):
    assert link_title(text).text == title


@pytest.mark.parametrize(
    ("line", "venue", "year"),
    [
        # A venue outside the vocabulary, with its year (rule 10).
        ("[[IJCNN 2019]](https://example.org/dadan.pdf)", "IJCNN", 2019),
        ("[[TMM 2022]](https://arxiv.org/abs/2106.05528)", "TMM", 2022),
        # One of the vocabulary, as the meta text gives it.
        ("[[AAAI2019]](https://example.org/dadan.pdf)", "AAAI", 2019),
        # A date is no venue; the arXiv id gives the year.
        ("[[23 Oct 2019]](https://arxiv.org/abs/1910.10320)", None, 2019),
        ("[[arXiv 2021]](https://example.org/dadan.pdf)", None, 2021),
    ],
)
def test_a_tag_as_the_link_text_after_a_title_names_its_venue_and_year(
    line, venue, year
):
    paper = only_paper(f"## Papers\n\n- Deep Adversarial Domain Adaptation {line}\n")

    assert (paper.title, paper.venue, paper.year) == (
        "Deep Adversarial Domain Adaptation",
        venue,
        year,
    )


def test_a_link_text_in_brackets_of_its_own_loses_them_as_a_title():
    parsed = parse(
        "## Super-resolution\n\n"
        "* Image Super-Resolution Using Deep Convolutional Networks "
        "[[Paper]](https://arxiv.org/abs/1501.00092) "
        "[[Web]](http://mmlab.ie.cuhk.edu.hk/projects/SRCNN.html) "
        "[[Video]](https://www.youtube.com/watch?v=x)\n"
    )

    assert {link.title for link in parsed.links} == {"Web", "Video"}


@pytest.mark.parametrize(
    ("written", "venue", "year"),
    [
        ("ICIP 2019 *2019-05-24*", "ICIP", 2019),
        ("**[ECML-PKDD' 18]**", "ECML-PKDD", 2018),
        ("ECML 2005.", "ECML", 2005),  # before it joined PKDD
        ("[[IEEE ACCESS]]", "IEEE Access", None),
        ("IEEE Transactions on Multimedia 2021", "TMM", 2021),
        ("[[Knowledge-Based Systems 2020]]", "Knowledge-Based Systems", 2020),
    ],
)
def test_the_usual_short_names_of_journals_and_smaller_conferences_are_venues(
    written, venue, year
):
    assert vocabulary.find_venue(written) == (venue, year)
