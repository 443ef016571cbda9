"""Consensus comparison: each claim against its cluster's consensus, not against every outlet.

All-pairs comparison (``claims/align.py`` + :func:`checker.pipeline.compare_pairs`) pairs every
claim with its best partners in every other article, so an event of ``N`` outlets costs about
``N²`` rule calls and NLI pairs, and a value that ``m`` outlets repeat wrongly gives ``m × (N - m)``
findings. Here (``Settings.comparison``, on by default above ``consensus_min_outlets`` outlets):

1. **Alignment by nearest neighbours, one index per event** (:func:`align_by_neighbours`). The
   event's distinct claim texts are embedded once (a text that many outlets repeat is one entry,
   weighted by how many claims give it); each text keeps at most ``consensus_neighbours`` nearest
   neighbours over the whole event that reach the alignment thresholds of ``claims/align.py``
   (raw or masked cosine, or token-set ratio; the ratio is taken on each text's
   ``4 × consensus_neighbours`` (at least 32) nearest texts by cosine only, not on all pairs).
   Texts of one article only are not linked to each other. Clusters are the connected groups
   of the neighbour graph whose claims come from 2+ articles.
2. **Representatives.** A cluster can chain several facts, so it is cut into groups: the
   *medoid* (the text with the highest similarity to the cluster's remaining texts, each
   weighted by its claims; a body claim rather than a title when there is one) and the texts
   aligned with it (same thresholds) form a group; the rest is cut again, until every text is
   in a group.
3. **Comparison against the consensus** (:func:`compare_groups`). Every claim of a group is
   compared with the group's representative by the rule checks (title pairs by
   ``Settings.title_checks`` only, as in all-pairs) and sent with it to the NLI model (NLI
   against the first representative only). Per slot (the check: ``temporal`` = time,
   ``numeric`` = quantity, ``entity_role`` = name/title, ``place``, ``negation`` = polarity,
   ``attribution``, ``quote``, ``nli`` = meaning) the outlets split into those that agree with
   the representative, those that depart from it (grouped by the value they give) and those
   that do not give the slot. When one departing value has more outlets than the
   representative's side, the medoid of its claims becomes a further representative and the
   group is compared with it too (up to ``consensus_representatives``): the consensus of a slot
   is the representative with the most agreeing outlets.
4. **Findings.** One per (cluster, slot, departing outlet): the outlet's strongest hit against
   the slot's consensus representative, with :attr:`checker.findings.Finding.consensus` (the
   values, who agrees with the consensus, who with this outlet, who gives other values, who is
   silent) and the same in words at the end of its explanation.

Cost per event: rule calls ``<= consensus_representatives ×`` claims, NLI pairs ``<=`` claims,
findings ``<=`` departing outlets × slots, all linear in the outlets (measured in
``benchmarks/consensus_scaling.py``; docs/scale.md). The similarity products behind the index are
computed exactly, 1,024 rows at a time (``texts²`` dot products, but no model or rule call): an
approximate index is the next step for events of tens of thousands of distinct texts.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process

from checker.compare import PairNLI, finding_from_hit, nli_finding
from checker.findings import SEVERITY_RANK, VERDICT_RANK, Finding
from checker.settings import Settings
from claims.align import MAX_MASKED_SHARE, Embedder, claim_words, cluster_id
from claims.masking import masked_share, masked_text
from claims.records import CandidatePair, Claim, Cluster
from rules.base import RuleConfig, RuleHit

log = logging.getLogger(__name__)

#: the slot each check compares (what the report calls it).
SLOTS = {
    "temporal": "time",
    "numeric": "quantity",
    "entity_role": "name/title",
    "place": "place",
    "negation": "polarity",
    "attribution": "attribution",
    "quote": "quote",
    "nli": "meaning",
}
#: rows of the similarity matrix computed at a time.
BLOCK_ROWS = 1024
#: outlets named in a finding's explanation before "and N more" (the structured field has all).
NAMED_OUTLETS = 8
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})


# --- alignment --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Group:
    """Claims of one cluster aligned with one representative (a claim id, the group's medoid)."""

    cluster: str
    representative: str
    members: tuple[str, ...]  # claim ids, the representative's included, sorted
    #: raw cosine of each member's text with the representative's (the NLI gate).
    similarity: dict[str, float] = field(default_factory=dict)


@dataclass
class NeighbourAlignment:
    """What neighbour alignment produced: clusters, their groups, and what the counts need."""

    clusters: list[Cluster]
    groups: list[Group]
    cross_pairs: int  # all pairs of claims from different articles (what all-pairs would face)
    aligned_claims: int
    texts: int  # distinct claim texts in the index
    edges: int  # neighbour links kept
    #: a claim's text as an index row, and the rows' unit vectors (medoids of later
    #: representatives are taken with them).
    row_of: dict[str, int] = field(default_factory=dict)
    vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float32))


class _Index:
    """The event's distinct claim texts with the signals of ``claims/align.py``."""

    def __init__(self, usable: Sequence[Claim], embedder: Embedder, settings: Settings) -> None:
        self.settings = settings
        by_text: dict[str, list[Claim]] = {}
        for claim in sorted(usable, key=lambda c: c.id):
            by_text.setdefault(claim.content.text, []).append(claim)
        self.texts = sorted(by_text)
        self.claims = [by_text[t] for t in self.texts]
        self.articles = [frozenset(c.article_id for c in cs) for cs in self.claims]
        self.weights = np.array([len(cs) for cs in self.claims], dtype=np.float32)
        self.vectors = np.asarray(embedder.encode(self.texts), dtype=np.float32)
        self.on_masked = settings.align_on_masked_text
        if self.on_masked:
            self.masked = [masked_text(cs[0]) for cs in self.claims]
            self.masked_vectors = self.vectors.copy()
            changed = [
                i for i, (r, m) in enumerate(zip(self.texts, self.masked, strict=True)) if r != m
            ]
            if changed:
                self.masked_vectors[changed] = embedder.encode([self.masked[i] for i in changed])
            self.masked_ok = np.array([masked_share(m) <= MAX_MASKED_SHARE for m in self.masked])
        else:
            self.masked = self.texts
            self.masked_vectors = self.vectors
            self.masked_ok = np.zeros(len(self.texts), dtype=bool)
        self.offset = settings.align_min_masked_similarity - settings.align_min_similarity

    def scores(self, rows: Sequence[int], cols: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
        """Raw cosine and alignment score (the larger of raw and shifted masked cosine)."""
        sim = self.vectors[rows] @ self.vectors[cols].T
        if not self.on_masked:
            return sim, sim
        masked = self.masked_vectors[rows] @ self.masked_vectors[cols].T - self.offset
        both = np.outer(self.masked_ok[rows], self.masked_ok[cols])
        return sim, np.where(both, np.maximum(sim, masked), sim)

    def fuzzy(self, row: int, cols: Sequence[int]) -> np.ndarray:
        """Token-set ratio of one text with others (raw, and masked where both allow it)."""
        if not cols:
            return np.zeros(0)
        raw = process.cdist(
            [self.texts[row]],
            [self.texts[j] for j in cols],
            scorer=fuzz.token_set_ratio,
            workers=1,
        )[0]
        if not self.on_masked or not self.masked_ok[row]:
            return np.asarray(raw)
        masked = process.cdist(
            [self.masked[row]],
            [self.masked[j] for j in cols],
            scorer=fuzz.token_set_ratio,
            workers=1,
        )[0]
        return np.where(self.masked_ok[list(cols)], np.maximum(raw, masked), raw)

    def linkable(self, i: int, j: int) -> bool:
        """Whether two texts may align: not when both are one and the same article's only."""
        union = self.articles[i] | self.articles[j]
        return len(union) > 1

    def aligned(self, score: float, fuzzy: float) -> bool:
        s = self.settings
        return score >= s.align_min_similarity or fuzzy >= s.align_min_fuzzy


def _components(n: int, edges: Sequence[tuple[int, int]]) -> list[list[int]]:
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    return sorted(groups.values())


def _representative_claim(claims: Sequence[Claim]) -> Claim:
    """A text's claim that stands for it: a body (or bullet) claim before a title, then by id."""
    return min(claims, key=lambda c: (c.kind == "title", c.id))


def align_by_neighbours(
    claims: Sequence[Claim], embedder: Embedder, settings: Settings
) -> NeighbourAlignment:
    """Clusters of the event's claims by nearest neighbours, cut into groups around medoids
    (see the module docstring)."""
    per_article: dict[str, int] = {}
    for claim in claims:
        per_article[claim.article_id] = per_article.get(claim.article_id, 0) + 1
    total = sum(per_article.values())
    cross_pairs = (total * total - sum(n * n for n in per_article.values())) // 2
    usable = [c for c in claims if claim_words(c) >= settings.min_claim_words]
    if not usable:
        return NeighbourAlignment([], [], cross_pairs, 0, 0, 0)
    index = _Index(usable, embedder, settings)
    n = len(index.texts)
    k = settings.consensus_neighbours
    shortlist = max(4 * k, 32)
    edges: set[tuple[int, int]] = set()
    for start in range(0, n, BLOCK_ROWS):
        rows = list(range(start, min(n, start + BLOCK_ROWS)))
        _, score = index.scores(rows, range(n))
        for r, i in enumerate(rows):
            row = score[r].copy()
            row[i] = -np.inf
            take = min(shortlist, n - 1)
            if take <= 0:
                continue
            pick = np.argpartition(-row, take - 1)[:take] if take < n - 1 else np.arange(n)
            near = sorted((int(j) for j in pick if j != i), key=lambda j: (-row[j], j))
            fuzzy = index.fuzzy(i, near)
            kept = 0
            for j, ratio in zip(near, fuzzy, strict=True):
                if kept >= k:
                    break
                if index.linkable(i, j) and index.aligned(float(row[j]), float(ratio)):
                    edges.add((min(i, j), max(i, j)))
                    kept += 1
    clusters: list[Cluster] = []
    groups: list[Group] = []
    for component in _components(n, sorted(edges)):
        members = [c for i in component for c in index.claims[i]]
        if len({c.article_id for c in members}) < 2:
            continue
        cid = cluster_id([c.content.text for c in members])
        clusters.append(Cluster(cid, tuple(sorted(c.id for c in members))))
        groups.extend(_groups(index, component, cid))
    row_of = {c.id: i for i, cs in enumerate(index.claims) for c in cs}
    log.info(
        "neighbour alignment: %d claims, %d texts, %d links, %d clusters, %d groups",
        len(usable),
        n,
        len(edges),
        len(clusters),
        len(groups),
    )
    return NeighbourAlignment(
        clusters, groups, cross_pairs, len(usable), n, len(edges), row_of, index.vectors
    )


def _groups(index: _Index, component: Sequence[int], cluster: str) -> list[Group]:
    """Cut a cluster into groups around medoids (weighted by claims per text)."""
    nodes = list(component)
    sim, score = index.scores(nodes, nodes)
    weights = index.weights[nodes]
    has_body = np.array([any(c.kind != "title" for c in index.claims[i]) for i in nodes])
    weighted = score @ weights  # each text's summed similarity to the texts still ungrouped
    remaining = np.ones(len(nodes), dtype=bool)
    out: list[Group] = []
    while remaining.any():
        pool = remaining & has_body if (remaining & has_body).any() else remaining
        candidates = np.flatnonzero(pool)
        r = int(candidates[np.argmax(weighted[candidates])])  # first of equals: stable
        others = [int(j) for j in np.flatnonzero(remaining) if j != r]
        ratios = index.fuzzy(nodes[r], [nodes[j] for j in others])
        taken = [r] + [
            j
            for j, ratio in zip(others, ratios, strict=True)
            if index.linkable(nodes[r], nodes[j]) and index.aligned(float(score[r, j]), ratio)
        ]
        remaining[taken] = False
        weighted -= score[:, taken] @ weights[taken]
        rep = _representative_claim(index.claims[nodes[r]])
        members = sorted(c.id for j in taken for c in index.claims[nodes[j]])
        similarity = {c.id: float(sim[r, j]) for j in taken for c in index.claims[nodes[j]]}
        if len({c.article_id for j in taken for c in index.claims[nodes[j]]}) > 1:
            out.append(Group(cluster, rep.id, tuple(members), similarity))
    return out


def nli_pairs(alignment: NeighbourAlignment, by_id: Mapping[str, Claim]) -> list[CandidatePair]:
    """The pairs sent to the NLI model: each claim of a group with its first representative
    (``checker.pipeline.nli_for_pairs`` then keeps those at ``nli_min_similarity`` and, unless
    ``title_checks`` lists ``nli``, without a title)."""
    pairs = []
    for group in alignment.groups:
        rep = by_id[group.representative]
        for member in group.members:
            if by_id[member].article_id != rep.article_id:
                pairs.append(
                    CandidatePair(member, rep.id, group.cluster, group.similarity[member], 1)
                )
    return pairs


# --- comparison -------------------------------------------------------------------------------


def slot_given(claim: Claim, check: str) -> bool:
    """Whether a claim gives a value for the slot a check compares (so that saying nothing is
    not counted as agreeing).

    >>> from claims.records import Span
    >>> s = Span(0, 12, "Talks ended.")
    >>> claim = Claim("a:0", "a", "A", s, s)
    >>> slot_given(claim, "temporal"), slot_given(claim, "negation")
    (False, True)
    """
    if check == "temporal":
        return bool(claim.times)
    if check == "numeric":
        return bool(claim.quantities)
    if check == "place":
        return any(e.label in _PLACE_LABELS for e in claim.entities)
    if check == "entity_role":
        return any(e.label == "PERSON" for e in claim.entities) or bool(claim.speaker_role)
    if check == "attribution":
        return bool(claim.speaker)
    if check == "quote":
        return bool(claim.quotes)
    return True


@dataclass
class ConsensusResult:
    """Findings of the consensus comparison and what it cost."""

    findings: list[Finding]
    rule_calls: int
    representatives: int  # representatives compared with (first ones and later ones)
    flips: int  # slots whose consensus moved to a later representative


def _strength(hit: RuleHit) -> tuple[int, int, float]:
    return (
        VERDICT_RANK.get(hit.verdict, 0),
        SEVERITY_RANK.get(hit.severity, 0),
        hit.confidence,
    )


def _names(outlets: Sequence[str]) -> str:
    shown = list(outlets[:NAMED_OUTLETS])
    more = len(outlets) - len(shown)
    text = ", ".join(shown)
    return f"{text} and {more} more" if more else text


@dataclass
class _SlotView:
    """One slot as seen against one representative."""

    agree: set[str]  # outlets giving the slot without a discrepancy (the representative's too)
    depart: dict[str, dict[str, list[tuple[Claim, RuleHit]]]]  # value -> outlet -> hits
    silent: set[str]


class _GroupComparison:
    """One group compared with its representatives."""

    def __init__(
        self,
        group: Group,
        by_id: Mapping[str, Claim],
        configs: dict[str, RuleConfig],
        settings: Settings,
    ) -> None:
        self.group = group
        self.claims = [by_id[m] for m in group.members]
        self.by_id = by_id
        self.configs = configs
        self.settings = settings
        self.reps: list[Claim] = []
        self.hits: dict[str, dict[str, list[RuleHit]]] = {}  # rep id -> member id -> hits
        self.rule_calls = 0

    def compare_with(self, rep: Claim) -> None:
        from rules.registry import run_rules

        out: dict[str, list[RuleHit]] = {}
        for member in self.claims:
            if member.article_id == rep.article_id:
                continue
            hits = run_rules(member, rep, self.configs)
            self.rule_calls += 1
            if member.kind == "title" or rep.kind == "title":  # as in all-pairs comparison
                hits = [h for h in hits if h.check in self.settings.title_checks]
            out[member.id] = hits
        self.reps.append(rep)
        self.hits[rep.id] = out

    def view(self, rep: Claim, check: str) -> _SlotView:
        compared = self.hits[rep.id]
        depart: dict[str, dict[str, list[tuple[Claim, RuleHit]]]] = {}
        departing: set[str] = set()
        giving: set[str] = {rep.outlet} if slot_given(rep, check) else set()
        seen: set[str] = {rep.outlet}
        for member in self.claims:
            if member.id not in compared:
                continue
            seen.add(member.outlet)
            own = [h for h in compared[member.id] if h.check == check]
            for hit in own:
                depart.setdefault(hit.a_value, {}).setdefault(member.outlet, []).append(
                    (member, hit)
                )
                departing.add(member.outlet)
            if not own and slot_given(member, check):
                giving.add(member.outlet)
        agree = giving - departing
        return _SlotView(agree, depart, seen - agree - departing)

    def checks(self) -> list[str]:
        return sorted({h.check for per in self.hits.values() for hs in per.values() for h in hs})

    def consensus_rep(self, check: str) -> tuple[Claim, _SlotView]:
        """The representative most outlets agree with on a slot (the earlier on a tie)."""
        views = [(rep, self.view(rep, check)) for rep in self.reps]
        return max(views, key=lambda rv: len(rv[1].agree))  # max keeps the first of equals

    def flip(self, row_of: Mapping[str, int], vectors: np.ndarray) -> Claim | None:
        """The next representative: the medoid of the largest departing value group that
        outnumbers its slot's consensus, or None."""
        options: list[tuple[int, str, str, list[Claim]]] = []
        for check in self.checks():
            _, view = self.consensus_rep(check)
            for value, outlets in view.depart.items():
                margin = len(outlets) - len(view.agree)
                if margin > 0:
                    claims = [c for hits in outlets.values() for c, _ in hits]
                    options.append((-margin, check, value, claims))
        known = {r.id for r in self.reps}
        for option in sorted(options, key=lambda o: o[:3]):  # the largest margin first
            choice = [c for c in option[3] if c.id not in known]
            if choice:
                break
        else:
            return None
        rows = [row_of[c.id] for c in choice]
        sims = vectors[rows] @ vectors[rows].T
        order = sorted(
            range(len(choice)),
            key=lambda i: (choice[i].kind == "title", -float(sims[i].sum()), choice[i].id),
        )
        return choice[order[0]]


def compare_groups(
    alignment: NeighbourAlignment,
    by_id: Mapping[str, Claim],
    articles: Mapping[str, Any],
    nli: Mapping[tuple[str, str], PairNLI],
    settings: Settings,
) -> ConsensusResult:
    """Rule checks of each group's claims against its representatives, NLI-only
    contradictions against the first representative, and one finding per departing outlet
    and slot (see the module docstring)."""
    from rules.registry import load_rule_configs

    configs = load_rule_configs(settings.rules_file or None)
    findings: list[Finding] = []
    rule_calls = representatives = flips = 0
    for group in alignment.groups:
        comparison = _GroupComparison(group, by_id, configs, settings)
        first = by_id[group.representative]
        comparison.compare_with(first)
        while len(comparison.reps) < settings.consensus_representatives:
            nxt = comparison.flip(alignment.row_of, alignment.vectors)
            if nxt is None:
                break
            comparison.compare_with(nxt)
        rule_calls += comparison.rule_calls
        representatives += len(comparison.reps)
        for check in comparison.checks():
            rep, view = comparison.consensus_rep(check)
            flips += rep.id != first.id
            findings.extend(_slot_findings(comparison, check, rep, view, articles, nli, first))
        findings.extend(_nli_findings(comparison, first, articles, nli, settings))
    return ConsensusResult(findings, rule_calls, representatives, flips)


def _slot_findings(
    comparison: _GroupComparison,
    check: str,
    rep: Claim,
    view: _SlotView,
    articles: Mapping[str, Any],
    nli: Mapping[tuple[str, str], PairNLI],
    first: Claim,
) -> list[Finding]:
    out = []
    outlets = {c.outlet for c in comparison.claims}
    for value, by_outlet in sorted(view.depart.items()):
        others = {
            v: sorted(o for o in group if o not in by_outlet)
            for v, group in view.depart.items()
            if v != value
        }
        for outlet, hits in sorted(by_outlet.items()):
            member, hit = max(hits, key=lambda mh: (_strength(mh[1]), mh[0].id))
            pair_nli = nli.get((member.id, first.id)) if rep.id == first.id else None
            info = {
                "slot": SLOTS.get(check, check),
                "check": check,
                "value": hit.a_value,
                "consensus_value": hit.b_value,
                "representative": {"outlet": rep.outlet, "claim_id": rep.id},
                "outlets": len(outlets),
                "agree_with_consensus": sorted(view.agree),
                "agree_with_this": sorted(o for o in by_outlet if o != outlet),
                "other_values": {v: os for v, os in others.items() if os},
                "silent": sorted(view.silent),
            }
            finding = finding_from_hit(
                hit, member, rep, articles, comparison.group.cluster, pair_nli
            )
            out.append(
                replace(
                    finding,
                    explanation=f"{finding.explanation} {_in_words(info, outlet)}",
                    consensus=info,
                )
            )
    return out


def _in_words(info: Mapping[str, Any], outlet: str) -> str:
    """The consensus part of a finding's explanation.

    >>> print(_in_words({"slot": "time", "consensus_value": "2021-12-15", "outlets": 4,
    ...     "agree_with_consensus": ["A", "B"], "agree_with_this": ["D"], "other_values": {},
    ...     "silent": [], "representative": {"outlet": "A"}}, "C"))
    Consensus on the time: 2021-12-15 (2 of 4 outlets: A, B). D gives C's value too.
    """
    agree = info["agree_with_consensus"]
    given = f"{len(agree)} of {info['outlets']} outlets" + (f": {_names(agree)}" if agree else "")
    if info["consensus_value"]:
        text = f"Consensus on the {info['slot']}: {info['consensus_value']} ({given})."
    else:
        rep = info["representative"]["outlet"]
        text = f"Consensus: {rep}'s sentence ({given} not read as contradicting it)."
    same = info["agree_with_this"]
    if same:
        text += f" {_names(same)} {'gives' if len(same) == 1 else 'give'} {outlet}'s value too."
    else:
        text += f" No other outlet gives {outlet}'s value."
    others = info["other_values"]
    if others:
        listed = "; ".join(f"{v or '?'} ({_names(os)})" for v, os in sorted(others.items()))
        text += f" Other values: {listed}."
    silent = info["silent"]
    if silent:
        text += f" {len(silent)} {'outlet does' if len(silent) == 1 else 'outlets do'} not give it."
    return text


def _nli_findings(
    comparison: _GroupComparison,
    first: Claim,
    articles: Mapping[str, Any],
    nli: Mapping[tuple[str, str], PairNLI],
    settings: Settings,
) -> list[Finding]:
    """NLI-only contradictions against the first representative (no rule hit on the pair),
    one per outlet, with who else is read as contradicting it."""
    compared = comparison.hits[first.id]
    found: dict[str, tuple[Claim, Finding]] = {}
    scored: set[str] = {first.outlet}
    for member in comparison.claims:
        pair_nli = nli.get((member.id, first.id))
        if member.id not in compared or pair_nli is None:
            continue
        scored.add(member.outlet)
        if compared[member.id]:
            continue
        pair = CandidatePair(
            member.id,
            first.id,
            comparison.group.cluster,
            comparison.group.similarity.get(member.id, 0.0),
            1,
        )
        finding = nli_finding(member, first, articles, pair, pair_nli, settings)
        if finding is None:
            continue
        held = found.get(member.outlet)
        if held is None or (finding.confidence, member.id) > (held[1].confidence, held[0].id):
            found[member.outlet] = (member, finding)
    if not found:
        return []
    outlets = {c.outlet for c in comparison.claims}
    departing = set(found)
    agree = sorted(scored - departing)
    out = []
    for outlet, (member, finding) in sorted(found.items()):
        same = sorted(
            o
            for o, (m, _) in found.items()
            if o != outlet and m.content.text.lower() == member.content.text.lower()
        )
        info = {
            "slot": SLOTS["nli"],
            "check": "nli",
            "value": "",
            "consensus_value": "",
            "representative": {"outlet": first.outlet, "claim_id": first.id},
            "outlets": len(outlets),
            "agree_with_consensus": agree,
            "agree_with_this": same,
            "other_values": {},
            "silent": sorted(outlets - scored),
        }
        out.append(
            replace(
                finding,
                explanation=f"{finding.explanation} {_in_words(info, outlet)}",
                consensus=info,
            )
        )
    return out
