"""place: the same event put in two different places.

Fires when the two claims tell the same event (their masked frames match, see
:func:`rules.matching.same_frame`) and each names a place (spaCy GPE, LOC or FAC) that the other
sentence does not mention at all, in the same slot: attached the same way ('in', 'at', 'from',
subject ...) or to the same verb, or with the same words before it ('first detected in Beijing' /
'first found in Shanghai'). Places both claims name are set aside first, so 'Geneva, Switzerland'
against 'Geneva' says nothing, and a place a claim adds ('in Kuala Lumpur, the capital') is not
compared with anything.

Without a gazetteer the check cannot tell which city lies in which country, so it compares only
places of the same kind: a country with a country, a US state with a US state, a region (spaCy
LOC) with a region, and any other place (a city, a province, a district) with another such place;
a country against a US state conflicts unless the country is the United States. 'Beijing' /
'China' and 'Houston' / 'Texas' are silent; 'Beijing' / 'Shanghai', 'Iraq' / 'Syria' fire. The
kinds come from two closed English lists below (the world's countries with their common short
forms, and the US states), not from any story.

Params: ``frame_min_similarity``, ``frame_min_shared`` (the frame test's thresholds),
``confidence``.

>>> from claims.records import Span
>>> from rules.registry import load_rule_configs
>>> empty = Span(0, 0, "")
>>> check_place(Claim("a", "x", "X", empty, empty), Claim("b", "y", "Y", empty, empty),
...             load_rule_configs()["place"])
[]
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from claims.records import Claim, Entity
from rules.base import RuleConfig, RuleHit
from rules.gazetteer import country_code, places_disjoint, state_code
from rules.matching import (
    PLACE_LABELS,
    differing_kinds,
    pair_residuals,
    same_frame,
    slot_context,
)

CHECK = "place"
#: the world's countries (UN members and observers, plus common short and old forms), lower-case.
COUNTRIES = frozenset(
    """afghanistan albania algeria andorra angola antigua argentina armenia australia austria
    azerbaijan bahamas bahrain bangladesh barbados belarus belgium belize benin bhutan bolivia
    bosnia botswana brazil brunei bulgaria burkina burundi cambodia cameroon canada chad chile
    china colombia comoros congo croatia cuba cyprus czechia denmark djibouti dominica ecuador
    egypt eritrea estonia eswatini ethiopia fiji finland france gabon gambia georgia germany
    ghana greece grenada guatemala guinea guyana haiti honduras hungary iceland india indonesia
    iran iraq ireland israel italy jamaica japan jordan kazakhstan kenya kiribati kosovo kuwait
    kyrgyzstan laos latvia lebanon lesotho liberia libya liechtenstein lithuania luxembourg
    madagascar malawi malaysia maldives mali malta mauritania mauritius mexico micronesia
    moldova monaco mongolia montenegro morocco mozambique myanmar burma namibia nauru nepal
    netherlands holland nicaragua niger nigeria norway oman pakistan palau palestine panama
    paraguay peru philippines poland portugal qatar romania russia rwanda samoa senegal serbia
    seychelles singapore slovakia slovenia somalia spain sudan suriname sweden switzerland syria
    taiwan tajikistan tanzania thailand togo tonga trinidad tunisia turkey turkmenistan tuvalu
    uganda ukraine uruguay uzbekistan vanuatu venezuela vietnam yemen zambia zimbabwe britain
    england scotland wales america""".split()
) | frozenset(
    {"cape verde", "central african republic", "costa rica", "czech republic", "dominican republic",
     "east timor", "timor-leste", "el salvador", "equatorial guinea", "guinea-bissau",
     "ivory coast", "cote d'ivoire", "marshall islands", "new zealand", "north korea",
     "south korea", "north macedonia", "macedonia", "papua new guinea", "saint lucia",
     "san marino", "saudi arabia", "sierra leone", "solomon islands", "south africa",
     "south sudan", "sri lanka", "united arab emirates", "uae", "united kingdom", "uk",
     "great britain", "northern ireland", "united states", "us", "usa",
     "united states of america", "vatican", "vatican city", "hong kong", "soviet union",
     "ussr", "west germany", "east germany", "yugoslavia", "gaza", "west bank",
     "burkina faso", "bosnia and herzegovina", "trinidad and tobago", "antigua and barbuda",
     "saint kitts and nevis", "saint vincent and the grenadines", "sao tome and principe",
     "democratic republic of the congo", "republic of the congo", "dr congo", "drc"}
)  # fmt: skip
#: names of the United States (a US state lies in it).
UNITED_STATES = frozenset({"united states", "us", "usa", "united states of america", "america"})
#: the US states and the District of Columbia, lower-case ('new york' and 'washington' read as
#: states: a city of the same name against another city is then silent, the safe side).
US_STATES = frozenset(
    {"alabama", "alaska", "arizona", "arkansas", "california", "colorado", "connecticut",
     "delaware", "florida", "georgia", "hawaii", "idaho", "illinois", "indiana", "iowa",
     "kansas", "kentucky", "louisiana", "maine", "maryland", "massachusetts", "michigan",
     "minnesota", "mississippi", "missouri", "montana", "nebraska", "nevada", "new hampshire",
     "new jersey", "new mexico", "new york", "north carolina", "north dakota", "ohio",
     "oklahoma", "oregon", "pennsylvania", "rhode island", "south carolina", "south dakota",
     "tennessee", "texas", "utah", "vermont", "virginia", "washington", "west virginia",
     "wisconsin", "wyoming", "district of columbia", "dc", "washington dc"}
)  # fmt: skip
#: words of a place name that do not identify it ('the', 'of', 'new', 'north' ...).
NAME_NOISE = frozenset(
    {"the", "of", "and", "new", "north", "south", "east", "west", "northern", "southern",
     "eastern", "western", "central", "upper", "lower", "great", "city", "county", "state",
     "province", "region", "st", "saint", "san", "santa", "los", "las", "el", "la", "de"}
)  # fmt: skip
_NAME_WORD = re.compile(r"[a-z][a-z.'’-]*")
#: other names of one country, as :func:`name_words` writes them: each set is one place.
ALIASES: tuple[frozenset[str], ...] = (
    frozenset({"us", "usa", "united states", "united states of america", "america"}),
    frozenset({"uk", "britain", "great britain", "united kingdom", "england"}),
    frozenset({"holland", "netherlands"}),
    frozenset({"burma", "myanmar"}),
    frozenset({"ivory coast", "cote d'ivoire"}),
    frozenset({"czechia", "czech republic"}),
    frozenset({"ussr", "soviet union"}),
    frozenset({"uae", "united arab emirates"}),
)
#: how a place takes part in the event: a preposition ('in', 'at', 'from', 'to' ...) or the
#: subject or object of the verb. A place that only modifies a noun ('U.S. troops', 'Iraq's
#: weapons', 'Pakistan-based') says whose, not where, and is not compared.
EVENT_RELATIONS = frozenset({"nsubj", "nsubjpass", "dobj"})
#: fuzzy similarity (0-100) at or above which two names are one place spelt two ways
#: ('Falluja' / 'Fallujah', 'Kyongsang' / 'Kyeongsang').
SAME_NAME_RATIO = 85


def normalise(text: str) -> str:
    """Lower-case, without dots, possessives or a leading 'the' ('the U.S.'s' -> 'us')."""
    text = text.lower().replace("’", "'").replace(".", "").strip()
    text = re.sub(r"'s\b", "", text)
    return text.removeprefix("the ").strip()


def place_name(entity: Entity) -> str:
    """The place's name, normalised (:func:`normalise`), one name for a country's aliases.

    >>> from claims.records import Span
    >>> place_name(Entity(Span(0, 17, "the United States"), "GPE"))
    'us'
    """
    name = normalise(entity.span.text)
    for group in ALIASES:
        if name in group:
            return min(group, key=len)
    return name


def place_kind(entity: Entity) -> str:
    """``country``, ``us_state``, ``region`` (spaCy LOC) or ``other`` (a city, a province ...).

    >>> from claims.records import Span
    >>> [place_kind(Entity(Span(0, len(n), n), "GPE")) for n in ("China", "Texas", "Beijing")]
    ['country', 'us_state', 'other']
    >>> place_kind(Entity(Span(0, 12, "Burkina Faso"), "GPE"))
    'country'

    """
    name = place_name(entity)
    if name in COUNTRIES or normalise(entity.span.text) in COUNTRIES:
        return "country"
    if name in US_STATES:
        return "us_state"
    if entity.label == "LOC":
        return "region"
    return "other"


def kinds_conflict(x: Entity, y: Entity) -> bool:
    """Whether two places of these kinds cannot both be where one event happened: the same
    kind; a country and a US state other than the United States itself; a city and a country
    (or a US state) that the gazetteer (:mod:`rules.gazetteer`) says it does not lie in. A city
    the gazetteer does not know, and any region (spaCy LOC), may lie inside the other place and
    is not compared with a place of another kind."""
    kx, ky = place_kind(x), place_kind(y)
    if kx == ky:
        return True
    kinds = {kx, ky}
    if kinds == {"country", "us_state"}:
        country = x if kx == "country" else y
        return place_name(country) not in UNITED_STATES
    if kinds in ({"country", "other"}, {"us_state", "other"}):
        big, city = (x, y) if kx != "other" else (y, x)
        # a name that is a country and a US state ('Georgia') may be either
        name = normalise(big.span.text)
        containers = [c for c in (country_code(name), state_code(name)) if c is not None]
        city_name = normalise(city.span.text)
        return bool(containers) and all(places_disjoint(city_name, c) for c in containers)
    return False


def name_words(name: str) -> set[str]:
    """The words that identify a place name ('new york city' -> {'york'}), with the names of
    the same country ('us' -> also 'america', 'united', 'states')."""
    names = {name}
    for group in ALIASES:
        if name in group:
            names |= group
    words = {w.strip("'-") for n in names for w in _NAME_WORD.findall(n)}
    return words - NAME_NOISE - {""}


def _sentence_words(claim: Claim) -> set[str]:
    return {w.strip("'-") for w in _NAME_WORD.findall(normalise(claim.sentence.text))}


def _named_in(place: Entity, words: set[str], others: list[Entity]) -> bool:
    """Whether the other claim names this place: one of its words, or a place spelt alike."""
    name = place_name(place)
    if name_words(name) & words:
        return True
    return any(fuzz.ratio(name, place_name(o)) >= SAME_NAME_RATIO for o in others)


def _places(claim: Claim) -> list[Entity]:
    return [e for e in claim.entities if e.label in PLACE_LABELS and name_words(place_name(e))]


def _in_event(place: Entity) -> bool:
    return place.relation.startswith("prep:") or place.relation in EVENT_RELATIONS


def _same_slot(a: Claim, ea: Entity, b: Claim, eb: Entity) -> bool:
    """Attached the same way, to the same verb, or after the same words."""
    if ea.relation and ea.relation == eb.relation:
        return True
    if ea.predicate and ea.predicate == eb.predicate:
        return True
    before_a = set(slot_context(a, ea.span.start))
    return bool(before_a and before_a & set(slot_context(b, eb.span.start)))


def frame_pairs(a: Claim, b: Claim, config: RuleConfig) -> list[tuple[Entity, Entity]]:
    """Places only one claim names, paired by slot, when the frames match."""
    pa, pb = _places(a), _places(b)
    if not pa or not pb:
        return []
    words_a, words_b = _sentence_words(a), _sentence_words(b)
    # a place whose name the other sentence uses anywhere is shared ('Geneva, Switzerland')
    named_a = [_named_in(e, words_b, pb) for e in pa]
    named_b = [_named_in(e, words_a, pa) for e in pb]
    if all(named_a) or all(named_b) or differing_kinds(a, b) - {"place"}:
        return []
    if not same_frame(a, b, config):
        return []

    left = [e for e, named in zip(pa, named_a, strict=True) if not named and _in_event(e)]
    right = [e for e, named in zip(pb, named_b, strict=True) if not named and _in_event(e)]

    def comparable(i: int, j: int) -> bool:
        return _same_slot(a, left[i], b, right[j]) and kinds_conflict(left[i], right[j])

    pairs = pair_residuals(len(left), len(right), lambda i, j: False, comparable)
    return [(left[i], right[j]) for i, j in pairs]


def check_place(a: Claim, b: Claim, config: RuleConfig) -> list[RuleHit]:
    """Hits for one event placed in two places neither claim otherwise mentions."""
    for ea, eb in frame_pairs(a, b, config):
        return [
            RuleHit(
                check=CHECK,
                verdict=str(config.param("verdict")),
                severity=config.severity,
                confidence=float(config.param("confidence")),
                explanation=(
                    f"{a.outlet} puts it in {ea.span.text}; {b.outlet} in {eb.span.text} "
                    "(the same report, and neither names the other's place)."
                ),
                a_spans=(ea.span,),
                b_spans=(eb.span,),
                a_value=ea.span.text,
                b_value=eb.span.text,
            )
        ]
    return []
