"""Score the rule checks on a labelled set of sentence pairs (``eval/rule_pairs.jsonl``).

Each line is one pair::

    {"id": "t01", "check": "temporal", "expect": "fire", "split": "dev",
     "a": {"text": "...", "outlet": "Wire", "published": "2021-12-15T08:00:00+08:00"},
     "b": {"text": "...", "outlet": "BI", "published": "2021-12-15T03:00:00-05:00"}}

Each side goes through the real extractor (:func:`claims.extract.extract_claims`: sentence
splitting, attribution, quotes, attributes), all enabled checks run on every pair of the two
sides' claims, and:

- the pair's own check: fired on a ``fire`` pair is a true positive, not fired a false negative;
  fired on a ``silent`` pair a false positive, not fired a true negative;
- any other check that fires on a ``silent`` pair is a false positive for that check (a faithful
  pair must stay silent for every check); another check firing on a ``fire`` pair is not counted
  (the pair has a real discrepancy, which that check may legitimately see).

One label is not a rule check (:data:`PSEUDO_CHECKS`): ``any`` (a ``silent`` pair on which every
check must stay silent, e.g. a real paraphrase; its own row counts the pairs where some check
fired as false positives, so FP / (FP + TN) is the false-alarm rate). Its row appears only when
a file uses it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language

from claims.extract import extract_claims
from claims.nlp import load_nlp
from claims.records import Article, Claim
from rules.base import RuleConfig
from rules.registry import RULES, run_rules

EXPECTS = ("fire", "silent")
SPLITS = ("dev", "test")
#: labels that name no rule check: "any" (every check must stay silent / some check must fire).
PSEUDO_CHECKS = ("any",)


@dataclass(frozen=True)
class Side:
    """One sentence of a labelled pair."""

    text: str
    outlet: str
    published: dt.datetime | None


@dataclass(frozen=True)
class LabelledPair:
    """A labelled sentence pair: which check it is about and whether that check must fire."""

    id: str
    a: Side
    b: Side
    check: str
    expect: str
    split: str = "dev"
    note: str = ""


@dataclass
class CheckScores:
    """Counts and scores for one check.

    >>> s = CheckScores(tp=9, fp=1, fn=1)
    >>> round(s.precision, 2), round(s.recall, 2), round(s.f1, 2)
    (0.9, 0.9, 0.9)
    """

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    errors: list[str] = field(default_factory=list)  # ids of the pairs it got wrong

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def claims_from_text(
    text: str,
    outlet: str,
    published: dt.datetime | None,
    nlp: Language,
    article_id: str = "c1",
) -> list[Claim]:
    """The claims the real extractor makes of a labelled sentence (usually one).

    The pair set is scored through the same extraction path as the pipeline: sentence
    splitting, attribution, quotes and attributes come from :func:`claims.extract.extract_claims`,
    so what is measured here is what ``crossclaim report`` does.

    >>> from claims.nlp import load_nlp
    >>> pub = dt.datetime(2021, 12, 15, 9, tzinfo=dt.timezone.utc)
    >>> text = "Blinken tested negative on Tuesday, Price said."
    >>> [c] = claims_from_text(text, "BI", pub, load_nlp())
    >>> c.speaker, [t.label for t in c.times]
    ('Price', ['2021-12-14'])
    """
    article = Article(
        id=article_id, outlet=outlet, text=text, source=article_id, published=published
    )
    return extract_claims(article, nlp)


def claim_from_text(
    text: str,
    outlet: str,
    published: dt.datetime | None,
    nlp: Language | None = None,
    claim_id: str = "c1",
) -> Claim:
    """The single claim the extractor makes of a one-sentence text (ValueError otherwise)."""
    claims = claims_from_text(text, outlet, published, nlp or load_nlp(), claim_id)
    if len(claims) != 1:
        raise ValueError(f"expected one claim from {text!r}, got {len(claims)}")
    return claims[0]


def _parse_time(value: object, where: str) -> dt.datetime | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ValueError(f"{where}: 'published' must be an ISO 8601 string")
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{where}: 'published' is not an ISO 8601 date ({value!r})") from None
    if parsed.tzinfo is None:
        raise ValueError(f"{where}: 'published' needs a UTC offset ({value!r})")
    return parsed


def _side(data: object, where: str) -> Side:
    if not isinstance(data, dict) or not isinstance(data.get("text"), str) or not data["text"]:
        raise ValueError(f"{where}: needs an object with a non-empty 'text'")
    return Side(
        text=data["text"],
        outlet=str(data.get("outlet") or "?"),
        published=_parse_time(data.get("published"), where),
    )


def load_pairs(path: str | Path) -> list[LabelledPair]:
    """Read a labelled pair file; a malformed line raises ValueError naming file and line."""
    file = Path(path)
    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise ValueError(f"{file}: file not found") from None
    except UnicodeDecodeError:
        raise ValueError(f"{file}: not UTF-8 text") from None
    pairs: list[LabelledPair] = []
    seen: set[str] = set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{file}:{number}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{where}: not valid JSON ({exc.msg})") from None
        if not isinstance(data, dict):
            raise ValueError(f"{where}: each line must be a JSON object")
        check, expect = data.get("check"), data.get("expect")
        if check not in RULES and check not in PSEUDO_CHECKS:
            raise ValueError(
                f"{where}: 'check' must be one of {', '.join((*RULES, *PSEUDO_CHECKS))}"
            )
        if expect not in EXPECTS:
            raise ValueError(f"{where}: 'expect' must be 'fire' or 'silent'")
        split = data.get("split", "dev")
        if split not in SPLITS:
            raise ValueError(f"{where}: 'split' must be 'dev' or 'test'")
        pair_id = str(data.get("id") or f"line{number}")
        if pair_id in seen:
            raise ValueError(f"{where}: duplicate id {pair_id!r}")
        seen.add(pair_id)
        pairs.append(
            LabelledPair(
                id=pair_id,
                a=_side(data.get("a"), f"{where} (a)"),
                b=_side(data.get("b"), f"{where} (b)"),
                check=check,
                expect=expect,
                split=split,
                note=str(data.get("note", "")),
            )
        )
    return pairs


def fired_checks(
    pair: LabelledPair, configs: dict[str, RuleConfig], nlp: Language | None
) -> set[str]:
    """The checks that fire on a labelled pair."""
    nlp = nlp or load_nlp()
    claims_a = claims_from_text(pair.a.text, pair.a.outlet, pair.a.published, nlp, f"{pair.id}-a")
    claims_b = claims_from_text(pair.b.text, pair.b.outlet, pair.b.published, nlp, f"{pair.id}-b")
    return {hit.check for a in claims_a for b in claims_b for hit in run_rules(a, b, configs)}


def score_pairs(
    pairs: Iterable[LabelledPair],
    fired: Callable[[LabelledPair], set[str]],
) -> dict[str, CheckScores]:
    """Scores per check, given what fired on each pair (see the module docstring)."""
    scores = {name: CheckScores() for name in RULES}
    for pair in pairs:
        checks = fired(pair)
        own = scores.setdefault(pair.check, CheckScores())
        own_fired = bool(checks) if pair.check == "any" else pair.check in checks
        if pair.expect == "fire":
            if own_fired:
                own.tp += 1
            else:
                own.fn += 1
                own.errors.append(f"{pair.id} (missed)")
        else:
            if own_fired:
                own.fp += 1
                own.errors.append(f"{pair.id} (false alarm)")
            else:
                own.tn += 1
            for other in checks - {pair.check}:
                scores[other].fp += 1
                scores[other].errors.append(f"{pair.id} (false alarm on a {pair.check} pair)")
    return scores


def score_pair_file(
    path: str | Path,
    configs: dict[str, RuleConfig],
    split: str | None = None,
    nlp: Language | None = None,
) -> dict[str, CheckScores]:
    """Precision/recall per check on a labelled pair file (one split, or all when None).

    ``nlp`` is the spaCy pipeline (None: :func:`claims.nlp.load_nlp`).
    """
    if nlp is None:
        from claims.nlp import load_nlp

        nlp = load_nlp()
    pairs = [p for p in load_pairs(path) if split is None or p.split == split]
    return score_pairs(pairs, lambda p: fired_checks(p, configs, nlp))
