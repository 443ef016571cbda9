"""A claim's content with its typed values replaced by their type: what alignment compares when
outlets disagree on the values.

'some 300 marched in the capital' and 'about 3,000 took to the streets of the capital' report the
same event with different numbers; the numbers pull their embeddings apart exactly when the
rule checks most need the two claims side by side. Masked, they read '[NUM] marched in the
capital' and '[NUM] took to the streets of the capital', and only the wording is compared.

The values masked are the attributes annotation already found (:mod:`claims.attributes`), each
by its span, so masking adds no parsing of its own:

* times (``Claim.times``): dates, weekdays, relative days, months, years -> ``[DATE]``;
  times of day -> ``[TIME]``;
* numbers (``Claim.quantities``, approximator included: 'about 3,000') -> ``[NUM]``;
* names (``Claim.entities``): people -> ``[PERSON]``, places (GPE, LOC, FAC) -> ``[PLACE]``,
  organisations -> ``[ORG]``, nationalities and groups (NORP) -> ``[GROUP]``, other names ->
  ``[NAME]``;
* a person's title written with the name ('Transport Minister John Smith', 'Ned Price, a State
  Department spokesman'; ``Entity.role``) -> ``[TITLE]``.

Only values inside the claim's ``content`` are masked (the attribution is not part of it).
"""

from __future__ import annotations

import re

from claims.records import Claim, Entity

TIME_TOKEN = "[DATE]"
TIME_OF_DAY_TOKEN = "[TIME]"
NUMBER_TOKEN = "[NUM]"
TITLE_TOKEN = "[TITLE]"
#: the token of each entity label; labels not listed are ``OTHER_NAME_TOKEN``.
ENTITY_TOKENS: dict[str, str] = {
    "PERSON": "[PERSON]",
    "GPE": "[PLACE]",
    "LOC": "[PLACE]",
    "FAC": "[PLACE]",
    "ORG": "[ORG]",
    "NORP": "[GROUP]",
}
OTHER_NAME_TOKEN = "[NAME]"
#: every token masking writes.
TYPE_TOKENS = frozenset(
    {TIME_TOKEN, TIME_OF_DAY_TOKEN, NUMBER_TOKEN, TITLE_TOKEN, OTHER_NAME_TOKEN}
    | set(ENTITY_TOKENS.values())
)
#: how far after a name an apposition title ('Ned Price, a State Department spokesman') may start.
_APPOSITION_GAP = r"\s*,\s*(?:(?:a|an|the)\s+)?"
_ROLE_WORD = re.compile(r"[\w.'&-]+")


def _role_pattern(role: str) -> str:
    """A regex for a role's words as written in the text (any case, spaces or commas between)."""
    words = _ROLE_WORD.findall(role)
    return r"[\s,]+".join(re.escape(w) for w in words) if words else ""


def _title_span(text: str, entity: Entity, start: int, end: int) -> tuple[int, int] | None:
    """Where the title of ``entity`` (a person with a ``role``) is written in ``text[start:end]``:
    just before the name, or in apposition just after it."""
    pattern = _role_pattern(entity.role)
    if not pattern:
        return None
    before = re.search(rf"({pattern})\s+\Z", text[start : entity.span.start], re.IGNORECASE)
    if before:
        return start + before.start(1), start + before.end(1)
    after = re.match(rf"{_APPOSITION_GAP}({pattern})\b", text[entity.span.end : end], re.IGNORECASE)
    if after:
        return entity.span.end + after.start(1), entity.span.end + after.end(1)
    return None


def value_spans(claim: Claim, text: str) -> list[tuple[int, int, str]]:
    """(start, end, token) of every typed value inside the claim's content, in text order, without
    overlaps (of two overlapping spans the one that starts first, then the longer, is kept).

    ``text`` is the text the claim's offsets point into (``Article.text``, or the title for a
    title claim); it is needed only to find titles, whose span the entities do not carry.
    """
    start, end = claim.content.start, claim.content.end
    spans: list[tuple[int, int, str]] = []
    for t in claim.times:
        token = TIME_OF_DAY_TOKEN if t.kind == "time_of_day" else TIME_TOKEN
        spans.append((t.span.start, t.span.end, token))
    spans += [(q.span.start, q.span.end, NUMBER_TOKEN) for q in claim.quantities]
    for e in claim.entities:
        spans.append((e.span.start, e.span.end, ENTITY_TOKENS.get(e.label, OTHER_NAME_TOKEN)))
        if e.label == "PERSON" and e.role and text:
            title = _title_span(text, e, start, end)
            if title is not None:
                spans.append((*title, TITLE_TOKEN))
    inside = [s for s in spans if start <= s[0] < s[1] <= end]
    kept: list[tuple[int, int, str]] = []
    for s in sorted(inside, key=lambda s: (s[0], -(s[1] - s[0]))):
        if kept and s[0] < kept[-1][1]:
            continue
        kept.append(s)
    return kept


def masked_text(claim: Claim) -> str:
    """The claim's content with numbers, dates, weekdays, names, titles and places replaced by
    their type token (see the module docstring); the claim must be annotated
    (:func:`claims.attributes.annotate_claim`), else it comes back unmasked.

    >>> from claims.records import Entity, Quantity, Span, TimeMention
    >>> text = "Some 300 marched in Nairobi on Tuesday, police said."
    >>> c = Claim("a:0", "a", "A", Span(0, 52, text), Span(0, 38, text[:38]),
    ...     quantities=[Quantity(Span(0, 8, "Some 300"), 300, 300, 300, approximator="some")],
    ...     entities=[Entity(Span(20, 27, "Nairobi"), "GPE")],
    ...     times=[TimeMention(Span(31, 38, "Tuesday"), "weekday", "day", None, None)])
    >>> masked_text(c)
    '[NUM] marched in [PLACE] on [DATE]'
    """
    content = claim.content
    # the offsets are into the claim's source text; the sentence holds the content, so rebuild
    # enough of the source around it to read titles (which may not reach outside the sentence)
    sentence = claim.sentence
    if sentence.start <= content.start and content.end <= sentence.end:
        source = " " * sentence.start + sentence.text
    else:
        source = " " * content.start + content.text
    out: list[str] = []
    cursor = content.start
    for s, e, token in value_spans(claim, source):
        out.append(source[cursor:s])
        out.append(token)
        cursor = e
    out.append(source[cursor : content.end])
    return "".join(out)


def masked_share(masked: str) -> float:
    """Share of a masked text's words that are type tokens (0..1): near 1, nothing but values
    is left to compare.

    >>> masked_share("[PERSON] met [PERSON] in [PLACE]")
    0.6
    """
    words = masked.split()
    if not words:
        return 0.0
    return sum(w.strip(".,;:!?'\"()") in TYPE_TOKENS for w in words) / len(words)
