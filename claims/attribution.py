"""Split a sentence into what is claimed and who the article credits it to.

Forms handled (the reporting verb comes from a closed list: said, told, added, according to ...):

* trailing: ``..., Price said.``, ``..., Price said in a statement.``, ``..., State Department
  spokesperson Ned Price said.``, ``..., the State Department said Wednesday.``, ``..., said
  Price.``, ``"...," Price said, per The Washington Post.``;
* trailing source: ``..., according to X.``, ``..., per X.``;
* leading: ``Price said (that) ...``, ``X told reporters (that) ...``, ``According to X, ...``,
  ``In a separate statement, Price said ...``, ``Maj. Gen. Pat Ryder, Pentagon press secretary,
  said that ...``;
* mid-sentence: ``..., Price said, and ...``: the content is the clause before the attribution
  (what the speaker is credited with); the clause after it is kept in ``content_parts``.

The speaker is normalised to a short name: the PERSON named in the attribution phrase without
its role (``State Department spokesman Ned Price`` -> ``Ned Price``, role ``State Department
spokesman``), else the organisation (``a State Department official`` -> ``State Department``,
role ``official``), else the phrase without its article (``an official`` -> ``official``). The
spaCy ``Doc`` of the article, when given, supplies PERSON/ORG entities; without it a
capitalised-word fallback is used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc

from claims.records import Span

#: reporting verbs (past and present) that introduce an attribution.
SAY_VERBS = (
    "said|says|say|added|adds|told|tells|stated|states|announced|announces|explained|explains|"
    "noted|notes|wrote|writes|confirmed|confirms|acknowledged|acknowledges|insisted|insists|"
    "argued|argues|warned|warns|claimed|claims|reported|reports|testified|tweeted|posted|"
    "recalled|declared|asserted|cautioned|emphasized|emphasised|stressed|disclosed|asked|asks"
)
#: closed-class words that cannot be inside a speaker phrase (they signal a clause instead).
_CLAUSE_WORDS = frozenset(
    """and but or nor so yet while which who whom whose that because although though if when
    whether was were is are am be been being has have had will would could should can may might
    must did does do not it he she they we i you his her their its this there""".split()
)
_PRONOUNS = frozenset({"he", "she", "they", "we", "i"})
_DETERMINERS = ("the ", "a ", "an ")
_MAX_SPEAKER_WORDS = 12
_WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
#: what may follow ``X said`` at the end of a sentence: when, where, how it was said, a source.
_TAIL = (
    r"(?:\s+(?:in|on|at|during|to|from|via|by|through|after|before|late|early|earlier|later|"
    r"this|last|previously|yesterday|today|tonight|" + _WEEKDAYS + r")\b[^\"“”]{0,120}?)?"
    r"(?:,\s+(?:per|according\s+to|citing)\s+[^,\"“”]{1,80}?)?"
)
_END = r"\s*[.!]?[\"”’]?\s*$"
_OPEN_QUOTES = '"“'
_CLOSE_QUOTES = '"”'

# ``<content><sep> <speaker> said<tail>.``
_TRAILING = re.compile(
    r"(?P<sep>,[\"”’]?|[?!][\"”’]|[\"”’])\s+(?P<attr>(?P<speaker>[^,\"“”]{1,120}?)\s+"
    r"(?P<verb>" + SAY_VERBS + r")\b" + _TAIL + r")" + _END
)
# ``<content>, said <speaker><tail>.``
_TRAILING_INVERTED = re.compile(
    r"(?P<sep>,[\"”’]?)\s+(?P<attr>(?P<verb>said|says|added|adds|told)\s+"
    r"(?P<speaker>[A-Z][^,\"“”]{0,100}?)" + _TAIL + r")" + _END
)
# ``<content>, according to <speaker>.`` / ``, per <speaker>.``
_TRAILING_SOURCE = re.compile(
    r"(?P<sep>,[\"”’]?)\s+(?P<attr>(?P<verb>according\s+to|per|citing)\s+"
    r"(?P<speaker>[^,\"“”]{1,100}?))" + _END
)
# ``<content>, <speaker> said, <more>``
_MIDDLE = re.compile(
    r"(?P<sep>,[\"”’]?)\s+(?P<attr>(?P<speaker>[^,\"“”]{1,120}?)\s+(?P<verb>" + SAY_VERBS + r")"
    r"(?:\s+(?:on\s+)?(?:" + _WEEKDAYS + r"))?),\s+(?P<rest>\S)"
)
# ``According to <speaker>, <content>``
_LEADING_SOURCE = re.compile(
    r"^(?P<attr>(?:According|according)\s+to\s+(?P<speaker>[^,]{1,100}?)),\s+"
)
# ``[In a statement, ]<speaker>[, <apposition>,] [adverb] said [on Tuesday] [that] <content>``
_LEADING = re.compile(
    r"^(?P<attr>(?:(?:In|At|During|On)\s+[^,]{1,60},\s+)?"
    r"(?P<speaker>[A-Z\"“][^,\"“”]{0,100}?|[Tt]he\s[^,\"“”]{1,100}?|[Aa]n?\s[^,\"“”]{1,100}?)"
    r"(?P<appos>,\s+[^,\"“”]{1,120},)?"
    r"\s+(?:(?:earlier|later|also|previously|again|separately)\s+)?"
    r"(?P<verb>said|says|told\s+(?:reporters|journalists|lawmakers|[A-Z][\w.]*(?:\s+[A-Z][\w.]*)*)|"
    r"announced|added|confirmed|stated|explained|noted|wrote|warned)"
    r"(?:\s+(?:on\s+)?(?:" + _WEEKDAYS + r"|earlier|later|today|yesterday))?"
    r"(?:\s+that)?)\s+(?P<content>\S)"
)
_CAPITALISED_TAIL = re.compile(r"((?:[A-Z][\w'’.-]*\s?){1,4})$")
#: a personal name: two to four capitalised words ("Kurt Campbell", "Lloyd J. Austin III").
_NAME = re.compile(r"^[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){1,3}$")


@dataclass(frozen=True)
class Attribution:
    """A sentence split into its content and its attribution (both in article offsets).

    ``span`` is the attribution's words (``Price said in a statement``) or None when the
    sentence credits nobody; ``content_parts`` lists every piece of content when the attribution
    sits mid-sentence (``content`` is then the first piece).
    """

    content: Span
    speaker: str = ""
    speaker_role: str = ""
    span: Span | None = None
    content_parts: tuple[Span, ...] = ()


def split_attribution(text: str, offset: int = 0, doc: Doc | None = None) -> Attribution:
    """Split sentence ``text`` (starting at ``offset`` of the article) into content and speaker.

    >>> a = split_attribution("Blinken tested negative on Tuesday, Price said.", 100)
    >>> a.content.text, a.speaker, a.span.text, a.span.start
    ('Blinken tested negative on Tuesday', 'Price', 'Price said', 136)
    >>> split_attribution("Price said that Blinken tested negative.").content.text
    'Blinken tested negative.'
    >>> split_attribution("The trip was cut short.").speaker
    ''
    """
    for finder in (_trailing, _middle, _leading):
        found = finder(text, offset, doc)
        if found is not None:
            return found
    return Attribution(content=_span(text, offset, 0, len(text)))


# --- forms ---------------------------------------------------------------------------------


def _trailing(text: str, offset: int, doc: Doc | None) -> Attribution | None:
    for pattern in (_TRAILING, _TRAILING_INVERTED, _TRAILING_SOURCE):
        for match in _overlapping(pattern, text):
            speaker_phrase = match.group("speaker")
            if pattern is not _TRAILING_SOURCE and not _plausible_speaker(speaker_phrase):
                continue
            if pattern is _TRAILING_SOURCE and not _plausible_source(speaker_phrase):
                continue
            content_end = match.start("sep")
            if match.group("sep")[-1:] in _CLOSE_QUOTES + "’" and match.group("sep")[:1] in "?!":
                content_end += 1  # keep the "?" or "!" of the quoted question
            content = _content_span(text, offset, 0, content_end, quoted=_closes_quote(match))
            if content is None:
                continue
            return _build(text, offset, doc, content, match, speaker_phrase)
    return None


def _middle(text: str, offset: int, doc: Doc | None) -> Attribution | None:
    for match in _overlapping(_MIDDLE, text):
        speaker_phrase = match.group("speaker")
        if not _plausible_speaker(speaker_phrase):
            continue
        before = _content_span(text, offset, 0, match.start("sep"), quoted=_closes_quote(match))
        after = _content_span(text, offset, match.start("rest"), len(text), quoted=False)
        if before is None or after is None:
            continue
        if len(before.text.split()) < 4:
            # "The decision, Price said, was made ...": the content surrounds the attribution.
            whole = _span(text, offset, 0, len(text))
            found = _build(text, offset, doc, whole, match, speaker_phrase)
            return _with_parts(found, (before, after))
        found = _build(text, offset, doc, before, match, speaker_phrase)
        return _with_parts(found, (before, after))
    return None


def _leading(text: str, offset: int, doc: Doc | None) -> Attribution | None:
    match = _LEADING_SOURCE.match(text)
    if match:
        speaker_phrase = match.group("speaker")
        content = _content_span(text, offset, match.end(), len(text), quoted=False)
        if content is not None and _plausible_source(speaker_phrase):
            return _build(text, offset, doc, content, match, speaker_phrase)
    match = _LEADING.match(text)
    if match:
        speaker_phrase = match.group("speaker")
        if not _plausible_speaker(speaker_phrase):
            return None
        content = _content_span(text, offset, match.start("content"), len(text), quoted=False)
        if content is None or len(content.text.split()) < 3:
            return None
        appos = (match.group("appos") or "").strip(" ,")
        found = _build(text, offset, doc, content, match, speaker_phrase)
        if appos and _NAME.match(appos) and speaker_phrase.lower().startswith(_DETERMINERS):
            # "The deputy secretary of state, Kurt Campbell, said": the apposition is the name.
            role = _strip_determiner(speaker_phrase)
            return Attribution(found.content, appos, role, found.span)
        if appos and appos.split()[0].lower() not in _CLAUSE_WORDS:
            # "Maj. Gen. Pat Ryder, Pentagon press secretary, said": the apposition is a role.
            role = ", ".join(r for r in (found.speaker_role, _clean_role(appos)) if r)
            return Attribution(found.content, found.speaker, role, found.span)
        return found
    return None


# --- helpers -------------------------------------------------------------------------------


def _overlapping(pattern: re.Pattern[str], text: str) -> list[re.Match[str]]:
    """Matches starting at every separator (comma, quote, ?, !), left to right, overlaps kept.

    ``finditer`` would skip "..., Price said" after a failed candidate such as ", when the
    case was confirmed" had consumed its comma.
    """
    found = []
    for index, char in enumerate(text):
        if char in ',?!"”’':
            match = pattern.match(text, index)
            if match:
                found.append(match)
    return found


def _build(
    text: str, offset: int, doc: Doc | None, content: Span, match: re.Match[str], phrase: str
) -> Attribution:
    attr_start, attr_end = match.span("attr")
    while attr_end > attr_start and text[attr_end - 1] in " ,.":
        attr_end -= 1
    speaker_start = match.start("speaker")
    speaker, role = normalise_speaker(phrase, offset + speaker_start, doc)
    return Attribution(
        content=content,
        speaker=speaker,
        speaker_role=role,
        span=_span(text, offset, attr_start, attr_end),
    )


def _with_parts(found: Attribution, parts: tuple[Span, ...]) -> Attribution:
    return Attribution(found.content, found.speaker, found.speaker_role, found.span, parts)


def _closes_quote(match: re.Match[str]) -> bool:
    sep = match.group("sep")
    return any(c in sep for c in _CLOSE_QUOTES + "’")


def _content_span(text: str, offset: int, start: int, end: int, quoted: bool) -> Span | None:
    """The stripped content between ``start`` and ``end``; quote marks removed when ``quoted``."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1] in " \t\n,;:":
        end -= 1
    if quoted and start < end and text[start] in _OPEN_QUOTES:
        start += 1
    if end - start < 3:
        return None
    return _span(text, offset, start, end)


def _span(text: str, offset: int, start: int, end: int) -> Span:
    return Span(offset + start, offset + end, text[start:end])


def _words(phrase: str) -> list[str]:
    return phrase.split()


def _plausible_speaker(phrase: str) -> bool:
    """A noun phrase of a few words with no clause words: 'the State Department', 'Price'."""
    words = _words(phrase)
    if not words or len(words) > _MAX_SPEAKER_WORDS:
        return False
    if len(words) == 1 and words[0].lower() in _PRONOUNS:
        return True  # '"...," he said.'
    if any(w.lower().strip("'’") in _CLAUSE_WORDS for w in words):
        return False
    first = words[0]
    return first[0].isupper() or first.lower() in {"the", "a", "an"} or first.isalpha()


def _plausible_source(phrase: str) -> bool:
    words = _words(phrase)
    return 0 < len(words) <= 8 and not any(w.lower() in _CLAUSE_WORDS for w in words)


def normalise_speaker(phrase: str, start: int = 0, doc: Doc | None = None) -> tuple[str, str]:
    """Short speaker name and role from an attribution phrase (``start``: its article offset).

    >>> normalise_speaker("State Department spokesman Ned Price")
    ('Ned Price', 'State Department spokesman')
    >>> normalise_speaker("the State Department")
    ('State Department', '')
    >>> normalise_speaker("an official")
    ('official', '')
    """
    phrase = phrase.strip()
    end = start + len(phrase)
    if doc is not None:
        ents = [e for e in doc.ents if e.start_char >= start and e.end_char <= end]
        for label in ("PERSON", "ORG"):
            found = [e for e in ents if e.label_ == label]
            if found:
                entity = found[-1]
                name = _strip_determiner(entity.text)
                role = phrase[: entity.start_char - start] + " " + phrase[entity.end_char - start :]
                return name, _clean_role(role)
    bare = _strip_determiner(phrase)
    if bare != phrase:  # "the State Department", "a State Department official"
        return _organisation_or_role(bare)
    tail = _CAPITALISED_TAIL.search(phrase)
    if tail and tail.start() > 0 and phrase[: tail.start()].strip():
        head = phrase[: tail.start()].strip()
        # "State Department spokesman Ned Price": the name follows the last lowercase word.
        if any(w[:1].islower() for w in head.split()):
            return tail.group(1).strip(), _clean_role(head)
    return phrase, ""


def _organisation_or_role(phrase: str) -> tuple[str, str]:
    """'State Department official' -> ('State Department', 'official'); 'official' -> itself."""
    words = phrase.split()
    capitalised = [w for w in words if w[:1].isupper()]
    proper = all(w.replace(".", "").isalpha() for w in capitalised)  # not "Canberra-based"
    if capitalised and proper and words[-1][:1].islower() and words[0][:1].isupper():
        split = next(i for i, w in enumerate(words) if w[:1].islower())
        return " ".join(words[:split]), " ".join(words[split:])
    return phrase, ""


def _strip_determiner(phrase: str) -> str:
    lowered = phrase.lower()
    for det in _DETERMINERS:
        if lowered.startswith(det):
            return phrase[len(det) :].strip()
    return phrase.strip()


def _clean_role(role: str) -> str:
    role = re.sub(r"\s+", " ", role).strip(" ,")
    return _strip_determiner(role) if role else ""
