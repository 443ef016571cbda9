"""Grouping articles into events: embeddings, shared entities, publication-time window."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pytest

from checker.workspace.events import (
    ArticleFeatures,
    EventSettings,
    group_features,
    group_into_events,
    linked,
    normalise_entity,
    title_and_lead,
)
from claims.records import Article

DAY = dt.datetime(2021, 12, 15, 9, 0, tzinfo=dt.UTC)


def article(aid: str, outlet: str, title: str, text: str, published=DAY) -> Article:
    return Article(
        id=aid,
        outlet=outlet,
        text=text,
        source=f"{aid}.md",
        title=title,
        url=f"https://{aid}.example/story",
        published=published,
    )


BLINKEN_WIRE = article(
    "wire",
    "Wire",
    "Blinken halts Asia trip after Covid case in traveling party",
    "KUALA LUMPUR - Secretary of State Antony Blinken cut his Southeast Asia visit short on "
    "Wednesday due to a Covid case in his traveling party, State Department spokesperson Ned "
    "Price said.",
)
BLINKEN_CBS = article(
    "cbs",
    "CBS News",
    "Blinken ends Southeast Asia trip early after journalist tests positive",
    "Secretary of State Antony Blinken is cutting short a swing through Southeast Asia after a "
    "member of the press traveling with him tested positive for COVID-19 in Kuala Lumpur, the "
    "State Department said.",
    DAY + dt.timedelta(hours=2),
)
GRIFFIN = article(
    "nba",
    "Sports Desk",
    "Blake Griffin announces retirement from NBA after 13 seasons",
    "Blake Griffin played for the Pistons, Nets and Celtics, but spent more than half his career "
    "with the Los Angeles Clippers.",
    DAY + dt.timedelta(hours=5),
)


@pytest.fixture(scope="module")
def models():
    from claims.embeddings import load_embedder
    from claims.nlp import load_nlp

    return load_embedder(), load_nlp()


def test_same_story_from_two_outlets_is_one_event_and_other_story_another(models):
    embedder, nlp = models
    events = group_into_events([GRIFFIN, BLINKEN_CBS, BLINKEN_WIRE], embedder, nlp=nlp)
    assert [e.article_ids for e in events] == [("wire", "cbs"), ("nba",)]
    assert events[0].outlets == ("CBS News", "Wire")
    assert events[0].title == BLINKEN_WIRE.title  # earliest article's title


def test_articles_outside_the_time_window_are_separate_events(models):
    embedder, nlp = models
    much_later = dataclasses.replace(BLINKEN_CBS, published=DAY + dt.timedelta(days=10))
    events = group_into_events([BLINKEN_WIRE, much_later], embedder, nlp=nlp)
    assert len(events) == 2


def test_event_id_stays_when_a_later_article_joins(models):
    embedder, nlp = models
    [alone] = group_into_events([BLINKEN_WIRE], embedder, nlp=nlp)
    [both] = group_into_events([BLINKEN_CBS, BLINKEN_WIRE], embedder, nlp=nlp)
    assert alone.id == both.id


def features(key: str, vector, entities=(), published=DAY) -> ArticleFeatures:
    v = np.asarray(vector, dtype=np.float32)
    return ArticleFeatures(
        key=key,
        identity=f"url:{key}",
        vector=v / np.linalg.norm(v),
        entities=frozenset(entities),
        published=published,
        title=key,
        outlet=key,
    )


def test_middling_similarity_links_only_with_enough_shared_entities():
    settings = EventSettings(min_similarity=0.5, strong_similarity=0.9, min_shared_entities=2)
    a = features("a", [1.0, 0.0], {"blinken", "kuala lumpur", "price"})
    b_two = features("b", [0.6, 0.8], {"blinken", "kuala lumpur"})  # cosine 0.6
    b_one = features("c", [0.6, 0.8], {"blinken"})
    assert linked(a, b_two, settings) and not linked(a, b_one, settings)


def test_strong_similarity_links_without_entities_and_low_never_does():
    settings = EventSettings(min_similarity=0.5, strong_similarity=0.9, min_shared_entities=2)
    a = features("a", [1.0, 0.0])
    assert linked(a, features("b", [0.95, 0.31]), settings)
    assert not linked(a, features("c", [0.3, 0.95], {"x", "y"}), settings)


def test_article_without_date_is_not_limited_by_window():
    settings = EventSettings()
    a = features("a", [1.0, 0.0], published=None)
    b = features("b", [1.0, 0.0], published=DAY + dt.timedelta(days=30))
    assert linked(a, b, settings)


def test_naive_and_aware_dates_compare_without_error():
    settings = EventSettings(window_hours=1)
    a = features("a", [1.0, 0.0], published=dt.datetime(2021, 12, 15, 9, 0))
    b = features("b", [1.0, 0.0], published=dt.datetime(2021, 12, 15, 9, 30, tzinfo=dt.UTC))
    assert linked(a, b, settings)


def test_chain_of_links_makes_one_event_named_after_earliest():
    settings = EventSettings(min_similarity=0.5, strong_similarity=0.8)
    early = features("early", [1.0, 0.0], published=DAY)
    middle = features("middle", [0.85, 0.53], published=DAY + dt.timedelta(hours=1))
    late = features("late", [0.5, 0.87], published=DAY + dt.timedelta(hours=2))
    [event] = group_features([late, middle, early], settings)
    assert event.article_ids == ("early", "middle", "late")


def test_entity_names_are_normalised():
    assert normalise_entity("the State Department's") == "state department"


def test_title_falls_back_to_first_line():
    a = Article(id="x", outlet="X", text="Headline here\nBody text.", source="x.md")
    assert title_and_lead(a, 100) == "Headline here\nBody text."


def test_extreme_dates_never_overflow_the_time_window():
    """Year 1 with a positive offset and 9999-12-31 with a negative one cannot be converted to
    UTC: they count as undated, never as an error that stops every later ingest."""
    early = dt.datetime.fromisoformat("0001-01-01T00:00:00+05:00")
    late = dt.datetime.fromisoformat("9999-12-31T23:59:59-12:00")
    a, b = features("a", [1.0, 0.0], published=early), features("b", [1.0, 0.0], published=late)
    assert linked(a, b, EventSettings())
    assert len(group_features([a, b], EventSettings())) == 1


def test_title_and_lead_is_bounded_whatever_the_article():
    huge = Article(id="a", outlet="X", text="x" * 2_000_000, source="a")
    assert len(title_and_lead(huge, 600, 300)) == 300
    titled = Article(id="a", outlet="X", text="y" * 2_000_000, source="a", title="t" * 5_000)
    assert len(title_and_lead(titled, 600, 300)) == 300 + 1 + 600
