"""quote: one speaker's quoted words reported differently by two outlets.

Two quotes are the same quote when their token-set similarity reaches ``min_same_quote`` and their
speakers (when both known) are the same person. Then:

- silent when the words are equal after folding case, curly quotes, punctuation and ellipses, or
  when one is a contiguous part of the other (a shortened quote), or when at most
  ``ignore_changed_words`` words changed;
- a change of meaning (a negation added or dropped, a different number, a word swapped for its
  opposite) is a ``contradiction`` at ``meaning_change_severity``;
- any other wording change is reported as the configured verdict ('divergence') and severity.

Params: ``min_same_quote`` (0-100), ``meaning_change_severity``, ``ignore_changed_words`` (int).
"""

from __future__ import annotations

import difflib
import re

from rapidfuzz import fuzz

from claims.quantities import UNITS_WORDS
from claims.records import Claim, Quote
from rules.base import RuleConfig, RuleHit
from rules.negation import ANTONYMS

CHECK = "quote"
NEGATORS = frozenset({"not", "no", "never", "n't", "none", "nobody", "nothing", "cannot", "nor"})
CONTRACTIONS = {"'re": "are", "'ve": "have", "'ll": "will", "'m": "am", "'d": "would"}
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_NUMBER = re.compile(r"\d")
#: words that state an amount: number words and multiples ('doubled', 'halved').
NUMBER_WORDS = frozenset(UNITS_WORDS) | {
    "hundred", "thousand", "million", "billion", "half", "halve", "double", "triple",
    "quadruple", "twice", "thrice", "dozen", "percent",
}  # fmt: skip
ELLIPSIS = re.compile(r"\.\.\.|…|\[\.\.\.\]")


def quote_words(text: str) -> list[str]:
    """Lower-case words of a quote, folding curly quotes and contractions ('won't' -> 'wo', 'n't').

    >>> quote_words("“We didn't know…”")
    ['we', 'did', "n't", 'know']
    """
    text = text.replace("\u2019", "'").replace("\u2018", "'").lower()
    text = re.sub(r"(\w)n't\b", r"\1 n't", text)
    text = text.replace("can't", "can n't").replace("cannot", "can n't")
    for short, full in CONTRACTIONS.items():
        text = re.sub(rf"(\w){short}\b", rf"\1 {full}", text)
    words: list[str] = []
    for w in re.findall(r"n't|[a-z0-9]+(?:'[a-z]+)?", text):
        words.append(w)
    return words


def short_text(qa: Quote, qb: Quote) -> str:
    """The text of the shorter of two quotes."""
    return min(qa.span.text, qb.span.text, key=len)


def _subsequence(short: list[str], long_: list[str]) -> bool:
    it = iter(long_)
    return all(word in it for word in short)


def _contiguous(short: list[str], long_: list[str]) -> bool:
    n = len(short)
    return any(long_[i : i + n] == short for i in range(len(long_) - n + 1))


def _meaning_changed(removed: list[str], added: list[str]) -> str:
    neg_r = [w for w in removed if w in NEGATORS]
    neg_a = [w for w in added if w in NEGATORS]
    if len(neg_r) != len(neg_a):
        return "a negation changed"
    if any(_NUMBER.search(w) or _forms(w) & NUMBER_WORDS for w in removed + added):
        return "a number changed"
    opposites = {frozenset(p) for p in ANTONYMS}
    for r in removed:
        for a in added:
            if any(frozenset((x, y)) in opposites for x in _forms(r) for y in _forms(a)):
                return f"'{r}' became '{a}'"
    return ""


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


def compare_quotes(qa: Quote, qb: Quote, config: RuleConfig) -> tuple[str, str, int] | None:
    """(verdict, reason, changed words) when two quotes of the same words differ, else None."""
    wa, wb = quote_words(qa.span.text), quote_words(qb.span.text)
    if not wa or not wb or wa == wb:
        return None
    if fuzz.token_set_ratio(" ".join(wa), " ".join(wb)) < float(config.param("min_same_quote", 60)):
        return None
    short, long_ = sorted((wa, wb), key=len)
    if _contiguous(short, long_):
        return None
    removed: list[str] = []
    added: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=wa, b=wb, autojunk=False).get_opcodes():
        if op != "equal":
            removed.extend(wa[i1:i2])
            added.extend(wb[j1:j2])
    if len(wa) != len(wb) and not set(removed) and set(added) <= set(wa):
        return None
    if not added and ELLIPSIS.search(short_text(qa, qb)) and _subsequence(short, long_):
        return None  # words left out and marked with an ellipsis: a shortened quote
    reason = _meaning_changed(removed, added)
    if reason:
        return "contradiction", reason, max(len(removed), len(added))
    changed = max(len(removed), len(added))
    # words dropped from the middle ('... to mitigate the risk ...') shorten, not change, a quote
    if not added or not removed:
        if all(w in wb for w in wa) or all(w in wa for w in wb):
            return None
    if changed <= int(config.param("ignore_changed_words", 1)):
        return None
    return str(config.param("verdict", "divergence")), "the wording differs", changed


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
                str(config.param("meaning_change_severity", "high"))
                if verdict == "contradiction"
                else config.severity
            )
            hits.append(
                RuleHit(
                    check=CHECK,
                    verdict=verdict,
                    severity=severity,
                    confidence=float(
                        config.param("confidence", 0.8)
                        if verdict == "contradiction"
                        else config.param("confidence_drift", 0.6)
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
