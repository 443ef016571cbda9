"""The command line as other tools expect it: ``--version``, ``--color`` and ``NO_COLOR``,
``path:line:`` finding lines, unwrapped piped output, configuration files found like ruff's and
pytest's (``crossclaim config``), ``crossclaim explain``, and the evidence of each finding.

The pipeline is replaced by the hand-made Blinken report (no models loaded)."""

from __future__ import annotations

import json
import re
from importlib import metadata
from pathlib import Path

import pytest
from gate_report_factory import BLINKEN, ROOT, blinken_report, make_finding, report_for
from rich.console import Console
from typer.testing import CliRunner

from checker.cli.main import app
from checker.cli.options import build_settings
from checker.cli.style import ColorChoice, use_color
from checker.gate.baseline import Baseline, entry_for, write_baseline
from checker.gate.decide import EXIT_ERROR, EXIT_FAIL, EXIT_PASS
from checker.render.evidence import model_label, resolution
from checker.render.markdown import render_markdown
from checker.render.terminal import render_terminal
from checker.settings import ConfigError, discover_config, find_config
from claims.records import Article

ANSI = "\x1b["


@pytest.fixture
def fake_pipeline(monkeypatch: pytest.MonkeyPatch) -> None:
    """``report`` and ``gate`` get the hand-made Blinken report; run from the repository root
    (paths are shown relative to it) with no colour settings from the environment."""
    import checker.pipeline

    monkeypatch.setattr(checker.pipeline, "check_articles", lambda *a, **k: blinken_report())
    monkeypatch.setattr(checker.pipeline, "run_report", lambda paths, *a, **k: blinken_report())
    monkeypatch.setattr(checker.pipeline, "load_models", lambda settings: None)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.chdir(ROOT)


def invoke(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(app, list(args), env=env)


# --- 1. version, colour, clickable lines --------------------------------------------------------


def test_version_comes_from_the_package_metadata() -> None:
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout == f"crossclaim {metadata.version('crossclaim')}\n"


def test_piped_report_starts_each_finding_with_path_line_check_verdict(fake_pipeline) -> None:
    result = invoke("report", str(BLINKEN), "--no-cache", "--quiet")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    heads = [
        line for line in lines if re.match(r"^examples/blinken-2021-12/[\w-]+\.md:\d+: ", line)
    ]
    assert [h.split(": ", 1)[1].split(" (")[0] for h in heads] == [
        "temporal contradiction",
        "place divergence",
    ]
    assert ANSI not in result.stdout
    assert "on [Tuesday]" in result.stdout and "on [Wednesday]" in result.stdout
    # the other outlet's sentence starts with its own path:line
    assert any(
        re.match(r"^  examples/blinken-2021-12/wire\.md:\d+: Wire story: ", x) for x in lines
    )


def test_piped_output_is_never_wrapped(fake_pipeline, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    result = invoke("report", str(BLINKEN), "--no-cache", "--quiet")
    summary = [line for line in result.stdout.splitlines() if line.startswith("4 articles, ")]
    assert len(summary) == 1 and summary[0].endswith("divergence(s).") and len(summary[0]) > 80
    explanation = "Wire story and Business Insider disagree: Wednesday vs Tuesday."
    assert any(line.strip() == explanation for line in result.stdout.splitlines())


@pytest.mark.parametrize(
    ("args", "env", "colored"),
    [
        (["--color", "always"], {}, True),
        (["--color", "never"], {}, False),
        ([], {}, False),  # auto: the test runner's stdout is no terminal
        (["--color", "always"], {"NO_COLOR": "1"}, True),  # the flag beats the variable
    ],
)
def test_report_colour_follows_the_flag(fake_pipeline, args, env, colored) -> None:
    result = invoke("report", str(BLINKEN), "--no-cache", "--quiet", *args, env=env)
    assert result.exit_code == 0, result.output
    assert (ANSI in result.stdout) is colored
    assert ("[Tuesday]" in result.stdout) is not colored


def test_no_color_and_a_dumb_terminal_turn_auto_colour_off(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Tty:
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert use_color(ColorChoice.auto, Tty())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not use_color(ColorChoice.auto, Tty()) and use_color("always", Tty())
    monkeypatch.setenv("NO_COLOR", "")  # empty: not set, per no-color.org
    monkeypatch.setenv("TERM", "dumb")
    assert not use_color(ColorChoice.auto, Tty())


def test_gate_lines_start_with_path_line_and_colour_on_request(fake_pipeline) -> None:
    plain = invoke("gate", str(BLINKEN), "--no-cache")
    assert plain.exit_code == EXIT_FAIL
    fail = next(line for line in plain.stdout.splitlines() if " FAIL " in line)
    assert re.match(
        r"^examples/blinken-2021-12/\S+\.md:\d+: temporal contradiction \(high\) FAIL ", fail
    )
    assert ANSI not in plain.output
    colored = invoke("gate", str(BLINKEN), "--no-cache", "--color", "always")
    assert "\x1b[31m\x1b[1mFAIL" in colored.stdout or "\x1b[1m\x1b[31mFAIL" in colored.stdout
    assert ANSI in colored.stderr  # the summary line's verdict


def test_a_terminal_gets_panels_each_after_its_path_line() -> None:
    console = Console(record=True, width=100, force_terminal=True, color_system=None)
    render_terminal(blinken_report(), console, root=ROOT)
    text = console.export_text()
    lines = text.splitlines()
    head = next(i for i, line in enumerate(lines) if "temporal contradiction (high" in line)
    assert re.match(r"^examples/blinken-2021-12/\S+\.md:\d+: ", lines[head])
    assert lines[head + 1].startswith("╭─ CONTRADICTION")
    assert "[Tuesday]" in text  # no colour: brackets


# --- 2. configuration files --------------------------------------------------------------------


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_the_nearest_configuration_wins_and_a_pyproject_without_the_table_is_passed_over(
    tmp_path: Path,
) -> None:
    top = write(tmp_path / "pyproject.toml", '[tool.crossclaim]\nfail-on = "divergence"\n')
    write(tmp_path / "a" / "pyproject.toml", '[project]\nname = "x"\n')
    own = write(tmp_path / "a" / "b" / ".crossclaim.toml", 'min-severity = "high"\n')
    (tmp_path / "a" / "b" / "c").mkdir()
    assert find_config(tmp_path / "a") == top.resolve()
    assert find_config(tmp_path / "a" / "b" / "c") == own.resolve()
    both = write(tmp_path / "d" / "pyproject.toml", '[tool.crossclaim]\nfail-on = "divergence"\n')
    dot = write(tmp_path / "d" / ".crossclaim.toml", "")
    assert find_config(both.parent) == dot.resolve()


def test_paths_in_a_configuration_are_relative_to_its_folder(tmp_path: Path) -> None:
    write(tmp_path / ".crossclaim.toml", 'baseline = "ci/baseline.json"\nrules = "r.yaml"\n')
    (tmp_path / "news" / "ev").mkdir(parents=True)
    config = discover_config(tmp_path / "news" / "ev")
    assert config is not None
    assert config.values["baseline"] == tmp_path.resolve() / "ci" / "baseline.json"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('fail_on = "divergence"\n', "unknown key 'fail_on'"),
        ('min-severity = "critical"\n', "'min-severity' must be one of low, medium, high"),
        ("[pipeline]\nalign_min_similarity = 'high'\n", "'pipeline.align_min_similarity' must"),
        ("[pipeline]\nno_such_thing = 1\n", "'pipeline.no_such_thing' is not a setting"),
        ("fail-on = \n", "not valid TOML"),
    ],
)
def test_a_bad_configuration_is_one_line_naming_the_file_and_key_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_pipeline, text: str, message: str
) -> None:
    config = write(tmp_path / ".crossclaim.toml", text)
    monkeypatch.chdir(tmp_path)
    for command in (["gate", str(BLINKEN), "--no-cache"], ["report", str(BLINKEN)], ["config"]):
        result = invoke(*command)
        assert result.exit_code == EXIT_ERROR, (command, result.output)
        errors = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(errors) == 1 and errors[0].startswith(f"error: {config.resolve()}: ")
        assert message in errors[0]


def test_pyproject_errors_name_the_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "pyproject.toml", "[tool.crossclaim]\nbaseline = 3\n")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError, match=r"pyproject.toml: \[tool.crossclaim\] 'baseline' must"):
        discover_config()
    result = invoke("config")
    assert result.exit_code == EXIT_ERROR


def test_the_gate_reads_its_bar_and_baseline_from_the_configuration_and_flags_override_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_pipeline
) -> None:
    report = blinken_report()
    headline = next(f for f in report.findings if f.check == "temporal")
    (tmp_path / "ci").mkdir()
    write_baseline(
        tmp_path / "ci" / "baseline.json",
        Baseline([entry_for(headline, who="desk", when="", why="")]),
    )
    write(
        tmp_path / "pyproject.toml",
        '[tool.crossclaim]\nbaseline = "ci/baseline.json"\nfail-on = "divergence"\n',
    )
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")  # found by walking up
    by_config = invoke("gate", str(BLINKEN), "--no-cache")
    # the headline is in the configured baseline; the place divergence fails at fail-on divergence
    assert by_config.exit_code == EXIT_FAIL, by_config.output
    assert "place divergence (low) FAIL" in by_config.stdout
    assert "1 in the baseline (contradiction or divergence" in by_config.stderr
    by_flag = invoke("gate", str(BLINKEN), "--no-cache", "--fail-on", "contradiction")
    assert by_flag.exit_code == EXIT_PASS, by_flag.output
    no_baseline = invoke(
        "gate", str(BLINKEN), "--no-cache", "--fail-on", "contradiction",
        "--baseline", str(tmp_path / "sub" / "missing.json"),
    )  # fmt: skip
    assert no_baseline.exit_code == EXIT_ERROR  # a flag's missing file is an error


def test_baseline_writes_the_configured_file_without_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_pipeline
) -> None:
    write(tmp_path / ".crossclaim.toml", 'baseline = ".crossclaim/baseline.json"\n')
    monkeypatch.chdir(tmp_path)
    result = invoke("baseline", str(BLINKEN), "--no-cache", "--who", "desk")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(".crossclaim/baseline.json: 2 new entries")
    assert (
        len(json.loads((tmp_path / ".crossclaim" / "baseline.json").read_text())["accepted"]) == 2
    )


def test_settings_come_from_the_settings_file_then_the_pipeline_table_then_flags(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "s.yaml", "align_min_similarity: 0.7\nalign_top_k: 3\n")
    write(
        tmp_path / ".crossclaim.toml",
        'settings = "s.yaml"\n[pipeline]\nalign-top-k = 4\nuse_nli = true\n'
        "[pipeline.events]\nwindow_hours = 24\n",
    )
    monkeypatch.chdir(tmp_path)
    settings = build_settings(None, None, True, None, None)
    assert (settings.align_min_similarity, settings.align_top_k) == (0.7, 4)
    assert settings.use_nli is False and settings.events.window_hours == 24.0
    result = invoke("config", "--no-nli", "--min-severity", "high")
    assert result.exit_code == 0, result.output
    shown = {
        m.group(1): (m.group(2), m.group(3))
        for m in re.finditer(r"^(\S+)\s+(.*?)\s+\((.+)\)$", result.stdout, re.M)
    }
    assert shown["min-severity"] == ("high", "flag --min-severity")
    assert shown["fail-on"] == ("contradiction", "default")
    assert shown["settings"] == ("s.yaml", ".crossclaim.toml")
    assert shown["pipeline.align_min_similarity"] == ("0.7", "s.yaml")
    assert shown["pipeline.align_top_k"] == ("4", ".crossclaim.toml")
    assert shown["pipeline.use_nli"] == ("false", "flag --no-nli")
    assert shown["pipeline.events.window_hours"] == ("24.0", ".crossclaim.toml")
    assert result.stdout.startswith("config file: .crossclaim.toml\n")


def test_config_without_a_file_shows_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke("config")
    assert result.exit_code == 0
    assert "config file: none (defaults)" in result.stdout
    assert re.search(r"^fail-on\s+contradiction\s+\(default\)$", result.stdout, re.M)


# --- 6. explain --------------------------------------------------------------------------------


def test_explain_shows_the_rule_documentation_and_its_parameters_in_effect(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke("explain", "temporal")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("temporal: enabled, severity high, verdict contradiction\n")
    assert "the same event dated differently by two outlets" in out
    assert ">>>" not in out
    assert re.search(r"^  tolerance_hours = 0$", out, re.M)
    assert "slack added to both intervals" in out  # the packaged file's note

    write(
        tmp_path / "mine.yaml",
        "temporal:\n  severity: medium\n  params:\n    tolerance_hours: 12\n",
    )
    write(tmp_path / ".crossclaim.toml", 'rules = "mine.yaml"\n')
    mine = invoke("explain", "temporal").stdout
    assert mine.startswith("temporal: enabled, severity medium")
    assert re.search(r"^  tolerance_hours = 12  \[.*mine\.yaml\]$", mine, re.M)


def test_explain_nli_and_unknown_checks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    nli = invoke("explain", "nli")
    assert nli.exit_code == 0
    assert re.search(r"^  nli_contradiction_threshold = 0\.98  \(default\)$", nli.stdout, re.M)
    unknown = invoke("explain", "weather")
    assert unknown.exit_code == EXIT_ERROR
    assert "no check 'weather' (known: temporal, numeric" in unknown.stderr


# --- 7. evidence -------------------------------------------------------------------------------


def test_a_resolved_time_shows_the_words_and_the_publication_date() -> None:
    report = blinken_report()
    text = render_markdown(report)
    assert "Tuesday -\\> 2021-12-14 \\(published 2021-12-15 07:00 -05:00\\)" in text
    console = Console(record=True, width=300)
    render_terminal(report, console, root=ROOT)
    assert "Tuesday -> 2021-12-14 (published 2021-12-15 07:00 -05:00)" in console.export_text()


def test_model_scores_are_labelled() -> None:
    scores = {"entailment_ab": 0.05, "neutral_ab": 0.9, "contradiction_ab": 0.05,
              "entailment_ba": 0.1, "neutral_ba": 0.82, "contradiction_ba": 0.08}  # fmt: skip
    assert model_label(scores) == "model: neutral 86%"
    a = Article("a", "A", "They tested negative on Tuesday.", "a.md", line=1)
    b = Article("b", "B", "They tested negative on Wednesday.", "b.md", line=1)
    finding = make_finding(a, "They tested", "Tuesday", b, "They tested", "Wednesday")
    finding.nli = scores
    report = report_for([a, b], [finding])
    assert "model: neutral 86%" in render_markdown(report)
    from checker.render.html import render_html

    assert "model: neutral 86%." in render_html(report)


def test_a_value_written_as_it_is_read_is_shown_once() -> None:
    a = Article("a", "A", "Prices rose 4%.", "a.md", line=1)
    b = Article("b", "B", "Prices rose 5%.", "b.md", line=1)
    f = make_finding(a, "Prices rose", "4%", b, "Prices rose", "5%", check="numeric")
    assert resolution(f.a, f.check, "2021-12-15T07:00:00-05:00") == "4%"


def test_a_configured_baseline_not_written_yet_only_warns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_pipeline
) -> None:
    write(tmp_path / ".crossclaim.toml", 'baseline = ".crossclaim/baseline.json"\n')
    monkeypatch.chdir(tmp_path)
    result = invoke("gate", str(BLINKEN), "--no-cache")
    assert result.exit_code == EXIT_FAIL
    assert (
        "warning: .crossclaim/baseline.json (the baseline of .crossclaim.toml) does not exist"
        in (result.stderr)
    )


def test_baseline_needs_an_output_or_a_configured_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_pipeline
) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke("baseline", str(BLINKEN), "--no-cache")
    assert result.exit_code == EXIT_ERROR
    assert "give --output FILE, or set baseline in .crossclaim.toml" in result.stderr
