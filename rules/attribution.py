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
     "regulator", "operator", "administration",
     # the last word of a publication's name ('The Washington Post said'): an organisation
     "post", "times", "journal", "tribune", "herald", "gazette", "news", "telegraph", "guardian",
     "chronicle", "mail", "express", "globe", "inquirer", "bulletin", "courier", "register",
     "examiner", "dispatch", "press", "magazine", "wire", "reuters", "bloomberg"}
)  # fmt: skip
#: speakers too vague to compare.
VAGUE_WORDS = frozenset(
    {"he", "she", "they", "it", "we", "i", "officials", "official", "sources", "source",
     "witnesses", "witness", "people", "experts", "residents", "analysts", "reports", "someone",
     "statement", "spokesman", "spokeswoman", "spokesperson", "who", "one",
     # documents and data: a source, not a speaker ('the report says', 'according to the survey')
     "report", "document", "documents", "survey", "study", "analysis", "filing", "filings",
     "letter", "memo", "release", "website", "site", "records", "data", "figures", "poll",
     "statements", "estimates", "papers", "transcript", "complaint", "indictment",
     # people named by what they do in the story, who may belong to any side of it
     "investigators", "prosecutors", "investors", "lawyers", "attorneys", "doctors",
     "traders", "dealers", "observers", "critics", "supporters", "aides", "insiders",
     "negotiators", "diplomats", "executives", "analyst", "expert", "economists", "economist"}
)  # fmt: skip
#: organisation nouns that say nothing about which organisation: 'the company said' may be any
#: company in the story; 'the industry group' any group. Against a named organisation they agree.
GENERIC_ORG_WORDS = frozenset(
    {"group", "company", "firm", "agency", "organization", "organisation", "association",
     "league", "body", "institution", "operator", "maker", "business", "concern", "corporation",
     "network", "coalition", "consortium", "provider", "carrier", "bureau", "unit", "division",
     "subsidiary", "venture", "outfit", "team", "club"}
)  # fmt: skip
#: words of an organisation's name that do not identify it ('Secure Computing Inc.').
ORG_SUFFIXES = frozenset({"inc", "corp", "co", "ltd", "llc", "plc", "ag", "sa", "nv", "the"})
#: buildings and places that stand for an institution in news copy ('the Pentagon said'):
#: each is read as the institution it stands for.
METONYMS = {
    "pentagon": "defense department", "white house": "administration",
    "kremlin": "russian government", "downing street": "british government",
    "elysee": "french presidency", "foggy bottom": "state department",
    "whitehall": "british government", "number 10": "british government",
}  # fmt: skip
#: particles in names that spelling varies on ('al-Sadr' / 'Sadr', 'de Villepin').
NAME_PARTICLES = frozenset({"al", "el", "de", "da", "di", "del", "van", "von", "der", "bin", "ibn"})
#: courtesy titles and ranks written with a name ('Ms Cohen Alon', 'Maj-Gen Jeffery').
NAME_TITLES = frozenset(
    {"mr", "mrs", "ms", "dr", "sir", "gen", "maj", "lt", "col", "sen", "rep", "gov", "prof",
     "capt", "sgt", "adm", "president", "general", "senator", "governor", "minister"}
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
    voice = re.match(
        r"^(?:an?\s+|the\s+)?(?:\w+\s+)?(?:spokes(?:man|woman|person)|official|"
        r"representative)\s+(?:for|of|at)\s+(?P<org>.+)$",
        speaker.strip(),
        re.I,
    )
    if voice:
        return voice.group("org")  # 'a spokesman for Russia's foreign ministry'
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
    words = [w.lower().rstrip(".") for w in _TOKEN.findall(speaker)]
    content = [w for w in words if w not in ("the", "a", "an", "its", "his", "her", "their")]
    if not content or all(w in VAGUE_WORDS for w in content) or _head(speaker) in VAGUE_WORDS:
        return "vague"
    if content[-1] in ORG_SUFFIXES:
        return "org"
    tokens = _TOKEN.findall(speaker)
    capitalised = [w for w in tokens if w[0].isupper()]
    if tokens and len(tokens[-1]) >= 2 and tokens[-1].replace(".", "").isupper():
        return "org"  # an acronym: 'the FBI', 'NATO'
    if content[-1] in ORG_WORDS or (not capitalised and content[-1] not in VAGUE_WORDS):
        return "org"
    if capitalised and content[-1] not in ORG_WORDS:
        return "person"
    return "vague"


_POST_MODIFIER = re.compile(r"\s(?:of|for|at|on|in|with|from|by|who|which|that|read|\w+ing)\s")


def _head(speaker: str) -> str:
    """The head noun of a speaker phrase: its last word before a post-modifier.

    >>> _head("a statement read in court Tuesday"), _head("an analyst looking at the deal")
    ('statement', 'analyst')
    """
    cut = _POST_MODIFIER.search(f" {speaker} ")
    words = _TOKEN.findall(f" {speaker} "[: cut.start()] if cut else speaker)
    return words[-1].lower().rstrip(".") if words else ""


def _name_parts(speaker: str) -> list[str]:
    """The words of a person's name without titles and particles ('Maj-Gen Jeffery' ->
    ['jeffery'], 'Moqtada al-Sadr' -> ['moqtada', 'sadr'])."""
    words = re.split(r"[\s-]+", speaker.lower().replace(".", ""))
    return [w.strip("'’") for w in words if w and w not in NAME_TITLES | NAME_PARTICLES]


def same_person(x: str, y: str, ratio: float = 85) -> bool:
    """Whether two names may be one person: a shared name word, spelt alike ('Sundwell' /
    'Sundwall', 'Muqtada al Sadr' / 'Moqtada al-Sadr', 'Thaksin Shinawatra' / 'Thaksin').

    >>> same_person("Microsoft spokesman Sean Sundwell", "Sundwall")
    True
    >>> same_person("Sonya Soutus", "Ben Deutsch")
    False
    """
    px = [w for w in _name_parts(x) if w[:1].isalpha()]
    py = [w for w in _name_parts(y) if w[:1].isalpha()]
    names_x = [w for w in _name_parts_capitalised(x)] or px
    names_y = [w for w in _name_parts_capitalised(y)] or py
    return any(fuzz.ratio(a, b) >= ratio for a in names_x for b in names_y)


def _name_parts_capitalised(speaker: str) -> list[str]:
    words = [w for w in re.split(r"[\s-]+", speaker.replace(".", "")) if w]
    return [
        w.lower().strip("'’")
        for w in words
        if w[:1].isupper() and w.lower() not in NAME_TITLES | NAME_PARTICLES
    ]


def _surname(speaker: str) -> str:
    names = [w for w in _TOKEN.findall(speaker) if w[0].isupper()]
    return names[-1].lower().rstrip(".'s") if names else ""


def _org_name(speaker: str) -> str:
    return re.sub(r"^(?:the|a|an)\s+", "", speaker.strip().lower().replace(".", ""))


def speakers_differ(x: str, y: str, ratio: float = 85) -> bool:
    """Whether two speakers are clearly different people or organisations.

    >>> speakers_differ("Ned Price", "State Department spokesman Ned Price")
    False
    >>> speakers_differ("Ned Price", "Antony Blinken")
    True
    """
    x, y = _metonym(organisation_voice(x)), _metonym(organisation_voice(y))
    kx, ky = speaker_kind(x), speaker_kind(y)
    if kx != ky or kx == "vague":
        return False
    if kx == "person":
        return not same_person(x, y, ratio)
    if _acronym_of(x, y) or _acronym_of(y, x):
        return False
    if _generic(x, y) or _generic(y, x):
        return False
    if _is_proper(x) != _is_proper(y) and _describes(*((x, y) if _is_proper(y) else (y, x))):
        return False
    nx, ny = _org_name(x), _org_name(y)
    return not (nx in ny or ny in nx or fuzz.token_set_ratio(nx, ny) >= ratio)


def _metonym(speaker: str) -> str:
    """The institution a building stands for ('the Pentagon' -> 'defense department')."""
    name = _org_name(speaker)
    return METONYMS.get(name, speaker)


def _generic(description: str, other: str) -> bool:
    """Whether a description can be any organisation of the story: a bare generic noun ('the
    company', 'the agency'), or a generic head with modifiers ('the industry group', 'the
    Arizona-based group') against a named organisation."""
    words = [w.lower() for w in _TOKEN.findall(description) if w.lower() not in ("the", "a", "an")]
    if not words or words[-1] not in GENERIC_ORG_WORDS:
        return False
    if len(words) == 1:
        return True
    head_written = _TOKEN.findall(description)[-1]
    return head_written[:1].islower() and _is_proper(other)


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
    if len(letters) >= 2 and letters == initials:
        return True
    # 'the CBO' / 'the budget office': a description's words are the acronym's last letters
    described = "".join(w[0].lower() for w in _TOKEN.findall(long_) if w.lower() != "the")
    return not _is_proper(long_) and len(described) >= 2 and letters.endswith(described)


def check_attribution(a: Claim, b: Claim, config: RuleConfig) -> list[RuleHit]:
    """Hits for one statement credited to two different speakers."""
    if not a.speaker or not b.speaker:
        return []
    similarity = fuzz.token_set_ratio(a.content.text.lower(), b.content.text.lower())
    if similarity < float(config.param("min_statement_similarity")):
        return []
    if not speakers_differ(a.speaker, b.speaker, float(config.param("same_speaker_ratio"))):
        return []
    a_spans: tuple[Span, ...] = (a.attribution,) if a.attribution else ()
    b_spans: tuple[Span, ...] = (b.attribution,) if b.attribution else ()
    return [
        RuleHit(
            check=CHECK,
            verdict=str(config.param("verdict")),
            severity=config.severity,
            confidence=float(config.param("confidence")),
            explanation=(
                f"{a.outlet} credits the statement to {a.speaker}; {b.outlet} to {b.speaker}."
            ),
            a_spans=a_spans,
            b_spans=b_spans,
            a_value=a.speaker,
            b_value=b.speaker,
        )
    ]
