"""The knowledge base (知识库/问题库): articles, FAQ, scripts, complaint FAQ, searched in Chinese.

Pure domain code: the article model and its checks (`model`), word segmentation
with jieba (`segment`), search highlights (`highlight`) and YAML articles
(`loader`). Storage and the full-text index live in `hotline.store.db.kb`.
See docs/knowledge-base.md.
"""

from hotline.kb.errors import EmptyQueryError, InvalidArticleError, KbError, UnknownArticleError
from hotline.kb.highlight import mark, snippet
from hotline.kb.loader import load_articles
from hotline.kb.model import Article, ArticleDraft, ArticleKind
from hotline.kb.segment import index_text, query_groups, query_terms, words

__all__ = [
    "Article",
    "ArticleDraft",
    "ArticleKind",
    "EmptyQueryError",
    "InvalidArticleError",
    "KbError",
    "UnknownArticleError",
    "index_text",
    "load_articles",
    "mark",
    "query_groups",
    "query_terms",
    "snippet",
    "words",
]
