"""Turn an article into claims: one per factual sentence, attribution and quotes split off.

A sentence becomes a claim unless it is not a statement of fact:

* fewer than :data:`MIN_CLAIM_WORDS` words (fragments, bylines, a dateline alone);
* no closing punctuation (headlines, section heads, navigation bullets: page furniture);
* no verb in the spaCy parse (headings such as "Related stories.");
* a question (its content ends with ``?``).

A leading dateline (``KUALA LUMPUR (Reuters) -``, ``WASHINGTON (AP) —``, ``Washington —``) is
left out of the claim's content. The article's spaCy parse is made once and passed to
:func:`claims.attributes.annotate_claim`, which fills times, quantities, entities and negation.

Speakers are made consistent within an article: a bare surname ("Price said") becomes the full
name the article gives elsewhere ("State Department spokesperson Ned Price" -> "Ned Price").
A sentence that is wholly a quotation and credits nobody ("They affirmed ...", after '"...,"
Price said.') takes the speaker of the quoted sentence just before it in the same paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from claims import attributes
from claims.attribution import Attribution, split_attribution
from claims.quotes import find_quotes
from claims.records import Article, Claim, Quote, Sentence, Span
from claims.sentences import split_sentences

#: sentences with fewer words are not claims (a fact needs a subject, a verb and an object).
MIN_CLAIM_WORDS = 4

_WORD = re.compile(r"\w+")
_TERMINAL = re.compile(r"""[.!?…]["”’')\]]*$|["”]$""")
_QUESTION = re.compile(r"""\?["”’]?$""")
#: "KUALA LUMPUR (Reuters) - ", "WASHINGTON (AP) — ", "TAIPEI, Taiwan — "
_DATELINE_UPPER = re.compile(
    r"^[A-Z][A-Z.'’ ]*[A-Z.](?:,\s+[A-Z][A-Za-z.]*(?:\s+[A-Z][A-Za-z.]*)*)?"
    r"\s*(?:\([^()\n]{1,40}\))?\s*[—–-]{1,2}\s+"
)
#: "Washington — ", "New Delhi (Reuters) — ": only as the article's first sentence.
_DATELINE_MIXED = re.compile(
    r"^[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2}(?:,\s+[A-Z][a-z.]+(?:\s+[A-Z][a-z.]+)?)?"
    r"\s*(?:\([^()\n]{1,40}\))?\s+[—–]\s+"
)
_PRONOUNS = frozenset({"he", "she", "they", "we", "i"})
_OPEN_QUOTE = '"“'


@dataclass(frozen=True)
class _Parsed:
    """A sentence kept as a claim, before speakers are made consistent."""

    sentence: Sentence
    attribution: Attribution
    quotes: tuple[Span, ...]


def extract_claims(article: Article, nlp: Language) -> list[Claim]:
    """The claims of ``article``, in text order, each annotated by ``annotate_claim``.

    >>> from claims.nlp import load_nlp  # doctest: +SKIP
    >>> a = Article(id="bi", outlet="BI", source="bi.md",
    ...             text="Blinken and senior staff tested negative on Tuesday, Price said.")
    >>> [(c.id, c.content.text, c.speaker) for c in extract_claims(a, load_nlp())]  # doctest: +SKIP
    [('bi:0', 'Blinken and senior staff tested negative on Tuesday', 'Price')]
    """
    doc = nlp(article.text)
    parsed = _parse_sentences(article.text, doc)
    names = _full_names(p.attribution.speaker for p in parsed)
    claims: list[Claim] = []
    previous: tuple[_Parsed, str] | None = None
    for item in parsed:
        speaker = _canonical_speaker(item.attribution.speaker, names)
        if not speaker and item.quotes and _continues_quote(article.text, item, previous):
            assert previous is not None
            speaker = previous[1]
        claim = Claim(
            id=f"{article.id}:{item.sentence.start}",
            article_id=article.id,
            outlet=article.outlet,
            sentence=Span(item.sentence.start, item.sentence.end, item.sentence.text),
            content=item.attribution.content,
            published=article.published,
            speaker=speaker,
            speaker_role=item.attribution.speaker_role,
            attribution=item.attribution.span,
            quotes=[Quote(span, speaker) for span in item.quotes],
        )
        attributes.annotate_claim(claim, article, doc)
        claims.append(claim)
        previous = (item, speaker)
    return claims


def strip_dateline(text: str, first: bool) -> int:
    """Length of the dateline that opens sentence ``text`` (0 if none).

    The mixed-case form ("Washington — ") is only read in the article's ``first`` sentence.

    >>> strip_dateline("KUALA LUMPUR (Reuters) - U.S. Secretary of State left.", first=False)
    25
    >>> strip_dateline("Washington — Blinken is cutting short a trip.", first=True)
    13
    """
    match = _DATELINE_UPPER.match(text)
    if match is None and first:
        match = _DATELINE_MIXED.match(text)
    return match.end() if match else 0


def is_factual_sentence(text: str, doc: Doc | None = None, start: int = 0) -> bool:
    """Whether a sentence can be a claim: long enough, closed by punctuation, with a verb.

    >>> is_factual_sentence("Blinken ends Southeast Asia trip early")
    False
    >>> is_factual_sentence("Blinken ended his trip early.")
    True
    """
    if len(_WORD.findall(text)) < MIN_CLAIM_WORDS:
        return False
    if not _TERMINAL.search(text) or _QUESTION.search(text):
        return False
    if doc is not None:
        tokens = doc.char_span(start, start + len(text), alignment_mode="expand")
        if tokens is not None and not any(t.pos_ in ("VERB", "AUX") for t in tokens):
            return False
    return True


def _parse_sentences(text: str, doc: Doc) -> list[_Parsed]:
    parsed: list[_Parsed] = []
    first = True  # the first sentence that can be a claim may open with a dateline
    for sentence in split_sentences(text):
        if not is_factual_sentence(sentence.text, doc, sentence.start):
            continue
        skip = strip_dateline(sentence.text, first=first)
        first = False
        body = sentence.text[skip:]
        if len(_WORD.findall(body)) < MIN_CLAIM_WORDS:
            continue  # a dateline and little else
        attribution = split_attribution(body, sentence.start + skip, doc)
        if _QUESTION.search(attribution.content.text):
            continue
        quotes = tuple(find_quotes(sentence.text, sentence.start))
        parsed.append(_Parsed(sentence, attribution, quotes))
    return parsed


def _full_names(speakers: Iterable[str]) -> dict[str, str]:
    """Map each word of a multi-word capitalised speaker name to the name, when unambiguous.

    >>> _full_names(["Ned Price", "State Department", "Price"])["Price"]
    'Ned Price'
    """
    seen: dict[str, set[str]] = {}
    for speaker in speakers:
        words = speaker.split()
        if 2 <= len(words) <= 4 and all(w[:1].isupper() for w in words):
            for word in words:
                seen.setdefault(word, set()).add(speaker)
    return {word: next(iter(names)) for word, names in seen.items() if len(names) == 1}


def _canonical_speaker(speaker: str, names: dict[str, str]) -> str:
    if speaker and " " not in speaker and speaker.lower() not in _PRONOUNS:
        return names.get(speaker, speaker)
    return speaker


def _continues_quote(text: str, item: _Parsed, previous: tuple[_Parsed, str] | None) -> bool:
    """A wholly quoted, uncredited sentence right after a credited quote in the same paragraph."""
    if previous is None or not previous[1] or not previous[0].quotes:
        return False
    gap = text[previous[0].sentence.end : item.sentence.start]
    if "\n\n" in gap or gap.strip():
        return False
    first_quote = item.quotes[0]
    starts_quoted = item.sentence.text[:1] in _OPEN_QUOTE or first_quote.start == (
        item.sentence.start
    )
    return starts_quoted
