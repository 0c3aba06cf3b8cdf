"""Parsed reading lists for the curation and admin tests: a paper and its duplicate."""

from catalog import curation
from catalog.ingest.parsing import (
    LinkEntry,
    PaperEntry,
    ParsedList,
    RepositoryEntry,
    TopicEntry,
    TranslationEntry,
)

DL = ("Deep Learning",)
LSTM = ("Deep Learning", "LSTM")
RNN = ("Deep Learning", "RNN")
GATES = ("Deep Learning", "LSTM", "Gates")
AWD = "arxiv:1708.02182"
AWD_PDF = "url:example.org/awd-lstm.pdf"
AWD_REPO = "github.com/salesforce/awd-lstm-lm"


def paper(key=AWD, **fields) -> PaperEntry:
    defaults = {
        "title": "Regularizing and Optimizing LSTM Language Models",
        "url": "https://arxiv.org/abs/1708.02182",
        "line": 5,
        "year": 2017,
        "organisation": "Salesforce",
        "topics": (LSTM,),
        "lines": (5,),
    }
    if key.startswith("arxiv:"):
        defaults["arxiv_id"] = key.removeprefix("arxiv:")
    return PaperEntry(key=key, **{**defaults, **fields})


def repository(key=AWD_REPO, **fields) -> RepositoryEntry:
    host, owner, name = key.split("/")
    defaults = {
        "url": f"https://{key}",
        "line": 7,
        "framework": "pytorch",
        "topics": (LSTM,),
        "papers": (AWD,),
    }
    return RepositoryEntry(
        key=key, host=host, owner=owner, name=name, **{**defaults, **fields}
    )


def reading_list(name="a.md", **fields) -> ParsedList:
    """Topics DL > LSTM > Gates, a paper with a repository, translation and link."""
    defaults = {
        "title": f"List {name}",
        "topics": (TopicEntry(DL, 1), TopicEntry(LSTM, 3), TopicEntry(GATES, 4)),
        "papers": (paper(),),
        "repositories": (repository(),),
        "translations": (
            TranslationEntry(url="https://example.cn/awd", paper=AWD, line=6),
        ),
        "links": (
            LinkEntry(
                url="https://blog.example/awd",
                line=9,
                title="AWD explained",
                kind="blog",
                topics=(LSTM,),
                paper=AWD,
            ),
        ),
    }
    return ParsedList(name=name, **{**defaults, **fields})


def duplicate_list() -> ParsedList:
    """A second list writing the same paper under another key, with its own rows."""
    return reading_list(
        "b.md",
        topics=(TopicEntry(DL, 1), TopicEntry(RNN, 2)),
        papers=(
            paper(
                AWD_PDF,
                url="https://example.org/awd-lstm.pdf",
                title="AWD-LSTM",
                venue="ICLR",
                topics=(RNN,),
                line=3,
                lines=(3, 4),
            ),
        ),
        repositories=(
            repository(papers=(AWD_PDF,), topics=(RNN,), line=5),
            repository("github.com/other/awd", papers=(AWD_PDF,), topics=(), line=6),
        ),
        translations=(
            TranslationEntry(url="https://example.cn/awd-2", paper=AWD_PDF, line=7),
        ),
        links=(
            LinkEntry(
                url="https://forum.example/awd",
                line=8,
                title="Discussion",
                paper=AWD_PDF,
                topics=(RNN,),
            ),
        ),
    )


def relations(obj) -> dict[str, set]:
    """Everything that points at ``obj``, per relation, as comparable ids."""
    found = {}
    for relation in curation.RELATIONS[type(obj)]:
        rows = relation.model.objects.filter(**{relation.fk: obj.pk})
        column = relation.other or "pk"
        found[relation.label] = set(rows.values_list(column, flat=True))
    return found


def union(*mappings) -> dict[str, set]:
    return {k: set().union(*(m[k] for m in mappings)) for k in mappings[0]}
