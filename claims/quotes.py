"""Find the words a sentence puts in double quotation marks (straight ``"`` or curly ``“ ”``).

Sentences are split inside long quotations, so a quote may open in one sentence and close in a
later one: an opening mark with no closing mark runs to the end of the sentence, and a closing
mark with no opening mark runs from the start of the sentence. Spans cover the quoted words
without the marks (and without a trailing comma before the closing mark). A straight ``"``
opens a quote when it follows the start of the text, a space or an opening bracket, and closes
one otherwise. Single quotes are not read (they are mostly apostrophes).
"""

from __future__ import annotations

from claims.records import Span

_OPENING = "“"
_CLOSING = "”"
_STRAIGHT = '"'
_OPEN_CONTEXT = " \t\n([{—–-"
_TRIM = " \t\n,"


def find_quotes(text: str, offset: int = 0) -> list[Span]:
    """Quoted stretches of sentence ``text`` (which starts at ``offset`` of the article).

    >>> [q.text for q in find_quotes('Austin “emphasized the importance” of talks, he said.')]
    ['emphasized the importance']
    >>> [(q.start, q.text) for q in find_quotes('"We learned this morning," Price said.', 10)]
    [(11, 'We learned this morning')]
    >>> [q.text for q in find_quotes('Surely, we underestimate this virus at our peril."')]
    ['Surely, we underestimate this virus at our peril.']
    """
    spans: list[Span] = []
    open_at: int | None = None
    for index, char in enumerate(text):
        if char == _STRAIGHT:
            opens = index == 0 or text[index - 1] in _OPEN_CONTEXT
            # A straight mark right after a closing punctuation mark closes the open quote.
            if open_at is not None and not opens:
                _add(spans, text, offset, open_at, index)
                open_at = None
            elif open_at is None and opens:
                open_at = index + 1
            elif open_at is None:  # closes a quote opened in an earlier sentence
                _add(spans, text, offset, 0, index)
            else:  # a second opener before a close: treat the first as unbalanced
                _add(spans, text, offset, open_at, index)
                open_at = index + 1
        elif char == _OPENING:
            if open_at is not None:
                _add(spans, text, offset, open_at, index)
            open_at = index + 1
        elif char == _CLOSING:
            _add(spans, text, offset, open_at if open_at is not None else 0, index)
            open_at = None
    if open_at is not None:
        _add(spans, text, offset, open_at, len(text))
    return spans


def _add(spans: list[Span], text: str, offset: int, start: int, end: int) -> None:
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    if end > start:
        spans.append(Span(offset + start, offset + end, text[start:end]))
