"""quote: one speaker's quoted words reported differently by two outlets.

Two quotes are the same quote when their token-set similarity reaches ``min_same_quote`` and their
speakers (when both known) are the same person. The two word lists are aligned
(:class:`difflib.SequenceMatcher`) and each stretch that differs is read:

- a stretch only one quote has at its start or its end is an *extension*: one outlet quoted more
  of the sentence ('It indicates we are starting the epidemic ...' / 'We are starting the
  epidemic ...'); it never counts;
- equivalent forms do not count: case, curly quotes, punctuation, contractions ('we're', "isnt"),
  'per cent' / 'percent' / '%', hyphens and spacing ('chip-set' / 'chipset', 'F.T.C.' / 'FTC'),
  inflection and spelling ('declared' / 'declaring', 'behaviour' / 'behavior'), ordinals and number
  words ('September the 11th' / 'September 11', 'Ten' / '10'), editorial brackets ('[his]'), and
  the same words in another order ('harassment and assault' / 'assault and harassment');
- a change of meaning is a ``contradiction`` at ``meaning_change_severity``: a negation added or
  dropped in one stretch, a number replaced by a different number, a word replaced by its
  opposite ('rise' / 'fall', 'safe' / 'unsafe'), a quantifier by one of another force ('every' /
  'most'), a time word by another ('this morning' / 'last night');
- otherwise the quote is reported as the section's verdict ('divergence') only when it is the
  same sentence with words swapped in place (no words added or dropped inside it) and more than
  ``ignore_changed_words`` words were swapped ('a dark day for our democracy' / 'a sad day for our
  country'). Outlets routinely trim, reorder and re-tense a quote, so a quote that also gains or
  loses words is read as a loose rendering, not a misquotation; a swap at the very start of a
  quote is where outlets join their own words to the speaker's ('I think 70 percent' / 'About 70
  percent') and does not count either.

Params: ``min_same_quote`` (0-100), ``meaning_change_severity``, ``ignore_changed_words`` (int).
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass

from rapidfuzz import fuzz

from claims.quantities import UNITS_WORDS
from claims.records import Claim, Quote
from rules.base import RuleConfig, RuleHit
from rules.negation import ANTONYMS

CHECK = "quote"
NEGATORS = frozenset({"not", "no", "never", "none", "nobody", "nothing", "nor", "neither"})
CONTRACTIONS = {"'re": "are", "'ve": "have", "'ll": "will", "'m": "am", "'d": "would"}
#: negated auxiliaries written without the apostrophe ('isnt', 'dont'), read as 'is not' ...
_BARE_NEGATIVES = re.compile(
    r"\b(is|are|was|were|do|does|did|has|have|had|could|would|should|ca|wo)nt\b"
)
_WORD = re.compile(r"\d[\d,.]*\d|\d|n't|[a-z]+(?:'[a-z]+)?")
#: editorial insertions in a quote ('[his]', '(loose)'): the outlet's words, not the speaker's.
_EDITORIAL = re.compile(r"\[[^\]]*\]|\([^)]*\)")
ELLIPSIS = re.compile(r"\.\.\.|…|\[\.\.\.\]|\. \. \.")
#: number words and multiples ('doubled', 'halved') with their values.
NUMBER_WORDS: dict[str, float] = {
    **{w: float(v) for w, v in UNITS_WORDS.items()},
    "hundred": 100.0, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
    "half": 0.5, "halve": 0.5, "double": 2.0, "twice": 2.0, "triple": 3.0, "thrice": 3.0,
    "quadruple": 4.0, "first": 1.0, "second": 2.0, "third": 3.0,
}  # fmt: skip
_ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th)$")
#: auxiliaries: tense and aspect ('are declaring' / 'have declared'), not content.
AUXILIARIES = frozenset(
    {"am", "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "having",
     "do", "does", "did", "'s"}
)  # fmt: skip
#: quantifiers by force: a swap between groups changes what is claimed ('every home' / 'most
#: of the homes'); within a group it does not ('all' / 'every').
QUANTIFIER_GROUPS: tuple[frozenset[str], ...] = (
    frozenset({"all", "every", "each", "entire", "whole"}),
    frozenset({"most", "majority"}),
    frozenset({"many", "much", "numerous"}),
    frozenset({"some", "several", "certain"}),
    frozenset({"few", "little"}),
)
#: words naming a time (of day, a day, a month): 'this morning' / 'last night' is a change.
TIME_WORDS = frozenset(
    {"morning", "afternoon", "evening", "night", "tonight", "today", "yesterday", "tomorrow",
     "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
     "february", "march", "april", "june", "july", "august", "september", "october",
     "november", "december", "week", "weekend", "month", "year", "decade", "noon", "midnight"}
)  # fmt: skip
#: opposite particles and prepositions, read like the opposite verbs of rules/negation.py:
#: 'under control' / 'out of control', 'for the plan' / 'against the plan'.
OPPOSITE_PARTICLES: tuple[tuple[str, str], ...] = (
    ("in", "out"), ("on", "off"), ("up", "down"), ("over", "under"), ("under", "out"),
    ("with", "without"), ("for", "against"), ("before", "after"), ("above", "below"),
    ("inside", "outside"), ("more", "less"), ("more", "fewer"), ("most", "least"),
)  # fmt: skip
#: closed-class words (articles, pronouns, prepositions, conjunctions, modals and
#: auxiliaries): swapping them ('will' / 'are going to', 'their' / 'your', 'into' / 'on')
#: re-words a quote without changing what it is about, so they do not count as swapped words.
FUNCTION_WORDS = AUXILIARIES | frozenset(
    """a an the this that these those i me my mine we us our ours you your yours he him his she
    her hers it its they them their theirs who whom whose which what there here to of in on at
    by for from with into onto upon about as than then so such and or but if because while
    although though whether when where will would shall should can could may might must also
    just very really only even too quite rather going get got gets""".split()
)
#: an edge stretch this many times longer on one side (and at least ``_EDGE_MIN_WORDS`` long)
#: is an extension with a word or two paraphrased where the shorter quote stops ('... me and
#: that guard' / '... me and the guard, and I can assure you ...').
_EDGE_RATIO = 3
_EDGE_MIN_WORDS = 4
#: a swap replaces about as many words as it puts in; a longer rewrite is a loose rendering.
_MAX_SWAP_GROWTH = 1
#: words two quotes must share (and at least half the shorter quote's) to be the same quote.
_MIN_SHARED_WORDS = 2
#: prefixes that negate the word they join ('safe' / 'unsafe', 'legal' / 'illegal').
NEGATING_PREFIXES = ("un", "in", "im", "il", "ir", "dis", "non")
#: fuzzy similarity (0-100) at or above which two words of five letters or more are one word
#: spelt two ways ('behaviour' / 'behavior', 'judgement' / 'judgment').
SAME_SPELLING_RATIO = 85


def quote_words(text: str) -> list[str]:
    """Lower-case words of a quote, folding curly quotes, contractions and editorial brackets.

    >>> quote_words("“We didn't know…”")
    ['we', 'did', 'not', 'know']
    >>> quote_words("recall isnt one [of them], 60 per cent")
    ['recall', 'is', 'not', 'one', '60', 'percent']
    """
    text = text.replace("\u2019", "'").replace("\u2018", "'").lower()
    text = _EDITORIAL.sub(" ", text)
    text = re.sub(r"\bno\.?\s*(?=\d)", "number ", text)  # 'No. 4'
    text = re.sub(r"^\s*no\s*[,!.]", " ", text)  # an answer 'No, ...' negates nothing said here
    text = re.sub(r"\bper\s+cent\b|%", " percent", text)
    text = text.replace("ain't", "is not").replace("can't", "can not").replace("cannot", "can not")
    text = text.replace("won't", "will not")
    text = _BARE_NEGATIVES.sub(r"\1 not", text)
    text = re.sub(r"(\w)n't\b", r"\1 not", text)
    for short, full in CONTRACTIONS.items():
        text = re.sub(rf"(\w){short}\b", rf"\1 {full}", text)
    text = re.sub(r"(\w)'s\b", r"\1 's", text)
    return [w.replace(",", "") if w[0].isdigit() else w for w in _WORD.findall(text)]


def short_text(qa: Quote, qb: Quote) -> str:
    """The text of the shorter of two quotes."""
    return min(qa.span.text, qb.span.text, key=len)


def _subsequence(short: list[str], long_: list[str]) -> bool:
    it = iter(long_)
    return all(word in it for word in short)


def _contiguous(short: list[str], long_: list[str]) -> bool:
    n = len(short)
    return any(long_[i : i + n] == short for i in range(len(long_) - n + 1))


def _forms(word: str) -> set[str]:
    """Candidate lemmas of an inflected word ('rejected' -> 'reject', 'closes' -> 'close').

    >>> {"close", "reject"} <= _forms("closed") | _forms("rejected")
    True
    """
    forms = {word}
    for cut in (1, 2, 3):
        if len(word) > cut + 2:
            stem = word[:-cut]
            forms.update({stem, stem + "e"})
    if word.endswith("ied"):
        forms.add(word[:-3] + "y")
    if word.endswith("ing") and len(word) > 5 and word[-4] == word[-5]:
        forms.add(word[:-4])  # 'winning' -> 'win'
    return forms


def number_value(word: str) -> float | None:
    """The value a word states: digits, an ordinal, a number word or a multiple.

    >>> number_value("11th"), number_value("5,000"), number_value("doubled"), number_value("few")
    (11.0, 5000.0, 2.0, None)
    """
    ordinal = _ORDINAL.match(word)
    if ordinal:
        return float(ordinal.group(1))
    if word[:1].isdigit():
        try:
            return float(word.replace(",", ""))
        except ValueError:
            return None
    for form in sorted(_forms(word), key=len, reverse=True):
        if form in NUMBER_WORDS and (form == word or len(word) - len(form) <= 2):
            return NUMBER_WORDS[form]
    return None


_SUFFIXES = ("ingly", "ings", "ing", "edly", "ies", "ied", "ed", "es", "s", "ly")


def stem(word: str) -> str:
    """A crude stem: one inflectional suffix and a final 'e' or 'y' off.

    >>> stem("declaring") == stem("declared"), stem("technologies") == stem("technology")
    (True, True)
    """
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word[:-1] if len(word) > 3 and word[-1] in "ey" else word


def _same_word(x: str, y: str) -> bool:
    """One word in two forms: inflection ('declared' / 'declaring') or spelling."""
    if x == y:
        return True
    if number_value(x) is not None or number_value(y) is not None:
        return number_value(x) == number_value(y)
    if stem(x) == stem(y):
        return True
    return min(len(x), len(y)) >= 5 and fuzz.ratio(x, y) >= SAME_SPELLING_RATIO


def _negates(x: str, y: str) -> bool:
    """'unsafe' negates 'safe', 'illegal' 'legal'."""
    for short, long_ in ((x, y), (y, x)):
        for prefix in NEGATING_PREFIXES:
            if long_ == prefix + short and len(short) >= 3:
                return True
    return False


@dataclass(frozen=True)
class Stretch:
    """One stretch where two aligned quotes differ: the words each has there, and where."""

    removed: tuple[str, ...]
    added: tuple[str, ...]
    at_start: bool
    at_end: bool

    @property
    def extension(self) -> bool:
        """Words only one quote has, at its start or end: it quoted more of the sentence (with
        perhaps a word or two re-worded where the shorter one stops)."""
        if not (self.at_start or self.at_end):
            return False
        short, long_ = sorted((len(self.removed), len(self.added)))
        return short == 0 or (long_ >= _EDGE_MIN_WORDS and long_ >= _EDGE_RATIO * short)


def stretches(wa: list[str], wb: list[str]) -> list[Stretch]:
    """The stretches where word lists ``wa`` and ``wb`` differ, equivalent forms dropped.

    >>> [s.removed for s in stretches("a dark day for democracy".split(),
    ...                               "a sad day for our country".split())]
    [('dark',), ('democracy',)]
    """
    opcodes = difflib.SequenceMatcher(a=wa, b=wb, autojunk=False).get_opcodes()
    found: list[Stretch] = []
    for op, i1, i2, j1, j2 in opcodes:
        if op == "equal":
            continue
        removed, added = tuple(wa[i1:i2]), tuple(wb[j1:j2])
        if "".join(removed) == "".join(added):
            continue  # 'chip-set' / 'chipset', 'f.t.c.' / 'ftc'
        if len(removed) == len(added) and all(map(_same_word, removed, added)):
            continue
        at_start, at_end = i1 == 0 and j1 == 0, i2 == len(wa) and j2 == len(wb)
        found.append(Stretch(removed, added, at_start, at_end))
    return found


def _quantifier_group(word: str) -> int | None:
    for index, group in enumerate(QUANTIFIER_GROUPS):
        if word in group:
            return index
    return None


def meaning_change(changes: list[Stretch]) -> str:
    """Why the differing stretches change what the speaker said, or ''."""
    opposites = {frozenset(p) for p in (*ANTONYMS, *OPPOSITE_PARTICLES)}
    removed = [w for s in changes for w in s.removed]
    added = [w for s in changes for w in s.added]
    for s in changes:
        if sum(w in NEGATORS for w in s.removed) != sum(w in NEGATORS for w in s.added):
            return "a negation changed"
    values_r = Counter(v for w in removed if (v := number_value(w)) is not None)
    values_a = Counter(v for w in added if (v := number_value(w)) is not None)
    if values_r and values_a and values_r != values_a:
        return "a number changed"
    for r in removed:
        for a in added:
            if _negates(r, a) or any(
                frozenset((x, y)) in opposites for x in _forms(r) for y in _forms(a)
            ):
                return f"'{r}' became '{a}'"
    groups_r = {g for w in removed if (g := _quantifier_group(w)) is not None}
    groups_a = {g for w in added if (g := _quantifier_group(w)) is not None}
    if groups_r and groups_a and not groups_r & groups_a:
        return "a quantifier changed"
    times_r = {w for w in removed if w in TIME_WORDS}
    times_a = {w for w in added if w in TIME_WORDS}
    if times_r and times_a and not times_r & times_a:
        return "a time changed"
    return ""


def _reordered(changes: list[Stretch]) -> bool:
    """The same words, moved or re-tensed ('are declaring war on harassment and assault' /
    'have declared war on assault and harassment')."""
    removed = [w for s in changes for w in s.removed if w not in AUXILIARIES]
    pool = [w for s in changes for w in s.added if w not in AUXILIARIES]
    if len(removed) != len(pool):
        return False
    for word in removed:
        match = next((x for x in pool if _same_word(word, x)), None)
        if match is None:
            return False
        pool.remove(match)
    return True


def _content(words: tuple[str, ...]) -> list[str]:
    return [w for w in words if w not in FUNCTION_WORDS]


def _swap(stretch: Stretch) -> bool:
    """Words replaced in place by about as many others ('dark' / 'sad', 'under' / 'out of')."""
    r, a = len(stretch.removed), len(stretch.added)
    return bool(r and a) and abs(r - a) <= _MAX_SWAP_GROWTH


def compare_quotes(qa: Quote, qb: Quote, config: RuleConfig) -> tuple[str, str, int] | None:
    """(verdict, reason, changed words) when two quotes of the same words differ, else None."""
    wa, wb = quote_words(qa.span.text), quote_words(qb.span.text)
    if not wa or not wb or wa == wb:
        return None
    if fuzz.token_set_ratio(" ".join(wa), " ".join(wb)) < float(config.param("min_same_quote")):
        return None
    shared = set(wa) & set(wb)
    if len(shared) < _MIN_SHARED_WORDS or 2 * len(shared) < min(len(set(wa)), len(set(wb))):
        return None  # 'This Week.' is not 'This is a cloud hanging over ...'

    changes = [s for s in stretches(wa, wb) if not s.extension]
    if not changes:
        return None  # a shortened quote: one is a stretch of the other
    short, long_ = sorted((wa, wb), key=len)
    if ELLIPSIS.search(short_text(qa, qb)) and _subsequence(short, long_):
        return None  # words left out and marked with an ellipsis: a shortened quote
    reason = meaning_change(changes)
    changed = sum(max(len(s.removed), len(s.added)) for s in changes)
    if reason:
        return "contradiction", reason, changed
    if _reordered(changes):
        return None
    inner = [s for s in changes if not s.at_start]
    if not inner or any(not _swap(s) for s in inner):
        return None  # words added, dropped or rewritten inside: a loose rendering
    swapped = [s for s in inner if _content(s.removed) and _content(s.added)]
    changed = sum(max(len(s.removed), len(s.added)) for s in swapped)
    if changed <= int(config.param("ignore_changed_words")):
        return None
    return str(config.param("verdict")), "the wording differs", changed


def _same_speaker(a: str, b: str) -> bool:
    if not a or not b:
        return True
    sa, sb = a.split()[-1].lower(), b.split()[-1].lower()
    return sa == sb


def check_quote(a: Claim, b: Claim, config: RuleConfig) -> list[RuleHit]:
    """Hits for the same quote worded differently."""
    hits: list[RuleHit] = []
    for qa in a.quotes:
        for qb in b.quotes:
            if not _same_speaker(qa.speaker or a.speaker, qb.speaker or b.speaker):
                continue
            result = compare_quotes(qa, qb, config)
            if result is None:
                continue
            verdict, reason, changed = result
            severity = (
                str(config.param("meaning_change_severity"))
                if verdict == "contradiction"
                else config.severity
            )
            hits.append(
                RuleHit(
                    check=CHECK,
                    verdict=verdict,
                    severity=severity,
                    confidence=float(
                        config.param("confidence")
                        if verdict == "contradiction"
                        else config.param("confidence_drift")
                    ),
                    explanation=(
                        f"{a.outlet} and {b.outlet} quote the same words differently: {reason} "
                        f"({changed} word(s))."
                    ),
                    a_spans=(qa.span,),
                    b_spans=(qb.span,),
                    a_value=qa.span.text,
                    b_value=qb.span.text,
                )
            )
            return hits
    return hits
