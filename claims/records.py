"""Records that cross stage boundaries: articles, claims and their normalised attributes.

Every offset is a character offset into ``Article.text`` (``text[start:end]``), so a finding can
always point back to the exact place in the article it came from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

#: the id of the claim made from ``Article.title`` is the article id followed by this.
TITLE_CLAIM_SUFFIX = ":title"
#: claims need at least this many words (whitespace-separated, dateline and attribution set
#: aside). 3 keeps headline claims such as "Blinken halts trip" and "Staff test negative";
#: shorter lines are labels ("Insider Today", "Related stories"). The one home of the number:
#: ``claims.extract`` takes it as its ``min_words`` default and
#: ``checker.settings.Settings.min_claim_words`` (which alignment uses) defaults to it.
MIN_CLAIM_WORDS = 3
#: the kinds of claim, in the order reports list them.
CLAIM_KINDS = ("title", "bullet", "body")


@dataclass(frozen=True)
class Article:
    """One outlet's version of a story, as read from one file (or one line of a ``.jsonl``).

    >>> Article(id="cbs", outlet="CBS News", text="Blinken left.", source="cbs.md").outlet
    'CBS News'
    """

    id: str
    outlet: str
    text: str
    source: str
    title: str = ""
    url: str = ""
    published: dt.datetime | None = None
    line: int = 1  # line of ``source`` on which ``text`` begins (1-based)
    warnings: tuple[str, ...] = ()  # e.g. "no publication date: relative dates left unresolved"
    #: file line of each line of ``text`` when the reader dropped or merged lines (blank-line
    #: runs collapsed); empty when ``text`` lines follow ``line`` one to one. Use
    #: ``claims.readers.line_of_offset`` rather than reading this directly.
    source_lines: tuple[int, ...] = ()


@dataclass(frozen=True)
class InputProblem:
    """A file (or a line of one) that could not be read; the rest of the bundle is still checked.

    >>> str(InputProblem("a.json", "not valid JSON (line 1, column 2)"))
    'a.json: not valid JSON (line 1, column 2)'
    """

    source: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


@dataclass(frozen=True)
class Span:
    """A stretch of an article's text: ``article.text[start:end] == text``."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Sentence:
    """A sentence of an article, with its offsets and the kind of unit it came from.

    ``kind`` is ``body`` (running text), ``bullet`` (a summary line starting with ``-``, ``*``,
    ``•`` or a number) or ``heading`` (a Markdown ``#`` line).
    """

    start: int
    end: int
    text: str
    kind: str = "body"


@dataclass(frozen=True)
class TimeMention:
    """A time expression resolved against the article's publication date.

    ``earliest`` and ``latest`` bound the interval the expression denotes (both inclusive, naive
    datetimes in the article's local time); ``granularity`` is one of ``day``, ``part_of_day``,
    ``minute``, ``week``, ``month``, ``year``. An expression that cannot be resolved (no
    publication date) has ``earliest`` and ``latest`` set to ``None``.
    """

    span: Span
    kind: str  # weekday | date | relative | time_of_day | month | year
    granularity: str
    earliest: dt.datetime | None
    latest: dt.datetime | None
    label: str = ""  # normalised value for display, e.g. "2021-12-14"
    predicate: str = ""  # lemma of the verb (or noun) the expression attaches to, e.g. "test"
    tense: str = ""  # past | present | future: the tense that chose past vs coming weekday

    @property
    def resolved(self) -> bool:
        return self.earliest is not None and self.latest is not None


@dataclass(frozen=True)
class Quantity:
    """A number in a claim, as a closed range ``[low, high]`` after approximators and bounds.

    ``unit`` is a normalised unit (``%``, ``USD``, ``day``, ``hour`` ...) or ``""`` for a bare
    count; ``counted`` is the noun being counted or measured (lemma), when found.
    """

    span: Span
    value: float
    low: float
    high: float
    unit: str = ""
    kind: str = "count"  # count | money | percent | duration | rate | ordinal | year
    approximator: str = ""
    counted: str = ""
    predicate: str = ""  # lemma of the verb the number attaches to, when parsed


@dataclass(frozen=True)
class Predicate:
    """A verb of a claim's content with its polarity and arguments (from the spaCy parse).

    ``subject``/``object`` are lower-case lemmas of the argument heads (``""`` when absent);
    ``negated`` is True when a negation cue ('not', "n't", 'never', 'no') governs the verb.
    """

    span: Span
    lemma: str
    negated: bool = False
    subject: str = ""
    object: str = ""
    tense: str = ""  # past | present | future


@dataclass(frozen=True)
class Entity:
    """A named entity found in a claim (spaCy labels: PERSON, ORG, GPE, LOC, NORP, ...)."""

    span: Span
    label: str
    role: str = ""  # title or affiliation given with a person ('Transport Minister'), lower-case
    predicate: str = ""  # lemma of the verb the entity attaches to
    relation: str = ""  # how it attaches: nsubj, dobj, prep:in, prep:at, ...


@dataclass(frozen=True)
class Quote:
    """Words in quotation marks, with the speaker the sentence credits them to (if any)."""

    span: Span
    speaker: str = ""


@dataclass
class Claim:
    """One factual statement from one article, with its attributes.

    ``content`` is the statement with its attribution ('..., Price said') split off; ``speaker``
    is who the article credits it to. ``kind`` says where the claim stands: ``title`` (the
    article's title, or a headline line of its text), ``bullet`` (a summary bullet) or ``body``.
    A ``title`` claim taken from ``Article.title`` has its offsets in the title, not the text.
    """

    id: str
    article_id: str
    outlet: str
    sentence: Span
    content: Span
    published: dt.datetime | None = None
    speaker: str = ""
    attribution: Span | None = None
    #: the speaker's role as the article gives it ("State Department spokesman"), or "".
    speaker_role: str = ""
    quotes: list[Quote] = field(default_factory=list)
    times: list[TimeMention] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    negated: bool = False
    negation_cues: list[Span] = field(default_factory=list)
    predicates: list[Predicate] = field(default_factory=list)  # verbs of the content, parsed
    kind: str = "body"  # title | bullet | body

    @property
    def from_title(self) -> bool:
        """Whether this claim is the article's title (offsets into ``Article.title``)."""
        return self.id.endswith(TITLE_CLAIM_SUFFIX)

    @property
    def text(self) -> str:
        return self.sentence.text


@dataclass(frozen=True)
class Cluster:
    """Claims from different outlets that report the same fact."""

    id: str
    claim_ids: tuple[str, ...]


@dataclass(frozen=True)
class CandidatePair:
    """Two claims from different outlets that alignment judged to be about the same fact."""

    a: str  # claim id
    b: str  # claim id
    cluster_id: str
    similarity: float
    rank: int = 1  # 1 when b is a's best partner in b's article, or a is b's best in a's
