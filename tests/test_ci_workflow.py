"""The GitHub Actions workflow (``examples/ci/crossclaim-gate.yml``, which ``crossclaim init``
writes): its structure, and its shell steps run here, in order, on a copy of the examples laid
out as a repository of articles (``news/<event>/``).

Steps that need GitHub (``uses:`` actions: checkout, setup-python, cache, uploads) are skipped;
the install step runs with ``python -m pip`` recorded instead of run (nothing may be downloaded
here), so its choice of what to install, and in which order, is what is tested.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from checker.cli.init import BASELINE_PATH, CONFIG_PATH, WORKFLOW_PATH, workflow_text
from checker.cli.main import app

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / "examples" / "ci" / "crossclaim-gate.yml"
EVENTS = ("blinken-2021-12", "austin-dong-2024-04")
SOURCE = "crossclaim @ git+https://github.com/example/crossclaim@v0.1.0"


def load_workflow() -> dict[str, Any]:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    if True in data:  # YAML 1.1 reads the key `on` as a boolean
        data["on"] = data.pop(True)
    return data


def steps() -> list[dict[str, Any]]:
    return load_workflow()["jobs"]["gate"]["steps"]


def step_named(prefix: str) -> dict[str, Any]:
    return next(s for s in steps() if s.get("name", "").startswith(prefix))


# --- structure ---------------------------------------------------------------------------------


def test_the_workflow_runs_on_pull_requests_pushes_to_main_and_by_hand() -> None:
    on = load_workflow()["on"]
    assert set(on) == {"pull_request", "push", "workflow_dispatch"}
    assert on["push"]["branches"] == ["main"]
    for event in ("pull_request", "push"):
        assert "news/**" in on[event]["paths"] and ".crossclaim.toml" in on[event]["paths"]
    job = load_workflow()["jobs"]["gate"]
    assert job["runs-on"] == "ubuntu-latest" and job["timeout-minutes"] > 0


def test_every_step_either_uses_a_pinned_action_or_runs_a_script() -> None:
    for step in steps():
        assert ("uses" in step) != ("run" in step), step
        if "uses" in step:
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@v\d+", step["uses"]), step["uses"]


def test_setup_python_has_no_pip_cache_since_an_article_repository_has_no_requirements() -> None:
    setup = next(s for s in steps() if s.get("uses", "").startswith("actions/setup-python"))
    assert setup["with"]["python-version"] == "3.11"
    assert "cache" not in setup["with"]


def test_crossclaim_is_installed_from_a_wheel_or_a_repository_url_after_cpu_torch() -> None:
    script = step_named("Install crossclaim")["run"]
    installs = [line.strip() for line in script.splitlines() if "pip install" in line]
    assert "--index-url https://download.pytorch.org/whl/cpu torch==2.13.0" in installs[0]
    assert not any(re.search(r"pip install\s+crossclaim(\s|$)", line) for line in installs)
    assert '"$wheel"' in script and '"$CROSSCLAIM_SOURCE"' in script
    assert step_named("Install crossclaim")["env"]["CROSSCLAIM_SOURCE"] == (
        "${{ vars.CROSSCLAIM_SOURCE }}"
    )


def test_sarif_is_uploaded_only_by_runs_that_gate_every_event() -> None:
    upload = next(s for s in steps() if "upload-sarif" in s.get("uses", ""))
    assert upload["with"]["category"] == "crossclaim"
    assert "github.event_name != 'pull_request'" in upload["if"]
    events = step_named("Find the event folders")["run"]
    # anything but a pull request (a push to main, a manual run) gates every event folder
    assert 'all=1\nif [ "$EVENT_NAME" = "pull_request" ]' in events
    assert "find news -mindepth 1 -maxdepth 1 -type d" in events


def test_the_gate_takes_its_bar_and_baseline_from_the_configuration() -> None:
    script = step_named("Gate")["run"]
    assert "crossclaim gate" in script
    assert not any(flag in script for flag in ("--baseline", "--fail-on", "--min-severity"))


# --- init --------------------------------------------------------------------------------------


def test_init_writes_the_example_workflow_config_and_an_empty_baseline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["init"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / WORKFLOW_PATH).read_text(encoding="utf-8") == WORKFLOW.read_text(
        encoding="utf-8"
    )
    assert workflow_text() == WORKFLOW.read_text(encoding="utf-8")
    assert (tmp_path / BASELINE_PATH).read_text().count('"accepted": []') == 1
    shown = CliRunner().invoke(app, ["config"])
    assert shown.exit_code == 0, shown.output
    assert re.search(r"^min-severity\s+medium\s+\(\.crossclaim\.toml\)$", shown.stdout, re.M)
    assert re.search(r"^baseline\s+\.crossclaim/baseline\.json\s+\(", shown.stdout, re.M)


def test_init_refuses_to_overwrite_unless_forced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / CONFIG_PATH).write_text("fail-on = 'divergence'\n")
    refused = CliRunner().invoke(app, ["init"])
    assert refused.exit_code == 2 and ".crossclaim.toml" in refused.output
    assert "already there" in refused.output
    assert (tmp_path / CONFIG_PATH).read_text() == "fail-on = 'divergence'\n"
    assert not (tmp_path / WORKFLOW_PATH).exists()  # nothing written when one file is there
    forced = CliRunner().invoke(app, ["init", "--force"])
    assert forced.exit_code == 0, forced.output
    assert 'min-severity = "medium"' in (tmp_path / CONFIG_PATH).read_text()
    assert (tmp_path / WORKFLOW_PATH).exists()


# --- the steps, run ----------------------------------------------------------------------------

_EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


class Runner:
    """Runs the workflow's ``run:`` steps in ``repo`` as GitHub's runner would (``bash -e``,
    ``$GITHUB_OUTPUT``, ``$GITHUB_STEP_SUMMARY``, ``if:`` conditions, ``${{ }}`` values)."""

    def __init__(self, repo: Path, event_name: str, context: dict[str, str]) -> None:
        self.repo = repo
        self.event_name = event_name
        self.context = {"github.event_name": event_name, **context}
        self.outputs: dict[str, dict[str, str]] = {}
        self.failed = False
        self.results: dict[str, subprocess.CompletedProcess[str]] = {}
        self.skipped: list[str] = []
        work = repo.parent
        self.summary = work / "step-summary.md"
        self.pip_log = work / "pip.log"
        shim = work / "bin"
        shim.mkdir(exist_ok=True)
        python = shim / "python"
        python.write_text(
            "#!/usr/bin/env bash\n"
            'if [ "${1:-}" = "-m" ] && [ "${2:-}" = "pip" ]; then\n'
            '  shift 2; echo "$*" >> "$PIP_LOG"; exit 0\n'
            "fi\n"
            f'exec "{sys.executable}" "$@"\n'
        )
        python.chmod(0o755)
        self.env = {
            **os.environ,
            "PATH": f"{shim}{os.pathsep}{Path(sys.executable).parent}{os.pathsep}"
            + os.environ.get("PATH", ""),
            "PIP_LOG": str(self.pip_log),
            "GITHUB_STEP_SUMMARY": str(self.summary),
            "GITHUB_ACTIONS": "true",
            "NO_COLOR": "1",
        }

    def value(self, expression: str) -> str:
        if expression in self.context:
            return self.context[expression]
        m = re.fullmatch(r"steps\.(\w+)\.outputs\.(\w+)", expression)
        if m:
            return self.outputs.get(m.group(1), {}).get(m.group(2), "")
        if expression.startswith(("github.", "runner.", "vars.")):
            return {"runner.os": "Linux", "github.job": "gate"}.get(expression, "x")
        raise AssertionError(f"unknown expression in a run step: {expression}")

    def substitute(self, text: str) -> str:
        return _EXPRESSION.sub(lambda m: self.value(m.group(1)), text)

    def condition(self, expression: str | None) -> bool:
        if expression is None:
            return not self.failed
        text = _EXPRESSION.sub(lambda m: m.group(1), expression)
        if self.failed and "always()" not in text:
            return False
        text = text.replace("always()", "True")
        text = re.sub(
            r"hashFiles\('([^']*)'\)",
            lambda m: repr("h" if (self.repo / m.group(1)).exists() else ""),
            text,
        )
        text = re.sub(
            r"(steps\.\w+\.outputs\.\w+|github\.event_name)",
            lambda m: repr(self.value(m.group(1))),
            text,
        )
        text = text.replace("&&", " and ").replace("||", " or ")
        return bool(eval(text, {"__builtins__": {}}, {"True": True}))  # noqa: S307

    def run(self, step: dict[str, Any]) -> subprocess.CompletedProcess[str] | None:
        name = step.get("name", step.get("uses", ""))
        if "uses" in step or not self.condition(step.get("if")):
            self.skipped.append(name)
            return None
        output = self.repo.parent / "github-output"
        output.write_text("")
        script = self.repo.parent / "step.sh"
        script.write_text(self.substitute(step["run"]))
        env = {**self.env, "GITHUB_OUTPUT": str(output)}
        env.update({k: self.substitute(str(v)) for k, v in step.get("env", {}).items()})
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-e", str(script)],
            cwd=self.repo,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if "id" in step:
            pairs = (line.split("=", 1) for line in output.read_text().splitlines() if "=" in line)
            self.outputs[step["id"]] = dict(pairs)
        self.results[name] = done
        self.failed = self.failed or done.returncode != 0
        return done


def make_repo(tmp_path: Path) -> Path:
    """A repository of articles: the examples as news/<event>/, set up by ``crossclaim init``
    (rule checks only, so the run stays short)."""
    repo = tmp_path / "articles"
    for event in EVENTS:
        shutil.copytree(ROOT / "examples" / event, repo / "news" / event)
    done = subprocess.run(
        [str(Path(sys.executable).parent / "crossclaim"), "init"],
        cwd=repo,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    with (repo / CONFIG_PATH).open("a", encoding="utf-8") as handle:
        handle.write("\n[pipeline]\nuse_nli = false\n")
    return repo


@pytest.mark.slow
def test_the_workflow_steps_gate_the_examples_then_pass_with_their_baseline(
    tmp_path: Path,
) -> None:
    repo = make_repo(tmp_path)
    assert (repo / WORKFLOW_PATH).read_text(encoding="utf-8") == WORKFLOW.read_text()
    runner = Runner(repo, "push", {"vars.CROSSCLAIM_SOURCE": SOURCE})
    for step in steps():
        runner.run(step)

    install = runner.results["Install crossclaim"]
    assert install.returncode == 0, install.stderr
    pip = runner.pip_log.read_text().splitlines()
    assert pip[0] == "install --index-url https://download.pytorch.org/whl/cpu torch==2.13.0"
    assert pip[1:] == [f"install {SOURCE}"]
    assert install.stdout.strip().startswith("crossclaim ")

    assert runner.outputs["cachekey"]["prefix"].startswith("crossclaim-cache-v2-Linux-")
    events = (repo / "events.txt").read_text().split()
    assert events == sorted(f"news/{e}" for e in EVENTS)  # a push gates every event

    gate = runner.results["Gate"]
    assert gate.returncode == 1, gate.stdout + gate.stderr  # the headline contradiction
    assert "::error file=news/blinken-2021-12/" in gate.stdout
    assert re.search(
        r"^news/blinken-2021-12/\S+\.md:\d+: temporal contradiction", gate.stdout, re.M
    )
    suites = ET.parse(repo / "crossclaim-out" / "junit.xml").getroot().findall("testsuite")
    assert sorted(s.get("name") for s in suites) == events
    sarif = (repo / "crossclaim-out" / "crossclaim.sarif").read_text()
    assert '"relatedLocations"' in sarif and "crossclaim/temporal" in sarif
    assert "## crossclaim gate:" in runner.summary.read_text()
    for event in EVENTS:
        assert (repo / "crossclaim-out" / "html" / f"{event}.html").stat().st_size > 1000

    assert "actions/checkout@v4" in runner.skipped
    assert "Upload SARIF to code scanning" in runner.skipped  # needs GitHub

    # accept today's findings into the configured baseline; the same gate step then passes
    accepted = subprocess.run(
        ["crossclaim", "baseline", *events, "--cache-dir", ".crossclaim-cache", "--who", "desk"],
        cwd=repo,
        env=runner.env,
        capture_output=True,
        text=True,
    )
    assert accepted.returncode == 0, accepted.stderr
    assert accepted.stdout.startswith(".crossclaim/baseline.json: ")
    again = Runner(repo, "push", {"vars.CROSSCLAIM_SOURCE": SOURCE})
    again.outputs["events"] = {"count": str(len(events))}
    done = again.run(step_named("Gate"))
    assert done is not None and done.returncode == 0, done.stdout + done.stderr


def test_a_pull_request_gates_only_the_event_folders_it_changes(tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "articles"
    for event in EVENTS:
        shutil.copytree(ROOT / "examples" / event, repo / "news" / event)
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True
        ).stdout.strip()

    git("init", "-q")
    git("add", ".")
    git("commit", "-qm", "articles")
    base = git("rev-parse", "HEAD")
    article = next((repo / "news" / EVENTS[0]).glob("*.md"))
    article.write_text(article.read_text() + "\nOne more sentence about the trip today.\n")
    git("commit", "-qam", "update")

    step = step_named("Find the event folders")
    runner = Runner(repo, "pull_request", {"github.event.pull_request.base.sha": base})
    done = runner.run(step)
    assert done is not None and done.returncode == 0, done.stderr
    assert (repo / "events.txt").read_text().split() == [f"news/{EVENTS[0]}"]
    assert runner.outputs["events"]["count"] == "1"

    # a change to the configuration gates every event again
    (repo / ".crossclaim.toml").write_text('fail-on = "divergence"\n')
    git("add", ".crossclaim.toml")
    git("commit", "-qm", "config")
    done = Runner(repo, "pull_request", {"github.event.pull_request.base.sha": base}).run(step)
    assert done is not None and done.returncode == 0, done.stderr
    assert len((repo / "events.txt").read_text().split()) == len(EVENTS)
