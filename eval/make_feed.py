"""A day's news feed for benchmarks and tests: N articles about E events, from real sentences.

Built from MRPC (the training split under ``../shared/data/paraphrase/mrpc``, read at run time;
nothing of it is written into the repository) and, for planted discrepancies, from the injected
pairs that ``eval/make_real_pairs.py`` writes (``runs/eval/injected.jsonl``).

How a feed is made (every choice comes from one ``random.Random(seed)``, and inputs are read in
sorted order, so the same arguments write the same bytes):

* **Facts.** An MRPC paraphrase pair (Quality 1) is one fact told by two outlets in their own
  words. Pairs are grouped into *stories* (pairs that share a sentence, or same-day sentences
  whose words of 4+ letters overlap with Jaccard >= 0.5, the split rule of make_real_pairs.py);
  a story is used whole, in one event only, so no sentence and no close retelling appears in two
  events of one day.
* **Events.** An event gets 2 to ``--max-outlets`` outlets (sizes drawn so that the articles add
  up to N) and stories until it has 3 to 6 facts. Each outlet tells each fact in one of the
  pair's two versions (alternating over the outlets, so both versions appear); an outlet of a
  3+ outlet event leaves out a later fact now and then (1 in 6). Its title is the start of its
  first fact (up to the first comma when that keeps 5+ words). The facts are unrelated MRPC
  stories, so an event is a pastiche: its articles are close to each other and far from other
  events' articles, which is what grouping and checking need, not a coherent story.
* **Planted discrepancies.** ``--fire-share`` of the events carry one injected pair whose one
  side has a typed contradiction (``expect: fire``: numeric, temporal, place, entity_role or
  negation); ``--silent-share`` carry one meaning-keeping rewrite (``expect: silent``: a finding
  on it is a false alarm). The outlet given the edited side is chosen at random; every other
  outlet of the event tells that fact with the pair's other (unedited) side, so the answer key has
  one row per (edited outlet, other outlet). The weekday-to-date rewrite is not used: its meaning
  depends on MRPC's own publication date, and the feed has its own.
* **Singletons.** ``--singleton-share`` of the articles belong to no event: 3-5 sentences of
  MRPC non-paraphrase pairs (one side each), from stories used nowhere else.
* **Dates.** Every event of a feed is published on ``--day`` (UTC): the event at a random time
  of the day, each article up to 6 hours after it. When a feed needs more stories than MRPC has
  (about 2,700 paraphrase pairs), the stories are used again in another *copy* of the feed
  published 28 days later (4 whole weeks, so weekdays in the text keep their meaning): beyond
  the grouping window (72 hours), so the copies never join each other's events.

Written under ``--out``:

* ``articles/NNNNN-<outlet>.md``: one article each (YAML front matter ``outlet``, ``published``,
  ``title``, ``url``, as in ``examples/*/``), numbered in a seeded random order;
* ``answer_key.jsonl``: one row per planted pair: ``event``, ``expect`` (fire / silent),
  ``check``, ``edit``, ``case`` (the injected row's id), ``note`` and ``a`` / ``b`` (``file``,
  ``outlet``, ``sentence``; ``a`` is the edited side);
* ``events.jsonl``: the true events: ``event``, ``files``, ``outlets``, ``copy``;
* ``feed.json``: the arguments and counts.

:func:`make_event` builds one event of exactly N outlets (optionally with several outlets
giving the edited side) for benchmarks/consensus_scaling.py.

    python eval/make_feed.py --articles 300 --out runs/feed-300
    python eval/make_feed.py --articles 1000 --events 200 --seed 3 --out runs/feed-1000
    crossclaim batch runs/feed-300/articles --out runs/batch-300
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_MRPC = ROOT.parent / "shared" / "data" / "paraphrase" / "mrpc"
DEFAULT_INJECTED = ROOT / "runs" / "eval" / "injected.jsonl"

#: same-day sentences sharing this Jaccard overlap of long words tell the same story (the rule of
#: eval/make_real_pairs.py).
STORY_JACCARD = 0.5
MIN_OVERLAP_WORD_LEN = 4
#: facts per event (drawn uniformly).
FACTS_PER_EVENT = (3, 6)
#: sentences per singleton article (drawn uniformly).
SINGLETON_SENTENCES = (3, 5)
#: an outlet of a 3+ outlet event leaves out each later (not the first, not the planted) fact
#: with this probability.
DROP_FACT = 1 / 6
#: hours after the event's time within which its articles are published.
SPREAD_HOURS = 6.0
#: days between copies of the feed (whole weeks; beyond the 72-hour grouping window).
COPY_DAYS = 28
#: injected edits not used: their meaning depends on MRPC's own publication date.
DATE_BOUND_EDITS = frozenset({"weekday_to_date"})
#: a title cut at the first comma keeps at least this many words, else the whole sentence.
TITLE_MIN_WORDS = 5


@dataclass(frozen=True)
class Pair:
    """An MRPC pair: two outlets' sentences (Quality 1: a paraphrase)."""

    quality: int
    id_a: str
    id_b: str
    text_a: str
    text_b: str

    @property
    def key(self) -> str:
        return f"{self.id_a}-{self.id_b}"


@dataclass(frozen=True)
class Story:
    """Pairs that tell one story (used whole, in one event only)."""

    key: str
    pairs: tuple[Pair, ...]


@dataclass
class Corpus:
    """What a feed is built from."""

    paraphrase_stories: list[Story]  # Quality 1, sorted by key
    other_stories: list[Story]  # Quality 0 (for singletons), sorted by key
    outlets: list[str]  # sorted
    injected: dict[str, list[dict[str, Any]]]  # MRPC pair key -> usable injected rows


@dataclass(frozen=True)
class FeedSpec:
    """The arguments of a feed (see the module docstring)."""

    articles: int
    events: int | None = None
    max_outlets: int = 5
    singleton_share: float = 0.1
    fire_share: float = 0.6
    silent_share: float = 0.15
    seed: int = 1
    day: dt.date = dt.date(2024, 1, 9)


@dataclass
class FeedArticle:
    outlet: str
    published: dt.datetime
    title: str
    url: str
    paragraphs: list[str]
    event: str
    file: str = ""

    def markdown(self) -> str:
        """The article file: YAML front matter, then one paragraph per blank-line block."""
        front = {
            "outlet": self.outlet,
            "published": self.published.isoformat(),
            "title": self.title,
            "url": self.url,
        }
        lines = ["---"] + [f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in front.items()]
        return "\n".join(lines + ["---", "", "\n\n".join(self.paragraphs), ""])


@dataclass
class Feed:
    spec: FeedSpec
    articles: list[FeedArticle]
    key: list[dict[str, Any]]
    events: list[dict[str, Any]]
    copies: int
    stats: dict[str, Any] = field(default_factory=dict)


# --- reading ----------------------------------------------------------------------------------


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def _outlet(row: dict[str, str]) -> str:
    for value in (row.get("URL", ""), row.get("Agency", "")):
        value = (value or "").strip()
        if value and value != "*":
            return value.removeprefix("www.")
    return ""


_WORD = re.compile(r"[A-Za-z]+")


def long_words(text: str) -> frozenset[str]:
    """Lower-cased words of MIN_OVERLAP_WORD_LEN letters or more.

    >>> sorted(long_words("The council approved 4,500 new homes"))
    ['approved', 'council', 'homes']
    """
    return frozenset(w.lower() for w in _WORD.findall(text) if len(w) >= MIN_OVERLAP_WORD_LEN)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def group_stories(pairs: Sequence[Pair], web_dates: dict[str, str]) -> list[Story]:
    """Pairs joined by a shared sentence, or by same-day sentences with Jaccard >= 0.5."""
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    texts: dict[str, str] = {}
    for pair in pairs:
        texts[pair.id_a], texts[pair.id_b] = pair.text_a, pair.text_b
        union(pair.id_a, pair.id_b)
    by_day: dict[str, list[str]] = defaultdict(list)
    for sid in sorted(texts, key=int):
        by_day[web_dates.get(sid, "")].append(sid)
    for day, ids in sorted(by_day.items()):
        if not day:
            continue
        words = {sid: long_words(texts[sid]) for sid in ids}
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                if _jaccard(words[a], words[b]) >= STORY_JACCARD:
                    union(a, b)
    grouped: dict[str, list[Pair]] = defaultdict(list)
    for pair in pairs:
        grouped[find(pair.id_a)].append(pair)
    stories = [
        Story(key, tuple(sorted(members, key=lambda p: (int(p.id_a), int(p.id_b)))))
        for key, members in grouped.items()
    ]
    return sorted(stories, key=lambda s: int(s.key))


def read_corpus(mrpc: Path, injected: Path | None) -> Corpus:
    """MRPC's pairs grouped into stories, its outlets, and the usable injected rows by pair."""
    web_dates: dict[str, str] = {}
    outlets: set[str] = set()
    for row in _rows(mrpc / "msr_paraphrase_sentences_train.txt"):
        web_dates[row["Sentence ID"].strip()] = (row.get("Web Date") or "").strip()
        name = _outlet(row)
        if name and re.fullmatch(r"[a-z0-9.-]+\.[a-z]{2,}", name):
            outlets.add(name)
    pairs = [
        Pair(
            int(row["Quality"]),
            row["#1 ID"].strip(),
            row["#2 ID"].strip(),
            row["#1 String"].strip(),
            row["#2 String"].strip(),
        )
        for row in _rows(mrpc / "msr_paraphrase_train.txt")
    ]
    rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
    if injected is not None and injected.is_file():
        with injected.open(encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    row = json.loads(line)
                    if row.get("edit") not in DATE_BOUND_EDITS:
                        rows[str(row["mrpc"])].append(row)
    for key in rows:
        rows[key].sort(key=lambda r: str(r["id"]))
    return Corpus(
        paraphrase_stories=group_stories([p for p in pairs if p.quality == 1], web_dates),
        other_stories=group_stories([p for p in pairs if p.quality != 1], web_dates),
        outlets=sorted(outlets),
        injected=dict(rows),
    )


# --- building ---------------------------------------------------------------------------------


def headline(sentence: str) -> str:
    """An article's title from its first sentence: up to the first comma when that keeps
    enough words, without the final full stop.

    >>> headline("Shares of Acme fell 3 percent on Monday, traders said.")
    'Shares of Acme fell 3 percent on Monday'
    >>> headline("Acme fell, traders said.")
    'Acme fell, traders said'
    """
    head, comma, _ = sentence.partition(", ")
    if comma and len(head.split()) >= TITLE_MIN_WORDS:
        sentence = head
    return sentence.strip().rstrip(".").strip()


def _slug(text: str, words: int = 6) -> str:
    parts = re.findall(r"[a-z0-9]+", text.lower())[:words]
    return "-".join(parts) or "article"


def event_sizes(total: int, events: int, max_outlets: int, rng: random.Random) -> list[int]:
    """``events`` sizes of 2..max_outlets adding up to ``total``.

    >>> sizes = event_sizes(20, 6, 5, random.Random(1))
    >>> sum(sizes), len(sizes), min(sizes) >= 2, max(sizes) <= 5
    (20, 6, True, True)
    """
    if events <= 0:
        return []
    if not 2 * events <= total <= max_outlets * events:
        raise ValueError(
            f"{total} articles cannot make {events} events of 2 to {max_outlets} outlets"
        )
    sizes = [2] * events
    room = list(range(events))
    for _ in range(total - 2 * events):
        i = rng.choice(room)
        sizes[i] += 1
        if sizes[i] == max_outlets:
            room.remove(i)
    return sizes


class _Pools:
    """The stories not yet used in the current copy of the feed; a new copy starts when one
    pool runs out."""

    def __init__(self, corpus: Corpus, rng: random.Random) -> None:
        self.corpus = corpus
        self.rng = rng
        self.copy = -1
        self._new_copy()

    def _new_copy(self) -> None:
        self.copy += 1
        self.paraphrase = list(self.corpus.paraphrase_stories)
        self.other = list(self.corpus.other_stories)
        self.rng.shuffle(self.paraphrase)
        self.rng.shuffle(self.other)

    def _take(
        self, pool_name: str, want: str | None, check: str | None = None
    ) -> tuple[Story, dict[str, Any] | None]:
        for attempt in range(2):
            pool = getattr(self, pool_name)
            for i, story in enumerate(pool):
                row = self._row(story, want, check) if want else None
                if want is None or row is not None:
                    del pool[i]
                    return story, row
            if attempt == 0:
                self._new_copy()
        wanted = f"{want or pool_name}{f' ({check})' if check else ''}"
        raise ValueError(f"the corpus has no story for {wanted}")

    def _row(self, story: Story, expect: str, check: str | None = None) -> dict[str, Any] | None:
        rows = [
            r
            for p in story.pairs
            for r in self.corpus.injected.get(p.key, ())
            if r["expect"] == expect and (check is None or r["check"] == check)
        ]
        return self.rng.choice(rows) if rows else None

    def paraphrase_story(
        self, expect: str | None = None, check: str | None = None
    ) -> tuple[Story, dict[str, Any] | None]:
        return self._take("paraphrase", expect, check)

    def other_story(self) -> Story:
        return self._take("other", None)[0]

    def start_copy_if_short(self, facts: int) -> None:
        """A new copy when fewer stories are left than one event could need."""
        if len(self.paraphrase) < facts + 1:
            self._new_copy()


def _published(day: dt.date, copy: int, hours: float) -> dt.datetime:
    start = dt.datetime.combine(day, dt.time(0, 0), tzinfo=dt.UTC)
    minutes = min(round(hours * 60), 24 * 60 - 1)  # within the day
    return start + dt.timedelta(days=COPY_DAYS * copy, minutes=minutes)


def _facts_of(story: Story) -> list[Pair]:
    """The story's pairs that share no sentence (greedily, in id order)."""
    seen: set[str] = set()
    facts = []
    for pair in story.pairs:
        if pair.id_a not in seen and pair.id_b not in seen:
            facts.append(pair)
            seen.update((pair.id_a, pair.id_b))
    return facts


def make_feed(spec: FeedSpec, corpus: Corpus) -> Feed:
    """Build the feed in memory (see the module docstring); ``write_feed`` writes it."""
    rng = random.Random(spec.seed)
    if len(corpus.outlets) < spec.max_outlets:
        raise ValueError(f"the corpus names {len(corpus.outlets)} outlets, fewer than needed")
    singles = round(spec.articles * spec.singleton_share)
    grouped = spec.articles - singles
    events = spec.events if spec.events is not None else max(1, round(grouped / 3.5))
    if grouped < 2:
        singles, grouped, events = spec.articles, 0, 0
    sizes = event_sizes(grouped, events, spec.max_outlets, rng)
    pools = _Pools(corpus, rng)
    articles: list[FeedArticle] = []
    key: list[dict[str, Any]] = []
    truth: list[dict[str, Any]] = []
    for number, size in enumerate(sizes):
        event_id = f"gen-{number:05d}"
        draw = rng.random()
        expect = (
            "fire"
            if draw < spec.fire_share
            else "silent"
            if draw < spec.fire_share + spec.silent_share
            else None
        )
        members, rows = build_event(event_id, size, expect, spec.day, corpus, pools, rng)
        articles.extend(members)
        truth.append({"event": event_id, "members": members, "copy": pools.copy})
        key.extend(rows)
    for number in range(singles):
        sentences: list[str] = []
        want = rng.randint(*SINGLETON_SENTENCES)
        while len(sentences) < want:
            sentences.extend(p.text_a for p in _facts_of(pools.other_story()))
        sentences = sentences[:want]
        outlet = rng.choice(corpus.outlets)
        published = _published(spec.day, pools.copy, rng.uniform(0, 24))
        single = FeedArticle(
            outlet=outlet,
            published=published,
            title=headline(sentences[0]),
            url=_url(outlet, published, sentences[0], rng),
            paragraphs=_paragraphs(sentences, rng),
            event=f"single-{number:05d}",
        )
        articles.append(single)
        truth.append({"event": single.event, "members": [single], "copy": pools.copy})
    order = list(range(len(articles)))
    rng.shuffle(order)
    for position, index in enumerate(order):
        article = articles[index]
        article.file = f"{position:05d}-{_slug(article.outlet, 4)}.md"
    for row in key:
        for side in ("a", "b"):
            row[side]["file"] = row[side].pop("article").file
    events = [
        {
            "event": t["event"],
            "files": sorted(m.file for m in t["members"]),
            "outlets": sorted(m.outlet for m in t["members"]),
            "copy": t["copy"],
        }
        for t in truth
    ]
    stats = {
        "articles": len(articles),
        "events": len(sizes),
        "singletons": singles,
        "copies": pools.copy + 1,
        "planted_fire_events": len({r["event"] for r in key if r["expect"] == "fire"}),
        "planted_silent_events": len({r["event"] for r in key if r["expect"] == "silent"}),
        "key_rows": len(key),
    }
    return Feed(spec, articles, key, events, pools.copy + 1, stats)


def build_event(
    event_id: str,
    size: int,
    expect: str | None,
    day: dt.date,
    corpus: Corpus,
    pools: _Pools,
    rng: random.Random,
    editors: int = 1,
    check: str | None = None,
) -> tuple[list[FeedArticle], list[dict[str, Any]]]:
    """One event of ``size`` outlets (see the module docstring): its articles and its answer-key
    rows. ``expect`` (fire / silent / None) says what is planted, ``check`` (None: any) which
    check's edit; ``editors`` outlets (1 in a feed; more to make outlets that repeat one wrong
    value, as benchmarks/consensus_scaling.py does) get the edited side, every other outlet the
    unedited side."""
    n_facts = rng.randint(*FACTS_PER_EVENT)
    pools.start_copy_if_short(n_facts)
    planted: dict[str, Any] | None = None
    facts: list[Pair] = []
    if expect and corpus.injected:
        story, planted = pools.paraphrase_story(expect, check)
        assert planted is not None
        facts = [p for p in _facts_of(story) if p.key != planted["mrpc"]]
    while len(facts) + (planted is not None) < n_facts:
        facts.extend(_facts_of(pools.paraphrase_story()[0]))
    facts = facts[: n_facts - (planted is not None)]
    rng.shuffle(facts)
    slot = rng.randint(1, len(facts)) if planted is not None else -1
    outlets = rng.sample(corpus.outlets, size)
    copy = pools.copy
    base = rng.uniform(0, 24 - SPREAD_HOURS)
    if editors == 1:
        edited = {rng.randrange(size)}
    else:
        edited = set(rng.sample(range(size), min(editors, size - 1)))
    members: list[FeedArticle] = []
    sentences_of: list[list[str]] = [[] for _ in outlets]
    planted_sentence: list[str] = ["" for _ in outlets]
    for f, pair in enumerate(facts):
        if f == slot:
            _plant(planted, edited, sentences_of, planted_sentence)
        start = rng.randrange(2)
        for o in range(size):
            if f > 0 and size > 2 and rng.random() < DROP_FACT:
                continue
            version = (start + o) % 2
            sentences_of[o].append(pair.text_a if version == 0 else pair.text_b)
    if slot == len(facts):
        _plant(planted, edited, sentences_of, planted_sentence)
    for o, outlet in enumerate(outlets):
        sentences = sentences_of[o]
        published = _published(day, copy, base + rng.uniform(0, SPREAD_HOURS))
        members.append(
            FeedArticle(
                outlet=outlet,
                published=published,
                title=headline(sentences[0]),
                url=_url(outlet, published, sentences[0], rng),
                paragraphs=_paragraphs(sentences, rng),
                event=event_id,
            )
        )
    rows = []
    if planted is not None:
        for e in sorted(edited):
            for o in range(size):
                if o not in edited:
                    rows.append(_key_row(event_id, planted, members, planted_sentence, e, o))
    return members, rows


def make_event(
    size: int,
    corpus: Corpus,
    seed: int,
    editors: int = 1,
    expect: str = "fire",
    check: str | None = None,
    day: dt.date = dt.date(2024, 1, 9),
) -> tuple[list[FeedArticle], list[dict[str, Any]]]:
    """One event of exactly ``size`` outlets with one planted pair (``expect``, of ``check``
    when given) whose edited side ``editors`` outlets give; files named ``NNNNN-<outlet>.md`` in
    outlet order, and the answer key's sides name them. For benchmarks of one event's cost."""
    rng = random.Random(seed)
    pools = _Pools(corpus, rng)
    members, rows = build_event(
        f"gen-{seed:05d}", size, expect, day, corpus, pools, rng, editors, check
    )
    for position, article in enumerate(members):
        article.file = f"{position:05d}-{_slug(article.outlet, 4)}.md"
    for row in rows:
        for side in ("a", "b"):
            row[side]["file"] = row[side].pop("article").file
    return members, rows


def _plant(
    row: dict[str, Any] | None,
    edited: set[int],
    sentences_of: list[list[str]],
    planted_sentence: list[str],
) -> None:
    """Give the edited outlets the edited side and every other outlet the unedited side."""
    assert row is not None
    side = row["side"]
    other = "b" if side == "a" else "a"
    for o, sentences in enumerate(sentences_of):
        text = row[side]["text"] if o in edited else row[other]["text"]
        sentences.append(text)
        planted_sentence[o] = text


def _key_row(
    event: str,
    row: dict[str, Any],
    members: Sequence[FeedArticle],
    sentences: Sequence[str],
    edited: int,
    other: int,
) -> dict[str, Any]:
    def side(o: int) -> dict[str, Any]:
        return {"article": members[o], "outlet": members[o].outlet, "sentence": sentences[o]}

    return {
        "event": event,
        "expect": row["expect"],
        "check": row["check"],
        "edit": row["edit"],
        "case": row["id"],
        "note": row.get("note", ""),
        "a": side(edited),
        "b": side(other),
    }


def _paragraphs(sentences: Sequence[str], rng: random.Random) -> list[str]:
    """One or two sentences a paragraph."""
    paragraphs: list[str] = []
    i = 0
    while i < len(sentences):
        take = 2 if i > 0 and rng.random() < 0.3 else 1
        paragraphs.append(" ".join(sentences[i : i + take]))
        i += take
    return paragraphs


def _url(outlet: str, published: dt.datetime, first: str, rng: random.Random) -> str:
    return f"https://{outlet}/{published:%Y/%m/%d}/{_slug(first)}-{rng.getrandbits(32):08x}"


# --- writing ----------------------------------------------------------------------------------


def _jsonl(rows: Iterable[dict[str, Any]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows)


def write_feed(feed: Feed, out: Path) -> Path:
    """Write the feed under ``out`` (see the module docstring); returns the articles folder.
    Refuses a folder that already holds articles (a feed is written once)."""
    folder = out / "articles"
    if folder.exists() and any(folder.iterdir()):
        raise FileExistsError(f"{folder} already holds files")
    folder.mkdir(parents=True, exist_ok=True)
    for article in sorted(feed.articles, key=lambda a: a.file):
        (folder / article.file).write_text(article.markdown(), encoding="utf-8")
    (out / "answer_key.jsonl").write_text(_jsonl(feed.key), encoding="utf-8")
    (out / "events.jsonl").write_text(_jsonl(feed.events), encoding="utf-8")
    spec = {k: str(v) if isinstance(v, dt.date) else v for k, v in vars(feed.spec).items()}
    info = {"spec": spec, **feed.stats}
    (out / "feed.json").write_text(json.dumps(info, indent=2, sort_keys=True) + "\n", "utf-8")
    return folder


def generate(
    spec: FeedSpec,
    out: Path,
    mrpc: Path = DEFAULT_MRPC,
    injected: Path | None = DEFAULT_INJECTED,
) -> Feed:
    """Read the corpus, build the feed and write it under ``out``."""
    feed = make_feed(spec, read_corpus(mrpc, injected))
    write_feed(feed, out)
    return feed


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, required=True, help="articles in the feed")
    parser.add_argument("--events", type=int, default=None, help="events (default: about N/3.9)")
    parser.add_argument("--max-outlets", type=int, default=5, help="outlets of the largest event")
    parser.add_argument("--singleton-share", type=float, default=0.1)
    parser.add_argument("--fire-share", type=float, default=0.6)
    parser.add_argument("--silent-share", type=float, default=0.15)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--day", type=dt.date.fromisoformat, default=dt.date(2024, 1, 9))
    parser.add_argument("--mrpc", type=Path, default=DEFAULT_MRPC)
    parser.add_argument("--injected", type=Path, default=DEFAULT_INJECTED)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    if not (args.mrpc / "msr_paraphrase_train.txt").is_file():
        print(f"error: no MRPC training split under {args.mrpc}", file=sys.stderr)
        return 2
    if not args.injected.is_file():
        print(
            f"warning: {args.injected} not found (python eval/make_real_pairs.py writes it): "
            "no planted discrepancies",
            file=sys.stderr,
        )
    spec = FeedSpec(
        articles=args.articles,
        events=args.events,
        max_outlets=args.max_outlets,
        singleton_share=args.singleton_share,
        fire_share=args.fire_share,
        silent_share=args.silent_share,
        seed=args.seed,
        day=args.day,
    )
    try:
        feed = generate(spec, args.out, args.mrpc, args.injected)
    except (ValueError, FileExistsError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(feed.stats, sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
