"""Split a sentence into what is claimed and who the article credits it to.

Forms handled (the reporting verb comes from a closed list: said, told, added, according to ...):

* trailing: ``..., Price said.``, ``..., Price said in a statement.``, ``..., State Department
  spokesperson Ned Price said.``, ``..., the State Department said Wednesday.``, ``..., Chen told
  reporters.``, ``..., said Price.``, ``..., said hospital spokeswoman Amy Ross.``, ``..., said the
  ministry.``, ``"...," Price said, per The Washington Post.``;
* trailing source: ``..., according to X.``, ``..., per X.``;
* leading: ``Price said (that) ...``, ``X told reporters (that) ...``, ``According to X, ...``,
  ``In a separate statement, Price said ...``, ``Maj. Gen. Pat Ryder, Pentagon press secretary,
  said that ...``;
  a leading ``X confirmed/announced/said ...`` is an attribution only when a clause follows (``X
  confirmed (that) two soldiers died``), not a plain object (``X confirmed the report``);
* mid-sentence: ``..., Price said, and ...``: the content is the clause before the attribution
  (what the speaker is credited with); the clause after it is kept in ``content_parts``.

The speaker is normalised to a short name: the PERSON named in the attribution phrase without
its role (``State Department spokesman Ned Price`` -> ``Ned Price``, role ``State Department
spokesman``), else the organisation (``a State Department official`` -> ``State Department``,
role ``official``), else the phrase without its article (``an official`` -> ``official``, ``the
British government`` -> ``British government``: a nationality adjective is part of the name). The
spaCy ``Doc`` of the article, when given, supplies PERSON/ORG entities; without it a
capitalised-word fallback is used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Token

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
    must did does do not never neither it he she they we i you his her their its this
    there""".split()
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
#: ``told reporters``, ``told the BBC``: the listener of a trailing ``told`` (checked to be a noun
#: phrase by :func:`_plausible_source`).
_TOLD = r"(?:told|tells)\s+(?P<listener>[^\s,\"“”]+(?:\s+[^\s,\"“”]+){0,3}?)"
_CLOSE_QUOTES = '"”'

# ``<content><sep> <speaker> said<tail>.``
_TRAILING = re.compile(
    r"(?P<sep>,[\"”’]?|[?!][\"”’]|[\"”’])\s+(?P<attr>(?P<speaker>[^,\"“”]{1,120}?)\s+"
    r"(?P<verb>" + _TOLD + r"|" + SAY_VERBS + r")\b" + _TAIL + r")" + _END
)
# ``<content>, said <speaker><tail>.``
_TRAILING_INVERTED = re.compile(
    r"(?P<sep>,[\"”’]?)\s+(?P<attr>(?P<verb>said|says|added|adds|told)\s+"
    r"(?P<speaker>[A-Za-z][^,\"“”]{0,100}?)" + _TAIL + r")" + _END
)
# ``<content>, according to <speaker>.`` / ``, per <speaker>.``
_TRAILING_SOURCE = re.compile(
    r"(?P<sep>,[\"”’]?)\s+(?P<attr>(?P<verb>according\s+to|per|citing)\s+"
    r"(?P<speaker>[^,\"“”]{1,100}?))" + _END
)
# ``<content>, <speaker> said, <more>``
_MIDDLE = re.compile(
    r"(?P<sep>,[\"”’]?)\s+(?P<attr>(?P<speaker>[^,\"“”]{1,120}?)\s+(?P<verb>" + _TOLD + r"|"
    r"" + SAY_VERBS + r")(?:\s+(?:on\s+)?(?:" + _WEEKDAYS + r"))?),\s+(?P<rest>\S)"
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
    r"(?P<that>\s+that)?)\s+(?P<content>\S)"
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
            if not _plausible_listener(match):
                continue
            if pattern is _TRAILING_INVERTED and not _inverted_speaker(match, offset, doc):
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
        if not _plausible_speaker(speaker_phrase) or not _plausible_listener(match):
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
        if not match.group("that") and not _introduces_clause(match, offset, content, doc):
            return None  # "The minister confirmed the report.": the verb has a plain object
        appos = (match.group("appos") or "").strip(" ,")
        found = _build(text, offset, doc, content, match, speaker_phrase)
        if appos and _names_speaker(appos) and _describes_speaker(speaker_phrase):
            # "The deputy secretary of state, Kurt Campbell, said", "Ms Cohen Alon's lawyer,
            # Donald Levine, said": the apposition names who the description describes.
            role = _strip_determiner(speaker_phrase)
            return Attribution(found.content, _strip_determiner(appos), role, found.span)
        if appos and appos.split()[0].lower() not in _CLAUSE_WORDS:
            # "Maj. Gen. Pat Ryder, Pentagon press secretary, said": the apposition is a role.
            role = ", ".join(r for r in (found.speaker_role, _clean_role(appos)) if r)
            return Attribution(found.content, found.speaker, role, found.span)
        return found
    return None


# --- helpers -------------------------------------------------------------------------------

#: finite auxiliaries and modals: a clause's own verb when no parse is at hand.
_FINITE_WORDS = frozenset(
    """is are was were am has have had will would could should can may might must shall did does
    do won't can't cannot isn't aren't wasn't weren't hasn't haven't hadn't didn't doesn't don't
    wouldn't couldn't shouldn't""".split()
)
_FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})
#: reporting verbs that, in news copy, introduce a clause even without "that" ("Price said the
#: trip ..."); only they are read as attributions when there is no parse to find the clause.
_CLAUSE_VERBS = frozenset({"said", "says", "say", "told", "tells"})
_NOUN_POS = frozenset({"NOUN", "PROPN", "PRON", "NUM"})
#: where a relative clause or an aside begins (its verbs are not the content's own).
_RELATIVE = re.compile(r",|\b(?:who|whom|whose|which)\b", re.IGNORECASE)


def _introduces_clause(match: re.Match[str], offset: int, content: Span, doc: Doc | None) -> bool:
    """Whether the words after a leading ``X said/confirmed`` are a clause of their own.

    With the parse: a clausal complement of the reporting verb, or a finite verb in the content
    whose heads lead to the reporting verb without passing through a noun ("said the dam did not
    break", not "confirmed the report, which was leaked"); "said"/"told" are only refused when
    the parse finds a direct object and no clause ("said a prayer"). Without the parse:
    "said"/"told" always; other verbs need a finite auxiliary or modal.
    """
    verb_word = match.group("verb").split()[0].lower()
    if doc is not None:
        verb = _token_at(doc, offset + match.start("verb"))
        tokens = [t for t in doc if content.start <= t.idx < content.end]
        if verb is not None and tokens:
            inside = range(tokens[0].i, tokens[-1].i + 1)
            if any(t.dep_ in ("ccomp", "parataxis") and t.head.i == verb.i for t in tokens):
                return True
            if any(_clause_of(t, verb, inside) for t in tokens if t.tag_ in _FINITE_TAGS):
                return True
            if verb_word in _CLAUSE_VERBS:
                return not any(t.dep_ == "dobj" and t.head.i == verb.i for t in tokens)
            return False
    if verb_word in _CLAUSE_VERBS:
        return True
    main = _RELATIVE.split(content.text, maxsplit=1)[0]  # not "the arrest, which was ..."
    words = (w.lower().strip('"“”.;:').replace("’", "'") for w in main.split())
    return any(w in _FINITE_WORDS for w in words)


def _token_at(doc: Doc, char: int) -> Token | None:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def _clause_of(token: Token, verb: Token, inside: range) -> bool:
    """Whether finite ``token`` heads a clause complementing ``verb`` (directly or via others)."""
    node = token
    while True:
        head = node.head
        if head.i == verb.i:
            return True
        if head.i == node.i:  # the content's verb is the root: "said" hangs below it
            return any(a.i == node.i for a in verb.ancestors)
        if head.i not in inside or head.pos_ in _NOUN_POS:
            return False  # a relative clause of the object, or a verb before the content
        node = head


def _plausible_listener(match: re.Match[str]) -> bool:
    """The listener of ``told`` is a short noun phrase ('reporters', 'the BBC'), not a clause."""
    listener = match.groupdict().get("listener")
    return listener is None or _plausible_source(listener)


def _inverted_speaker(match: re.Match[str], offset: int, doc: Doc | None) -> bool:
    """``..., said <speaker>.``: a name, or a noun phrase ('the ministry', 'surgeon Paul Grant').

    A lowercase phrase must end in a noun by the parse ("said officials", not "said earlier"),
    or, without one, open with an article or hold a capitalised word.
    """
    phrase = match.group("speaker")
    if phrase[:1].isupper():
        return True
    if match.group("verb").startswith("told"):
        return False  # "..., told reporters.": the listener, not a speaker
    if doc is not None:
        last = _token_at(doc, offset + match.start("speaker") + len(phrase.rstrip()) - 1)
        if last is not None:
            return last.pos_ in ("NOUN", "PROPN")
    words = phrase.split()
    return phrase.lower().startswith(_DETERMINERS) or any(w[:1].isupper() for w in words)


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


#: a name, possibly an organisation's with 'the' and linking words ('the League of United
#: Latin American Citizens').
_PROPER_NAME = re.compile(
    r"^(?:the\s+)?[A-Z][\w'’.-]*(?:\s+(?:(?:of|for|and|the|on|de|al)\s+)*[A-Z][\w'’.-]*){0,7}$"
)


def _names_speaker(appos: str) -> bool:
    """Whether an apposition is a name ('Kurt Campbell', 'the League of United Latin American
    Citizens') rather than a description."""
    return bool(_NAME.match(appos) or _PROPER_NAME.match(appos))


def _describes_speaker(phrase: str) -> bool:
    """Whether a leading speaker phrase describes someone (so an apposition after it names
    them): it opens with an article or a possessor ('The group criticizing X', 'Dusenbery's
    fiancee')."""
    lowered = phrase.lower()
    return lowered.startswith(_DETERMINERS) or bool(re.search(r"['’]s\s+\w", phrase))


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
    lead = _LEADING_ADVERB.match(phrase)
    if lead and phrase[lead.end() :].strip():
        start += lead.end()
        phrase = phrase[lead.end() :]
    end = start + len(phrase)
    if doc is not None:
        ents = [e for e in doc.ents if e.start_char >= start and e.end_char <= end]
        cut = _modifier_start(phrase)
        if cut is not None:  # 'The CBO analysis of the Senate package': not the Senate
            ents = [e for e in ents if e.start_char < start + cut] or ents
        for label in ("PERSON", "ORG"):
            found = [e for e in ents if e.label_ == label]
            if found:
                entity = found[-1]
                name = _strip_determiner(entity.text)
                role = phrase[: entity.start_char - start] + " " + phrase[entity.end_char - start :]
                return name, _clean_role(role)
    bare = _strip_determiner(phrase)
    if bare != phrase:  # "the State Department", "a State Department official"
        return _organisation_or_role(bare, start + phrase.index(bare), doc)
    tail = _CAPITALISED_TAIL.search(phrase)
    if tail and tail.start() > 0 and phrase[: tail.start()].strip():
        head = phrase[: tail.start()].strip()
        # "State Department spokesman Ned Price": the name follows the last lowercase word.
        if any(w[:1].islower() for w in head.split()):
            return tail.group(1).strip(), _clean_role(head)
    return phrase, ""


#: time and linking adverbs that open a sentence before its speaker ('Tonight a spokesman for
#: the ministry said ...'): not part of the speaker.
_LEADING_ADVERB = re.compile(
    r"^(?:Tonight|Today|Yesterday|Earlier|Later|Meanwhile|Also|But|And|However|Separately|"
    r"Now|Then|Still|Instead)\b,?\s+"
)
#: where a post-modifier of the speaker's head begins: a preposition, a participle, a relative.
_MODIFIER = re.compile(r"\s(?:of|for|at|on|in|with|from|who|which|that|\w+ing)\s")


def _modifier_start(phrase: str) -> int | None:
    """Offset in ``phrase`` where the words after its head begin, or None."""
    found = _MODIFIER.search(phrase)
    return found.start() if found else None


def _organisation_or_role(phrase: str, start: int = 0, doc: Doc | None = None) -> tuple[str, str]:
    """'State Department official' -> ('State Department', 'official'); 'official' -> itself.

    Capitalised adjectives alone do not name an organisation: 'British government' and 'Chinese
    readout' are kept whole.

    >>> _organisation_or_role("British government")
    ('British government', '')
    """
    words = phrase.split()
    capitalised = [w for w in words if w[:1].isupper()]
    proper = all(w.replace(".", "").isalpha() for w in capitalised)  # not "Canberra-based"
    if capitalised and proper and words[-1][:1].islower() and words[0][:1].isupper():
        split = next(i for i, w in enumerate(words) if w[:1].islower())
        starts = [m.start() for m in re.finditer(r"\S+", phrase)][:split]
        if all(_is_adjective(w, start + s, doc) for w, s in zip(words, starts, strict=False)):
            return phrase, ""
        return " ".join(words[:split]), " ".join(words[split:])
    return phrase, ""


#: endings of nationality and other proper adjectives: British, Chinese, European, Israeli.
_ADJECTIVE_ENDING = re.compile(r"(?:ish|ese|ian|ean|ican|ic|i)$")


def _is_adjective(word: str, start: int, doc: Doc | None) -> bool:
    """Whether a capitalised word is an adjective ('British'), by the parse or by its ending."""
    if doc is not None:
        token = _token_at(doc, start)
        if token is not None and token.idx == start:
            return token.pos_ == "ADJ" or token.ent_type_ == "NORP"
    return bool(_ADJECTIVE_ENDING.search(word))


def _strip_determiner(phrase: str) -> str:
    lowered = phrase.lower()
    for det in _DETERMINERS:
        if lowered.startswith(det):
            return phrase[len(det) :].strip()
    return phrase.strip()


def _clean_role(role: str) -> str:
    role = re.sub(r"\s+", " ", role).strip(" ,")
    return _strip_determiner(role) if role else ""
