"""negation check recall: copular and auxiliary negation, denials and falsity words, alive/dead,
'no X' against 'X' (issue 12), each with a faithful paraphrase that must stay silent."""

from __future__ import annotations

import pytest
from rule_helpers import run_check

from rules.registry import load_rule_configs


@pytest.fixture(scope="module")
def config():
    return load_rule_configs()["negation"]


def hits(nlp, config, a, b):
    return run_check("negation", nlp, config, a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (  # a report called false
            "Reports that the singer had died in a car crash are false, her publicist said.",
            "The singer died in a car crash on Sunday night, police said.",
        ),
        (  # claims debunked
            "Claims that the dam had collapsed were debunked by engineers on Tuesday.",
            "The dam collapsed early on Tuesday, flooding three villages.",
        ),
        (  # a denial of a gerund
            "The minister denied taking bribes from the construction company.",
            "The minister took bribes from the construction company, prosecutors said.",
        ),
        (  # reports dismissed
            "The ministry dismissed reports that the ambassador had been recalled.",
            "The ambassador has been recalled, the ministry confirmed.",
        ),
        (  # copular negation
            "The bridge is not safe for heavy vehicles, engineers said.",
            "Engineers said the bridge is safe for heavy vehicles.",
        ),
        (  # 'does not have' against 'has'
            "The airline does not have a licence to fly to the island.",
            "The airline has a licence to fly to the island, the regulator said.",
        ),
        (  # alive against dead
            "The kidnapped journalist is alive, his employer said on Friday.",
            "The kidnapped journalist is dead, according to the group holding him.",
        ),
        (  # alive against died
            "The kidnapped journalist is alive, his employer said on Friday.",
            "The kidnapped journalist died in captivity, the group holding him said.",
        ),
        (  # 'no X' against 'X'
            "There were no casualties in the blast, the fire service said.",
            "There were casualties in the blast, a hospital spokesman said.",
        ),
        (
            "Police found no weapons in the suspect's car.",
            "Weapons were found in the suspect's car, and police found them.",
        ),
        (  # copular membership
            "The senator is not a member of the intelligence committee.",
            "The senator is a member of the intelligence committee, her office said.",
        ),
    ],
)
def test_denial_and_copular_contradictions_fire(nlp, config, a, b):
    assert hits(nlp, config, a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (  # a denial reported two ways
            "The minister denied taking bribes from the construction company.",
            "The minister rejected allegations that he had taken bribes from the construction "
            "company.",
        ),
        (  # a falsity word and a denial
            "Reports that the singer had died in a car crash are false, her publicist said.",
            "The singer's publicist denied reports that she had died in a car crash.",
        ),
        (  # 'not dead' is 'alive'
            "The kidnapped journalist is alive, his employer said on Friday.",
            "The kidnapped journalist is not dead, his employer said on Friday.",
        ),
        (  # a state can change: past against present
            "The bridge was closed to traffic for three days.",
            "The bridge is not closed to traffic, the council said.",
        ),
        (  # two negated opposites can both be true
            "The club did not confirm the transfer.",
            "The club did not deny the transfer.",
        ),
        (  # different subjects of a copula
            "The bridge is not safe for heavy vehicles.",
            "The tunnel is safe for heavy vehicles.",
        ),
    ],
)
def test_faithful_denials_and_copulas_stay_silent(nlp, config, a, b):
    assert not hits(nlp, config, a, b)


def test_copular_comparison_can_be_switched_off(nlp, config):
    off = config.with_params(copular=False)
    assert not hits(
        nlp,
        off,
        "The bridge is not safe for heavy vehicles, engineers said.",
        "Engineers said the bridge is safe for heavy vehicles.",
    )


def test_equivalents_come_from_the_rules_file(nlp, config):
    none = config.with_params(equivalents={})
    assert not hits(
        nlp,
        none,
        "The defence minister skipped the NATO meeting in Brussels.",
        "The defence minister attended the NATO meeting in Brussels.",
    )


def test_denied_verb_is_read_as_negated(nlp):
    from claims.negation import find_predicates

    text = "Claims that the dam had collapsed were debunked by engineers."
    doc = nlp(text)
    assert [(p.lemma, p.negated) for p in find_predicates(doc, 0, len(text))] == [
        ("collapse", True),
        ("debunk", False),
    ]
