"""Benchmark: knowledge-base search over 100,000 articles (target: p99 under 50 ms per query).

Synthetic articles are made from a seeded random draw of words: the hotline's own
terms (`hotline.kb.segment.hotline_terms`, Zipf-weighted, about a third of the
words) and the 3,000 most frequent two-to-four-character words of jieba's
dictionary (weighted by their corpus frequency), written as Chinese sentences
without spaces. They are stored through `KnowledgeBase.add_many`, the real path
(jieba segmentation, then the insert that fills the full-text index), into SQLite
(a temporary file) and PostgreSQL (a throw-away server, durable settings). Then
1,000 queries of one to three words, drawn the same way, are timed through
`KnowledgeBase.search` (segmentation, ranking, reading the 10 best, highlights).

    python benchmarks/kb_search.py                       # 100,000 articles, both databases
    python benchmarks/kb_search.py --articles 20000 --backends sqlite --json
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import jieba

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # tests.support.postgres starts the PostgreSQL server

from tests.support.postgres import postgres_server  # noqa: E402

from hotline.kb import ArticleDraft, ArticleKind  # noqa: E402
from hotline.kb.segment import hotline_terms, stop_words  # noqa: E402
from hotline.store.db import Database  # noqa: E402
from hotline.store.db.kb import KnowledgeBase  # noqa: E402

GENERAL_WORDS = 3000
CHUNK = 5000
TERM_SHARE = 0.1
"""Share of hotline terms among a body's words (titles: half): the most frequent term is
then in about half of the articles (see `common` in the output)."""


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    return f"{cpu}, {os.cpu_count()} CPUs, Python {platform.python_version()}"


class Vocabulary:
    """Weighted word draws: hotline terms (Zipf, s=1) and frequent general words."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        terms = list(hotline_terms())
        rng.shuffle(terms)  # which term is the most frequent is itself drawn
        self.terms = terms
        self.term_weights = list(itertools.accumulate(1.0 / (r + 1) for r in range(len(terms))))
        stops = stop_words()
        entries: list[tuple[int, str]] = []
        with Path(jieba.__file__).with_name("dict.txt").open(encoding="utf-8") as f:
            for line in f:
                word, freq, *_ = line.split()
                if 2 <= len(word) <= 4 and word not in stops and word not in terms:
                    entries.append((int(freq), word))
        entries.sort(reverse=True)
        self.general = [w for _, w in entries[:GENERAL_WORDS]]
        self.general_weights = list(itertools.accumulate(f for f, _ in entries[:GENERAL_WORDS]))

    def word(self, term_share: float) -> str:
        if self.rng.random() < term_share:
            return self.rng.choices(self.terms, cum_weights=self.term_weights)[0]
        return self.rng.choices(self.general, cum_weights=self.general_weights)[0]

    def article(self) -> ArticleDraft:
        rng = self.rng
        title = "".join(self.word(0.5) for _ in range(rng.randint(2, 4)))
        sentences = [
            "".join(self.word(TERM_SHARE) for _ in range(rng.randint(5, 10))) + "。"
            for _ in range(rng.randint(3, 7))
        ]
        return ArticleDraft(
            kind=rng.choice(list(ArticleKind)),
            title=title[:200],
            body="".join(sentences),
            category=rng.choice(["电费电价", "停电报修", "业务办理", "电能表", "投诉", "话术"]),
        )

    def query(self) -> str:
        return " ".join(self.word(0.7) for _ in range(self.rng.randint(1, 3)))


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def run(url: str, articles: int, queries: int, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    vocabulary = Vocabulary(rng)
    drafts = [vocabulary.article() for _ in range(articles)]
    texts = sum(len(d.title) + len(d.body) for d in drafts)
    asked = [vocabulary.query() for _ in range(queries)]
    common = {
        term: round(sum(term in d.title or term in d.body for d in drafts) / articles, 3)
        for term in vocabulary.terms[:3]
    }
    with Database.open(url) as db:
        kb = KnowledgeBase(db)
        began = time.perf_counter()
        for start in range(0, articles, CHUNK):
            kb.add_many(drafts[start : start + CHUNK], at=0.0)
        indexing = time.perf_counter() - began
        kb.search("停电")  # warm: jieba and the database caches
        timings: list[float] = []
        found = 0
        for q in asked:
            t0 = time.perf_counter()
            hits = kb.search(q, limit=10)
            timings.append((time.perf_counter() - t0) * 1000)
            found += bool(hits)
    return {
        "articles": articles,
        "chars": texts,
        "indexing_s": round(indexing, 1),
        "articles_per_s": round(articles / indexing),
        "common": common,  # share of articles holding the most frequent terms
        "queries": queries,
        "answered": found,
        "p50_ms": round(percentile(timings, 50), 2),
        "p95_ms": round(percentile(timings, 95), 2),
        "p99_ms": round(percentile(timings, 99), 2),
        "max_ms": round(max(timings), 2),
        "mean_ms": round(statistics.fmean(timings), 2),
    }


@contextmanager
def database(backend: str) -> Iterator[str]:
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="hotline-kb-") as directory:
            yield f"sqlite:///{Path(directory) / 'kb.db'}"
    else:
        with postgres_server(durable=True) as server:
            yield server.create_database("kb_bench")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    results: dict[str, Any] = {
        "machine": machine(),
        "date": datetime.date.today().isoformat(),
        "command": " ".join(["python", *sys.argv]),
    }
    for backend in args.backends.split(","):
        with database(backend) as url:
            results[backend] = run(url, args.articles, args.queries, args.seed)
        if not args.json:
            print(backend, results[backend], flush=True)
    if args.json:
        print(json.dumps(results, ensure_ascii=False))
    else:
        print(results["machine"])


if __name__ == "__main__":
    main()
