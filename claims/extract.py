"""Turn an article into claims: every statement a reader would count, attribution split off.

Every sentence of the text (and the article's title) becomes a claim unless it has a reason to
be left out, and that reason is recorded (:class:`LeftOut`, counted in the report's stats):

* ``no_content``: page furniture that states nothing, whatever its length: photo credits
  ("Photo: Reuters"), bylines ("By Melissa Quinn"), "Advertisement", "Watch CBS News", "More
  from CBS News", reporting credits, copyright lines, time stamps;
* ``too_short``: fewer than ``min_words`` words once a dateline and attribution are set aside
  (default :data:`MIN_CLAIM_WORDS`; the pipeline passes ``Settings.min_claim_words``);
* ``question``: a question (its content ends with ``?``);
* ``repeats_title``: a line of the text that repeats the article's title (the title claim
  already stands for it).

Headlines, summary lines, search snippets and sentences without closing punctuation or without
a verb are claims. Each claim has a ``kind``: ``title`` (``Article.title``, a Markdown heading,
or a first line that stands alone without closing punctuation), ``bullet`` (a summary line
starting with ``-``, ``*``, ``•`` or a number) or ``body``. The claim made from
``Article.title`` has the id ``<article id>:title`` and offsets into the title.

A leading dateline (``KUALA LUMPUR (Reuters) -``, ``WASHINGTON (AP) —``, ``Washington —``) is
left out of the claim's content. The article's spaCy parse is made once and passed to
:func:`claims.attributes.annotate_claim`, which fills times, quantities, entities and negation.

Speakers are made consistent within an article: a bare surname ("Price said") becomes the full
name the article gives elsewhere ("State Department spokesperson Ned Price" -> "Ned Price").
A sentence that is wholly a quotation and credits nobody ("They affirmed ...", after '"...,"
Price said.') takes the speaker of the quoted sentence just before it in the same paragraph.

Which sentences are kept is decided from the text alone (:func:`select_sentences`), so a caller
holding cached claims can still count what was left out without parsing again.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from spacy.language import Language
from spacy.tokens import Doc

from claims import attributes
from claims.attribution import Attribution, split_attribution
from claims.quotes import find_quotes
from claims.records import (
    MIN_CLAIM_WORDS,
    TITLE_CLAIM_SUFFIX,
    Article,
    Claim,
    Quote,
    Sentence,
    Span,
)
from claims.sentences import split_sentences

#: why a sentence is not a claim, in the order reports list them.
LEFT_OUT_REASONS = ("no_content", "too_short", "question", "repeats_title")

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
#: page furniture, matched against a whole sentence (case-insensitive): credits, ads, links to
#: other stories, sharing and sign-up prompts, copyright. A caption that says something
#: ("Blinken listens to Marsudi in Jakarta.") is not furniture and stays a claim.
_FURNITURE = re.compile(
    r"""^\(?\s*(?:
        (?:file\ )?(?:photo|image|picture|photograph|video|graphic|illustration|credit)s?
            (?:\ (?:source|credit|caption))?\s*[:|/]\s*.*
      | image\ source\b.*
      | advertisement | sponsored(?:\ content)? | ad
      | story\ continues(?:\ below)?(?:\ advertisement)?
      | continue\ reading\b.* | (?:read|see|learn)\ more\b.*
      | read\ (?:the\ )?full\ (?:story|article)\b.*
      | related(?:\ (?:stories|articles|coverage|content|links|topics|news|reading|video))?\s*:?
      | more\ (?:from|on|about|stories\ from)\ .{1,60}
      | (?:watch|listen)\b.*
      | (?:sign\ up|subscribe|share\ this|share\ on|follow\ us|click\ here)\b.*
      | skip\ to\b.* | download\ the\ app\b.* | most\ (?:read|popular|viewed)\b.* | trending\b.*
      | (?:additional\ )?(?:reporting|writing|editing|compiled|produced)\ by\b.*
      | (?:©|copyright\b).* | all\ rights\ reserved\b.*
    )\s*\)?\s*[.:]?$""",
    re.IGNORECASE | re.VERBOSE,
)
_AGENCY = r"(?:AP|AFP|EPA|Reuters|Getty Images|Bloomberg|Pool)"
#: a photo credit alone: "(AP Photo/Evan Vucci)", "Getty Images", "Olivier Douliery/Pool via AP".
_CREDIT = re.compile(
    r"^\(?(?:[\w .'-]{1,40}/)?(?:[\w ]{1,20} via )?" + _AGENCY + r"(?: Photo)?"
    r"(?:/[\w .'-]{1,40})?\)?\.?$"
)
_BYLINE = re.compile(r"^By\s+(?P<names>.+?)\.?$")
#: lower-case words a byline may hold between names ("By Jane Doe and John Roe, Reuters staff").
_BYLINE_WORDS = frozenset("and & in for of the staff reporter reporters correspondent".split())
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DATE = re.compile(
    r"\b(?:" + _MONTH + r"\s+\d{1,2}(?:,?\s+\d{4})?|\d{1,2}\s+" + _MONTH + r"(?:\s+\d{4})?"
    r"|\d{4}-\d{2}-\d{2}(?:T[\d:+-]+Z?)?|\d{1,2}/\d{1,2}/\d{2,4})(?!\w)"
)
_CLOCK = re.compile(
    r"\b\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?\b|\b\d{1,2}\s*[ap]\.?m\.?", re.IGNORECASE
)
_STAMP_WORDS = frozenset(
    """updated published posted last on at am pm a.m. p.m. et est edt gmt bst utc cet pt pst pdt
    monday tuesday wednesday thursday friday saturday sunday mon tue wed thu fri sat sun""".split()
)
_PRONOUNS = frozenset({"he", "she", "they", "we", "i"})
_OPEN_QUOTE = '"“'
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class LeftOut:
    """Text that did not become a claim, and why (one of :data:`LEFT_OUT_REASONS`).

    ``in_title`` is True when it is the article's title (offsets into ``Article.title``).
    """

    start: int
    end: int
    text: str
    reason: str
    in_title: bool = False


@dataclass(frozen=True)
class Candidate:
    """A sentence chosen to become a claim, with what the text alone says about it."""

    sentence: Sentence
    kind: str  # title | bullet | body
    skip: int  # length of the dateline that opens it
    fallback: Attribution  # its attribution split without a parse (used if the parse's fails)
    in_title: bool = False  # the article's title (offsets into ``Article.title``)


@dataclass(frozen=True)
class Selection:
    """What :func:`select_sentences` decided: candidates in order (title first), and the rest."""

    candidates: list[Candidate]
    left_out: list[LeftOut]


@dataclass(frozen=True)
class Extraction:
    """An article's claims and the text left out of them."""

    claims: list[Claim]
    left_out: list[LeftOut]


@dataclass(frozen=True)
class _Parsed:
    """A sentence kept as a claim, before speakers are made consistent."""

    candidate: Candidate
    attribution: Attribution
    quotes: tuple[Span, ...]

    @property
    def sentence(self) -> Sentence:
        return self.candidate.sentence


def extract_claims(
    article: Article, nlp: Language, min_words: int = MIN_CLAIM_WORDS
) -> list[Claim]:
    """The claims of ``article`` (its title first, then text order), each annotated.

    >>> from claims.nlp import load_nlp  # doctest: +SKIP
    >>> a = Article(id="bi", outlet="BI", source="bi.md",
    ...             text="Blinken and senior staff tested negative on Tuesday, Price said.")
    >>> [(c.id, c.content.text, c.speaker) for c in extract_claims(a, load_nlp())]  # doctest: +SKIP
    [('bi:0', 'Blinken and senior staff tested negative on Tuesday', 'Price')]
    """
    return extract_article(article, nlp, min_words).claims


def extract_article(
    article: Article, nlp: Language, min_words: int = MIN_CLAIM_WORDS
) -> Extraction:
    """The claims of ``article`` and what was left out of them, with reasons.

    >>> from claims.nlp import load_nlp  # doctest: +SKIP
    >>> a = Article(id="x", outlet="X", source="x.md", title="Blinken cuts trip short",
    ...             text="Photo: Reuters\\n\\nStaff tested negative")
    >>> out = extract_article(a, load_nlp())  # doctest: +SKIP
    >>> [(c.kind, c.text) for c in out.claims], [x.reason for x in out.left_out]  # doctest: +SKIP
    ([('title', 'Blinken cuts trip short'), ('body', 'Staff tested negative')], ['no_content'])
    """
    selection = select_sentences(article, min_words)
    doc = nlp(article.text)
    title_doc: Doc | None = None
    title_article = replace(article, text=article.title)
    parsed: list[_Parsed] = []
    for candidate in selection.candidates:
        if candidate.in_title:
            title_doc = nlp(article.title)
            parsed.append(_parse(candidate, title_doc, min_words))
        else:
            parsed.append(_parse(candidate, doc, min_words))
    names = _full_names(p.attribution.speaker for p in parsed)
    claims: list[Claim] = []
    previous: tuple[_Parsed, str] | None = None
    for item in parsed:
        speaker = _canonical_speaker(item.attribution.speaker, names)
        if item.candidate.in_title:
            claim = _claim(article, item, speaker, f"{article.id}{TITLE_CLAIM_SUFFIX}")
            attributes.annotate_claim(claim, title_article, title_doc)
            claims.append(claim)
            continue
        if not speaker and item.quotes and _continues_quote(article.text, item, previous):
            assert previous is not None
            speaker = previous[1]
        claim = _claim(article, item, speaker, f"{article.id}:{item.sentence.start}")
        attributes.annotate_claim(claim, article, doc)
        claims.append(claim)
        previous = (item, speaker)
    return Extraction(claims, selection.left_out)


def select_sentences(article: Article, min_words: int = MIN_CLAIM_WORDS) -> Selection:
    """Which sentences of ``article`` (and its title) become claims, from the text alone.

    >>> a = Article(id="x", outlet="X", source="x.md", title="Blinken cuts trip short",
    ...             text="By Melissa Quinn\\n\\n- Staff tested negative\\n- Why?\\n\\nHe left")
    >>> s = select_sentences(a)
    >>> [(c.kind, c.sentence.text) for c in s.candidates]
    [('title', 'Blinken cuts trip short'), ('bullet', 'Staff tested negative')]
    >>> [(x.text, x.reason) for x in s.left_out]
    [('By Melissa Quinn', 'no_content'), ('Why?', 'too_short'), ('He left', 'too_short')]
    """
    candidates: list[Candidate] = []
    left_out: list[LeftOut] = []
    title = article.title.strip()
    title_key = _normalise(title)
    if title:
        start = article.title.index(title)
        sentence = Sentence(start, start + len(title), title, "heading")
        reason = leave_out_reason(title, min_words)
        if reason:
            left_out.append(LeftOut(sentence.start, sentence.end, title, reason, in_title=True))
        else:
            fallback = split_attribution(title, start)
            candidates.append(Candidate(sentence, "title", 0, fallback, in_title=True))
    text = article.text
    sentences = split_sentences(text)
    first_body = True  # the first body sentence may open with a mixed-case dateline
    for index, sentence in enumerate(sentences):
        kind = _kind(text, sentence, index)
        skip = strip_dateline(sentence.text, first=first_body and kind == "body")
        body = sentence.text[skip:]
        reason = leave_out_reason(body, min_words)
        if not reason and title_key and _normalise(sentence.text) == title_key:
            reason = "repeats_title"
        fallback = split_attribution(body, sentence.start + skip)
        if not reason:
            reason = _content_reason(fallback.content.text, min_words)
        if reason:
            left_out.append(LeftOut(sentence.start, sentence.end, sentence.text, reason))
            continue
        if kind == "body":
            first_body = False
        candidates.append(Candidate(sentence, kind, skip, fallback))
    return Selection(candidates, left_out)


def leave_out_reason(text: str, min_words: int = MIN_CLAIM_WORDS) -> str:
    """Why sentence ``text`` cannot be a claim (one of :data:`LEFT_OUT_REASONS`), or ``""``.

    >>> [leave_out_reason(t) for t in ["Photo: Reuters", "Advertisement", "By Melissa Quinn"]]
    ['no_content', 'no_content', 'no_content']
    >>> leave_out_reason("Insider Today"), leave_out_reason("Why did this happen?")
    ('too_short', 'question')
    >>> leave_out_reason("Blinken halts Asia trip"), leave_out_reason("Staff test negative")
    ('', '')
    """
    text = text.strip()
    if not text:
        return "no_content"
    if is_furniture(text):
        return "no_content"
    if len(text.split()) < min_words:
        return "too_short"
    if _QUESTION.search(text):
        return "question"
    return ""


def is_furniture(text: str) -> bool:
    """Whether ``text`` is page furniture: it carries no claim whatever its length.

    >>> [is_furniture(t) for t in ["Photo: Reuters", "December 15, 2021 / 8:42 AM EST / CBS News",
    ...                            "Watch CBS News", "(Reporting by Jane Doe; Editing by Al Roe)"]]
    [True, True, True, True]
    >>> [is_furniture(t) for t in ["By Wednesday, Blinken had left.", "More than 40 died."]]
    [False, False]
    """
    return bool(
        _FURNITURE.match(text) or _CREDIT.match(text) or _is_byline(text) or _is_stamp(text)
    )


def _is_byline(text: str) -> bool:
    match = _BYLINE.match(text)
    if match is None:
        return False
    words = [w.strip(",;:|()") for w in match.group("names").split()]
    words = [w for w in words if w]
    return 0 < len(words) <= 15 and all(w[:1].isupper() or w in _BYLINE_WORDS for w in words)


def _is_stamp(text: str) -> bool:
    """A date or time stamp, maybe with an outlet name: 'December 15, 2021 / 8:42 AM EST'."""
    dated = _DATE.search(text) or _CLOCK.search(text)
    if dated is None:
        return False
    rest = _CLOCK.sub(" ", _DATE.sub(" ", text))
    words = [w.strip(",;:|/·•()-–—") for w in rest.split()]
    words = [w for w in words if w and w.lower() not in _STAMP_WORDS and not w.isdigit()]
    marked = bool(re.search(r"[/|·•]", text) or _CLOCK.search(text)) or bool(
        re.match(r"(?i)(?:last\s+)?(?:updated|published|posted)\b", text)
    )
    return (not words) or (marked and len(words) <= 3 and all(w[:1].isupper() for w in words))


def _content_reason(content: str, min_words: int) -> str:
    """A reason to leave a sentence out once its attribution is set aside, or ``""``."""
    if _QUESTION.search(content):
        return "question"
    if len(content.split()) < min_words:
        return "too_short"
    return ""


def _kind(text: str, sentence: Sentence, index: int) -> str:
    """``title`` for a heading or a first line standing alone unpunctuated, else its unit's kind."""
    if sentence.kind == "heading":
        return "title"
    if sentence.kind == "bullet":
        return "bullet"
    alone = (
        index == 0
        and not _TERMINAL.search(sentence.text)
        and text.find("\n", sentence.end) >= 0
        and not text[sentence.end : text.find("\n", sentence.end)].strip()
        and not text[text.rfind("\n", 0, sentence.start) + 1 : sentence.start].strip()
    )
    return "title" if alone else "body"


def _normalise(text: str) -> str:
    """Lower-case, spaces collapsed, closing punctuation dropped (to spot a repeated title)."""
    return _SPACES.sub(" ", text).strip().rstrip(".!…").lower()


def _parse(candidate: Candidate, doc: Doc, min_words: int) -> _Parsed:
    """Split off the attribution with the parse; the text-only split when the parse's result
    would not be kept (so what is kept never depends on the parse)."""
    sentence = candidate.sentence
    body = sentence.text[candidate.skip :]
    attribution = split_attribution(body, sentence.start + candidate.skip, doc)
    if _content_reason(attribution.content.text, min_words):
        attribution = candidate.fallback
    quotes = tuple(find_quotes(sentence.text, sentence.start))
    return _Parsed(candidate, attribution, quotes)


def _claim(article: Article, item: _Parsed, speaker: str, claim_id: str) -> Claim:
    sentence = item.sentence
    return Claim(
        id=claim_id,
        article_id=article.id,
        outlet=article.outlet,
        sentence=Span(sentence.start, sentence.end, sentence.text),
        content=item.attribution.content,
        published=article.published,
        speaker=speaker,
        speaker_role=item.attribution.speaker_role,
        attribution=item.attribution.span,
        quotes=[Quote(span, speaker) for span in item.quotes],
        kind=item.candidate.kind,
    )


def count_left_out(items: Sequence[LeftOut]) -> dict[str, int]:
    """Left-out text per reason, every reason listed.

    >>> count_left_out([LeftOut(0, 9, "Insider", "too_short")])["too_short"]
    1
    """
    counts = Counter(x.reason for x in items)
    return {reason: counts.get(reason, 0) for reason in LEFT_OUT_REASONS}


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
