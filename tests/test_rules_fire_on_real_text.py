"""Every rule check fires on real discrepancies it was not written against, and stays silent on
faithful retellings of the same sentences.

The pairs come from the held-out sets ``eval/rule_pairs_holdout.jsonl`` and
``eval/rule_pairs_blind.jsonl`` (copied here, with their ids, so that editing those sets does not
change this test). Each fire pair needs its own check to report something: a check replaced by a
stub that returns nothing fails here, which the other rule tests, mostly silence tests, do not
all catch. Each silent pair shares a sentence with a fire pair, so a check that fired on
everything would fail here too.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

import pytest
from rule_helpers import run_check

from rules.registry import RULES, load_rule_configs


class Pair(NamedTuple):
    """One labelled pair of the held-out sets: its id, the two sentences and their publication
    times (B's, when given, differs from A's)."""

    id: str
    a: str
    b: str
    published_a: str
    published_b: str = ""


FIRE: dict[str, list[Pair]] = {
    "temporal": [
        Pair(
            "h-tem-f01",
            "The ferry sank on Monday night off the coast of Sulawesi.",
            "The ferry sank on Tuesday night off the coast of Sulawesi.",
            "2024-02-14T09:30:00+01:00",
            "2024-02-14T06:00:00-08:00",
        ),
        Pair(
            "h-tem-f04",
            "Voters went to the polls yesterday in the first round.",
            "Voters went to the polls on Friday in the first round.",
            "2022-11-27T20:00:00-03:00",
        ),
        Pair(
            "b-tem-f02",
            "The bushfire jumped the containment line on Saturday.",
            "The bushfire jumped the containment line on Sunday.",
            "2024-12-30T15:00:00+11:00",
        ),
        Pair(
            "b-tem-f03",
            "The airline will resume flights to Tel Aviv on May 15.",
            "The airline will resume flights to Tel Aviv on June 1.",
            "2025-05-08T10:00:00+02:00",
        ),
    ],
    "numeric": [
        Pair(
            "h-num-f01",
            "The landslide buried 14 houses in the village.",
            "The landslide buried 40 houses in the village.",
            "2024-02-14T09:30:00+01:00",
        ),
        Pair(
            "h-num-f05",
            "The hostages were held for 72 hours before their release.",
            "The hostages were held for five days before their release.",
            "2024-02-14T09:30:00+01:00",
            "2024-02-14T06:00:00-08:00",
        ),
        Pair(
            "h-num-f06",
            "The hospital is admitting 300 patients a day with flu.",
            "The hospital is admitting 300 patients a week with flu.",
            "2023-10-02T12:00:00+00:00",
        ),
        Pair(
            "b-num-f02",
            "The council approved a A$4m upgrade of the harbour.",
            "The council approved a A$40m upgrade of the harbour.",
            "2024-12-30T15:00:00+11:00",
        ),
    ],
    "negation": [
        Pair(
            "h-neg-f01",
            "The prime minister did not sign the decree on Tuesday.",
            "The prime minister signed the decree on Tuesday.",
            "2024-02-14T09:30:00+01:00",
        ),
        Pair(
            "h-neg-f06",
            "The mayor refused to cancel the festival.",
            "The mayor cancelled the festival.",
            "2023-10-02T12:00:00+00:00",
        ),
        Pair(
            "b-neg-f01",
            "The senate passed the budget bill late on Wednesday.",
            "The senate failed to pass the budget bill late on Wednesday.",
            "2025-05-08T10:00:00+02:00",
        ),
        Pair(
            "b-neg-f03",
            "The company confirmed the data breach.",
            "The company denied the data breach.",
            "2025-05-08T10:00:00+02:00",
            "2025-05-08T07:00:00-04:00",
        ),
    ],
    "entity_role": [
        Pair(
            "h-ent-f01",
            "Interior Minister Carlos Vega announced the arrests.",
            "Justice Minister Carlos Vega announced the arrests.",
            "2024-02-14T09:30:00+01:00",
        ),
        Pair(
            "h-ent-f05",
            "Health Minister Karin Holm presented the reform.",
            "Health Minister Erik Lund presented the reform.",
            "2024-02-14T09:30:00+01:00",
        ),
        Pair(
            "b-ent-f02",
            "The yacht race ended in Hobart.",
            "The yacht race ended in Melbourne.",
            "2024-12-30T15:00:00+11:00",
        ),
        Pair(
            "b-ent-f03",
            "Coach Pia Lund named the squad.",
            "Coach Mia Berg named the squad.",
            "2025-05-08T10:00:00+02:00",
            "2025-05-08T07:00:00-04:00",
        ),
    ],
    "attribution": [
        Pair(
            "h-att-f01",
            "The ceasefire is holding, the army said.",
            "The ceasefire is holding, the rebels said.",
            "2024-02-14T09:30:00+01:00",
        ),
        Pair(
            "h-att-f05",
            "The vote was rigged, opposition leader Ana Costa said.",
            "The vote was rigged, former president Luis Mendes said.",
            "2024-02-14T09:30:00+01:00",
            "2024-02-14T06:00:00-08:00",
        ),
        Pair(
            "b-att-f02",
            "The fire is contained, fire commissioner Rob Greene said.",
            "The fire is contained, premier Chris Minns said.",
            "2024-12-30T15:00:00+11:00",
        ),
        Pair(
            "b-att-f03",
            "Rates will stay on hold, the central bank said.",
            "Rates will stay on hold, the finance ministry said.",
            "2025-05-08T10:00:00+02:00",
            "2025-05-08T07:00:00-04:00",
        ),
    ],
    "quote": [
        Pair(
            "h-quo-f01",
            '"We did not order the strike," the general said.',
            '"We ordered the strike," the general said.',
            "2024-02-14T09:30:00+01:00",
        ),
        Pair(
            "h-quo-f03",
            '"We expect three more aftershocks," the seismologist said.',
            '"We expect thirty more aftershocks," the seismologist said.',
            "2023-10-05T17:00:00+09:00",
        ),
        Pair(
            "b-quo-f02",
            '"The fire is under control," Greene said.',
            '"The fire is out of control," Greene said.',
            "2024-12-30T15:00:00+11:00",
        ),
        Pair(
            "b-quo-f03",
            '"We expect four hundred new jobs," the chief executive said.',
            '"We expect fourteen hundred new jobs," the chief executive said.',
            "2025-05-08T10:00:00+02:00",
            "2025-05-08T07:00:00-04:00",
        ),
    ],
    "place": [
        Pair(
            "h-pla-f01",
            "Rebels freed the two kidnapped aid workers in Mali on Sunday.",
            "On Sunday the two kidnapped aid workers were released by their captors in "
            "Burkina Faso.",
            "2024-02-14T09:30:00+01:00",
        ),
        Pair(
            "h-pla-f02",
            "The rapper was arrested in Atlanta hours after the concert.",
            "Hours after the concert, police detained the rapper in Miami.",
            "2023-10-02T12:00:00+00:00",
        ),
        Pair(
            "b-pla-f01",
            "A highway bridge collapsed in Ohio during the evening rush hour.",
            "During the evening rush hour a highway bridge gave way in Pennsylvania.",
            "2025-05-08T10:00:00+02:00",
        ),
    ],
}
SILENT: dict[str, list[Pair]] = {
    "temporal": [
        Pair(
            "h-tem-s01",
            "The ferry sank on Monday night off the coast of Sulawesi.",
            "The ferry sank late on February 12 off the coast of Sulawesi.",
            "2024-02-14T09:30:00+01:00",
            "2024-02-14T06:00:00-08:00",
        ),
        Pair(
            "b-tem-s01",
            "The cardinals began the conclave on Wednesday afternoon.",
            "The cardinals began the conclave on May 7.",
            "2025-05-08T10:00:00+02:00",
            "2025-05-08T07:00:00-04:00",
        ),
        Pair(
            "b-tem-s02",
            "The bushfire jumped the containment line on Saturday.",
            "The bushfire jumped the containment line two days ago.",
            "2024-12-30T15:00:00+11:00",
        ),
    ],
    "numeric": [
        Pair(
            "h-num-s02",
            "The startup raised $30m in its latest funding round.",
            "The startup raised 30 million dollars in its latest funding round.",
            "2023-10-02T12:00:00+00:00",
        ),
        Pair(
            "h-num-s05",
            "The hostages were held for 72 hours before their release.",
            "The hostages were held for three days before their release.",
            "2024-02-14T09:30:00+01:00",
            "2024-02-14T06:00:00-08:00",
        ),
        Pair(
            "b-num-s01",
            "The quake damaged about 1,500 buildings.",
            "Roughly 1,450 buildings were damaged by the quake.",
            "2025-05-08T10:00:00+02:00",
        ),
    ],
    "negation": [
        Pair(
            "h-neg-s01",
            "The prime minister did not sign the decree on Tuesday.",
            "The prime minister has not signed the decree.",
            "2024-02-14T09:30:00+01:00",
        ),
        Pair(
            "b-neg-s01",
            "The senate passed the budget bill late on Wednesday.",
            "The budget bill was passed by the senate late on Wednesday.",
            "2025-05-08T10:00:00+02:00",
        ),
        Pair(
            "b-neg-s03",
            "The company did not confirm the data breach.",
            "The company has not confirmed the data breach.",
            "2025-05-08T10:00:00+02:00",
            "2025-05-08T07:00:00-04:00",
        ),
    ],
    "entity_role": [
        Pair(
            "h-ent-s01",
            "Interior Minister Carlos Vega announced the arrests.",
            "Vega, the interior minister, announced the arrests.",
            "2024-02-14T09:30:00+01:00",
        ),
        Pair(
            "b-ent-s02",
            "The yacht race ended in Hobart.",
            "The yacht race ended in Hobart, Tasmania.",
            "2024-12-30T15:00:00+11:00",
        ),
        Pair(
            "b-ent-s03",
            "Coach Pia Lund named the squad.",
            "Head coach Pia Lund named the squad for the tournament.",
            "2025-05-08T10:00:00+02:00",
            "2025-05-08T07:00:00-04:00",
        ),
    ],
    "attribution": [
        Pair(
            "h-att-s05",
            "The vote was rigged, opposition leader Ana Costa said.",
            "The vote was rigged, Costa said.",
            "2024-02-14T09:30:00+01:00",
            "2024-02-14T06:00:00-08:00",
        ),
        Pair(
            "b-att-s01",
            "The smoke was black, the Vatican said.",
            "The smoke was black, according to the Vatican.",
            "2025-05-08T10:00:00+02:00",
        ),
        Pair(
            "b-att-s02",
            "The fire is contained, fire commissioner Rob Greene said.",
            "The fire is contained, Greene said.",
            "2024-12-30T15:00:00+11:00",
        ),
    ],
    "quote": [
        Pair(
            "h-quo-s01",
            '"We did not order the strike," the general said.',
            "“We didn’t order the strike,” the general said.",
            "2024-02-14T09:30:00+01:00",
        ),
        Pair(
            "b-quo-s01",
            '"We have not reached a decision," the cardinal said.',
            '"We haven\'t reached a decision," the cardinal said.',
            "2025-05-08T10:00:00+02:00",
        ),
        Pair(
            "b-quo-s02",
            '"The fire is under control, but conditions could change quickly," Greene said.',
            '"The fire is under control," Greene said.',
            "2024-12-30T15:00:00+11:00",
        ),
    ],
    "place": [
        Pair(
            "h-pla-s01",
            "The rapper was arrested in Atlanta hours after the concert.",
            "Hours after the concert, police detained the rapper in Georgia.",
            "2023-10-02T12:00:00+00:00",
        ),
        Pair(
            "h-pla-s02",
            "Rebels freed the two kidnapped aid workers in Mali on Sunday.",
            "The two aid workers, both from Lyon, were freed by rebels in Mali on Sunday.",
            "2024-02-14T09:30:00+01:00",
        ),
        Pair(
            "b-pla-s01",
            "A highway bridge collapsed in Pittsburgh during the evening rush hour.",
            "During the evening rush hour a highway bridge gave way in Pennsylvania.",
            "2024-12-30T15:00:00+11:00",
        ),
    ],
}


@pytest.fixture(scope="module")
def configs():
    return load_rule_configs()


def hits(check, nlp, configs, pair):
    published_a = dt.datetime.fromisoformat(pair.published_a)
    published_b = dt.datetime.fromisoformat(pair.published_b or pair.published_a)
    return run_check(check, nlp, configs[check], pair.a, pair.b, published_a, published_b)


def cases(table):
    return [
        pytest.param(check, pair, id=pair.id) for check, pairs in table.items() for pair in pairs
    ]


def test_every_check_has_pairs_that_must_fire_and_pairs_that_must_stay_silent():
    assert set(FIRE) == set(SILENT) == set(RULES)
    for check in RULES:
        assert len(FIRE[check]) >= 3, check
        assert len(SILENT[check]) >= 1, check


@pytest.mark.parametrize(("check", "pair"), cases(FIRE))
def test_check_fires_on_a_real_discrepancy(nlp, configs, check, pair):
    found = hits(check, nlp, configs, pair)
    assert found, f"{check} missed {pair.id}: {pair.a!r} / {pair.b!r}"
    assert {hit.check for hit in found} == {check}


@pytest.mark.parametrize(("check", "pair"), cases(SILENT))
def test_check_stays_silent_on_a_faithful_retelling(nlp, configs, check, pair):
    found = hits(check, nlp, configs, pair)
    assert found == [], f"{check} fired on {pair.id}: {[h.explanation for h in found]}"
