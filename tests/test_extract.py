"""Claim extraction: attribution, quotes, datelines, and claims measured on the example bundles."""

from __future__ import annotations

from pathlib import Path

import pytest

from claims import attributes
from claims.attribution import normalise_speaker, split_attribution
from claims.extract import (
    LEFT_OUT_REASONS,
    extract_article,
    extract_claims,
    leave_out_reason,
    select_sentences,
    strip_dateline,
)
from claims.quotes import find_quotes
from claims.readers import read_bundle
from claims.records import Article, Claim

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


# --- attribution ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "content", "speaker", "attribution"),
    [
        (
            "Blinken and senior staff tested negative on Tuesday, Price said.",
            "Blinken and senior staff tested negative on Tuesday",
            "Price",
            "Price said",
        ),
        (
            '"He explained the decision," Price said in a statement.',
            "He explained the decision",
            "Price",
            "Price said in a statement",
        ),
        (
            "Blinken was due in Thailand, State Department spokesperson Ned Price said.",
            "Blinken was due in Thailand",
            "Ned Price",
            "State Department spokesperson Ned Price said",
        ),
        (
            "Blinken is cutting short his trip, the State Department said Wednesday.",
            "Blinken is cutting short his trip",
            "State Department",
            "the State Department said Wednesday",
        ),
        (
            "Blinken has cut short his trip, a State Department official said on Wednesday.",
            "Blinken has cut short his trip",
            "State Department",
            "a State Department official said on Wednesday",
        ),
        (
            "The reporter will stay in quarantine, according to the embassy.",
            "The reporter will stay in quarantine",
            "embassy",
            "according to the embassy",
        ),
        (
            "A member of the press pool tested positive, per The Washington Post.",
            "A member of the press pool tested positive",
            "Washington Post",
            "per The Washington Post",
        ),
        (
            "The talks went well, said State Department spokesman Ned Price.",
            "The talks went well",
            "Ned Price",
            "said State Department spokesman Ned Price",
        ),
        (
            "Price said that Blinken had tested negative in Kuala Lumpur.",
            "Blinken had tested negative in Kuala Lumpur.",
            "Price",
            "Price said that",
        ),
        (
            "Price said Blinken had tested negative in Kuala Lumpur.",
            "Blinken had tested negative in Kuala Lumpur.",
            "Price",
            "Price said",
        ),
        (
            "A senior defense official told reporters that the call lasted an hour.",
            "the call lasted an hour.",
            "senior defense official",
            "A senior defense official told reporters that",
        ),
        (
            "According to the State Department, the reporter tested positive.",
            "the reporter tested positive.",
            "State Department",
            "According to the State Department",
        ),
        (
            "The deputy secretary of state, Kurt Campbell, said the talks were frank.",
            "the talks were frank.",
            "Kurt Campbell",
            "The deputy secretary of state, Kurt Campbell, said",
        ),
        (
            '"We will go beyond CDC guidance," he said.',
            "We will go beyond CDC guidance",
            "he",
            "he said",
        ),
        (
            "In a separate statement, Price said Blinken spoke with the Thai minister.",
            "Blinken spoke with the Thai minister.",
            "Price",
            "In a separate statement, Price said",
        ),
    ],
)
def test_attribution_is_split_from_content(
    sentence: str, content: str, speaker: str, attribution: str
) -> None:
    found = split_attribution(sentence, 40)
    assert found.content.text == content
    assert found.speaker == speaker
    assert found.span is not None and found.span.text == attribution
    assert sentence[found.content.start - 40 : found.content.end - 40] == content
    assert sentence[found.span.start - 40 : found.span.end - 40] == attribution


def test_mid_sentence_attribution_keeps_clause_before_as_content() -> None:
    sentence = (
        "Blinken and senior officials had tested negative on Wednesday in Kuala Lumpur, when the "
        "positive case was confirmed, Price said, and Blinken had called his Thai counterpart to "
        "express his deep regret."
    )
    found = split_attribution(sentence)
    assert found.speaker == "Price"
    assert found.content.text.endswith("when the positive case was confirmed")
    assert found.span is not None and found.span.text == "Price said"
    assert [p.text[:12] for p in found.content_parts] == ["Blinken and ", "and Blinken "]


def test_parenthetical_attribution_keeps_the_whole_sentence_as_content() -> None:
    found = split_attribution("The decision, Price said, was made on Wednesday.")
    assert found.speaker == "Price"
    assert found.content.text == "The decision, Price said, was made on Wednesday."


def test_clause_with_said_is_not_taken_for_an_attribution() -> None:
    assert split_attribution("The officials who said it was over went home.").speaker == ""
    assert split_attribution("The result, it was said, surprised nobody at all.").speaker == ""


def test_sentence_without_attribution_is_all_content() -> None:
    found = split_attribution("The positive case was confirmed on Wednesday.", 7)
    assert found.span is None and found.speaker == ""
    assert (found.content.start, found.content.end) == (7, 52)


@pytest.mark.parametrize("with_parse", [False, True])
@pytest.mark.parametrize(
    "sentence",
    [
        "The minister confirmed the report about the leak.",
        "The company denied the data breach.",
        "The company announced record profits on Tuesday.",
        "The police confirmed the arrest of two men, who were later released.",
    ],
)
def test_leading_verb_with_a_plain_object_is_not_an_attribution(
    nlp, sentence: str, with_parse: bool
) -> None:
    found = split_attribution(sentence, 0, nlp(sentence) if with_parse else None)
    assert found.span is None and found.speaker == ""
    assert found.content.text == sentence


@pytest.mark.parametrize("with_parse", [False, True])
@pytest.mark.parametrize(
    ("sentence", "speaker", "content"),
    [
        ("Officials said the dam did not break.", "Officials", "the dam did not break."),
        ("Price said that Blinken would return.", "Price", "Blinken would return."),
        ("The army confirmed two soldiers were killed.", "army", "two soldiers were killed."),
        ("The minister denied that the plan would be scrapped.", "", None),
    ],
)
def test_leading_verb_followed_by_a_clause_is_an_attribution(
    nlp, sentence: str, speaker: str, content: str | None, with_parse: bool
) -> None:
    found = split_attribution(sentence, 0, nlp(sentence) if with_parse else None)
    assert found.speaker == speaker
    assert found.content.text == (content or sentence)


@pytest.mark.parametrize("with_parse", [False, True])
@pytest.mark.parametrize(
    ("sentence", "speaker", "role", "attribution"),
    [
        (
            "The company will close two plants, chief executive Laura Chen told reporters.",
            "Laura Chen",
            "chief executive",
            "chief executive Laura Chen told reporters",
        ),
        (
            "The company will close two plants, Chen told the BBC on Tuesday.",
            "Chen",
            "",
            "Chen told the BBC on Tuesday",
        ),
        (
            "The company will close two plants, the minister told journalists.",
            "minister",
            "",
            "the minister told journalists",
        ),
        (
            "The company will close two plants, said hospital spokeswoman Amy Ross.",
            "Amy Ross",
            "hospital spokeswoman",
            "said hospital spokeswoman Amy Ross",
        ),
        ("The company will close two plants, said Ross.", "Ross", "", "said Ross"),
        (
            "The company will close two plants, said the ministry.",
            "ministry",
            "",
            "said the ministry",
        ),
        (
            "The company will close two plants, the British government said.",
            "British government",
            "",
            "the British government said",
        ),
        (
            "The company will close two plants, the Chinese readout said.",
            "Chinese readout",
            "",
            "the Chinese readout said",
        ),
        (
            "The company will close two plants, the European Commission said.",
            "European Commission",
            "",
            "the European Commission said",
        ),
        (
            "The company will close two plants, State Department spokesperson Ned Price said.",
            "Ned Price",
            "State Department spokesperson",
            "State Department spokesperson Ned Price said",
        ),
        (
            "The company will close two plants, a State Department official said.",
            "State Department",
            "official",
            "a State Department official said",
        ),
    ],
)
def test_trailing_attribution_forms(
    nlp, sentence: str, speaker: str, role: str, attribution: str, with_parse: bool
) -> None:
    found = split_attribution(sentence, 0, nlp(sentence) if with_parse else None)
    assert (found.speaker, found.speaker_role) == (speaker, role)
    assert found.span is not None and found.span.text == attribution
    assert found.content.text == "The company will close two plants"


@pytest.mark.parametrize("with_parse", [False, True])
def test_trailing_words_that_are_not_a_speaker_are_content(nlp, with_parse: bool) -> None:
    for sentence in (
        "The plant was closed in 2019, said to be the oldest in the country.",
        "The company will close two plants, told reporters.",
    ):
        found = split_attribution(sentence, 0, nlp(sentence) if with_parse else None)
        assert found.span is None, sentence


def test_speaker_role_split_with_spacy_entities(nlp) -> None:
    text = "The call lasted an hour, State Department spokesman Ned Price said."
    found = split_attribution(text, 0, nlp(text))
    assert (found.speaker, found.speaker_role) == ("Ned Price", "State Department spokesman")


def test_organisation_speaker_drops_article_and_keeps_role() -> None:
    assert normalise_speaker("a State Department official") == ("State Department", "official")


# --- quotes --------------------------------------------------------------------------------


def test_straight_quote_span_excludes_marks_and_trailing_comma() -> None:
    [quote] = find_quotes('"The person was not involved," the spokesperson said.', 100)
    assert quote.text == "The person was not involved"
    assert quote.start == 101


def test_curly_quote_inside_sentence() -> None:
    [quote] = find_quotes("Blinken “expressed his deep regret” to the minister.")
    assert quote.text == "expressed his deep regret"


def test_two_quotes_in_one_sentence() -> None:
    quotes = find_quotes('He said "yes" and then "no" twice.')
    assert [q.text for q in quotes] == ["yes", "no"]


def test_quote_opened_in_earlier_sentence_runs_from_sentence_start() -> None:
    [quote] = find_quotes('Surely, we underestimate this virus at our peril."')
    assert quote.text.startswith("Surely") and quote.text.endswith("peril.")


def test_unclosed_quote_runs_to_sentence_end() -> None:
    [quote] = find_quotes('"We are concerned that people dismiss it as mild.')
    assert quote.text == "We are concerned that people dismiss it as mild."


# --- sentence filter and datelines ---------------------------------------------------------


@pytest.mark.parametrize(
    ("dateline", "sentence"),
    [
        ("KUALA LUMPUR (Reuters) - ", "U.S. Secretary of State Antony Blinken has cut short."),
        ("WASHINGTON (AP) — ", "Defense Secretary Lloyd Austin spoke with Dong Jun."),
        ("TAIPEI, Taiwan — ", "Secretary of State Antony Blinken is headed to Beijing."),
        ("Washington — ", "Secretary of State Antony Blinken is cutting short a trip."),
    ],
)
def test_leading_dateline_is_measured(dateline: str, sentence: str) -> None:
    assert strip_dateline(dateline + sentence, first=True) == len(dateline)


def test_mixed_case_dateline_only_in_first_sentence() -> None:
    assert strip_dateline("Blinken — the top US diplomat — left early.", first=False) == 0


def test_headlines_are_kept_and_questions_furniture_and_fragments_are_not() -> None:
    assert leave_out_reason("Blinken ends Southeast Asia trip early") == ""
    assert leave_out_reason("Why did this happen?") == "question"
    assert leave_out_reason("Watch CBS News.") == "no_content"
    assert leave_out_reason("Insider Today") == "too_short"
    assert leave_out_reason("Blinken ended his Southeast Asia trip early.") == ""


# --- extraction ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def example_claims(nlp) -> dict[str, list[Claim]]:
    """Claims of every example article, with annotate_claim replaced by a call recorder."""
    calls: list[str] = []

    def record(claim: Claim, article: Article, doc) -> None:
        assert doc is not None and doc.text == article.text
        calls.append(claim.id)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(attributes, "annotate_claim", record)
        articles, problems = read_bundle(
            [EXAMPLES / "blinken-2021-12", EXAMPLES / "austin-dong-2024-04"]
        )
        assert problems == []
        claims = {a.id: extract_claims(a, nlp) for a in articles}
    claims["_articles"] = articles  # type: ignore[assignment]
    claims["_calls"] = calls  # type: ignore[assignment]
    return claims


def _find(claims: list[Claim], needle: str) -> Claim:
    [claim] = [c for c in claims if needle in c.sentence.text]
    return claim


def test_every_claim_is_annotated_once(example_claims) -> None:
    ids = [c.id for key, cs in example_claims.items() if not key.startswith("_") for c in cs]
    assert sorted(example_claims["_calls"]) == sorted(ids)


def test_claim_offsets_point_into_article_text(example_claims) -> None:
    for article in example_claims["_articles"]:
        for claim in example_claims[article.id]:
            # the title claim's offsets are into the title, every other claim's into the text
            source = article.title if claim.from_title else article.text
            for span in (claim.sentence, claim.content, claim.attribution):
                if span is not None:
                    assert source[span.start : span.end] == span.text
            assert claim.sentence.start <= claim.content.start <= claim.content.end
            assert claim.content.end <= claim.sentence.end
            suffix = "title" if claim.from_title else str(claim.sentence.start)
            assert claim.id == f"{article.id}:{suffix}"
            assert claim.published == article.published


def test_every_example_article_has_its_title_as_first_claim(example_claims) -> None:
    for article in example_claims["_articles"]:
        first = example_claims[article.id][0]
        assert (first.kind, first.text) == ("title", article.title)


def test_business_insider_tuesday_claim_is_credited_to_price(example_claims) -> None:
    claim = _find(example_claims["business-insider"], "tested negative on Tuesday, Price said")
    assert claim.content.text == "Blinken and senior staff tested negative on Tuesday"
    assert claim.speaker.endswith("Price")


def test_wire_wednesday_claim_is_credited_to_price(example_claims) -> None:
    claim = _find(example_claims["wire"], "tested negative on Wednesday in Kuala Lumpur")
    assert claim.speaker.endswith("Price")
    assert claim.content.text.startswith("Blinken and senior officials had tested negative")
    assert "Price said" not in claim.content.text


def test_bare_surname_takes_the_full_name_given_in_the_article(example_claims) -> None:
    claim = _find(example_claims["cbs-news"], "after getting tested in Kuala Lumpur, Price said")
    assert claim.speaker == "Ned Price"


def test_dateline_is_stripped_from_content(example_claims) -> None:
    reuters = example_claims["reuters"][1]
    assert reuters.sentence.text.startswith("KUALA LUMPUR (Reuters) - ")
    assert reuters.content.text.startswith("U.S. Secretary of State Antony Blinken")
    ap = example_claims["ap"][1]
    assert ap.content.text.startswith("Defense Secretary Lloyd Austin")
    cbs = example_claims["cbs-news"][1]
    assert cbs.content.text.startswith("Secretary of State Antony Blinken")


def test_continued_quote_takes_the_speaker_of_the_quote_before(example_claims) -> None:
    claim = _find(example_claims["cbs-news"], "They affirmed that they would")
    assert claim.speaker == "Ned Price"
    assert claim.quotes and claim.quotes[0].speaker == "Ned Price"


def test_quotes_carry_the_sentence_speaker(example_claims) -> None:
    claim = _find(example_claims["business-insider"], "We learned this morning")
    assert claim.speaker == "Ned Price"
    assert claim.quotes[0].span.text.startswith("We learned this morning")
    assert claim.quotes[0].speaker == "Ned Price"


def test_bullet_summary_claims_are_kept(example_claims) -> None:
    claim = _find(example_claims["business-insider"], "on Tuesday, the State Department said.")
    assert claim.content.text == "Blinken and senior staff tested negative on Tuesday"
    assert claim.speaker == "State Department"


def test_both_ap_versions_give_the_same_claims(example_claims) -> None:
    ap = [c.content.text for c in example_claims["ap"]]
    syndicated = [c.content.text for c in example_claims["ap-syndicated"]]
    assert ap == syndicated
    assert len(ap) >= 20


def _no_annotation(monkeypatch) -> None:
    monkeypatch.setattr(attributes, "annotate_claim", lambda claim, article, doc: None)


def test_headline_without_full_stop_becomes_a_title_claim(nlp, monkeypatch) -> None:
    _no_annotation(monkeypatch)
    text = (
        "Blinken ends Southeast Asia trip early\n\n"
        "Why did this happen?\n\n"
        "Blinken ended his Southeast Asia trip early on Wednesday."
    )
    article = Article(id="t", outlet="T", text=text, source="t.md")
    out = extract_article(article, nlp)
    assert [(c.kind, c.sentence.text) for c in out.claims] == [
        ("title", "Blinken ends Southeast Asia trip early"),
        ("body", "Blinken ended his Southeast Asia trip early on Wednesday."),
    ]
    assert [(x.text, x.reason) for x in out.left_out] == [("Why did this happen?", "question")]


def test_article_title_is_a_title_claim_with_offsets_into_the_title(nlp) -> None:
    article = Article(
        id="w",
        outlet="Wire",
        text="The trip was cut short, Price said.",
        source="w.md",
        title="Blinken halts Asia trip after Covid case",
    )
    [title, body] = extract_claims(article, nlp)
    assert (title.id, title.kind, title.from_title) == ("w:title", "title", True)
    assert article.title[title.sentence.start : title.sentence.end] == title.sentence.text
    assert (body.kind, body.from_title) == ("body", False)
    assert title.entities  # annotated against the title's own parse
    assert all(article.title[e.span.start : e.span.end] == e.span.text for e in title.entities)


def test_text_line_repeating_the_title_is_counted_not_doubled(nlp, monkeypatch) -> None:
    _no_annotation(monkeypatch)
    article = Article(
        id="h",
        outlet="H",
        text="# Blinken halts Asia trip\n\nBlinken cut his trip short on Wednesday.",
        source="h.md",
        title="Blinken halts Asia trip",
    )
    out = extract_article(article, nlp)
    assert [c.kind for c in out.claims] == ["title", "body"]
    assert [x.reason for x in out.left_out] == ["repeats_title"]


def test_bullet_list_yields_bullet_claims(nlp, monkeypatch) -> None:
    _no_annotation(monkeypatch)
    text = (
        "- Blinken ended a trip early\n"
        "* The top US diplomat skipped Thailand\n"
        "• Senior staff tested negative\n"
        "1. Price confirmed the case\n"
        "2) The reporter stays in isolation\n\n"
        "Blinken flew home."
    )
    claims = extract_claims(Article(id="b", outlet="B", text=text, source="b.md"), nlp)
    assert [(c.kind, c.sentence.text) for c in claims] == [
        ("bullet", "Blinken ended a trip early"),
        ("bullet", "The top US diplomat skipped Thailand"),
        ("bullet", "Senior staff tested negative"),
        ("bullet", "Price confirmed the case"),
        ("bullet", "The reporter stays in isolation"),
        ("body", "Blinken flew home."),
    ]


def test_three_word_claim_is_kept(nlp, monkeypatch) -> None:
    _no_annotation(monkeypatch)
    text = "Blinken left Malaysia.\n\nStaff tested negative\n\nHe left."
    out = extract_article(Article(id="s", outlet="S", text=text, source="s.md"), nlp)
    assert [c.content.text for c in out.claims] == [
        "Blinken left Malaysia.",
        "Staff tested negative",
    ]
    assert [(x.text, x.reason) for x in out.left_out] == [("He left.", "too_short")]


def test_verbless_headline_style_claim_is_kept(nlp, monkeypatch) -> None:
    _no_annotation(monkeypatch)
    text = "Blinken's Asia trip cut short after Covid case in press corps.\n\nMore to come."
    claims = extract_claims(Article(id="v", outlet="V", text=text, source="v.md"), nlp)
    assert [c.sentence.text for c in claims][0].startswith("Blinken's Asia trip cut short")


def test_min_words_is_a_parameter(nlp, monkeypatch) -> None:
    _no_annotation(monkeypatch)
    article = Article(id="m", outlet="M", text="Staff tested negative", source="m.md")
    assert len(extract_claims(article, nlp, min_words=3)) == 1
    assert extract_claims(article, nlp, min_words=4) == []
    assert [x.reason for x in select_sentences(article, min_words=4).left_out] == ["too_short"]


@pytest.mark.parametrize(
    "line",
    [
        "Photo: Reuters",
        "By Melissa Quinn",
        "Advertisement",
        "December 15, 2021 / 8:42 AM EST / CBS News",
        "Watch CBS News",
        "More from CBS News",
        "(Reporting by Simon Lewis; Editing by Jane Doe)",
        "(AP Photo/Olivier Douliery)",
    ],
)
def test_line_with_no_content_is_counted_as_left_out_not_a_claim(
    line: str, nlp, monkeypatch
) -> None:
    _no_annotation(monkeypatch)
    text = f"{line}\n\nBlinken cut his trip short on Wednesday."
    out = extract_article(Article(id="f", outlet="F", text=text, source="f.md"), nlp)
    assert [c.sentence.text for c in out.claims] == ["Blinken cut his trip short on Wednesday."]
    assert [(x.text, x.reason) for x in out.left_out] == [(line, "no_content")]
    assert {x.reason for x in out.left_out} <= set(LEFT_OUT_REASONS)


def test_every_sentence_is_a_claim_or_left_out_with_a_reason(example_claims) -> None:
    for article in example_claims["_articles"]:
        selection = select_sentences(article)
        kept = {c.sentence.start for c in selection.candidates if not c.in_title}
        dropped = {x.start for x in selection.left_out if not x.in_title}
        from claims.sentences import split_sentences

        assert kept | dropped == {s.start for s in split_sentences(article.text)}
        assert not kept & dropped


def test_snippets_without_closing_punctuation_give_claims(nlp, monkeypatch) -> None:
    _no_annotation(monkeypatch)
    text = (
        "Secretary of State Antony Blinken cut short his Southeast Asia trip on Wednesday "
        "after a member of the press corps tested positive for COVID-19"
    )
    claims = extract_claims(Article(id="n", outlet="N", text=text, source="n.md"), nlp)
    assert [(c.kind, c.sentence.text) for c in claims] == [("body", text)]
