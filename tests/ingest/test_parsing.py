"""The markdown parser on small strings: no database, no Django."""

import datetime
import hashlib

import pytest

from catalog.ingest.parsing import ParseError, classify_url, decode_list_bytes
from catalog.ingest.parsing import parse_reading_list as parse
from catalog.ingest.parsing.urls import document_address


def only_paper(text):
    papers = parse(text).papers
    assert len(papers) == 1, papers
    return papers[0]


class UrlTests:
    @pytest.mark.parametrize(
        "url",
        [
            "https://arxiv.org/abs/1708.02182",
            "http://arxiv.org/abs/1708.02182v3",
            "https://arxiv.org/pdf/1708.02182.pdf",
            "https://arxiv.org/pdf/1708.02182v2.pdf",
            "http://cn.arxiv.org/abs/1708.02182",
            "https://export.arxiv.org/abs/1708.02182",
            "https://arxiv.org/abs/1708.02182?context=cs",
        ],
    )
    def test_every_arxiv_shape_gives_the_same_key(self, url):
        assert classify_url(url).key == "arxiv:1708.02182"

    def test_old_style_arxiv_ids_are_kept_whole(self):
        target = classify_url("https://arxiv.org/pdf/cs/9901002v1.pdf")
        assert (target.key, target.arxiv_id) == ("arxiv:cs/9901002", "cs/9901002")

    @pytest.mark.parametrize(
        "url",
        [
            "https://github.com/Salesforce/AWD-LSTM-LM",
            "https://github.com/salesforce/awd-lstm-lm.git",
            "https://github.com//salesforce/awd-lstm-lm/",
            "https://www.github.com/salesforce/awd-lstm-lm/blob/master/x.py",
        ],
    )
    def test_repository_urls_normalise_to_owner_and_name(self, url):
        target = classify_url(url)
        assert (target.kind, target.key) == (
            "repository",
            "github.com/salesforce/awd-lstm-lm",
        )

    @pytest.mark.parametrize(
        "url",
        [
            "https://github.com/kjw0612",
            "https://colah.github.io/posts/lstm/",
            "https://github.com/topics/nlp",
            "https://cvpr2023.thecvf.com/",
            "https://openreview.net/group?id=ICLR.cc/2024/Conference",
            "https://openaccess.thecvf.com/CVPR2023",
            "https://openaccess.thecvf.com/CVPR2023?day=all",
        ],
    )
    def test_profiles_and_conference_pages_are_not_repositories_or_papers(self, url):
        assert classify_url(url).kind == "other"

    @pytest.mark.parametrize(
        "url",
        [
            "https://www.hds.utc.fr/~b/doku.php?id=p&media=en:bordes12aistats.pdf",
            "https://example.org/download?file=reports%2Ftr166.pdf&lang=en",
        ],
    )
    def test_a_pdf_served_by_a_script_is_a_paper(self, url):
        """Rule 11: a PDF wherever hosted, also one a parameter names."""
        target = classify_url(url)
        assert (target.kind, target.key) == ("paper", "url:" + url.split("://")[1])

    @pytest.mark.parametrize(
        ("keys", "same"),
        [
            (
                [
                    "url:openaccess.thecvf.com/content_ICCV_2017/papers/"
                    "He_Mask_R-CNN_ICCV_2017_paper.pdf",
                    "url:openaccess.thecvf.com/content_iccv_2017/html/"
                    "He_Mask_R-CNN_ICCV_2017_paper.html",
                    "url:www.cv-foundation.org/openaccess/content_iccv_2017/papers/"
                    "He_Mask_R-CNN_ICCV_2017_paper.pdf",
                ],
                True,
            ),
            (
                [
                    "url:papers.nips.cc/paper/4824-imagenet-classification.pdf",
                    "url:papers.nips.cc/paper/4824-imagenet-classification",
                ],
                True,
            ),
            (
                [
                    "url:papers.nips.cc/paper/2020/file/"
                    "1457c0d6bfcb4967418bfb8ac142f64a-Paper.pdf",
                    "url:proceedings.neurips.cc/paper/2020/hash/"
                    "1457c0d6bfcb4967418bfb8ac142f64a-Abstract.html",
                ],
                True,
            ),
            (
                [
                    "url:jmlr.org/proceedings/papers/v37/chung15.pdf",
                    "url:www.jmlr.org/proceedings/papers/v37/chung15.pdf",
                    "url:proceedings.mlr.press/v37/chung15.html",
                    "url:proceedings.mlr.press/v37/chung15/chung15.pdf",
                ],
                True,
            ),
            (
                [
                    "url:aclweb.org/anthology/D/D15/D15-1041.pdf",
                    "url:aclanthology.org/D15-1041",
                    "url:www.aclweb.org/anthology/D15-1041/",
                ],
                True,
            ),
            (
                [
                    "url:openreview.net/pdf?id=HyeVtoRqtQ",
                    "url:openreview.net/forum?id=HyeVtoRqtQ",
                ],
                True,
            ),
            (
                [
                    "url:www.ijcai.org/proceedings/2017/0486.pdf",
                    "url:ijcai.org/Proceedings/2017/0486",
                ],
                True,
            ),
            (
                [
                    "url:doi.org/10.1038/s41586-019-1724-z",
                    "url:www.nature.com/articles/s41586-019-1724-z.epdf",
                    "url:dx.doi.org/doi:10.1038/S41586-019-1724-Z",
                ],
                True,
            ),
            (["url:www.example.org/a/b.pdf", "url:example.org/a/b.pdf"], True),
            # A supplement, another paper, another path's case: other documents.
            (
                [
                    "url:proceedings.mlr.press/v37/chung15.pdf",
                    "url:proceedings.mlr.press/v37/chung15-supp.pdf",
                ],
                False,
            ),
            (
                [
                    "url:papers.nips.cc/paper/4824-imagenet-classification",
                    "url:papers.nips.cc/paper/4825-other",
                ],
                False,
            ),
            (["url:example.org/A.pdf", "url:example.org/a.pdf"], False),
            (
                [
                    "url:openreview.net/pdf?id=HyeVtoRqtQ",
                    "url:openreview.net/pdf?id=hyevtorqtq",
                ],
                False,
            ),
        ],
    )
    def test_addresses_of_one_document_share_its_address(self, keys, same):
        assert (len({document_address(key) for key in keys}) == 1) == same

    def test_only_a_url_key_has_a_document_address(self):
        assert document_address("arxiv:1703.06870") is None
        assert document_address("title:deep learning") is None

    def test_a_page_whose_parameter_is_no_pdf_is_no_paper(self):
        assert classify_url("https://example.org/view?doc=notes.html").kind == "other"

    @pytest.mark.parametrize(
        "url",
        [
            "https://openaccess.thecvf.com/content/CVPR2023/html/X_CVPR_2023_paper.html",
            "https://aclanthology.org/2020.acl-main.1/",
            "https://www.ijcai.org/Proceedings/16/Papers/123.pdf",
            "https://ojs.aaai.org/index.php/AAAI/article/view/16826",
            "https://dl.acm.org/doi/10.1145/3292500.3330919",
            "https://ieeexplore.ieee.org/document/8578843",
            "https://link.springer.com/article/10.1007/s11263-019-01247-4",
            "https://www.sciencedirect.com/science/article/pii/S1566253523001",
            "https://www.biorxiv.org/content/10.1101/2020.12.15.422761v1",
            "https://doi.org/10.1038/nature14539",
            "https://proceedings.mlr.press/v139/radford21a.html",
        ],
    )
    def test_proceedings_and_publisher_pages_are_papers(self, url):
        target = classify_url(url)
        assert (target.kind, target.landing) == ("paper", False)

    @pytest.mark.parametrize(
        "url",
        [
            "https://openreview.net/forum?id=H1gsz30cKX",
            "https://www.semanticscholar.org/paper/Attention-is-All-you-Need/204e30",
        ],
    )
    def test_forums_and_index_pages_are_landing_pages_of_a_paper(self, url):
        target = classify_url(url)
        assert (target.kind, target.landing) == ("paper", True)

    def test_a_landing_page_beside_a_paper_link_is_an_other_of_that_paper(self):
        parsed = parse(
            "- [Fixup](https://arxiv.org/abs/1901.09321)"
            " [openreview](https://openreview.net/forum?id=H1gsz30cKX)\n"
            "- [Alone](https://openreview.net/forum?id=Zz)\n"
        )
        assert [p.key for p in parsed.papers] == [
            "arxiv:1901.09321",
            "url:openreview.net/forum?id=Zz",
        ]
        assert [(link.url, link.paper) for link in parsed.links] == [
            ("https://openreview.net/forum?id=H1gsz30cKX", "arxiv:1901.09321")
        ]

    def test_paper_hosts_and_pdfs_key_by_url_without_scheme(self):
        assert classify_url("https://openreview.net/pdf?id=Hk").key == (
            "url:openreview.net/pdf?id=Hk"
        )
        assert classify_url("http://www.cs.toronto.edu/~x/thesis.pdf/").key == (
            "url:www.cs.toronto.edu/~x/thesis.pdf"
        )


class PaperEntryTests:
    def test_suffix_gives_organisation_and_year_and_leaves_the_title(self):
        paper = only_paper(
            "- [Regularizing LSTMs - Salesforce2017](https://arxiv.org/abs/1708.02182)"
        )
        assert (paper.title, paper.organisation, paper.year) == (
            "Regularizing LSTMs",
            "Salesforce",
            2017,
        )

    def test_a_suffix_whose_year_is_cut_short_gives_the_organisation_alone(self):
        paper = only_paper(
            "[Fast and space-efficient entity linking in queries - Yahoo201]"
            "(https://www.dc.fi.udc.es/~roi/publications/wsdm2015.pdf)"
        )
        assert (paper.title, paper.organisation, paper.year) == (
            "Fast and space-efficient entity linking in queries",
            "Yahoo",
            None,
        )

    def test_name_before_the_link_is_the_short_name(self):
        paper = only_paper(
            "- QRNN: [Quasi-Recurrent Networks](https://arxiv.org/abs/1611.01576)"
        )
        assert (paper.short_name, paper.title) == ("QRNN", "Quasi-Recurrent Networks")

    def test_venue_and_date_line_gives_neurips_and_the_date(self):
        paper = only_paper(
            "1. [Exploding gradients](http://cn.arxiv.org/abs/1801.03744)\n"
            "NIPS 2018 *2018-01-11* [paper](https://arxiv.org/abs/1801.03744)\n"
        )
        assert (paper.venue, paper.venue_year, paper.date, paper.year) == (
            "NeurIPS",
            2018,
            datetime.date(2018, 1, 11),
            2018,
        )
        assert paper.alt_urls == ("https://arxiv.org/abs/1801.03744",)

    @pytest.mark.parametrize(
        ("text", "venue", "year"),
        [
            ("CVPR'19", "CVPR", 2019),
            ("**[CVPR' 14]**", "CVPR", 2014),
            ("(JAIR 1996)", "JAIR", 1996),
            ("ICML 2019 workshop", "ICML Workshop", 2019),
            ("CVPRW2021", "CVPR Workshop", 2021),
            ("cvpr2018", "CVPR", 2018),
            ("NeurIPS 2021 oral", "NeurIPS", 2021),
            ("ECCV (2016)", "ECCV", 2016),
            ("Nature 521.7553 (2015): 436-444.", "Nature", 2015),
            ("(IEEE Big Data 2020)", "IEEE Big Data", 2020),
            ("[NPJ  Digit. Med. 2025]", "NPJ Digit. Med.", 2025),
            ("(Dec 2014)", None, None),
            ("[Arxiv 27 May 2021]", None, None),
        ],
    )
    def test_venue_spellings(self, text, venue, year):
        paper = only_paper(
            f"- Some Paper Title {text} [pdf](https://arxiv.org/abs/1901.00001)"
        )
        assert (paper.venue, paper.venue_year) == (venue, year)

    def test_generic_link_text_takes_the_title_from_the_bold_span(self):
        paper = only_paper(
            '**[14]** Hinton, et al. "**Improving neural networks by preventing '
            'co-adaptation**." arXiv preprint arXiv:1207.0580 (2012). '
            "[[pdf]](https://arxiv.org/pdf/1207.0580.pdf)"
        )
        assert paper.title == "Improving neural networks by preventing co-adaptation"
        assert (paper.key, paper.year) == ("arxiv:1207.0580", 2012)

    def test_arxiv_id_written_only_as_text_is_a_paper(self):
        paper = only_paper(
            "**[16]** Finn, C. (2017). **Model-Agnostic Meta-Learning for Fast "
            "Adaptation**. arXiv preprint arXiv:1703.03400."
        )
        assert (paper.key, paper.url) == (
            "arxiv:1703.03400",
            "https://arxiv.org/abs/1703.03400",
        )

    def test_alias_in_bold_brackets_is_the_short_name(self):
        paper = only_paper(
            "- **[R-CNN]** Rich feature hierarchies for detection | **[CVPR' 14]** |"
            "[`[pdf]`](https://arxiv.org/pdf/1311.2524.pdf)"
        )
        assert (paper.short_name, paper.title, paper.venue) == (
            "R-CNN",
            "Rich feature hierarchies for detection",
            "CVPR",
        )

    def test_notes_are_the_prose_lines_under_the_entry_verbatim(self):
        paper = only_paper(
            "- [A Paper - 2019](https://arxiv.org/abs/1901.00001)\n\n"
            "    first  line   \n\n    second line\n"
        )
        assert paper.notes == "first  line\nsecond line"

    def test_the_same_paper_twice_is_one_record_with_both_topics(self):
        parsed = parse(
            "# A\n- [X - Org2017](https://arxiv.org/abs/1708.02182)\n"
            "# B\n[X - 2017](http://arxiv.org/pdf/1708.02182v2.pdf)\n"
        )
        (paper,) = parsed.papers
        assert paper.topics == (("A",), ("B",))
        assert paper.organisation == "Org"

    def test_a_year_outside_the_sane_range_is_dropped(self):
        paper = only_paper("- [Old paper - 1066](https://example.org/old.pdf)")
        assert paper.year is None


class RepositoryAndLinkTests:
    def test_framework_from_link_text_or_parenthesised_marker(self):
        parsed = parse(
            "- [P](https://arxiv.org/abs/1901.00001) | [pytorch](https://github.com/a/b)\n"
            "- <https://github.com/c/d> (Keras)\n"
            "- [`[official code - caffe]`](https://github.com/e/f)\n"
        )
        frameworks = {r.key: r.framework for r in parsed.repositories}
        assert frameworks == {
            "github.com/a/b": "pytorch",
            "github.com/c/d": "keras",
            "github.com/e/f": "caffe",
        }
        assert parsed.repositories[0].papers == ("arxiv:1901.00001",)

    def test_chinese_label_in_a_paper_entry_is_a_translation(self):
        parsed = parse(
            "- [P - 2019](https://arxiv.org/abs/1901.00001)\n\n"
            "    **Chinese**：[译文](https://zhuanlan.zhihu.com/p/1)\n"
        )
        (translation,) = parsed.translations
        assert (translation.paper, translation.language, translation.title) == (
            "arxiv:1901.00001",
            "zh",
            "译文",
        )

    def test_kind_heading_sets_the_kind_of_links_until_the_next_heading(self):
        parsed = parse(
            "# T\n#### Course\n- [C](https://c.example)\n"
            "#### Tool\n- [Tl](https://t.example)\n# U\n- [L](https://l.example)\n"
        )
        assert {link.url: link.kind for link in parsed.links} == {
            "https://c.example": "course",
            "https://t.example": "tool",
            "https://l.example": "link",
        }
        assert [t.path for t in parsed.topics] == [("T",), ("U",)]

    def test_badges_images_anchors_and_back_to_top_are_not_resources(self):
        parsed = parse(
            "# A [![Awesome](https://img.shields.io/b.svg)](https://github.com/x/y)\n"
            "![logo](https://example.org/logo.png)\n\n"
            "[Back to Top](#contents)\n"
        )
        assert (parsed.papers, parsed.repositories, parsed.links) == ((), (), ())
        assert parsed.topics[0].path == ("A",)

    def test_html_comments_hide_what_they_contain(self):
        parsed = parse("<!--\n- [Hidden](https://arxiv.org/abs/1901.00001)\n-->\n")
        assert parsed.papers == ()

    def test_links_that_are_not_web_addresses_are_warnings_with_their_line(self):
        parsed = parse(
            "# A\n\n- [Click](javascript:alert(document.domain))\n"
            "- [Data](data:text/html,hi)\n- [Nowhere](https://)\n"
            "- [Real](https://example.org/real)\n"
        )
        assert [link.url for link in parsed.links] == ["https://example.org/real"]
        assert [
            (w.line, "not an http(s) address" in w.message) for w in parsed.warnings
        ] == [
            (3, True),
            (4, True),
            (5, True),
        ]

    def test_a_link_without_target_is_a_warning_with_its_line(self):
        parsed = parse("# A\n\n- [Receptive Field Block Net]()\n")
        assert [(w.line, "no target" in w.message) for w in parsed.warnings] == [
            (3, True)
        ]


class DocumentTests:
    def test_front_matter_title_is_the_list_title_not_a_topic(self):
        parsed = parse('---\nlayout: post\ntitle:  "My List"\n---\n# One\n')
        assert parsed.title == "My List"
        assert [t.path for t in parsed.topics] == [("One",)]

    def test_numbering_is_stripped_and_levels_nest(self):
        parsed = parse(
            "# 3. Deep Learning\n## 3.1 CNN\n#### 3.1.1 ResNet\n## 一. 入门\n"
        )
        assert [t.path for t in parsed.topics] == [
            ("Deep Learning",),
            ("Deep Learning", "CNN"),
            ("Deep Learning", "CNN", "ResNet"),
            ("Deep Learning", "入门"),
        ]

    def test_year_headings_give_a_year_not_a_topic(self):
        parsed = parse(
            "# Papers by year\n## 2018\n| Title | Conf | Code |\n|---|---|---|\n"
            "| [Vid2Vid](https://arxiv.org/abs/1808.06601) | NIPS | "
            "[code](https://github.com/NVIDIA/vid2vid) |\n"
        )
        (paper,) = parsed.papers
        (repository,) = parsed.repositories
        assert (paper.year, paper.venue, repository.papers) == (
            2018,
            "NeurIPS",
            (paper.key,),
        )
        assert [t.path for t in parsed.topics] == [("Papers by year",)]

    def test_bom_zero_width_nbsp_and_crlf_are_harmless(self):
        parsed = parse(
            "\ufeff# Title\r\n\r\n1.\u00a0[P](https://arxiv.org/abs/1901.00001)\r\n"
            "*2019-01-02*\u200b[paper](https://arxiv.org/abs/1901.00001)\r\n"
        )
        (paper,) = parsed.papers
        assert (paper.date, paper.line) == (datetime.date(2019, 1, 2), 3)

    def test_bold_title_with_key_value_bullets_is_one_entry(self):
        parsed = parse(
            "# Backbone\n\n**RepViT: Revisiting Mobile CNN**\n\n"
            "- Paper: https://arxiv.org/abs/2307.09283\n"
            "- Code: https://github.com/THU-MIG/RepViT\n"
        )
        (paper,) = parsed.papers
        assert paper.title == "RepViT: Revisiting Mobile CNN"
        assert [(r.key, r.papers) for r in parsed.repositories] == [
            ("github.com/thu-mig/repvit", (paper.key,))
        ]

    def test_prose_before_the_first_entry_describes_the_topic(self):
        parsed = parse("# T\n\nAbout T.\n\n- [P](https://arxiv.org/abs/1901.00001)\n")
        assert parsed.topics[0].description == "About T."


class DecodeTests:
    def test_utf8_with_bom_decodes(self):
        assert decode_list_bytes("\ufeff# 标题".encode(), name="a.md") == "# 标题"

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            (b"", "a.md: file is empty"),
            (b"# x\n\x00", "a.md:2: binary file"),
            (b"# x\n\nok\n\xff", "a.md:4: not UTF-8"),
            (b"\xff\xfe#\x00", "a.md: file is UTF-16"),
        ],
    )
    def test_bad_bytes_name_the_file_and_line(self, data, message):
        with pytest.raises(ParseError, match=message):
            decode_list_bytes(data, name="a.md")

    @pytest.mark.parametrize("encoding", ["utf-32-le", "utf-32-be"])
    def test_utf32_is_refused_by_its_own_name_as_utf16_is(self, encoding):
        """A UTF-32 list (its little-endian mark starts as UTF-16's does) is
        refused naming UTF-32: it is not decoded, as UTF-16 is not."""
        data = "\ufeff# 标题\n".encode(encoding)

        with pytest.raises(ParseError, match=r"a.md: file is UTF-32; save it as UTF-8"):
            decode_list_bytes(data, name="a.md")


class ListFileTests:
    """A list's bytes are checked, then parsed, a block at a time: the same
    errors and the same lines as its bytes decoded whole."""

    BAD = [
        b"",
        b" \r\n\xef\xbb\xbf\n",
        b"# x\n\x00",
        b"# x\n\nok\n\xff",
        b"\xff\xfe#\x00",
        b"\xff\xfe\x00\x00#\x00\x00\x00",
        b"\xef\xbb\xbf# x\nab\xff\n",
        b"# x\n\xff\n" + b"y\n" * 5 + b"\x00",  # a NUL is reported first
        b"# x\n" + b"y\n" * 5 + "é".encode() + b"\xe9\n",
    ]

    @pytest.mark.parametrize("data", BAD)
    @pytest.mark.parametrize("block", [1, 4, 1 << 20])
    def test_bad_bytes_give_the_error_decoding_gives(self, monkeypatch, data, block):
        from catalog.ingest import parsing
        from catalog.ingest.parsing import source as source_stage

        monkeypatch.setattr(source_stage, "READ_BLOCK", block)
        with pytest.raises(ParseError) as whole:
            decode_list_bytes(data, name="a.md")
        with pytest.raises(ParseError) as checked:
            parsing.check_list_bytes(data, path="a.md")

        assert str(checked.value) == str(whole.value)

    def test_an_invalid_byte_after_a_bom_is_named_at_its_offset(self):
        with pytest.raises(ParseError, match="invalid byte 0xff at offset 5"):
            decode_list_bytes(b"\xef\xbb\xbfab\xff", name="a.md")

    @pytest.mark.parametrize(
        "text",
        [
            "# T\r\n\r\n- [P](https://arxiv.org/abs/1901.00001)\r\n",
            "\ufeff# T\r- a\r\r- b",
            "# T\n\n- a\n\n",
            "# T",
            "---\ntitle: Front\n---\n# T\n- [P](https://arxiv.org/abs/1901.00001)\n",
        ],
    )
    @pytest.mark.parametrize("block", [1, 1 << 20])
    def test_a_file_parses_as_its_text(self, monkeypatch, text, block):
        from catalog.ingest import parsing
        from catalog.ingest.parsing import source as source_stage

        monkeypatch.setattr(source_stage, "READ_BLOCK", block)
        source = parsing.check_list_bytes(text.encode(), path="a.md")
        decoded = decode_list_bytes(text.encode(), name="a.md")

        assert list(source.lines()) == source_stage.normalise(decoded).split("\n")
        assert source.sha256 == hashlib.sha256(text.encode()).hexdigest()
        assert source.size == len(text.encode())
        assert parsing.parse_list_file(source, name="a.md") == parse(
            decoded, name="a.md"
        )

    def test_a_reference_definition_is_seen_across_blocks(self, monkeypatch):
        from catalog.ingest import parsing
        from catalog.ingest.parsing import source as source_stage

        monkeypatch.setattr(source_stage, "READ_BLOCK", 1)
        data = b"# T\n\n- [P][p]\n\n[p]:\n  https://arxiv.org/abs/1901.00001\n"

        source = parsing.check_list_bytes(data, path="a.md")

        assert source.references
        assert [p.key for p in parsing.parse_list_file(source, name="a.md").papers] == [
            "arxiv:1901.00001"
        ]


class SharedValuesTests:
    def test_entries_share_equal_topic_paths_years_and_organisations(self):
        """A long list's records hold one object per repeated value, not one
        per entry (they stay in memory until the list is written)."""
        parsed = parse(
            "# List\n\n## Vision\n\n"
            "- [Paper one - Google2017](https://arxiv.org/abs/1708.00001)\n"
            "- [Paper two - Google2017](https://arxiv.org/abs/1708.00002)\n"
            "\n## NLP\n\n"
            "- [Paper three - Google2017](https://arxiv.org/abs/1708.00003)\n"
        )
        one, two, three = parsed.papers

        assert one.topics == two.topics == (("List", "Vision"),)
        assert one.topics is two.topics
        assert one.year == three.year == 2017
        assert one.year is two.year is three.year
        assert one.organisation is three.organisation
        assert three.topics == (("List", "NLP"),)


class SectionTests:
    def test_long_lists_parse_in_sections_exactly_as_in_one_piece(self):
        """Sections cut at left-margin headings, never inside code or comments."""
        from catalog.ingest.parsing.entries import ListWalker
        from tests.golden import LIST_DIR, SEEDS

        text = "\n".join(
            (LIST_DIR / f"{seed}.txt").read_text(encoding="utf-8") for seed in SEEDS
        )
        text += "\n```\n# not a heading\n```\n<!--\n# hidden\n-->\n# Last\n"

        lines = text.split("\n")
        whole = ListWalker("x.md", section_lines=10**9).run(lines, references=False)
        pieces = ListWalker("x.md", section_lines=5).run(lines, references=False)

        assert pieces == whole
        assert [t.path for t in pieces.topics][-1] == ("Last",)

    def test_a_list_walked_in_sections_gives_what_it_gives_whole(self, monkeypatch):
        from catalog.ingest import parsing
        from tests.golden import LIST_DIR, SEEDS

        text = "\n".join(
            (LIST_DIR / f"{seed}.txt").read_text(encoding="utf-8") for seed in SEEDS
        )
        text += "\n# Broken\n\n- [No target]()\n"  # a warning, late in the list
        whole = parsing.parse_reading_list(text, name="x.md")
        monkeypatch.setattr(parsing, "SECTION_LINES", 5)

        sections = parsing.parse_reading_list(text, name="x.md")

        assert sections == whole
        assert sections.warnings and sections.warnings == whole.warnings


def deep_list(depth, *, before=3, after=3):
    """Papers, then bullets nested one level deeper each, ``depth`` levels
    below the last paper, a link on each, then more papers: the bullet
    ``level`` levels down is on line ``before + 2 + level``."""
    lines = ["# T", ""]
    lines += [f"- [P{n}](https://arxiv.org/abs/1901.{n:05d})" for n in range(before)]
    lines += [
        "  " * level + f"- note [{level}](https://example.org/{level})"
        for level in range(1, depth + 1)
    ]
    lines += [
        f"- [P{n}](https://arxiv.org/abs/1901.{n:05d})"
        for n in range(before, before + after)
    ]
    return "\n".join(lines) + "\n"


class NestingTests:
    """markdown-it stops reading where nesting reaches its limit: a list
    nested that deeply fails naming the line, never loses its rest."""

    def test_ten_levels_of_notes_keep_every_later_entry(self):
        parsed = parse(deep_list(10, before=3, after=97))

        assert len(parsed.papers) == 100
        assert {link.url for link in parsed.links} >= {
            f"https://example.org/{level}" for level in range(1, 11)
        }

    def test_fifteen_levels_of_bullets_and_quotes_parse_whole(self):
        """Real lists nest notes and quotes inside bullets: all of it is read."""
        lines = ["# T", ""]
        for level in range(15):
            indent = "  " * level
            lines.append(
                f"{indent}- [P{level}](https://arxiv.org/abs/1901.{level:05d})"
            )
            lines.append(f"{indent}  > quoted [q{level}](https://example.org/q{level})")
        lines.append("- [Last](https://arxiv.org/abs/1902.00001)")

        parsed = parse("\n".join(lines))

        assert len(parsed.papers) == 16
        assert len(parsed.links) == 15

    @pytest.mark.parametrize(
        ("text", "line"),
        [
            (deep_list(60), 3 + 2 + 49),
            ("# T\n\n" + "- " * 3000 + "[P](https://arxiv.org/abs/1901.00001)", 3),
            ("# T\n\n" + "> " * 3000 + "- " * 3000 + "x", 3),
        ],
        ids=["60-levels", "3000-bullets", "3000-quotes-and-bullets"],
    )
    def test_a_list_nested_past_the_limit_fails_at_the_line_reaching_it(
        self, text, line
    ):
        """A bullet level takes two levels of MAX_NESTING (100): the text of
        the bullet 49 levels down is the first markdown-it would drop. 3,000
        levels give the same error, never a RecursionError."""
        with pytest.raises(ParseError) as error:
            parse(text, name="deep.md")

        assert (error.value.name, error.value.line) == ("deep.md", line)
        assert "nested too deeply" in str(error.value)

    def test_quotes_nested_past_the_limit_fail_at_their_line(self):
        text = "# T\n\n- [P](https://arxiv.org/abs/1901.00001)\n\n" + ">" * 150 + " x\n"

        with pytest.raises(ParseError, match=r"^<string>:5: nested too deeply"):
            parse(text)

    def test_brackets_nested_past_the_limit_fail_at_their_line(self):
        """The inline parser has the same limit (it would read the links
        after it as plain text): the line within the paragraph is named."""

        def bracketed(n):
            return f"{'[' * n}[P](https://arxiv.org/abs/1901.00001){']' * n}"

        with pytest.raises(ParseError, match=r"^<string>:4: nested too deeply"):
            parse(f"# T\n\n- first line\n  second {bracketed(150)}\n")
        assert [p.key for p in parse(f"- first\n  {bracketed(99)}").papers] == [
            "arxiv:1901.00001"
        ]

    def test_every_way_of_parsing_fails_at_the_same_line(self, monkeypatch):
        """Sections walked, a list with reference definitions (parsed in one
        piece) and a list's bytes: the same error."""
        from catalog.ingest import parsing

        head = "# Head\n\n" + "- [P](https://arxiv.org/abs/1901.00001)\n" * 30
        text = head + "# Deep\n\n" + deep_list(60).removeprefix("# T\n\n")
        line = 2 + 30 + 2 + 3 + 49  # the bullet 49 levels down
        monkeypatch.setattr(parsing, "SECTION_LINES", 10)
        ways = {
            "sections": lambda: parse(text, name="x.md"),
            "references": lambda: parse(text + "\n[r]: https://x.org\n", name="x.md"),
            "bytes": lambda: parsing.parse_list_file(
                parsing.check_list_bytes(text.encode(), path="x.md"), name="x.md"
            ),
        }
        for way, run in ways.items():
            with pytest.raises(ParseError) as error:
                run()
            assert error.value.line == line, way
            assert error.value.message.startswith("nested too deeply"), way

    def test_the_error_crosses_from_a_worker_process_with_its_line(self):
        """The importer may parse in a worker process: its ParseError pickles."""
        import pickle

        error = pickle.loads(pickle.dumps(ParseError("deep", name="x.md", line=51)))

        assert (error.message, error.name, error.line) == ("deep", "x.md", 51)
        assert str(error) == "x.md:51: deep"


class ListVenueTests:
    def test_the_venue_in_the_list_title_applies_to_entries_without_their_own(self):
        parsed = parse(
            "# CVPR 2024 论文和开源项目合集\n\n# 视频理解\n\n"
            "- [MVBench](https://arxiv.org/abs/2311.17005)\n"
            "- [Other](https://arxiv.org/abs/2311.17006) ICLR 2024\n"
        )
        assert [(p.venue, p.venue_year, p.year) for p in parsed.papers] == [
            ("CVPR", 2024, 2024),
            ("ICLR", 2024, 2024),
        ]

    def test_a_venue_column_takes_the_year_of_the_heading_above(self):
        parsed = parse(
            "## 2018\n\n| Title | Conf |\n|---|---|\n"
            "| [Non-Local](http://openaccess.thecvf.com/x_CVPR_2018.pdf) | CVPR |\n"
        )
        assert [(p.venue, p.venue_year) for p in parsed.papers] == [("CVPR", 2018)]

    def test_a_bold_venue_label_takes_the_year_heading_above(self):
        parsed = parse(
            "### 2021\n\n**NeurIPS**\n\n- XCiT [[paper](https://arxiv.org/abs/2106.09681)]\n"
        )
        assert [(p.venue, p.venue_year) for p in parsed.papers] == [("NeurIPS", 2021)]
