"""How a row that several lists hold takes one more list's values.

A row one list alone holds takes that list's values (the list owns it). A
row other lists hold too takes, field by field, the better of what it holds
and what the list says, by the rules of catalog.ingest.ranking: each join is
commutative, associative and idempotent, so the row ends the same whatever
the order the lists are imported in, and re-importing a list changes
nothing.

A join is ``join(row, values, entry) -> {field: value}``: ``row`` the row as
it is, ``values`` the list's values for it (KindSpec.values), ``entry`` the
parsed record.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from catalog.ingest import ranking

Join = Callable[[dict, dict, object], dict]


def pick(name: str, key: Callable, *, best=min) -> Join:
    """The better of the two values of ``name``: ``best`` by ``key``."""

    def join(row: dict, values: dict, entry) -> dict:
        return {name: best(row[name], values[name], key=key)}

    join.__name__ = f"pick_{name}"
    return join


def title_and_short_name(row: dict, values: dict, entry) -> dict:
    """The fullest real title wins; a short name that loses to it is kept
    as the short name (``ResNet`` beside "Deep Residual Learning ...")."""
    current, offered = row["title"], values["title"]
    # The same title but for its case: a stand-in is no worse (the row keeps
    # no flag, so demoting it would make the order choose), and as the loser
    # it names nothing new.
    same = ranking.normalised_title(offered) == ranking.normalised_title(current)
    flagged = bool(getattr(entry, "title_is_short_name", False)) and not same
    current_rank = ranking.title_rank(current)
    offered_rank = ranking.title_rank(offered, short_name_flag=flagged)
    if offered_rank > current_rank:
        title, loser, loser_rank = offered, current, current_rank
    else:
        title, loser, loser_rank = current, offered, offered_rank
    short_names = [row["short_name"], values["short_name"]]
    if loser_rank.is_short_name and not same:
        short_names.append(ranking.title_core(loser))
    short_name = min(short_names, key=ranking.short_name_key)
    return {"title": title, "short_name": short_name[:200]}


def dating(row: dict, values: dict, entry) -> dict:
    """Year, date, venue and venue year of the list that says the most."""
    names = ("year", "date", "venue", "venue_year")
    best = min(
        ranking.Dating(*(row[n] for n in names)),
        ranking.Dating(*(values[n] for n in names)),
        key=ranking.Dating.key,
    )
    return {n: getattr(best, n) for n in names}


def urls(row: dict, values: dict, entry) -> dict:
    """Every URL any list gives the paper: the best one shown, the others
    kept sorted."""
    every = {row["url"], *row["alt_urls"], values["url"], *values["alt_urls"]}
    every.discard("")  # a paper cited with no link (rule 11)
    if not every:
        return {"url": "", "alt_urls": []}
    every.discard("")
    url = min(every, key=functools.partial(ranking.url_key, key=row["key"]))
    return {"url": url, "alt_urls": sorted(every - {url})}


def known_framework(row: dict, values: dict, entry) -> dict:
    """A known framework over "unknown"; two known ones: by name."""
    offered = values.get("framework")
    if not offered:
        return {}
    return {
        "framework": min(row["framework"], offered, key=lambda f: (f == "unknown", f))
    }


PAPERS: tuple[Join, ...] = (
    title_and_short_name,
    dating,
    urls,
    pick("organisation", ranking.label_key),
    pick("notes", ranking.text_key),
)


def repository_url(row: dict, values: dict, entry) -> dict:
    """The better URL, with the owner and name as that URL writes them
    (lists differ in case: R-FCN, r-fcn)."""
    chosen = min((row, values), key=lambda side: ranking.url_key(side["url"]))
    return {field: chosen[field] for field in ("url", "owner", "name")}


REPOSITORIES: tuple[Join, ...] = (repository_url, known_framework)
LINKS: tuple[Join, ...] = (
    pick("title", ranking.title_rank, best=max),
    pick("kind", lambda kind: (kind == "link", kind)),
)
TRANSLATIONS: tuple[Join, ...] = (
    pick("title", ranking.title_rank, best=max),
    pick("language", ranking.label_key),
)
TOPICS: tuple[Join, ...] = (
    pick("order", lambda order: order),
    pick("description", ranking.text_key),
)
