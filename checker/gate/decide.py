"""The CI gate: does this run have a new finding at or above the bar?

A finding is *new* when its fingerprint is not in the baseline; a finding that groups
near-identical ones (``Finding.also_at``) is in the baseline when any of its fingerprints is, so an
entry written for either of an outlet's bullet and body keeps matching after they are grouped.
The *bar* is a verdict (``contradiction`` fails on contradictions only, ``divergence`` on both,
since divergence < contradiction) and a minimum severity (low < medium < high). Exit codes: 0 no
new finding at or above the bar, 1 at least one, 2 a usage or input error (a file that could not
be read, unless the caller allows input problems, or no article at all).

>>> from checker.findings import Side
>>> f = Finding("contradiction", "temporal", "high", 0.9, "Wednesday vs Tuesday",
...             Side("AP", "ap", "ap.md", "On Wednesday.", 0, 13),
...             Side("BI", "bi", "bi.md", "On Tuesday.", 0, 11), fingerprint="ab12")
>>> evaluate_gate([f], Baseline(), GateBar()).exit_code
1
>>> evaluate_gate([f], Baseline(), GateBar(min_severity="high")).failing == [f]
True
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from checker.findings import SEVERITY_RANK, VERDICT_RANK, Finding, report_order
from checker.gate.baseline import Baseline, BaselineEntry
from claims.records import InputProblem

EXIT_PASS = 0
EXIT_FAIL = 1
EXIT_ERROR = 2

#: the gate's default bar: any new contradiction fails, whatever its severity (rule severities
#: are tuned in the rules file; raise the bar per run with ``--min-severity``).
DEFAULT_FAIL_ON = "contradiction"
DEFAULT_MIN_SEVERITY = "low"


@dataclass(frozen=True)
class GateBar:
    """The lowest verdict and severity at which a new finding fails the gate."""

    fail_on: str = DEFAULT_FAIL_ON
    min_severity: str = DEFAULT_MIN_SEVERITY

    def __post_init__(self) -> None:
        if self.fail_on not in VERDICT_RANK:
            raise ValueError(
                f"fail_on must be one of {', '.join(VERDICT_RANK)}, not {self.fail_on!r}"
            )
        if self.min_severity not in SEVERITY_RANK:
            raise ValueError(
                f"min_severity must be one of {', '.join(SEVERITY_RANK)}, not {self.min_severity!r}"
            )

    def reached_by(self, finding: Finding) -> bool:
        """Whether ``finding`` is at or above the bar (unknown verdicts/severities never are).

        >>> from checker.findings import Side
        >>> s = Side("X", "x", "x.md", "t", 0, 1)
        >>> GateBar("divergence").reached_by(Finding("contradiction", "n", "low", 1, "", s, s))
        True
        """
        return (
            VERDICT_RANK.get(finding.verdict, 0) >= VERDICT_RANK[self.fail_on]
            and SEVERITY_RANK.get(finding.severity, 0) >= SEVERITY_RANK[self.min_severity]
        )

    def describe(self) -> str:
        """The bar in words.

        >>> GateBar("divergence", "medium").describe()
        'contradiction or divergence, severity medium or above'
        """
        verdicts = (
            "contradiction or divergence" if self.fail_on == "divergence" else "contradiction"
        )
        return f"{verdicts}, severity {self.min_severity} or above"


@dataclass
class GateResult:
    """What the gate decided, and the findings behind the decision (most serious first)."""

    bar: GateBar
    failing: list[Finding]  # new, at or above the bar
    below_bar: list[Finding]  # new, below the bar: reported, not failing
    baselined: list[tuple[Finding, BaselineEntry]]  # in the baseline: quiet
    stale: list[BaselineEntry]  # baseline entries not seen in this run
    problems: list[InputProblem] = field(default_factory=list)
    allow_input_problems: bool = False
    articles_read: int = -1  # -1: not known (the caller did not say)

    @property
    def new(self) -> list[Finding]:
        """All new findings, failing first."""
        return self.failing + self.below_bar

    @property
    def input_error(self) -> bool:
        """No article was read, or a file failed and input problems are not allowed."""
        return self.articles_read == 0 or (bool(self.problems) and not self.allow_input_problems)

    @property
    def exit_code(self) -> int:
        """2 on an input error (outranks findings: the run is incomplete), 1 on failing findings."""
        if self.input_error:
            return EXIT_ERROR
        return EXIT_FAIL if self.failing else EXIT_PASS

    @property
    def passed(self) -> bool:
        return self.exit_code == EXIT_PASS


def unique_findings(findings: Iterable[Finding]) -> list[Finding]:
    """One finding per fingerprint (the most serious copy), most serious first.

    >>> from checker.findings import Side
    >>> s = Side("X", "x", "x.md", "t", 0, 1)
    >>> low = Finding("divergence", "n", "low", 0.5, "", s, s, fingerprint="f1")
    >>> high = Finding("contradiction", "n", "high", 0.9, "", s, s, fingerprint="f1")
    >>> unique_findings([low, high]) == [high]
    True
    """
    best: dict[str, Finding] = {}
    for f in sorted(findings, key=report_order):
        best.setdefault(f.fingerprint, f)
    return list(best.values())


def evaluate_gate(
    findings: Iterable[Finding],
    baseline: Baseline,
    bar: GateBar,
    *,
    problems: Sequence[InputProblem] = (),
    allow_input_problems: bool = False,
    articles_read: int = -1,
) -> GateResult:
    """Split findings into failing, new-below-bar and baselined; list stale baseline entries.

    A finding is baselined by the entry of its own fingerprint, else by that of the first
    finding grouped under it (:meth:`~checker.findings.Finding.fingerprints`) that has one; an
    entry for any grouped fingerprint is not stale.
    """
    known = baseline.by_fingerprint()
    failing: list[Finding] = []
    below: list[Finding] = []
    quiet: list[tuple[Finding, BaselineEntry]] = []
    seen: set[str] = set()
    for f in unique_findings(findings):
        prints = f.fingerprints()
        seen.update(prints)
        entry = next((known[p] for p in prints if p in known), None)
        if entry is not None:
            quiet.append((f, entry))
        elif bar.reached_by(f):
            failing.append(f)
        else:
            below.append(f)
    stale = [e for e in baseline.accepted if e.fingerprint not in seen]
    return GateResult(
        bar=bar,
        failing=failing,
        below_bar=below,
        baselined=quiet,
        stale=stale,
        problems=list(problems),
        allow_input_problems=allow_input_problems,
        articles_read=articles_read,
    )
