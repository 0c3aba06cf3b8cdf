"""What a link points at: a paper (arXiv or a paper host), a repository, or other.

Rule 2 (paper keys) and rule 3 (repository keys) of tests/golden/RULES.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from catalog.weburls import ARXIV_ID, ARXIV_URL_RE, url_key

ARXIV_TEXT_RE = re.compile(
    rf"(?<![\w/.])arxiv\s*(?:preprint\s*)?(?:arxiv)?\s*[:：]?\s*({ARXIV_ID})(v\d+)?"
    r"(?![\d])",
    re.IGNORECASE,
)
_PAPER_HOSTS = (
    "openreview.net/pdf",
    "papers.nips.cc",
    "proceedings.neurips.cc",
    "papers.neurips.cc",
    "proceedings.mlr.press",
    "jmlr.org/papers",
    "jmlr.org/proceedings",
    "openaccess.thecvf.com",
    "aclweb.org/anthology",
    "aclanthology.org",
    "aclanthology.info",
    "ieeexplore.ieee.org/document",
    "ieeexplore.ieee.org/abstract",
    "dl.acm.org/doi",
    "dl.acm.org/citation",
    "doi.org",
    "link.springer.com",
    "semanticscholar.org/paper",
    "ojs.aaai.org",
    "aaai.org/ojs",
    "ijcai.org/proceedings",
    "jair.org",
    "nature.com/articles",
    "science.org/doi",
    "openreview.net/attachment",
    "openreview.net/forum",
    "ieeexplore.ieee.org/stamp",
    "ieeexplore.ieee.org/xpl/articledetails",
    "aaai.org/ocs",
    "aaai.org/papers",
    "aaai.org/library",
    "sciencedirect.com/science/article",
    "biorxiv.org/content",
    "medrxiv.org/content",
    "pnas.org/doi",
    "mdpi.com",
    "frontiersin.org/articles",
    "pubmed.ncbi.nlm.nih.gov",
    "ncbi.nlm.nih.gov/pmc/articles",
    "bmvc2019.org/wp-content",
    "isca-speech.org/archive",
    "researchgate.net/publication",
)
# Landing pages of a paper (rule 11): the entry's paper only when it has no
# better paper link; beside one, an other link of that paper.
_LANDING_HOSTS = ("openreview.net/forum", "semanticscholar.org/paper")
# A bare domain of _PAPER_HOSTS also names its subdomains (www., papers.).
_PAPER_DOMAINS = frozenset(h for h in _PAPER_HOSTS if "/" not in h)
_REPO_HOSTS = {"github.com", "gitlab.com", "bitbucket.org"}
_NOT_OWNERS = frozenset(
    [
        "about",
        "apps",
        "blog",
        "collections",
        "contact",
        "customer-stories",
        "enterprise",
        "events",
        "explore",
        "features",
        "login",
        "join",
        "marketplace",
        "orgs",
        "pricing",
        "readme",
        "search",
        "security",
        "settings",
        "site",
        "sponsors",
        "topics",
        "trending",
        "users",
    ]
)


@dataclass(frozen=True)
class Target:
    kind: str  # "paper" | "repository" | "other"
    key: str = ""
    arxiv_id: str | None = None
    host: str = ""
    owner: str = ""
    name: str = ""
    landing: bool = False  # a landing page, not the paper itself


def classify_url(url: str) -> Target:
    """What a link points at: an arXiv or other paper, a repository, or other."""
    try:
        return _classify(url)
    except ValueError:  # "https://[paper": not a usable address
        return Target("other")


def _classify(url: str) -> Target:
    # Rule 2: an arXiv link's key is its id without the version suffix.
    match = ARXIV_URL_RE.match(url)
    if match:
        arxiv_id = match[1]
        return Target("paper", f"arxiv:{arxiv_id}", arxiv_id=arxiv_id)
    split = urlsplit(url)
    host = (split.hostname or "").lower()
    bare_host = host.removeprefix("www.")
    if bare_host in _REPO_HOSTS:
        return _repository(split, bare_host)
    return _paper_or_other(url, split, bare_host)


def _repository(split, bare_host: str) -> Target:
    # Rule 3: github.com/owner/name, lowercased; a path inside it is dropped.
    parts = [p for p in split.path.split("/") if p]
    if len(parts) >= 2 and parts[0].lower() not in _NOT_OWNERS:
        owner, name = parts[0], parts[1].removesuffix(".git")
        if name:
            key = f"{bare_host}/{owner}/{name}".lower()
            return Target("repository", key, host=bare_host, owner=owner, name=name)
    return Target("other")


def _under_paper_domain(host: str) -> bool:
    """A subdomain of one of _PAPER_DOMAINS (one set lookup per parent)."""
    parts = host.split(".")
    return any(".".join(parts[i:]) in _PAPER_DOMAINS for i in range(1, len(parts)))


def _paper_or_other(url: str, split, bare_host: str) -> Target:
    # Rule 2: a paper host or a .pdf; key "url:" + the URL without scheme.
    # Rule 11: a scholarly host's paper, landing page or a PDF.
    location = (bare_host + split.path).lower()
    on_paper_host = location.startswith(_PAPER_HOSTS) or _under_paper_domain(bare_host)
    if on_paper_host and not split.path.strip("/") and not split.query:
        return Target("other")  # a scholarly site's home page names no paper
    pdf = _is_pdf(split)
    if on_paper_host or pdf:
        if not pdf and _index_page(bare_host, split.path):
            return Target("other")
        landing = location.startswith(_LANDING_HOSTS)
        return Target("paper", "url:" + url_key(url), landing=landing)
    return Target("other")


# Paths of a paper host that hold its papers; others are its index pages
# (openaccess.thecvf.com/CVPR2023: a conference's proceedings, rule 11).
_PAPER_PATHS = {
    "openreview.net": ("/pdf", "/attachment", "/forum"),
    "openaccess.thecvf.com": ("/content",),
}


def _index_page(bare_host: str, path: str) -> bool:
    papers_under = _PAPER_PATHS.get(bare_host)
    return papers_under is not None and not path.lower().startswith(papers_under)


def _is_pdf(split) -> bool:
    """A PDF's address: its path ends in .pdf, or a script serves the PDF a
    parameter names ("fetch.php?media=en:bordes12aistats.pdf")."""
    if split.path.rstrip("/").lower().endswith(".pdf"):
        return True
    return bool(split.query) and any(
        value.rstrip("/").lower().endswith(".pdf")
        for _, value in parse_qsl(split.query)
    )


def arxiv_year(arxiv_id: str) -> int | None:
    digits = arxiv_id.split("/")[-1][:2]
    if not digits.isdigit():
        return None
    yy = int(digits)
    return 2000 + yy if yy < 90 else 1900 + yy


# One paper's PDF and its page, the same file on a mirror or with "www.":
# addresses that name one document, made one (catalog.ingest.versions).
@dataclass(frozen=True)
class _DocumentForm:
    """Addresses of one site's papers (``pattern``) and the one address
    each stands for (``address``, filled from the pattern's groups)."""

    pattern: re.Pattern
    address: str
    casefold: bool = False  # the site's paths ignore case (thecvf's do)

    def of(self, location: str) -> str | None:
        match = self.pattern.match(location)
        if match is None:
            return None
        found = self.address.format(**match.groupdict())
        return found.lower() if self.casefold else found


_DOCUMENT_FORMS = (
    # The CVF's open access (cv-foundation.org was its first host): a
    # paper's PDF under papers/, its page under html/.
    _DocumentForm(
        re.compile(
            r"^(?:openaccess\.thecvf\.com|cv-foundation\.org/openaccess)"
            r"/(?P<where>.+?)/(?:papers|html)/(?P<name>[^/]+?)\.(?:pdf|html)$",
            re.IGNORECASE,
        ),
        "openaccess.thecvf.com/{where}/{name}",
        casefold=True,
    ),
    # NeurIPS: "/paper/5542-title" and its ".pdf"; a hash's file and page.
    _DocumentForm(
        re.compile(
            r"^(?:papers|proceedings)\.(?:nips|neurips)\.cc/paper/(?P<id>\d+)-[^/]+$",
            re.IGNORECASE,
        ),
        "papers.nips.cc/paper/{id}",
    ),
    _DocumentForm(
        re.compile(
            r"^(?:papers|proceedings)\.(?:nips|neurips)\.cc/paper(?:_files/paper)?"
            r"/\d{4}/(?:file|hash)/(?P<hash>[0-9a-f]{32})-\w+\.(?:pdf|html)$",
            re.IGNORECASE,
        ),
        "papers.nips.cc/hash/{hash}",
    ),
    # PMLR, once under jmlr.org/proceedings: a page, its PDF, a PDF in a
    # folder of its name.
    _DocumentForm(
        re.compile(
            r"^(?:proceedings\.mlr\.press|jmlr\.org/proceedings/papers)"
            r"/(?P<volume>v\d+)/(?P<name>[\w-]+?)(?:/[\w-]+)?\.(?:html|pdf)$",
            re.IGNORECASE,
        ),
        "proceedings.mlr.press/{volume}/{name}",
        casefold=True,
    ),
    # The ACL Anthology, on aclweb.org before: "D15-1041", "2021.acl-long.1".
    _DocumentForm(
        re.compile(
            r"^(?:aclanthology\.org|aclweb\.org/anthology|anthology\.aclweb\.org)"
            r"(?:/[A-Z]/[A-Z]\d\d)?/(?P<id>[A-Z]\d\d-\d{4}|\d{4}\.[\w-]+\.\d+)"
            r"(?:\.pdf)?$"
        ),
        "aclanthology.org/{id}",
    ),
    # OpenReview: a paper's forum and its PDF (ids are case-sensitive).
    _DocumentForm(
        re.compile(r"^openreview\.net/(?:pdf|forum)\?id=(?P<id>[\w-]+)$"),
        "openreview.net/{id}",
    ),
    # A DOI (case-insensitive), and Nature's articles, named by theirs.
    _DocumentForm(
        re.compile(
            r"^(?:dx\.)?doi\.org/(?:doi:)?(?P<doi>10\.\d{4,9}/.+)$", re.IGNORECASE
        ),
        "doi.org/{doi}",
        casefold=True,
    ),
    _DocumentForm(
        re.compile(r"^nature\.com/articles/(?P<id>[\w.-]+?)(?:\.e?pdf)?$"),
        "doi.org/10.1038/{id}",
        casefold=True,
    ),
    _DocumentForm(
        re.compile(
            r"^ijcai\.org/proceedings/(?P<year>\d{4})/(?P<number>\d+)(?:\.pdf)?$",
            re.IGNORECASE,
        ),
        "ijcai.org/proceedings/{year}/{number}",
    ),
)


def document_address(key: str) -> str | None:
    """The address of the document a ``url:`` paper key names, the same for
    every address of that document ("www." or not, a PDF or its page, a
    mirror); None for other keys."""
    if not key.startswith("url:"):
        return None
    address = key.removeprefix("url:")
    host, _, rest = address.partition("/")
    address = f"{host.lower().removeprefix('www.')}/{rest}".rstrip("/")
    return next(
        (found for form in _DOCUMENT_FORMS if (found := form.of(address))), address
    )
