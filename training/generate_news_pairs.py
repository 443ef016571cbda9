"""Generate labelled NLI pairs from news sentences by controlled edits.

Contradictions: swap a number, a weekday, a month or year, a person's name, a role (the title
before a name), a place; add or remove a negation; replace a word by its antonym.
Entailments (meaning-keeping edits): drop an attribution ("..., X said"), drop a modifier clause
or phrase, add "about" before a number, reword a number (digits <-> words) or a date (month
abbreviation <-> full name).
Neutrals: another sentence of the same story that shares words with the premise; and the reverse
of a dropped clause (the hypothesis adds information the premise lacks).

Every edit is made from the parse (spaCy entity labels, dependency labels, part of speech) and from
closed word classes of English (weekdays, months, number words); nothing is tuned to any story.
Output is deterministic for a given seed.

>>> from claims.nlp import load_nlp  # doctest: +SKIP
>>> pairs = generate_pairs([Story("s1", ["Price said the trip ended on Wednesday in Jakarta."])],
...                        load_nlp(), seed=0)  # doctest: +SKIP
>>> sorted({p.label for p in pairs})  # doctest: +SKIP
['contradiction', 'entailment', 'neutral']

    python -m training.generate_news_pairs --out runs/data  # news_train.jsonl, news_test.jsonl
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import random
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

log = logging.getLogger(__name__)

SHARED = Path(__file__).resolve().parents[2] / "shared"
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
MONTH_ABBREV = {m: (m[:3] + ".") for m in MONTHS if len(m) > 5} | {"September": "Sept."}
NUMBER_WORDS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
]
#: general-purpose English antonym pairs (closed, story-independent lexicon).
ANTONYMS = [
    ("increase", "decrease"),
    ("increased", "decreased"),
    ("rose", "fell"),
    ("rise", "fall"),
    ("won", "lost"),
    ("win", "lose"),
    ("accepted", "rejected"),
    ("approved", "rejected"),
    ("positive", "negative"),
    ("early", "late"),
    ("earlier", "later"),
    ("before", "after"),
    ("first", "last"),
    ("higher", "lower"),
    ("more", "fewer"),
    ("larger", "smaller"),
    ("open", "closed"),
    ("opened", "closed"),
    ("allowed", "banned"),
    ("support", "oppose"),
    ("supported", "opposed"),
    ("confirmed", "denied"),
    ("arrived", "departed"),
    ("started", "ended"),
    ("began", "ended"),
    ("alive", "dead"),
    ("guilty", "innocent"),
    ("legal", "illegal"),
    ("success", "failure"),
    ("strong", "weak"),
    ("public", "private"),
    ("domestic", "foreign"),
    ("cut", "extended"),
    ("short", "long"),
    ("raised", "lowered"),
    ("gained", "lost"),
    ("agreed", "refused"),
    ("true", "false"),
    ("always", "never"),
    ("maximum", "minimum"),
]
REPORTING_LEMMAS = {"say", "tell", "report", "announce", "state", "add", "confirm", "note"}
DROPPABLE_DEPS = {"prep", "advcl", "appos", "relcl", "npadvmod", "acl"}
NEG_WORDS = {"not", "n't", "never", "no"}


@dataclass(frozen=True)
class Story:
    """Sentences of one news story; ``story_id`` decides the train/test split."""

    story_id: str
    sentences: list[str]


@dataclass(frozen=True)
class Pair:
    premise: str
    hypothesis: str
    label: str
    edit: str
    story_id: str


def _replace_span(doc: Doc, start_char: int, end_char: int, new: str) -> str:
    text = doc.text
    out = text[:start_char] + new + text[end_char:]
    return re.sub(r"\s+([,.;:])", r"\1", re.sub(r"\s{2,}", " ", out)).strip()


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


# ---------------------------------------------------------------- contradictions


def _in_calendar_date(token: Token) -> bool:
    """Part of a calendar date ("Dec. 15, 2021", "Wednesday"), not a duration ("10 days")."""
    if token.ent_type_ != "DATE":
        return False
    ent = next((e for e in token.doc.ents if e.start <= token.i < e.end), None)
    if ent is None:
        return False
    return any(
        _month_of(t.text) or t.text in WEEKDAYS or re.fullmatch(r"(1[89]|20)\d\d", t.text)
        for t in ent
    )


def _is_digit(token: Token) -> bool:
    return bool(re.fullmatch(r"\d[\d,]*(\.\d+)?", token.text)) and not _in_calendar_date(token)


def _number_value(token: Token) -> float | None:
    text = token.text.lower().replace(",", "")
    if text in NUMBER_WORDS:
        return float(NUMBER_WORDS.index(text))
    try:
        return float(text)
    except ValueError:
        return None


def swap_number(doc: Doc, rng: random.Random) -> str | None:
    candidates = [t for t in doc if _number_value(t) is not None and not _in_calendar_date(t)]
    if not candidates:
        return None
    token = rng.choice(candidates)
    value = _number_value(token)
    assert value is not None
    if token.text.lower() in NUMBER_WORDS:
        choices = [w for w in NUMBER_WORDS[1:] if abs(NUMBER_WORDS.index(w) - value) >= 2]
        new = rng.choice(choices)
        new = _capitalise(new) if token.text[0].isupper() else new
    else:
        factor = rng.choice([0.5, 2.0, 3.0, 1.5, 0.25])
        new_value = value * factor if value >= 4 else value + rng.choice([3, 5, 8])
        new = f"{new_value:,.0f}" if "," in token.text else f"{new_value:.0f}"
        if "." in token.text:
            new = f"{new_value:.1f}"
        if new == token.text:
            return None
    return _replace_span(doc, token.idx, token.idx + len(token.text), new)


def swap_weekday(doc: Doc, rng: random.Random) -> str | None:
    hits = [t for t in doc if t.text in WEEKDAYS]
    if not hits:
        return None
    token = rng.choice(hits)
    new = rng.choice([d for d in WEEKDAYS if d != token.text])
    return _replace_span(doc, token.idx, token.idx + len(token.text), new)


def swap_date(doc: Doc, rng: random.Random) -> str | None:
    """Change a month name, a year or a day of the month inside a DATE entity."""
    for ent in rng.sample(list(doc.ents), len(doc.ents)):
        if ent.label_ != "DATE":
            continue
        tokens = list(ent)
        rng.shuffle(tokens)
        for t in tokens:
            month = _month_of(t.text)
            if month:
                new = rng.choice([m for m in MONTHS if m != month])
                return _replace_span(doc, t.idx, t.idx + len(t.text), new)
            if re.fullmatch(r"(19|20)\d\d", t.text):
                new = str(int(t.text) + rng.choice([-3, -2, -1, 1, 2]))
                return _replace_span(doc, t.idx, t.idx + len(t.text), new)
            if re.fullmatch(r"\d{1,2}", t.text) and 1 <= int(t.text) <= 28:
                new = str((int(t.text) + rng.choice([3, 5, 9])) % 28 + 1)
                return _replace_span(doc, t.idx, t.idx + len(t.text), new)
    return None


def _month_of(text: str) -> str | None:
    for month in MONTHS:
        abbrev = MONTH_ABBREV.get(month)
        if text == month or (abbrev and text.rstrip(".") == abbrev.rstrip(".")):
            return month
    return None


def _entity_swapper(
    labels: set[str], edit: str
) -> Callable[[Doc, random.Random, dict], str | None]:
    def swap(doc: Doc, rng: random.Random, pools: dict[str, list[str]]) -> str | None:
        ents = [e for e in doc.ents if e.label_ in labels]
        if not ents:
            return None
        ent = rng.choice(ents)
        pool = [
            x
            for x in pools.get(edit, [])
            if x.lower() != ent.text.lower() and x not in ent.text and ent.text not in x
        ]
        if not pool:
            return None
        new = rng.choice(pool)
        if edit == "name" and len(ent) == 1:  # a surname alone: swap in a surname
            new = new.split()[-1]
            if new == ent.text:
                return None
        return _replace_span(doc, ent.start_char, ent.end_char, new)

    return swap


swap_name = _entity_swapper({"PERSON"}, "name")
swap_place = _entity_swapper({"GPE", "LOC", "FAC"}, "place")


def role_tokens(doc: Doc) -> list[Span]:
    """Titles written before a person's name ("Secretary of State Antony Blinken" -> title)."""
    roles = []
    for ent in doc.ents:
        if ent.label_ != "PERSON" or ent.start == 0:
            continue
        end = ent.start
        start = end
        while (
            start > 0
            and doc[start - 1].pos_ in ("PROPN", "NOUN", "ADP")
            and doc[start - 1].ent_type_ not in ("GPE", "NORP", "ORG")
        ):
            start -= 1
        while start < end and doc[start].pos_ == "ADP":
            start += 1
        if end - start >= 1 and doc[start].pos_ in ("PROPN", "NOUN"):
            roles.append(doc[start:end])
    return roles


def swap_role(doc: Doc, rng: random.Random, pools: dict[str, list[str]]) -> str | None:
    roles = role_tokens(doc)
    if not roles:
        return None
    span = rng.choice(roles)
    pool = [r for r in pools.get("role", []) if r.lower() != span.text.lower()]
    if not pool:
        return None
    return _replace_span(doc, span.start_char, span.end_char, rng.choice(pool))


def toggle_negation(doc: Doc, rng: random.Random) -> tuple[str, str] | None:
    """Remove an existing negation, or negate the main verb; returns (text, edit name)."""
    negs = [t for t in doc if t.dep_ == "neg" or t.lower_ in ("not", "n't", "never")]
    if negs:
        t = negs[0]
        if t.lower_ == "n't":
            head = doc[t.i - 1]
            base = {"ca": "can", "wo": "will", "do": "do", "does": "does", "did": "did"}
            new = base.get(head.lower_, head.text)
            text = doc.text[: head.idx] + new + doc.text[t.idx + len(t.text) :]
            return re.sub(r"\s{2,}", " ", text).strip(), "remove_negation"
        return _replace_span(doc, t.idx, t.idx + len(t.text), ""), "remove_negation"
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    if root is None or root.pos_ not in ("VERB", "AUX"):
        return None
    auxes = [c for c in root.children if c.dep_ in ("aux", "auxpass") and c.i < root.i]
    if root.lemma_ == "be" and root.pos_ == "AUX":
        return _replace_span(doc, root.idx, root.idx + len(root.text), root.text + " not"), (
            "add_negation"
        )
    if auxes:
        aux = auxes[0]
        return _replace_span(doc, aux.idx, aux.idx + len(aux.text), aux.text + " not"), (
            "add_negation"
        )
    if root.tag_ == "VBD":
        new = f"did not {root.lemma_}"
    elif root.tag_ == "VBZ":
        new = f"does not {root.lemma_}"
    elif root.tag_ == "VBP":
        new = f"do not {root.lemma_}"
    else:
        return None
    return _replace_span(doc, root.idx, root.idx + len(root.text), new), "add_negation"


ANTONYM_MAP = {a: b for a, b in ANTONYMS} | {b: a for a, b in ANTONYMS}


def swap_antonym(doc: Doc, rng: random.Random) -> str | None:
    hits = [t for t in doc if t.lower_ in ANTONYM_MAP]
    if not hits:
        return None
    t = rng.choice(hits)
    new = ANTONYM_MAP[t.lower_]
    new = _capitalise(new) if t.text[0].isupper() else new
    return _replace_span(doc, t.idx, t.idx + len(t.text), new)


# ---------------------------------------------------------------- entailments


def drop_attribution(doc: Doc) -> str | None:
    """ "X happened, Price said." -> "X happened." ; "Price said that X" -> "X"."""
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    if root is None or root.lemma_ not in REPORTING_LEMMAS:
        return None
    content = [c for c in root.children if c.dep_ == "ccomp"]
    if not content:
        return None
    clause = content[0]
    tokens = [t for t in clause.subtree if t.dep_ != "mark" or t.head != clause]
    if len(tokens) < 4:
        return None
    text = doc.text[tokens[0].idx : tokens[-1].idx + len(tokens[-1].text)]
    text = text.strip(" ,\"'“”")
    return _capitalise(text).rstrip(",") + "."


def drop_clause(doc: Doc, rng: random.Random) -> str | None:
    """Remove one modifier phrase (prepositional phrase, adverbial clause, apposition...)."""
    options = []
    for t in doc:
        if t.dep_ in DROPPABLE_DEPS and t.head.dep_ in ("ROOT", "nsubj", "dobj", "pobj", "ccomp"):
            sub = list(t.subtree)
            if any(x.dep_ == "neg" or x.lower_ in NEG_WORDS for x in sub):
                continue
            if len(sub) < 2 or len(sub) > len(doc) * 0.6:
                continue
            options.append((sub[0], sub[-1]))
    if not options:
        return None
    first, last = rng.choice(options)
    start = first.idx
    end = last.idx + len(last.text)
    text = doc.text[:start].rstrip(" ,") + " " + doc.text[end:].lstrip(" ,")
    if doc.text[:start].rstrip().endswith(",") and doc.text[end:].lstrip().startswith(","):
        text = doc.text[:start].rstrip(" ,") + ", " + doc.text[end:].lstrip(" ,")
    text = re.sub(r"\s+([,.;:])", r"\1", re.sub(r"\s{2,}", " ", text)).strip()
    if len(text.split()) < 4:
        return None
    return _capitalise(text)


def with_weekday(doc: Doc, rng: random.Random) -> str | None:
    """The sentence with "on <weekday>" before its final full stop, if it has no date yet."""
    if any(e.label_ in ("DATE", "TIME") for e in doc.ents) or not doc.text.endswith("."):
        return None
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    if root is None or root.pos_ != "VERB" or root.tag_ not in ("VBD", "VBN"):
        return None
    return doc.text[:-1].rstrip() + f" on {rng.choice(WEEKDAYS)}."


def add_about(doc: Doc, rng: random.Random) -> str | None:
    hits = [
        t
        for t in doc
        if _is_digit(t) and t.i > 0 and doc[t.i - 1].lower_ not in ("about", "around", "$")
    ]
    if not hits:
        return None
    t = rng.choice(hits)
    return _replace_span(doc, t.idx, t.idx, "about ")


def reword_number(doc: Doc, rng: random.Random) -> str | None:
    for t in doc:
        if _in_calendar_date(t):
            continue
        low = t.lower_
        if low in NUMBER_WORDS[2:]:
            return _replace_span(doc, t.idx, t.idx + len(t.text), str(NUMBER_WORDS.index(low)))
        if re.fullmatch(r"\d{1,2}", t.text) and 2 <= int(t.text) <= 12:
            word = NUMBER_WORDS[int(t.text)]
            return _replace_span(doc, t.idx, t.idx + len(t.text), word)
        if re.fullmatch(r"\d{1,3}(,\d{3})+", t.text):
            return _replace_span(doc, t.idx, t.idx + len(t.text), t.text.replace(",", ""))
    return None


def reword_date(doc: Doc, rng: random.Random) -> str | None:
    for t in doc:
        month = _month_of(t.text)
        if not month:
            continue
        if t.text == month and month in MONTH_ABBREV:
            return _replace_span(doc, t.idx, t.idx + len(t.text), MONTH_ABBREV[month])
        if t.text != month:
            end = t.idx + len(t.text)
            if end < len(doc.text) and doc.text[end] == ".":
                end += 1
            return _replace_span(doc, t.idx, end, month)
    return None


# ---------------------------------------------------------------- driver


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]{4,}", text.lower())}


def collect_pools(docs: Iterable[Doc]) -> dict[str, list[str]]:
    """Names, places and roles seen in a set of stories (swap material; from the same split)."""
    pools: dict[str, set[str]] = {"name": set(), "place": set(), "role": set()}
    for doc in docs:
        for ent in doc.ents:
            if ent.label_ == "PERSON" and len(ent) >= 2 and ent.text[0].isupper():
                pools["name"].add(ent.text)
            elif ent.label_ in ("GPE", "LOC") and ent.text[0].isupper():
                pools["place"].add(ent.text.removeprefix("the "))
        for span in role_tokens(doc):
            if 1 <= len(span) <= 4:
                pools["role"].add(span.text)
    return {k: sorted(v) for k, v in pools.items()}


def generate_pairs(
    stories: Sequence[Story],
    nlp: Language,
    seed: int = 0,
    pools: dict[str, list[str]] | None = None,
    neutrals_per_sentence: int = 2,
    reverse_rate: float = 0.5,
    inject_weekday_rate: float = 0.0,
) -> list[Pair]:
    """Labelled pairs for every sentence of every story (deterministic for a seed).

    ``reverse_rate``: share of contradictions also added hypothesis-first. ``inject_weekday_rate``:
    share of sentences without a date that get "on <weekday>" added, to make weekday pairs
    (weekdays are rare in encyclopedic sentences but common in news).
    """
    rng = random.Random(seed)
    docs_by_story = [(story, list(nlp.pipe(story.sentences, batch_size=64))) for story in stories]
    if pools is None:
        pools = collect_pools(doc for _, docs in docs_by_story for doc in docs)
    pairs: list[Pair] = []
    for story, docs in docs_by_story:
        for index, doc in enumerate(docs):
            premise = doc.text.strip()

            def add(
                hyp: str | None,
                label: str,
                edit: str,
                premise: str = premise,
                sid: str = story.story_id,
            ) -> None:
                if hyp and hyp.strip() and hyp.strip() != premise:
                    pairs.append(Pair(premise, hyp.strip(), label, edit, sid))

            # time and number edits first (the discrepancies crossclaim exists to find), then
            # one or two of the others; a contradiction read backwards is still one
            timed = [
                ("weekday", lambda d=doc: swap_weekday(d, rng)),
                ("date", lambda d=doc: swap_date(d, rng)),
                ("number", lambda d=doc: swap_number(d, rng)),
            ]
            others = [
                ("name", lambda d=doc: swap_name(d, rng, pools)),
                ("role", lambda d=doc: swap_role(d, rng, pools)),
                ("place", lambda d=doc: swap_place(d, rng, pools)),
                ("antonym", lambda d=doc: swap_antonym(d, rng)),
            ]
            made = 0
            for edit, make in rng.sample(timed, len(timed)) + rng.sample(others, len(others)):
                if made >= 3:
                    break
                hyp = make()
                if hyp:
                    add(hyp, "contradiction", edit)
                    if rng.random() < reverse_rate:
                        add(premise, "contradiction", edit, premise=hyp)
                    made += 1
            if inject_weekday_rate and rng.random() < inject_weekday_rate:
                dated = with_weekday(doc, rng)
                if dated:
                    other_day = swap_weekday(nlp(dated), rng)
                    add(other_day, "contradiction", "weekday", premise=dated)
                    add(premise, "entailment", "drop_clause", premise=dated)
                    add(dated, "neutral", "added_clause")
            negated = toggle_negation(doc, rng)
            if negated and rng.random() < 0.7:
                add(negated[0], "contradiction", negated[1])
                if rng.random() < reverse_rate:
                    back = "remove_negation" if negated[1] == "add_negation" else "add_negation"
                    add(premise, "contradiction", back, premise=negated[0])
            dropped = drop_clause(doc, rng)
            entailments = [
                ("drop_attribution", drop_attribution(doc)),
                ("drop_clause", dropped),
                ("add_about", add_about(doc, rng)),
                ("reword_number", reword_number(doc, rng)),
                ("reword_date", reword_date(doc, rng)),
            ]
            for edit, hyp in entailments:
                add(hyp, "entailment", edit)
            if dropped:  # the full sentence adds information: neutral
                pairs.append(Pair(dropped, premise, "neutral", "added_clause", story.story_id))
            words = _words(premise)
            related = [
                other.text.strip()
                for j, other in enumerate(docs)
                if j != index and len(words & _words(other.text)) >= 3
            ]
            rng.shuffle(related)
            for hyp in related[:neutrals_per_sentence]:
                add(hyp, "neutral", "related_sentence")
    return pairs


# ---------------------------------------------------------------- sources


_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’]))\s+(?=[A-Z\"“])")


def split_sentences(text: str) -> list[str]:
    """Sentences of prose paragraphs (lines that look like navigation or bylines are skipped).

    >>> split_sentences("Menu\\nHe left the city on Monday. She stayed at home all that week.")
    ['He left the city on Monday.', 'She stayed at home all that week.']
    """
    out = []
    for para in text.splitlines():
        para = para.strip()
        if len(para.split()) < 8 or para.startswith(("•", "-", "*", "#")):
            continue
        for sentence in _SENTENCE_END.split(para):
            sentence = sentence.strip()
            n = len(sentence.split())
            if 6 <= n <= 60 and sentence[-1:] in '.!?"”':
                out.append(sentence)
    return out


def seed_stories(path: Path) -> list[Story]:
    """The scraped seed file: one story (one event reported by several outlets)."""
    text = path.read_text(encoding="utf-8", errors="replace")
    sentences = list(dict.fromkeys(split_sentences(text)))
    return [Story(f"seed:{path.stem}", sentences)]


def fnc1_stories(path: Path, limit: int) -> list[Story]:
    """FNC-1 article bodies, one story each (research use: evaluation only)."""
    stories = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            sentences = split_sentences(row["articleBody"])
            if len(sentences) >= 4:
                stories.append(Story(f"fnc1:{row['Body ID']}", sentences[:12]))
            if len(stories) >= limit:
                break
    return stories


def fever_claim_stories(path: Path, limit: int) -> list[Story]:
    """FEVER claims (CC BY-SA 3.0), grouped by their evidence page title into 'stories'."""
    groups: dict[str, list[str]] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 3:
                continue
            title = parts[1].split(" . ", 1)[0].strip()
            claim = parts[2].strip()
            if len(claim.split()) >= 6:
                groups.setdefault(title, []).append(claim)
    stories = [Story(f"fever:{t}", list(dict.fromkeys(s))) for t, s in groups.items()]
    return stories[:limit]


def write_jsonl(path: Path, pairs: Iterable[Pair]) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    n = 0
    with tmp.open("w", encoding="utf-8") as handle:
        for pair in pairs:
            handle.write(json.dumps(asdict(pair), ensure_ascii=False) + "\n")
            n += 1
    tmp.replace(path)
    return n


def main(argv: Sequence[str] | None = None) -> None:
    from claims.nlp import load_nlp

    parser = argparse.ArgumentParser(description="generate news NLI pairs")
    parser.add_argument("--out", type=Path, default=Path("runs/data"))
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--fever-stories", type=int, default=1500)
    parser.add_argument("--fnc1-stories", type=int, default=150)
    parser.add_argument("--shared", type=Path, default=SHARED)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    nlp = load_nlp()
    data = args.shared / "data" / "nli"
    # train: the seed story (Blinken) and FEVER claims (CC BY-SA); licences allow shipping weights
    train_stories = seed_stories(args.shared / "seeds" / "blinken-asia-trip-scrape.txt")
    # test: stories never seen in training: FNC-1 bodies (evaluation only) and the second example
    # (the repo's examples are not used: the seed scrape contains their stories too)
    test_stories = fnc1_stories(data / "fnc1" / "competition_test_bodies.csv", args.fnc1_stories)
    fever = fever_claim_stories(data / "fever_nli_binary_docnli" / "dev.txt", args.fever_stories)
    # FEVER claims about one page may contradict each other (refuted claims): no related neutrals
    train = generate_pairs(train_stories, nlp, seed=args.seed, inject_weekday_rate=0.25)
    train += generate_pairs(
        fever, nlp, seed=args.seed + 2, neutrals_per_sentence=0, inject_weekday_rate=0.25
    )
    test = generate_pairs(test_stories, nlp, seed=args.seed + 1)
    for name, pairs in (("news_train", train), ("news_test", test)):
        n = write_jsonl(args.out / f"{name}.jsonl", pairs)
        counts: dict[str, int] = {}
        for p in pairs:
            counts[p.label] = counts.get(p.label, 0) + 1
        log.info("%s: %d pairs %s", name, n, counts)


if __name__ == "__main__":
    main()
