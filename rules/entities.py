"""entity_role: the same person with a different title, a different person in the same role, or
a different place or organisation for the same happening.

- *Title*: a person named in both claims (same surname) with titles that are not contained one in
  the other ('Transport Minister X' / 'Labour Minister X'); 'Foreign Minister X' / 'Minister X'
  and 'former Minister X' / 'Minister X' are silent.
- *Role holder*: the same title for different people doing the same thing ('Transport Minister X
  resigned' / 'Transport Minister Y resigned'): one titled person per claim, same verb.
- *Place/organisation*: a place (GPE, LOC, FAC) or organisation attached with the same preposition
  to the same verb with compatible subjects ('the summit was held in Geneva' / '... in Vienna'),
  where neither names the other and neither claim mentions the other's place. A city and its
  country ('in Kuala Lumpur' / 'in Malaysia') look different without a gazetteer; the check
  skips places that appear together ('Kuala Lumpur, Malaysia') in either sentence.

Params: ``same_name_ratio`` (0-100), ``check_places`` (bool), ``check_role_holders`` (bool).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from claims.entities import HONORIFICS, TITLE_ABBREVIATIONS, TITLE_WORDS
from claims.records import Claim, Entity
from rules.base import RuleConfig, RuleHit
from rules.matching import LIGHT_VERBS, compatible_arguments, predicate, same_event
from rules.place import name_words, place_kind, place_name

CHECK = "entity_role"
PLACE_LABELS = ("GPE", "LOC", "FAC")
#: organisations and people doing something ('won by Siemens'); NER often swaps the two.
ACTOR_LABELS = ("ORG", "PERSON")
#: words of a title that do not change who the person is ('ex' and 'former' say when, not what).
TITLE_NOISE = frozenset(
    {"the", "a", "an", "'s", "of", "and", "former", "then", "acting", "-", "top", "senior",
     "current", "new", "outgoing", "incoming", "interim", "ex", "longtime", "veteran"}
)  # fmt: skip
#: common nouns for the organisation a title belongs to ('the company's chief executive', 'chief
#: executive of the firm'): another outlet names it ('Acme Chief Executive'), so they say nothing
#: about the office. The check reads ``affiliation_nouns`` from the rules file; this list serves
#: when a rules file leaves it empty (null), and as the default of :func:`read_title`.
AFFILIATION_NOUNS = frozenset(
    {"company", "firm", "group", "bank", "club", "team", "government", "ministry", "agency",
     "organisation", "organization", "party", "country", "city", "university", "airline",
     "carrier", "union", "network", "newspaper", "channel", "charity", "council", "board",
     "corporation", "corp", "corp.", "inc", "inc.", "ltd", "plc", "co", "co."}
)  # fmt: skip
#: words that give the level or seat of an office rather than the office: 'federal judge' and
#: 'U.S. district judge', 'county health director' and 'health director' are one title.
JURISDICTION_WORDS = frozenset(
    {"federal", "national", "local", "regional", "provincial", "municipal", "district",
     "county", "city", "state-level", "us", "u.s", "american", "metropolitan", "town"}
)  # fmt: skip
#: words that make a title a different, lower office ('vice president', 'deputy minister',
#: 'lieutenant governor'); 'lieutenant' only before another title ('Lieutenant X' is a rank).
RANK_WORDS = frozenset({"vice", "deputy", "assistant", "under", "junior", "associate"})
#: one office written several ways (after abbreviations are expanded): each phrase is read as
#: its canonical name. 'CEO' = 'chief executive' = 'chief executive officer'; 'spokesman' =
#: 'spokesperson' = 'press secretary'; 'lawyer' = 'attorney'; 'district attorney' = 'prosecutor'.
TITLE_SYNONYMS: tuple[tuple[str, str], ...] = (
    ("chief executive officer", "ceo"), ("chief executive", "ceo"), ("managing director", "ceo"),
    ("chief financial officer", "cfo"), ("finance director", "cfo"),
    ("chief operating officer", "coo"), ("chief technology officer", "cto"),
    ("chief information officer", "cio"), ("prime minister", "prime_minister"),
    ("premier", "prime_minister"), ("press secretary", "spokesperson"),
    ("press officer", "spokesperson"), ("spokesman", "spokesperson"),
    ("spokeswoman", "spokesperson"), ("spokesmen", "spokesperson"),
    ("spokeswomen", "spokesperson"), ("spokespeople", "spokesperson"),
    ("attorney general", "attorney_general"), ("district attorney", "prosecutor"),
    ("state attorney", "prosecutor"), ("state's attorney", "prosecutor"),
    ("public prosecutor", "prosecutor"), ("secretary general", "secretary_general"),
    ("secretary-general", "secretary_general"), ("director general", "director_general"),
    ("director-general", "director_general"), ("inspector general", "inspector_general"),
    ("surgeon general", "surgeon_general"), ("governor general", "governor_general"),
    ("congressman", "representative"), ("congresswoman", "representative"),
    ("chairman", "chair"), ("chairwoman", "chair"), ("chairperson", "chair"),
    ("attorney", "lawyer"), ("solicitor", "lawyer"), ("barrister", "lawyer"),
    ("advisor", "adviser"), ("head coach", "coach"), ("manager", "coach"),
)  # fmt: skip
#: titles that describe rather than name an office: any office holder is an official, a leader,
#: the head of something ('State Department official' / 'assistant secretary of state';
#: 'Palestinian leader' / 'Palestinian president'). They agree with every title.
GENERIC_TITLES = frozenset(
    {"official", "officer", "leader", "head", "chief", "boss", "executive", "member", "aide",
     "staffer", "employee", "figure", "lawmaker", "legislator",
     "candidate", "nominee", "diplomat", "envoy", "negotiator", "activist", "agent"}
)  # fmt: skip
#: functions and professions that a holder of an office or rank may have as well: a general
#: may chair the joint chiefs or speak for the police, a Miami lawyer may head an ABA panel, a
#: senator may chair a committee. They agree with a different office unless both titles name
#: the same organisation ('FTC chairman' / 'FTC commissioner' conflict).
FUNCTION_TITLES = frozenset(
    {"spokesperson", "chair", "director", "founder", "adviser", "lawyer", "analyst",
     "expert", "economist", "correspondent", "reporter", "journalist", "editor", "writer",
     "publicist", "physician", "surgeon", "doctor", "scientist", "researcher", "consultant",
     "strategist", "investigator", "commander", "owner", "president-elect"}
)  # fmt: skip
COMPATIBLE_TITLES = GENERIC_TITLES | FUNCTION_TITLES
#: fuzzy similarity (0-100) at or above which two title words of five letters or more are one
#: word spelt two ways ('defense' / 'defence').
SAME_WORD_RATIO = 85
_PREPOSITIONS = frozenset({"of", "for", "at", "with", "in", "from", "to", "on", "under", "by"})
_CLAUSE_STARTS = frozenset({"who", "which", "that", "whose", "whom", "where", "when"})
_WORD_SPLIT = re.compile(r"[\s]+")


@dataclass(frozen=True)
class Title:
    """One title read into its parts: ``head`` (the office, canonical), ``rank`` ('vice',
    'deputy' ...), ``modifiers`` (portfolio and affiliation words written before the head,
    'transport' in 'transport minister', 'reuters' in 'Reuters journalist').

    >>> read_title("Gov.")
    Title(head='governor', rank=frozenset(), modifiers=())
    >>> read_title("assistant secretary of state who has served in Greece")
    Title(head='secretary', rank=frozenset({'assistant'}), modifiers=('state',))
    """

    head: str
    rank: frozenset[str] = frozenset()
    modifiers: tuple[str, ...] = ()
    written: tuple[str, ...] = field(default=(), compare=False, repr=False)


#: generational suffixes written after a surname ('Joseph A. DiClerico Jr.').
NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


def _surname(name: str) -> str:
    parts = [p.lower().rstrip(".,") for p in re.split(r"\s+", name.strip()) if p]
    parts = [p for p in parts if p not in NAME_SUFFIXES] or parts
    return parts[-1].removesuffix("'s").rstrip("'") if parts else ""


def _expand(word: str) -> str:
    bare = word.rstrip(".").replace(".", "") if word not in (".", "-") else word
    return TITLE_ABBREVIATIONS.get(bare, bare)


def _canonical(words: list[str]) -> list[str]:
    text = " " + " ".join(words) + " "
    for phrase, name in TITLE_SYNONYMS:
        text = text.replace(f" {phrase} ", f" {name} ")
    return text.split()


#: canonical names of compound titles (the right-hand side of :data:`TITLE_SYNONYMS`).
_CANONICAL = frozenset(name for _, name in TITLE_SYNONYMS)


def _is_title_word(word: str) -> bool:
    return word in TITLE_WORDS or word in _CANONICAL or word in COMPATIBLE_TITLES


def read_title(part: str, affiliations: frozenset[str] = AFFILIATION_NOUNS) -> Title | None:
    """One title (no 'and' or commas) read into a :class:`Title`, or None without an office.

    The words are lower-cased and abbreviations expanded ('Lt. Gov.' -> 'lieutenant
    governor'); a possessor ('Ashcroft's', 'the company's'), a clause ('who ...', 'representing
    ...') and a prepositional phrase after the head ('spokesman for Hempleman-Adams') describe
    the person rather than the office and are left out, except a one-word 'of' phrase, which is a
    portfolio ('secretary of state' = 'state secretary').
    """
    raw = [w for w in _WORD_SPLIT.split(part.lower().replace("'s", " 's").replace("-", " - "))]
    words = [_expand(w) for w in raw if w and w not in (",", ".")]
    for i, w in enumerate(words):  # a clause narrates: cut it
        if w in _CLAUSE_STARTS or (
            w.endswith("ing") and i > 0 and not _is_title_word(w) and w not in TITLE_NOISE
        ):
            words = words[:i]
            break
    if "'s" in words:  # a possessor: whose, not which office
        words = words[len(words) - words[::-1].index("'s") :]
    post: list[str] = []
    for i, w in enumerate(words):
        if w in _PREPOSITIONS and i > 0:
            words, post = words[:i], words[i + 1 :]
            break
    post = [w for w in post if w not in TITLE_NOISE]
    words = _canonical([w for w in words if w not in TITLE_NOISE])
    heads = [i for i, w in enumerate(words) if _is_title_word(w) and w not in RANK_WORDS]
    if not heads:
        return None
    h = heads[-1]
    head = words[h]
    before = words[:h]
    rank = frozenset(w for w in before if w in RANK_WORDS)
    if head != "lieutenant" and "lieutenant" in before:
        rank |= {"lieutenant"}
    modifiers = [
        w for w in before
        if w not in RANK_WORDS and w != "lieutenant" and w not in affiliations
        and w not in JURISDICTION_WORDS and w not in HONORIFICS
    ]  # fmt: skip
    if len(post) == 1 and post[0] not in affiliations:
        modifiers.append(post[0])  # 'minister of health' = 'health minister'
    written = tuple(w for w in before if w not in RANK_WORDS)
    return Title(head, rank, tuple(modifiers), written)


def _same_word(x: str, y: str) -> bool:
    """Two title words are the same word: equal, a shared stem ('malaysia'/'malaysian'), or
    spelt alike ('defense'/'defence')."""
    if x == y:
        return True
    short, long_ = sorted((x, y), key=len)
    if len(short) >= 5 and long_.startswith(short[:-1]):
        return True
    return len(short) >= 5 and fuzz.ratio(x, y) >= SAME_WORD_RATIO


def _initials(words: tuple[str, ...] | list[str]) -> str:
    return "".join(w[0] for w in words if w not in ("of", "for", "and", "the") and w)


def _modifiers_agree(ta: Title, tb: Title) -> bool:
    """Whether two titles' modifiers can describe one office: one is empty or contained in the
    other, or one is the acronym of the other ('ecb' / 'european central bank')."""
    x, y = ta.modifiers, tb.modifiers
    if not x or not y:
        return True
    if all(any(_same_word(w, v) for v in y) for w in x):
        return True
    if all(any(_same_word(w, v) for v in x) for w in y):
        return True
    for short, long_ in ((x, y), (y, x), (ta.written, tb.written), (tb.written, ta.written)):
        letters = "".join(short)
        if len(short) <= 2 and len(letters) >= 2:
            if letters in (_initials(long_), _initials(long_[1:])):
                return True
    return False


def _titles_conflict(ta: Title, tb: Title) -> bool:
    if ta.head == tb.head:
        if ta.rank != tb.rank:
            return True  # 'vice president' is another office than 'president'
        return not _modifiers_agree(ta, tb)
    if ta.head in GENERIC_TITLES or tb.head in GENERIC_TITLES:
        return False
    if ta.head in FUNCTION_TITLES or tb.head in FUNCTION_TITLES:
        # 'FTC chairman' / 'FTC commissioner': another post in the same organisation
        same_place = ta.written and set(ta.written) == set(tb.written)
        return bool(same_place) and not (ta.head in FUNCTION_TITLES and tb.head in FUNCTION_TITLES)
    return True  # two different specific offices: 'senator' / 'governor', 'coach' / 'captain'


def titles_conflict(
    role_a: str, role_b: str, affiliations: frozenset[str] = AFFILIATION_NOUNS
) -> bool:
    """Whether two titles for the same person cannot both hold. A double title ('deputy prime
    minister and foreign minister') agrees with either of its parts.

    >>> titles_conflict("transport minister", "labour minister")
    True
    >>> titles_conflict("malaysian foreign minister", "foreign minister")
    False
    >>> titles_conflict("deputy prime minister and foreign minister", "thai foreign minister")
    False
    >>> titles_conflict("gov.", "governor"), titles_conflict("sen.", "rep.")
    (False, True)
    """
    split = r"\s+and\s+|\s*,\s*|\s*;\s*"
    parts_a = [read_title(p, affiliations) for p in re.split(split, role_a) if p.strip()]
    parts_b = [read_title(p, affiliations) for p in re.split(split, role_b) if p.strip()]
    titles_a, titles_b = [t for t in parts_a if t], [t for t in parts_b if t]
    if not titles_a or not titles_b:
        return False
    return all(_titles_conflict(x, y) for x in titles_a for y in titles_b)


def _people(claim: Claim) -> list[Entity]:
    return [e for e in claim.entities if e.label == "PERSON"]


def _hit(
    config: RuleConfig,
    explanation: str,
    ea: Entity,
    eb: Entity,
    va: str,
    vb: str,
    severity: str | None = None,
) -> RuleHit:
    return RuleHit(
        check=CHECK,
        verdict=str(config.param("verdict")),
        severity=severity or config.severity,
        confidence=float(config.param("confidence")),
        explanation=explanation,
        a_spans=(ea.span,),
        b_spans=(eb.span,),
        a_value=va,
        b_value=vb,
    )


def _affiliations(config: RuleConfig) -> frozenset[str]:
    words = config.param("affiliation_nouns")
    return AFFILIATION_NOUNS if words is None else frozenset(str(w).lower() for w in words)


def _title_hits(a: Claim, b: Claim, config: RuleConfig) -> list[RuleHit]:
    ratio = float(config.param("same_name_ratio"))
    affiliations = _affiliations(config)
    hits = []
    for ea in _people(a):
        for eb in _people(b):
            same = _surname(ea.span.text) == _surname(eb.span.text) or (
                fuzz.ratio(ea.span.text.lower(), eb.span.text.lower()) >= ratio
            )
            if same and ea.role and eb.role and titles_conflict(ea.role, eb.role, affiliations):
                hits.append(
                    _hit(
                        config,
                        f"{a.outlet} calls {ea.span.text} '{ea.role}'; "
                        f"{b.outlet} calls {eb.span.text} '{eb.role}'.",
                        ea,
                        eb,
                        f"{ea.role} {ea.span.text}",
                        f"{eb.role} {eb.span.text}",
                    )
                )
    return hits


def _same_title(role_a: str, role_b: str) -> bool:
    """Whether two roles are one title word for word (after abbreviations and synonyms)."""
    ta, tb = read_title(role_a), read_title(role_b)
    if ta is None or tb is None:
        return False
    return (ta.head, ta.rank, set(ta.modifiers)) == (tb.head, tb.rank, set(tb.modifiers))


def _holder_hits(a: Claim, b: Claim, config: RuleConfig) -> list[RuleHit]:
    titled_a = [e for e in _people(a) if e.role]
    titled_b = [e for e in _people(b) if e.role]
    if len(titled_a) != 1 or len(titled_b) != 1:
        return []
    ea, eb = titled_a[0], titled_b[0]
    if _surname(ea.span.text) == _surname(eb.span.text):
        return []
    if not _same_title(ea.role, eb.role) or not ea.predicate:
        return []
    # the subject is the person, so only the verb and its object must match
    if ea.predicate in LIGHT_VERBS or ea.predicate != eb.predicate:
        return []
    pa, pb = predicate(a, ea.predicate), predicate(b, eb.predicate)
    if pa is not None and pb is not None and not compatible_arguments(pa.object, pb.object):
        return []
    if ea.relation != eb.relation:
        return []
    return [
        _hit(
            config,
            f"{a.outlet} names the {ea.role} as {ea.span.text}; {b.outlet} as {eb.span.text}.",
            ea,
            eb,
            ea.span.text,
            eb.span.text,
        )
    ]


#: words of an organisation's name that do not identify it ('General Electric Co.' = 'General
#: Electric'; 'St Sophia' = 'Saint Sophia').
ORG_NAME_NOISE = frozenset(
    {"the", "co", "corp", "corporation", "inc", "incorporated", "ltd", "limited", "plc", "llc",
     "company", "group", "holdings", "st", "saint", "of", "and", "&"}
)  # fmt: skip
#: the relations under which two organisations or people are compared: the doer of a passive
#: ('won by Siemens' / 'won by Alstom') and a location ('crashed near Lyon': spaCy's small model
#: often labels a town ORG). Other prepositions attach sources, partners and owners
#: ('according to', 'with', 'for', 'from'), which outlets choose freely.
ACTOR_RELATIONS = frozenset({"prep:by", "agent", "prep:in", "prep:at", "prep:near"})
#: administrative words that give a place's level ('Salem County', 'Union Township'): places of
#: different levels may contain one another.
PLACE_LEVEL_WORDS = frozenset(
    {"county", "township", "province", "district", "region", "state", "city", "borough",
     "parish", "prefecture", "municipality", "village", "town", "governorate", "oblast"}
)  # fmt: skip
_NAME_TOKEN = re.compile(r"[a-z0-9]+")


def _name_tokens(name: str) -> list[str]:
    return _NAME_TOKEN.findall(name.lower().replace(".", "").replace("'s", ""))


#: head nouns of public institutions, named by what they are for ('the Justice Department',
#: 'the Interior Ministry'): two such names with the same head and no other word in common are
#: two institutions, not one written two ways.
INSTITUTION_HEADS = frozenset(
    {"department", "ministry", "agency", "bureau", "office", "commission", "committee",
     "council", "administration", "authority", "service", "court", "board", "institute"}
)  # fmt: skip


def _names_same(x: str, y: str, ratio: float) -> bool:
    """Whether two names may name one thing: one contains the other (noise words aside), one is
    the other's acronym ('GE' / 'General Electric Co.'), a person's surname is shared, or they
    are spelt alike.

    >>> _names_same("General Electric Co.", "GE", 85), _names_same("Siemens", "Alstom", 85)
    (True, False)
    >>> _names_same("the Justice Department", "the Energy Department", 85)
    False
    """
    tx = [w for w in _name_tokens(x) if w not in ORG_NAME_NOISE]
    ty = [w for w in _name_tokens(y) if w not in ORG_NAME_NOISE]
    if not tx or not ty:
        return True
    if set(tx) <= set(ty) or set(ty) <= set(tx):
        return True
    if tx[-1] == ty[-1] and not (tx[-1] in INSTITUTION_HEADS and not set(tx[:-1]) & set(ty[:-1])):
        return True  # one head, but 'Justice Department' / 'Energy Department' are two
    for short, long_ in ((tx, ty), (ty, tx)):
        if len(short) == 1 and len(short[0]) >= 2 and short[0] == _initials(long_):
            return True
        if len(short) == 1 and short[0] in ("us", "usa", "uk", "un", "eu"):
            return short[0][0] == long_[0][0]  # 'US Treasury' / 'United States Treasury'
    return fuzz.ratio(" ".join(tx), " ".join(ty)) >= ratio


def _comparable_places(ea: Entity, eb: Entity) -> bool:
    """Places compared by this check: two towns or cities (no country, US state or region, which
    may contain the other; see :mod:`rules.place`), of the same administrative level."""
    if place_kind(ea) != "other" or place_kind(eb) != "other":
        return False
    if name_words(place_name(ea)) & name_words(place_name(eb)):
        return False
    levels_a = set(_name_tokens(ea.span.text)) & PLACE_LEVEL_WORDS
    levels_b = set(_name_tokens(eb.span.text)) & PLACE_LEVEL_WORDS
    return levels_a == levels_b


def _place_hits(a: Claim, b: Claim, config: RuleConfig) -> list[RuleHit]:
    ratio = float(config.param("same_name_ratio"))
    for labels in (PLACE_LABELS, ACTOR_LABELS):
        for ea in a.entities:
            if ea.label not in labels or not ea.relation.startswith("prep:"):
                continue
            if labels is ACTOR_LABELS and ea.relation not in ACTOR_RELATIONS:
                continue
            if ea.predicate in LIGHT_VERBS - {"be"} or not ea.predicate:
                continue
            same_slot = [
                eb
                for eb in b.entities
                if eb.label in labels
                and eb.relation == ea.relation
                and same_event(a, ea.predicate, b, eb.predicate)
                and (labels is ACTOR_LABELS or _comparable_places(ea, eb))
            ]
            if not same_slot:
                continue
            a_all = [e.span.text for e in a.entities if e.label in labels]
            b_all = [e.span.text for e in b.entities if e.label in labels]
            if any(_names_same(x, y, ratio) for x in a_all for y in b_all):
                continue
            eb = same_slot[0]
            kind = "place" if labels is PLACE_LABELS else "organisation or person"
            return [
                _hit(
                    config,
                    f"{a.outlet} gives the {kind} of '{ea.predicate}' as {ea.span.text}; "
                    f"{b.outlet} as {eb.span.text}.",
                    ea,
                    eb,
                    ea.span.text,
                    eb.span.text,
                )
            ]
    return []


def check_entity_role(a: Claim, b: Claim, config: RuleConfig) -> list[RuleHit]:
    """Hits for conflicting titles, role holders, places and organisations."""
    hits = _title_hits(a, b, config)
    if not hits and config.param("check_role_holders"):
        hits = _holder_hits(a, b, config)
    if not hits and config.param("check_places"):
        hits = _place_hits(a, b, config)
    return hits
