"""attribution: the same statement credited to different speakers or organisations.

Fires when both claims carry a speaker, their statements are the same (token-set similarity of
the contents at least ``min_statement_similarity``), and the speakers are of the same kind and
differ: two people with different surnames ('..., Price said' / '..., Blinken said'), or two
organisations whose names neither contain nor closely match each other ('the health ministry
said' / 'the interior ministry said'). A person against an organisation is silent (a spokesman
speaks for a department), and so are vague speakers ('officials', 'he', 'a source').

Params: ``min_statement_similarity`` (0-100), ``same_speaker_ratio`` (0-100).
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from claims.records import Claim, Span
from rules.base import RuleConfig, RuleHit

CHECK = "attribution"
#: general words naming an organisation rather than a person.
ORG_WORDS = frozenset(
    {"ministry", "department", "police", "government", "company", "office", "agency", "embassy",
     "court", "council", "committee", "union", "party", "army", "military", "service", "board",
     "commission", "bank", "group", "association", "authority", "authorities", "federation",
     "league", "club", "university", "hospital", "institute", "organization", "organisation",
     "white", "house", "kremlin", "pentagon", "parliament", "senate", "congress", "cabinet",
     "firm", "corporation", "inc", "ltd", "plc", "fund", "foundation", "network", "newspaper",
     "regulator", "operator", "administration"}
)  # fmt: skip
#: speakers too vague to compare.
VAGUE_WORDS = frozenset(
    {"he", "she", "they", "it", "we", "i", "officials", "official", "sources", "source",
     "witnesses", "witness", "people", "experts", "residents", "analysts", "reports", "someone",
     "statement", "spokesman", "spokeswoman", "spokesperson", "who", "one"}
)  # fmt: skip
_TOKEN = re.compile(r"[A-Za-z][A-Za-z.'-]*")


#: people who speak for an organisation: 'a Commission spokesperson' speaks for the Commission.
SPOKES_WORDS = frozenset({"spokesperson", "spokesman", "spokeswoman", "official", "officials",
                          "representative", "source", "sources"})  # fmt: skip


def organisation_voice(speaker: str) -> str:
    """The organisation a spokesperson or official speaks for, or the speaker unchanged.

    >>> organisation_voice("a Commission spokesperson")
    'Commission'
    """
    tokens = _TOKEN.findall(speaker)
    if len(tokens) >= 2 and tokens[-1].lower() in SPOKES_WORDS:
        rest = [t for t in tokens[:-1] if t.lower() not in ("a", "an", "the")]
        if rest and any(t[0].isupper() for t in rest):
            return " ".join(rest)
    return speaker


def speaker_kind(speaker: str) -> str:
    """``person``, ``org`` or ``vague`` for a speaker string.

    >>> speaker_kind("State Department spokesman Ned Price"), speaker_kind("the Health Ministry")
    ('person', 'org')
    """
    words = [w.lower() for w in _TOKEN.findall(speaker)]
    content = [w for w in words if w not in ("the", "a", "an", "its", "his", "her", "their")]
    if not content or all(w in VAGUE_WORDS for w in content):
        return "vague"
    tokens = _TOKEN.findall(speaker)
    capitalised = [w for w in tokens if w[0].isupper()]
    if tokens and len(tokens[-1]) >= 2 and tokens[-1].replace(".", "").isupper():
        return "org"  # an acronym: 'the FBI', 'NATO'
    if content[-1] in ORG_WORDS or (not capitalised and content[-1] not in VAGUE_WORDS):
        return "org"
    if capitalised and content[-1] not in ORG_WORDS:
        return "person"
    return "vague"


def _surname(speaker: str) -> str:
    names = [w for w in _TOKEN.findall(speaker) if w[0].isupper()]
    return names[-1].lower().rstrip(".'s") if names else ""


def _org_name(speaker: str) -> str:
    return re.sub(r"^(?:the|a|an)\s+", "", speaker.strip().lower())


def speakers_differ(x: str, y: str, ratio: float = 85) -> bool:
    """Whether two speakers are clearly different people or organisations.

    >>> speakers_differ("Ned Price", "State Department spokesman Ned Price")
    False
    >>> speakers_differ("Ned Price", "Antony Blinken")
    True
    """
    x, y = organisation_voice(x), organisation_voice(y)
    kx, ky = speaker_kind(x), speaker_kind(y)
    if kx != ky or kx == "vague":
        return False
    if kx == "person":
        return _surname(x) != _surname(y)
    if _acronym_of(x, y) or _acronym_of(y, x):
        return False
    if _is_proper(x) != _is_proper(y) and _describes(*((x, y) if _is_proper(y) else (y, x))):
        return False
    nx, ny = _org_name(x), _org_name(y)
    return not (nx in ny or ny in nx or fuzz.token_set_ratio(nx, ny) >= ratio)


def _describes(description: str, name: str) -> bool:
    """Whether a description's head noun names the kind of a named organisation: 'the nuclear
    regulator' may be 'the Nuclear Regulation Authority', 'the central bank' 'the Bank of
    England'; 'local police' is not 'the FBI'.

    >>> _describes("the nuclear regulator", "the Nuclear Regulation Authority")
    True
    >>> _describes("the health ministry", "the World Health Organization")
    False
    """
    words = _TOKEN.findall(description)
    if not words:
        return False
    head = words[-1].lower()
    for word in _TOKEN.findall(name):
        word = word.lower()
        common = 0
        for x, y in zip(head, word, strict=False):
            if x != y:
                break
            common += 1
        if common == min(len(head), len(word)) or common >= 6:
            return True
    return False


def _is_proper(speaker: str) -> bool:
    """Whether a speaker is named ('the Kremlin', 'Siemens') rather than described."""
    return any(w[0].isupper() for w in _TOKEN.findall(speaker) if w.lower() != "the")


def _acronym_of(short: str, long_: str) -> bool:
    """'FBI' for 'the Federal Bureau of Investigation'.

    >>> _acronym_of("the FBI", "the Federal Bureau of Investigation")
    True
    """
    tokens = _TOKEN.findall(short)
    if not tokens or not tokens[-1].replace(".", "").isupper():
        return False
    letters = tokens[-1].replace(".", "").lower()
    initials = "".join(w[0].lower() for w in _TOKEN.findall(long_) if w[0].isupper())
    return len(letters) >= 2 and letters == initials


def check_attribution(a: Claim, b: Claim, config: RuleConfig) -> list[RuleHit]:
    """Hits for one statement credited to two different speakers."""
    if not a.speaker or not b.speaker:
        return []
    similarity = fuzz.token_set_ratio(a.content.text.lower(), b.content.text.lower())
    if similarity < float(config.param("min_statement_similarity", 70)):
        return []
    if not speakers_differ(a.speaker, b.speaker, float(config.param("same_speaker_ratio", 85))):
        return []
    a_spans: tuple[Span, ...] = (a.attribution,) if a.attribution else ()
    b_spans: tuple[Span, ...] = (b.attribution,) if b.attribution else ()
    return [
        RuleHit(
            check=CHECK,
            verdict=str(config.param("verdict", "divergence")),
            severity=config.severity,
            confidence=float(config.param("confidence", 0.7)),
            explanation=(
                f"{a.outlet} credits the statement to {a.speaker}; {b.outlet} to {b.speaker}."
            ),
            a_spans=a_spans,
            b_spans=b_spans,
            a_value=a.speaker,
            b_value=b.speaker,
        )
    ]
