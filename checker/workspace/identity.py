"""Which article is which: the content hash and the identity that the store and events key on.

Pure functions over :class:`~claims.records.Article` (no database), so that event grouping can use
them without importing the store.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from claims.records import Article

_SPACE = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """NFC, whitespace collapsed, ends stripped: the text that the content hash covers.

    >>> normalise_text("  Blinken\\r\\n left.  ")
    'Blinken left.'
    """
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def identity_from_fields(outlet: str, url: str, source: str, article_id: str) -> str:
    """:func:`identity_key` from stored columns (the store rewrites old rows with it)."""
    if url.strip():
        return f"url:{normalise_text(outlet).casefold()}|{url.strip()}"
    return f"source:{source}#{article_id}"


def content_id(article: Article) -> str:
    """sha256 of normalised text, outlet and url: same article again -> same id.

    >>> a = Article(id="a", outlet="CBS", text="Blinken  left.", source="a.md")
    >>> content_id(a) == content_id(Article(id="b", outlet="CBS", text="Blinken left.", source="b"))
    True
    """
    payload = "\x1f".join(
        [normalise_text(article.text), normalise_text(article.outlet), article.url.strip()]
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


#: how :func:`identity_key` writes identities; a store with another (or no) value is migrated.
IDENTITY_SCHEME = "outlet+url"


def identity_key(article: Article) -> str:
    """What makes two texts versions of one article: the outlet and the url, else the source path
    and reader id. Two outlets running one syndicated story under one url stay two articles.

    >>> identity_key(Article(id="a", outlet="X  News", text="t", source="a.md", url="https://x/1"))
    'url:x news|https://x/1'
    >>> identity_key(Article(id="a", outlet="X", text="t", source="feed/a.md"))
    'source:feed/a.md#a'
    """
    return identity_from_fields(article.outlet, article.url, article.source, article.id)
