"""Split article text into sentences with exact character offsets (rule-based, no model).

Boundaries:

* a blank line always ends a sentence (paragraphs);
* a bullet line (``•``, ``-``, ``*``, ``–``, ``—`` or a number such as ``1.`` or ``2)``, then a
  space) or a Markdown heading line (``#`` ... ) is its own sentence, and the marker is left out
  of the span; such sentences have ``kind`` ``bullet`` or ``heading`` (else ``body``);
* inside a paragraph, a sentence ends after ``.``, ``!``, ``?`` or ``…`` (with any closing quotes
  or brackets that follow) when whitespace and then a capital letter, a digit or an opening
  quote/bracket come next;
* a period after an abbreviation does not end a sentence: titles before names (``Mr.``,
  ``Adm.``, ``Maj. Gen.``), ``e.g.``, ``vs.``; a month (``Dec. 14``) or ``No.`` before a number;
  and, unless the next word is a closed-class word that starts sentences (``The``, ``He``,
  ``But`` ...), initials (``Antony J. Blinken``), dotted acronyms (``U.S.``, ``D.C.``,
  ``a.m.``) and other abbreviations that can also end a sentence (``Inc.``, ``Jr.``, ``St.``).

Single line breaks inside a paragraph are read as spaces (hard-wrapped text), except after a
line without closing punctuation that cannot be a wrapped line: the next line starts with a
capital, a digit or an opening quote, the line does not end in a comma, a dash or a word that
cannot end a sentence ("the", "of", "and" ...), and it is clearly shorter than the paragraph's
longest line (:data:`WRAPPED_LINE_SHARE`), every line is short (:data:`WRAP_MIN_WIDTH`) or the
next line opens with a label ("Photo: Reuters"). This
keeps a headline or a snippet line that sits directly above its text a sentence of its own:

>>> [s.text for s in split_sentences("Blinken cuts trip short\\nBlinken left Malaysia early.")]
['Blinken cuts trip short', 'Blinken left Malaysia early.']

>>> [s.text for s in split_sentences('The U.S. envoy left at 9 a.m. on Dec. 14. "Go," he said.')]
['The U.S. envoy left at 9 a.m. on Dec. 14.', '"Go," he said.']
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from claims.records import Sentence

#: titles and words that always come before a name or number: a period after them never ends
#: a sentence.
TITLES = frozenset(
    """mr mrs ms mx dr prof rev hon sen rep gov lt col gen maj adm capt cmdr cpl sgt pvt
    amb pres supt insp det fr messrs mmes gens""".split()
)
#: abbreviations never followed by a sentence end in news text.
NEVER_FINAL = frozenset("e.g i.e vs v cf approx ca viz".split())
#: month abbreviations: not a sentence end when a number follows (``Dec. 14``).
MONTHS = frozenset("jan feb mar apr jun jul aug sep sept oct nov dec".split())
#: abbreviations that can end a sentence as well as sit inside one.
AMBIGUOUS = frozenset(
    """inc corp co ltd llc plc jr sr st ave blvd rd dept govt univ bros assn est etc no nos
    mt ft pt jan feb mar apr jun jul aug sep sept oct nov dec""".split()
)
#: closed-class words (determiners, pronouns, conjunctions, prepositions) that start a new
#: sentence; after an ambiguous abbreviation they mark a boundary ("... in the U.S. The ...").
SENTENCE_STARTERS = frozenset(
    """a an the this that these those there here it its he she his her they their them we our
    i you your my but and or so yet nor however meanwhile still also then thus instead in on at
    for with as after before when while if although though because since until during by from
    to of some many most all several both each every no none one two three what who why how
    where which""".split()
)

#: a line whose length is at least this share of its paragraph's longest line may be hard-wrapped
#: (wrapping fills lines to about the same width; 0.8 leaves room for a long word carried over).
WRAPPED_LINE_SHARE = 0.8
#: paragraphs whose lines are all shorter than this (characters) are not hard-wrapped prose
#: (wrapped news text is 60-80 characters wide): lists of headlines or snippet lines.
WRAP_MIN_WIDTH = 50
#: words a wrapped line can end in but a sentence (or headline) cannot.
CONTINUATION_WORDS = frozenset(
    """a an the this that these those and or but nor of to in on at for with from by as into
    onto about over under after before than its his her their our your my is are was were be
    been has have had will would could should can may might must not who whom whose which""".split()
)

_BULLET = re.compile(r"[ \t]*(?:[•\-*–—]|#{1,6}|\d{1,2}[.)])[ \t]+")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_CANDIDATE = re.compile(
    r"""(?P<stop>[.!?…]+)(?P<close>["”’'»)\]]*)(?P<space>\s+)(?=(?P<next>["“‘'«(\[]?[A-Z0-9]))"""
)
#: a line end after which the sentence may go on: closing punctuation (handled by the
#: punctuation rules), a comma, colon, dash, slash, ampersand or an opening quote or bracket.
_OPEN_LINE_END = re.compile(r"""(?:[.!?…]["”’'»)\]]*|[,;:(\[\-–—/&"“‘'«])$""")
#: a line that opens with a label ("Photo: Reuters", "Watch: ..."): it starts a new line's text.
_LINE_LABEL = re.compile(r"[A-Z][A-Za-z]{0,15}(?: [A-Za-z]{1,15})?:\s")
_WORD_BEFORE = re.compile(r"(\S*)$")
_NEXT_WORD = re.compile(r"""["“‘'«(\[]?([A-Za-z0-9]+)""")
_DOTTED_ACRONYM = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]$")
_INITIAL = re.compile(r"^[A-Z]$")


def split_sentences(text: str) -> list[Sentence]:
    """Split ``text`` into sentences; ``text[s.start:s.end] == s.text`` and ``s.text`` is stripped.

    >>> [(s.start, s.text, s.kind) for s in split_sentences("- Blinken left.\\n- Price spoke.")]
    [(2, 'Blinken left.', 'bullet'), (18, 'Price spoke.', 'bullet')]
    >>> [s.text for s in split_sentences('It was "at our peril." Then it ended.')]
    ['It was "at our peril."', 'Then it ended.']
    >>> [s.kind for s in split_sentences("1. Talks ended\\n2) Staff left\\n# Next steps")]
    ['bullet', 'bullet', 'heading']
    """
    sentences: list[Sentence] = []
    for start, end, kind in _units(text):
        for s_start, s_end in _split_unit(text, start, end):
            s_start, s_end = _strip(text, s_start, s_end)
            if s_start < s_end:
                sentences.append(Sentence(s_start, s_end, text[s_start:s_end], kind))
    return sentences


def _units(text: str) -> Iterator[tuple[int, int, str]]:
    """Paragraphs, with each bullet or heading line (marker left out) as a unit of its own."""
    position = 0
    for match in [*_PARAGRAPH_BREAK.finditer(text), None]:
        end = match.start() if match else len(text)
        yield from _paragraph_units(text, position, end)
        if match:
            position = match.end()


def _paragraph_units(text: str, start: int, end: int) -> Iterator[tuple[int, int, str]]:
    """A bullet line starts a unit; the lines after it (wrapped text) belong to it.

    A heading line is a unit of its own.
    """
    unit_start = start
    unit_kind = "body"
    line_start = start
    while line_start <= end:
        newline = text.find("\n", line_start, end)
        line_end = end if newline < 0 else newline
        marker = _BULLET.match(text, line_start, line_end)
        if marker:
            if line_start > unit_start:
                yield unit_start, line_start, unit_kind
            unit_start = marker.end()
            unit_kind = "bullet"
            if marker.group().lstrip().startswith("#"):  # a heading is one line
                yield unit_start, line_end, "heading"
                unit_start = line_end
                unit_kind = "body"
        if newline < 0:
            break
        line_start = newline + 1
    if unit_start < end:
        yield unit_start, end, unit_kind


def _split_unit(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    boundaries = [
        (match.start("space"), match.end("space"))
        for match in _CANDIDATE.finditer(text, start, end)
        if _is_boundary(text, match, start)
    ]
    boundaries.extend((b, b + 1) for b in _line_boundaries(text, start, end))
    position = start
    for boundary, resume in sorted(boundaries):
        if boundary < position:
            continue  # a line break inside the whitespace of a punctuation boundary
        yield position, boundary
        position = resume
    yield position, end


def _line_boundaries(text: str, start: int, end: int) -> list[int]:
    """Offsets of the line breaks in ``text[start:end]`` that end an unpunctuated line.

    >>> _line_boundaries("Talks end\\nThe envoy left.", 0, 25)
    [9]
    >>> _line_boundaries("The person who tested positive was\\nself-isolating.", 0, 50)
    []
    >>> text = "Blinken abandons his Asia tour after a Covid case in the press\\nPhoto: AP"
    >>> _line_boundaries(text, 0, len(text))
    [62]
    """
    lines: list[tuple[int, int]] = []
    position = start
    while position <= end:
        newline = text.find("\n", position, end)
        line_end = end if newline < 0 else newline
        lines.append(_strip(text, position, line_end))
        if newline < 0:
            break
        position = newline + 1
    if len(lines) < 2:
        return []
    widest = max(e - s for s, e in lines)
    found: list[int] = []
    for (l_start, l_end), (n_start, n_end) in zip(lines, lines[1:], strict=False):
        if l_start >= l_end or n_start >= n_end:
            continue
        line = text[l_start:l_end]
        if _OPEN_LINE_END.search(line):
            continue  # punctuated lines are split (or not) by the punctuation rules
        last_word = line.split()[-1].lower().strip("\"'“”‘’()[]")
        if last_word in CONTINUATION_WORDS:
            continue
        if not re.match(r"""["“‘'«(\[]?[A-Z0-9]""", text[n_start:n_end]):
            continue
        labelled = _LINE_LABEL.match(text, n_start, n_end) is not None
        if not labelled and widest >= WRAP_MIN_WIDTH and len(line) >= WRAPPED_LINE_SHARE * widest:
            continue  # as long as the wrapped lines: may be hard-wrapped prose
        found.append(text.index("\n", l_end))
    return found


def _is_boundary(text: str, match: re.Match[str], unit_start: int) -> bool:
    stop = match.group("stop")
    if stop != ".":
        return True  # "!", "?", "…", "..." and the like
    if match.group("close"):
        return True  # '... at our peril." Then'
    before = _WORD_BEFORE.search(text, unit_start, match.start())
    if before is None:  # no word before the stop: nothing to read as an abbreviation
        return True
    word = before.group(1)
    word = re.split(r"[-–—/]", word)[-1].lstrip("\"“‘'«([")  # "China-U.S." -> "U.S."
    if not word:
        return True
    next_match = _NEXT_WORD.match(text, match.end("space"))
    next_word = next_match.group(1) if next_match else ""
    next_is_number = next_word[:1].isdigit()
    next_starts_sentence = next_word.lower() in SENTENCE_STARTERS or next_word[:1] in "\"“‘'«(["
    if next_match and next_match.group(0)[:1] in "\"“‘'«([":
        next_starts_sentence = True
    key = word.lower()
    if key in TITLES or key in NEVER_FINAL:
        return False
    if key in MONTHS or key in {"no", "nos"}:
        return not next_is_number and (key in {"no", "nos"} or next_starts_sentence)
    if key in AMBIGUOUS or _DOTTED_ACRONYM.match(word) or _INITIAL.match(word):
        return next_starts_sentence
    return True


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
