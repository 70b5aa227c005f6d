"""Errors of the knowledge base: one family under `HotlineError`, each with a stable id."""

from __future__ import annotations

from hotline.core.errors import HotlineError


class KbError(HotlineError):
    """Something the knowledge base refused."""

    error_id = "kb-error"


class InvalidArticleError(KbError):
    """An article's field is missing or out of bounds; `field` names it (``title``)."""

    error_id = "invalid-article"

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message, field=field)
        self.field = field


class EmptyQueryError(KbError):
    """A search with nothing to look for: only punctuation, spaces or stop words."""

    error_id = "empty-query"


class UnknownArticleError(KbError):
    """No article has this id."""

    error_id = "no-such-article"
