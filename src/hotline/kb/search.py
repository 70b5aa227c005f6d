"""How a search is answered from a full-text index, within a bounded cost.

Ranking costs time for every article a query matches (FTS5's bm25, PostgreSQL's
ts_rank_cd: microseconds each), so a search that matches most of 100,000
articles would be slow if ranked in full. `best` therefore asks the index in
steps and stops at the first that is both useful and cheap:

1. a query of several words: the articles having **every** word (each word or a
   word inside it: 故障报修 counts when the article says 报修) — ranked in full
   when there are at least `limit` and at most `index.broad` of them;
2. the articles having **any** word — ranked in full when at most `index.broad`;
3. otherwise the query is *broad*: only articles with a word in the title or
   tags are ranked, and of those the newest `index.broad`; if that gives fewer
   than `limit`, the newest `index.broad` with any word fill the list.

Steps 1 and 2 give the exact ranking; step 3 is the documented approximation
(a word found in most articles says little about which one is wanted, the
titles say more). Counting stops after `index.broad + 1` rows, so asking is cheap.
"""

from __future__ import annotations

from typing import Protocol, TypeVar

from hotline.kb.model import Article

C = TypeVar("C")
Ranked = list[tuple[Article, float]]


class TextIndex(Protocol[C]):
    """A database's full-text index, narrowed to one search's filters (kind, category).

    `C` is the index's own form of a condition (an FTS5 MATCH text, a tsquery…).
    """

    @property
    def broad(self) -> int:
        """Above this many matching articles, ranking them all is too slow."""
        ...

    def every_word(self, groups: list[list[str]]) -> C:
        """Articles having, for every group, at least one of its words."""
        ...

    def any_word(self, groups: list[list[str]]) -> C:
        """Articles having at least one of the words."""
        ...

    def any_word_in_head(self, groups: list[list[str]]) -> C:
        """Articles having at least one of the words in the title or tags."""
        ...

    def count_upto(self, condition: C, n: int) -> int:
        """How many articles match, counting no further than `n`."""
        ...

    def floor(self, condition: C, n: int) -> int | None:
        """The id just below the `n` newest (highest id) matches; None if there are fewer."""
        ...

    def ranked(self, condition: C, above: int | None, limit: int) -> Ranked:
        """The best `limit` matches with an id above `above` (all when None), best first."""
        ...


def best(index: TextIndex[C], groups: list[list[str]], limit: int) -> Ranked:
    """The best `limit` articles for the query's word groups (see the module's steps)."""
    broad = index.broad
    if len(groups) > 1:
        every = index.every_word(groups)
        if limit <= index.count_upto(every, broad + 1) <= broad:
            return index.ranked(every, None, limit)
    anyone = index.any_word(groups)
    if index.count_upto(anyone, broad + 1) <= broad:
        return index.ranked(anyone, None, limit)
    head = index.any_word_in_head(groups)
    found = index.ranked(head, index.floor(head, broad), limit)
    if len(found) < limit:
        seen = {article.id for article, _ in found}
        more = index.ranked(anyone, index.floor(anyone, broad), limit)
        found += [(a, s) for a, s in more if a.id not in seen][: limit - len(found)]
    return found
