"""Chinese word segmentation for the knowledge base: the same words for indexing and queries.

Full-text indexes in SQLite (FTS5) and PostgreSQL (``simple`` text search) split text
on spaces and punctuation only, so a run of Chinese characters would be one giant
"word". Text is therefore cut into words here, with jieba, and stored as the words
joined by single spaces; both databases index that. jieba's *search mode* is used
for indexing and for queries alike: besides each word it emits the dictionary words
inside it (故障报修 → 故障, 报修, 故障报修), so a search for 报修 finds an article
that says 故障报修, and a query of 故障报修 — whose words are ORed — finds one that
says only 报修.

jieba's own dictionary is extended with the hotline's terms (``data/hotline_terms.txt``:
95598, 峰谷电价, 停复电 …) so they are kept whole, and words that carry no meaning for
a search (particles, pronouns, 怎么办 — ``data/stopwords.txt``) and punctuation are
dropped. ASCII letters are lower-cased (the indexes do the same).
"""

from __future__ import annotations

import logging
import threading
import unicodedata
from functools import cache
from importlib import resources

import jieba

from hotline.kb.errors import EmptyQueryError

MAX_QUERY_TERMS = 32
"""Words of a query beyond this many are ignored (a pasted paragraph stays fast)."""

_lock = threading.Lock()


def _data(name: str) -> str:
    return resources.files("hotline.kb").joinpath("data", name).read_text(encoding="utf-8")


@cache
def stop_words() -> frozenset[str]:
    """The words dropped from indexes and queries (``data/stopwords.txt``)."""
    lines = (line.strip() for line in _data("stopwords.txt").splitlines())
    return frozenset(line for line in lines if line and not line.startswith("#"))


@cache
def hotline_terms() -> tuple[str, ...]:
    """The hotline's own terms added to jieba's dictionary (``data/hotline_terms.txt``)."""
    lines = (line.split() for line in _data("hotline_terms.txt").splitlines())
    return tuple(parts[0] for parts in lines if parts and not parts[0].startswith("#"))


@cache
def _tokenizer() -> jieba.Tokenizer:
    """A private jieba tokenizer (the global one is left alone) with the hotline's terms.

    Built once per process; jieba caches its prefix dictionary in the temp directory,
    so this takes about a second the first time the machine runs it, less afterwards.
    """
    jieba.setLogLevel(logging.WARNING)  # not "Building prefix dict…" on every start
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for line in _data("hotline_terms.txt").splitlines():
        parts = line.split()
        if parts and not parts[0].startswith("#"):
            tokenizer.add_word(parts[0], int(parts[1]) if len(parts) > 1 else None)
    return tokenizer


def _is_word(token: str) -> bool:
    """A token with at least one letter or digit (Chinese characters are letters)."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in token)


def _clean(token: str) -> list[str]:
    """Split a jieba token at anything that is not a letter or digit (``e-mail`` → e, mail).

    The databases' tokenizers split there too; doing it here keeps every indexed and
    queried word a single database token, so no query needs phrase matching.
    """
    parts: list[str] = []
    current: list[str] = []
    for ch in token.lower():
        if unicodedata.category(ch)[0] in "LN":
            current.append(ch)
        elif current:
            parts.append("".join(current))
            current = []
    if current:
        parts.append("".join(current))
    return parts


def words(text: str) -> list[str]:
    """The words of `text` in order, search mode (overlapping sub-words included).

    Punctuation, spaces and stop words are dropped; ASCII is lower-cased.
    """
    if not text:
        return []
    tokenizer = _tokenizer()
    with _lock:  # jieba's tokenizer is not documented as thread-safe; the API uses threads
        tokens = tokenizer.lcut_for_search(text)
    stops = stop_words()
    found: list[str] = []
    for token in tokens:
        if not _is_word(token):
            continue
        found.extend(part for part in _clean(token) if part not in stops)
    return found


def index_text(text: str) -> str:
    """What the full-text index stores for `text`: its words joined by single spaces."""
    return " ".join(words(text))


def query_groups(query: str) -> list[list[str]]:
    """The query's words, each with the words inside it: 故障报修 → [故障, 报修, 故障报修].

    One group per word of jieba's precise cut (stop words and punctuation dropped),
    each group the search-mode words of that word; groups and words are distinct,
    at most `MAX_QUERY_TERMS` words in all. A search may ask for every group (an
    article answering all the words) and fall back to any word.

    Raises `EmptyQueryError` when nothing searchable is left (only punctuation,
    spaces or stop words): an empty result would hide the mistake.
    """
    seen: set[str] = set()
    groups: list[list[str]] = []
    tokenizer = _tokenizer()
    with _lock:
        pieces = tokenizer.lcut(query)
    for piece in pieces:
        group = [w for w in words(piece) if w not in seen]
        group = group[: MAX_QUERY_TERMS - len(seen)]
        if group:
            seen.update(group)
            groups.append(group)
        if len(seen) >= MAX_QUERY_TERMS:
            break
    if not groups:
        raise EmptyQueryError(
            f"the search {query.strip()[:40]!r} has no words to look for "
            "(only punctuation, spaces or words like 的/怎么)",
            query=query,
        )
    return groups


def query_terms(query: str) -> list[str]:
    """The distinct words of a search query, in order (`query_groups` flattened).

    Raises `EmptyQueryError` when the query has no words to look for.
    """
    return [word for group in query_groups(query) for word in group]
