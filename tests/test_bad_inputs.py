"""A corpus of bad inputs through ``report``, ``gate`` and ``ingest``: one bad file never stops a
run, never prints a traceback, is reported once (``error: FILE: problem``), never hides the good
files' findings, and never poisons the review store.

The corpus (:func:`make_corpus`, well over 100 files) is generated here: empty, binary, huge and
wrongly encoded files, malformed front matter, missing metadata, deep nesting, long lines, extreme
and implausible dates, bidi characters, a symbolic link loop, folders and pipes named like files.
Files are batched into a few runs so the whole module stays under a minute; the case-by-case
ingest loop is marked ``slow``.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from example_paths import EXAMPLES
from typer.testing import CliRunner

from checker.cli.main import app

runner = CliRunner()

BLINKEN = EXAMPLES / "blinken-2021-12"
#: two good articles of different outlets that contradict each other (Wednesday vs Tuesday).
GOOD = ("wire.md", "business-insider.md")

FRONT = "---\noutlet: {outlet}\npublished: {published}\ntitle: {title}\nurl: {url}\n---\n"
BODY = (
    "Secretary Blinken left Kuala Lumpur on Wednesday after a member of the press corps tested "
    "positive, the State Department said. He had met three ministers on Tuesday.\n"
)
#: what each case must give: an ``error`` line (and no document), a document with a warning, or
#: anything (readable or not) as long as nothing breaks.
ERROR, WARN, ANY = "error", "warn", "any"


@dataclass(frozen=True)
class Case:
    """One bad input: its file name in the corpus folder and what the readers must make of it."""

    name: str
    expect: str


def _md(outlet: str = "Wire", published: str = "2021-12-15T08:00:00+00:00", **kw: str) -> str:
    title = kw.get("title", "Blinken cuts trip short")
    url = kw.get("url", f"https://example.com/{outlet.lower().replace(' ', '-')}")
    return FRONT.format(outlet=outlet, published=published, title=title, url=url)


def _sentences(n: int) -> str:
    return " ".join(f"Officials met {i} delegates in Jakarta on Monday." for i in range(n))


def make_corpus(folder: Path) -> list[Case]:  # noqa: PLR0915 - a list of cases
    """Write the bad-input corpus into ``folder``; returns one :class:`Case` per entry."""
    cases: list[Case] = []

    def put(name: str, data: str | bytes, expect: str) -> None:
        path = folder / name
        if isinstance(data, str):
            data = data.encode("utf-8")
        path.write_bytes(data)
        cases.append(Case(name, expect))

    suffixes = (".md", ".txt", ".json", ".jsonl", ".html")
    # empty, blank, BOM only, NUL bytes, random binary: every type
    for i, suffix in enumerate(suffixes):
        put(f"empty{i}{suffix}", b"", ERROR)
        put(f"blank{i}{suffix}", b" \n\t\n  ", ERROR)
        put(f"bom{i}{suffix}", b"\xef\xbb\xbf", ERROR)
        put(f"nul{i}{suffix}", b"text\x00more", ERROR)
        put(f"binary{i}{suffix}", bytes(range(256)) * 4, ERROR)
    # wrongly encoded
    put("latin1.md", (_md() + "Caf\u00e9 na\u00efve r\u00e9sum\u00e9.\n").encode("latin-1"), ERROR)
    put("cp1252.txt", "\u201cQuoted\u201d words \u2014 dash.\n".encode("cp1252"), ERROR)
    put("utf16.md", (_md() + BODY).encode("utf-16"), ERROR)
    put("utf16.json", json.dumps({"text": BODY}).encode("utf-16-le"), ERROR)
    put(
        "shiftjis.md",
        "\u65e5\u672c\u8a9e\u306e\u8a18\u4e8b\u3067\u3059\u3002".encode("shift_jis"),
        ERROR,
    )
    put("surrogate.md", _md().encode() + b"Bad \xed\xa0\x80 surrogate.\n", ERROR)
    put("truncated-utf8.md", _md().encode() + "Caf\u00e9".encode()[:-1], ERROR)
    put(
        "latin1.jsonl",
        json.dumps({"text": "caf\u00e9"}, ensure_ascii=False).encode("latin-1"),
        ERROR,
    )
    # malformed front matter
    put("unclosed.md", "---\noutlet: A\ntitle: B\n" + BODY, ERROR)
    put("badyaml.md", "---\noutlet: [unclosed\n---\n" + BODY, ERROR)
    put("tabs.md", "---\noutlet:\tA\n\ttitle: B\n---\n" + BODY, ANY)
    put("list-front.md", "---\n- a\n- b\n---\n" + BODY, ERROR)
    put("scalar-front.md", "---\njust text\n---\n" + BODY, ERROR)
    put("deep-yaml.md", "---\nnote: " + "[" * 5000 + "]" * 5000 + "\n---\n" + BODY, ERROR)
    put("python-tag.md", "---\noutlet: !!python/object:os.system ls\n---\n" + BODY, ERROR)
    put("front-only.md", _md(), ERROR)
    put(
        "anchors.md", "---\na: &a [x, x, x]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n---\n" + BODY, ANY
    )
    put("outlet-mapping.md", "---\noutlet: {name: A}\ntitle: [1, 2]\nurl: 3\n---\n" + BODY, WARN)
    put("dup-keys.md", "---\noutlet: A\noutlet: B\n---\n" + BODY, ANY)
    put("fence-only.md", "---\n---\n", ERROR)
    # missing metadata (readable, with warnings)
    put("no-front.md", BODY, WARN)
    put("no-outlet.md", "---\ntitle: T\npublished: 2021-12-15T08:00:00+00:00\n---\n" + BODY, WARN)
    put("no-date.md", "---\noutlet: Dateless\ntitle: T\n---\n" + BODY, WARN)
    put("bad-date.md", _md("Baddate", "15/12/2021") + BODY, WARN)
    put("date-number.md", "---\noutlet: Num\npublished: 20211215\n---\n" + BODY, WARN)
    put("date-list.md", "---\noutlet: Lst\npublished: [2021, 12, 15]\n---\n" + BODY, WARN)
    put("no-text.json", json.dumps({"outlet": "A", "title": "T"}), ERROR)
    put("text-number.json", json.dumps({"outlet": "A", "text": 42}), ERROR)
    put("text-empty.json", json.dumps({"outlet": "A", "text": "  \n "}), ERROR)
    put("json-list.json", json.dumps([{"text": BODY}]), ERROR)
    put("json-string.json", json.dumps("an article"), ERROR)
    put("json-null.json", "null", ERROR)
    put("json-number.json", "1e999", ERROR)
    put("json-invalid.json", '{"outlet": "A", "text": "unterminated}', ERROR)
    put("json-trailing.json", json.dumps({"text": BODY}) + " garbage", ERROR)
    put(
        "json-nan.json",
        '{"outlet": NaN, "text": "Officials met in Jakarta on Monday, he said."}',
        WARN,
    )
    put("json-no-meta.json", json.dumps({"text": BODY}), WARN)
    # deep nesting
    put("deep-array.json", "[" * 10_000 + "]" * 10_000, ERROR)
    put("deep-object.json", '{"a":' * 10_000 + "1" + "}" * 10_000, ERROR)
    deep_extra = {"outlet": "Deep", "text": BODY}
    put(
        "deep-extra.json",
        json.dumps(deep_extra)[:-1] + ', "meta": ' + "[" * 10_000 + "]" * 10_000 + "}",
        ERROR,
    )
    put("deep.jsonl", "[" * 10_000 + "]" * 10_000 + "\n" + '{"a":' * 5000 + "1" + "}" * 5000, ERROR)
    put("deep-string.json", json.dumps({"outlet": "Str", "text": BODY, "x": "[" * 10_000}), ANY)
    put("jsonl-all-bad.jsonl", "not json\n[1]\n{}\n" + json.dumps({"text": 5}) + "\n", ERROR)
    # huge and long
    put("huge.md", _md("Huge") + ("A sentence of the article. " * 200_000), ERROR)
    put("many-sentences.md", _md("Many") + _sentences(5000), ERROR)
    put("long-line.md", "x" * 1_100_000, ERROR)
    put("long-title-line.md", "---\noutlet: LT\n---\n" + "word " * 220_000, ERROR)
    put("long-front-title.md", _md("LongTitle", title="T" * 50_000) + BODY, ERROR)
    put("long-line.json", json.dumps({"outlet": "LL", "text": "y" * 30_000}), ERROR)
    put(
        "many-sentences.jsonl", json.dumps({"outlet": "MS", "text": _sentences(5000)}) + "\n", ERROR
    )
    put("long-url.md", _md("LongUrl", url="https://x/" + "a" * 30_000) + BODY, ERROR)
    # extreme and implausible dates (readable: warned, treated as missing)
    for i, published in enumerate(
        (
            "9999-12-31T23:59:59-12:00",
            "0001-01-01T00:00:00+05:00",
            "2999-01-01T00:00:00+00:00",
            "2021-12-15T08:00:00+23:59",
            "2021-12-15T08:00:00-23:59",
            "0001-01-01",
            "9999-12-31",
            "1899-12-31T23:00:00+00:00",
            "9999-12-31T23:59:59.999999+14:00",
        )
    ):
        text = (
            BODY + "On Sunday, December 31, 9999, he left. In December 9999 he returns on Friday.\n"
        )
        put(f"date{i}.md", _md(f"Dated{i}", published) + text, WARN)
    put(
        "date-in-text.md",
        _md("TextDates") + "He returned on 9999-12-31 and on 0001-01-01 in year 9999.\n",
        ANY,
    )
    put("date10000.md", _md("TenK", "10000-01-01T00:00:00+00:00") + BODY, WARN)
    # bidi and control characters (readable)
    put("bidi.md", _md("Reu\u202eters", title="Trip \u2066cut\u2069 short \u202d") + BODY, ANY)
    put(
        "bidi.json",
        json.dumps({"outlet": "\u202eAP", "title": "\u202bT", "text": "\u202e" + BODY}),
        ANY,
    )
    put(
        "controls.md",
        _md("Ctl\x1b[31m") + "Line\x0cwith\x1b]0;title\x07 controls.\u2028Next \u2029 part.\n",
        ANY,
    )
    put("zero-width.md", _md("Z\u200bW") + "\u200b\ufeff" + BODY, ANY)
    put("crlf-mixed.md", (_md("Crlf") + BODY).replace("\n", "\r\n")[:40] + "\r" + BODY, ANY)
    # HTML
    put("script-only.html", "<html><script>alert(1)</script></html>", ERROR)
    put("deep.html", "<div>" * 10_000 + "Text of the article here." + "</div>" * 10_000, ANY)
    put("broken.html", "<html><body><p>Unclosed <b>tags <i>everywhere<p>" * 50, ANY)
    put("big-attr.html", '<html><body><p title="' + "a" * 100_000 + '">Hi.</p></body></html>', ANY)
    put("not-html.html", "just plain text, no markup at all, that is all.", ANY)
    # odd names and file system entries
    put("spaces and ünïcode.md", _md("Odd") + BODY, ANY)
    put("README-not.md.bak.md", _md("Bak") + BODY, ANY)
    loop = folder / "loop.md"
    os.symlink("loop.md", loop)
    cases.append(Case("loop.md", ERROR))
    os.symlink("loop-b.json", folder / "loop-a.json")
    os.symlink("loop-a.json", folder / "loop-b.json")
    cases += [Case("loop-a.json", ERROR), Case("loop-b.json", ERROR)]
    os.symlink("missing-target.md", folder / "dangling.md")
    cases.append(Case("dangling.md", ERROR))
    for name in ("folder.md", "folder.json", "folder.html"):
        (folder / name).mkdir()
        cases.append(Case(name, ERROR))
    os.mkfifo(folder / "pipe.md")
    cases.append(Case("pipe.md", ERROR))
    os.symlink("/dev/zero", folder / "zero.md")
    cases.append(Case("zero.md", ERROR))
    return cases


def _good(folder: Path) -> None:
    for name in GOOD:
        shutil.copy(BLINKEN / name, folder / name)


def _assert_clean(text: str) -> None:
    assert "Traceback" not in text, text[-3000:]
    assert "WARNING " not in text and "ERROR " not in text, text[-3000:]


def _error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("error: ")]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Case]]:
    folder = tmp_path_factory.mktemp("bad") / "feed"
    folder.mkdir()
    cases = make_corpus(folder)
    _good(folder)
    return folder, cases


def test_the_corpus_has_at_least_100_bad_inputs(corpus: tuple[Path, list[Case]]) -> None:
    _, cases = corpus
    assert len(cases) >= 100
    assert len({c.name for c in cases}) == len(cases)


def test_report_keeps_the_good_files_and_reports_each_bad_file_once(
    corpus: tuple[Path, list[Case]],
) -> None:
    folder, cases = corpus
    result = runner.invoke(app, ["report", str(folder), "--no-nli", "--format", "json"])
    _assert_clean(result.output + result.stderr)
    assert result.exit_code == 0, result.stderr[-2000:]
    data = json.loads(result.stdout)
    documents = {Path(d["source"].rsplit(":", 1)[0]).name for d in data["documents"]}
    assert set(GOOD) <= documents
    assert any(
        f["verdict"] == "contradiction"
        and {f["a"]["value"], f["b"]["value"]} == {"2021-12-14", "2021-12-15"}
        for f in data["findings"]
    ), "the good files' headline finding was lost"
    errors = _error_lines(result.stderr)
    assert len(errors) == len(set(errors)), "a problem was reported twice"
    for case in cases:
        path = str(folder / case.name)
        mine = [line for line in errors if line.startswith(f"error: {path}:")]
        if case.expect == ERROR:
            assert case.name not in documents, case.name
            if case.name.endswith(".jsonl"):  # one line per bad line of the file
                assert mine, case.name
            else:
                assert len(mine) == 1, (case.name, mine)
        elif case.expect == WARN:
            assert case.name in documents and not mine, (case.name, mine)
            doc = next(d for d in data["documents"] if Path(d["source"]).name == case.name)
            assert doc["warnings"], case.name
    # implausible dates are treated as missing: no resolved date from them
    dated = [d for d in data["documents"] if Path(d["source"]).name.startswith("date")]
    assert dated and all(d["published"] is None for d in dated if "date-in-text" not in d["source"])


def test_gate_keeps_the_other_folders_results(
    corpus: tuple[Path, list[Case]], tmp_path: Path
) -> None:
    folder, _ = corpus
    good = tmp_path / "good"
    good.mkdir()
    _good(good)
    junit = tmp_path / "gate.xml"
    args = ["gate", str(folder), str(good), "--no-nli", "--cache-dir", str(tmp_path / "cache")]
    result = runner.invoke(app, [*args, "--junit", str(junit)])
    _assert_clean(result.output + result.stderr)
    assert result.exit_code == 2  # input problems
    assert "FAIL " in result.stdout  # the good folder's new contradiction is still reported
    assert junit.exists()
    allowed = runner.invoke(app, [*args, "--allow-input-problems"])
    _assert_clean(allowed.output + allowed.stderr)
    assert allowed.exit_code == 1, allowed.stderr[-2000:]


def test_gate_names_a_folder_whose_check_failed_and_keeps_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import checker.pipeline as pipeline

    bad, good = tmp_path / "bad", tmp_path / "good"
    bad.mkdir()
    good.mkdir()
    _good(good)
    _good(bad)
    real = pipeline.run_report

    def exploding(paths, settings, **kwargs):  # noqa: ANN001, ANN003, ANN202
        if Path(paths[0]) == bad:
            raise RecursionError("maximum recursion depth exceeded\nwhile decoding")
        return real(paths, settings, **kwargs)

    monkeypatch.setattr(pipeline, "run_report", exploding)
    args = ["gate", str(bad), str(good), "--no-nli", "--no-cache"]
    result = runner.invoke(app, args)
    _assert_clean(result.output + result.stderr)
    assert (
        f"error: {bad}: check failed (RecursionError: maximum recursion depth exceeded)"
        in result.stderr
    )
    assert "FAIL " in result.stdout
    assert result.exit_code == 2
    allowed = runner.invoke(app, [*args, "--allow-input-problems"])
    assert allowed.exit_code == 2  # a folder that was never checked never passes


def _ingest(paths: list[Path], db: Path) -> object:
    return runner.invoke(app, ["ingest", *map(str, paths), "--db", str(db), "--no-nli"])


def test_ingest_of_the_whole_corpus_then_good_articles(
    corpus: tuple[Path, list[Case]], tmp_path: Path
) -> None:
    folder, _ = corpus
    db = tmp_path / "review.db"
    first = _ingest([folder], db)
    _assert_clean(first.output + first.stderr)
    assert first.exit_code == 0, first.stderr[-2000:]
    good = tmp_path / "good"
    good.mkdir()
    (good / "reuters.md").write_bytes((BLINKEN / "reuters.md").read_bytes())
    (good / "cbs.md").write_bytes((BLINKEN / "cbs-news.md").read_bytes())
    second = _ingest([good], db)
    _assert_clean(second.output + second.stderr)
    assert second.exit_code == 0, second.stderr[-2000:]
    assert "2 new" in second.stdout
    events = runner.invoke(app, ["events", "--db", str(db), "--json"])
    assert events.exit_code == 0
    assert json.loads(events.stdout)


#: the inputs the audit found poisoning a store, each ingested alone before good articles.
POISONS = {
    "long-first-line.md": "x" * 1_100_000,
    "year1.md": _md("Year1", "0001-01-01T00:00:00+05:00") + BODY,
    "year9999.md": _md("Year9999", "9999-12-31T23:59:59-12:00") + BODY,
    "deep.json": "[" * 10_000 + "]" * 10_000,
    "future.md": _md("Future", "2999-01-01T00:00:00+00:00") + BODY,
    "offset.md": _md("Offset", "2021-12-15T08:00:00+23:59") + BODY,
}


@pytest.fixture(scope="module")
def ingest_models() -> tuple[object, object]:
    from claims.embeddings import load_embedder
    from claims.nlp import load_nlp

    return load_embedder(), load_nlp()


def _ingest_then_good(bad: Path, tmp_path: Path, models: tuple[object, object]) -> None:
    """Ingest ``bad`` into a fresh store, then two good articles; the second must succeed."""
    from checker.pipeline import Models
    from checker.settings import Settings
    from checker.workspace.ingest import ingest_paths, pipeline_check
    from checker.workspace.store import connect, list_events

    embedder, nlp = models
    settings = Settings(use_nli=False)
    loaded = Models(settings)
    loaded._nlp, loaded._embedder = nlp, embedder
    check = pipeline_check(settings, loaded)
    db = f"sqlite:///{tmp_path / (bad.name + '.db')}"
    kwargs = {"check": check, "embedder_factory": lambda: embedder, "nlp_factory": lambda: nlp}
    first = ingest_paths(db, [bad], settings, **kwargs)
    assert all("\n" not in str(p) for p in first.problems)
    good = tmp_path / "good"
    if not good.exists():
        good.mkdir()
        _good(good)
    second = ingest_paths(db, [good], settings, **kwargs)
    assert second.added == 2 and not second.failures, (bad.name, second)
    assert not second.problems
    engine = connect(db)
    assert any({"Wire story", "Business Insider"} <= set(e.outlets) for e in list_events(engine))
    engine.dispose()


@pytest.mark.parametrize("name", sorted(POISONS))
def test_a_poisonous_article_does_not_stop_later_ingests(
    name: str, tmp_path: Path, ingest_models: tuple[object, object]
) -> None:
    bad = tmp_path / name
    bad.write_text(POISONS[name], encoding="utf-8")
    _ingest_then_good(bad, tmp_path, ingest_models)


def test_an_article_whose_features_fail_is_refused_and_not_stored(tmp_path: Path) -> None:
    """Whatever makes feature computation fail, the article is one problem and is not stored,
    and the other articles of the same ingest are."""
    import numpy as np

    from checker.report import Report
    from checker.workspace.ingest import ingest_articles
    from checker.workspace.store import connect, latest_articles
    from claims.records import Article

    class Embedder:
        def encode(self, texts):  # noqa: ANN001, ANN201
            if any("poison" in t for t in texts):
                raise ValueError("[E088] Text of length 1100000 exceeds maximum")
            return np.ones((len(texts), 4), dtype=np.float32) / 2

    class Nlp:
        def pipe(self, texts):  # noqa: ANN001, ANN201
            return [object() for _ in texts]

    engine = connect(f"sqlite:///{tmp_path / 'r.db'}")
    good = Article(id="g", outlet="G", text="Good text here.", source="g.md", url="https://g/1")
    bad = Article(id="b", outlet="B", text="poison", source="b.md", url="https://b/1")
    kwargs = {
        "check": lambda arts: Report([], [], {}),
        "embedder_factory": Embedder,
        "nlp_factory": Nlp,
    }
    result = ingest_articles(engine, [good, bad], [], **kwargs)
    assert result.added == 1
    assert [str(p) for p in result.problems] == [
        "b.md: cannot compute event features (ValueError: [E088] Text of length 1100000 exceeds "
        "maximum)"
    ]
    assert [s.article.id for s in latest_articles(engine)] == ["g"]
    again = ingest_articles(engine, [good], [], **kwargs)
    assert again.unchanged == 1 and not again.problems and not again.failures
    engine.dispose()


def test_a_store_poisoned_by_an_older_version_heals(tmp_path: Path) -> None:
    """A row stored without features (as older versions left it) gets neutral ones and a failure
    line when its features cannot be computed; the ingest goes on."""
    import numpy as np

    from checker.report import Report
    from checker.workspace.ingest import ingest_articles
    from checker.workspace.store import connect, latest_articles, save_articles
    from claims.records import Article

    class Embedder:
        def encode(self, texts):  # noqa: ANN001, ANN201
            if any("poison" in t for t in texts):
                raise ValueError("too long")
            return np.ones((len(texts), 4), dtype=np.float32) / 2

    class Nlp:
        def pipe(self, texts):  # noqa: ANN001, ANN201
            return [object() for _ in texts]

    engine = connect(f"sqlite:///{tmp_path / 'r.db'}")
    save_articles(engine, [Article(id="b", outlet="B", text="poison", source="b.md")])
    kwargs = {
        "check": lambda arts: Report([], [], {}),
        "embedder_factory": Embedder,
        "nlp_factory": Nlp,
    }
    good = Article(id="g", outlet="G", text="Good text here.", source="g.md")
    result = ingest_articles(engine, [good], [], **kwargs)
    assert result.added == 1
    assert result.failures == [
        "b.md: event features failed (ValueError: too long); kept as an event of its own"
    ]
    assert all(s.embedding is not None for s in latest_articles(engine))
    again = ingest_articles(engine, [good], [], **kwargs)
    assert not again.failures
    engine.dispose()


@pytest.mark.slow
def test_every_bad_input_alone_then_good_articles_ingest(
    tmp_path: Path, ingest_models: tuple[object, object]
) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    cases = make_corpus(folder)
    for case in cases:
        work = tmp_path / "one" / case.name.replace(" ", "_")
        work.mkdir(parents=True)
        _ingest_then_good(folder / case.name, work, ingest_models)


# --- the review app ------------------------------------------------------------------------


@pytest.fixture
def review_client(tmp_path: Path):  # noqa: ANN201
    from review_seed import seed_store

    from checker.workspace.review_app import create_app

    db = f"sqlite:///{tmp_path / 'review.db'}"
    ids = seed_store(db)
    client = create_app(db).test_client()
    yield client, ids
    client.application.extensions["crossclaim_engine"].dispose()


def _csrf(client, fingerprint: str) -> str:  # noqa: ANN001
    import re

    html = client.get(f"/findings/{fingerprint}").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_a_chunked_50mb_post_is_refused_while_it_is_read(review_client) -> None:  # noqa: ANN001
    import io

    from checker.workspace.store import finding_history

    client, ids = review_client
    token = _csrf(client, ids["weekday"])
    read = 0

    class Body(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def readinto(self, buffer) -> int:  # noqa: ANN001
            nonlocal read
            if read >= 50 * 1024 * 1024:
                return 0
            n = min(len(buffer), 1024 * 1024)
            buffer[:n] = b"x" * n
            read += n
            return n

    head = f"csrf_token={token}&verdict=confirmed&reviewer=ana&note=".encode()
    stream = io.BufferedReader(Body())
    body = io.BytesIO(head + stream.read(200 * 1024))  # more than the limit, less than 50 MB
    response = client.post(
        f"/findings/{ids['weekday']}/review",
        input_stream=body,
        headers={
            "Transfer-Encoding": "chunked",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    assert response.status_code == 413
    engine = client.application.extensions["crossclaim_engine"]
    assert finding_history(engine, ids["weekday"]) == []


def test_an_over_long_note_or_reviewer_is_refused_not_cut(review_client) -> None:  # noqa: ANN001
    from checker.workspace.review_app import MAX_NOTE_CHARS, MAX_REVIEWER_CHARS
    from checker.workspace.store import finding_history

    client, ids = review_client
    token = _csrf(client, ids["weekday"])
    url = f"/findings/{ids['weekday']}/review"
    form = {"csrf_token": token, "verdict": "confirmed", "reviewer": "ana", "note": "ok"}
    long_name = client.post(url, data={**form, "reviewer": "a" * (MAX_REVIEWER_CHARS + 1)})
    assert long_name.status_code == 400
    long_note = client.post(url, data={**form, "note": "n" * (MAX_NOTE_CHARS + 1)})
    assert long_note.status_code == 400
    engine = client.application.extensions["crossclaim_engine"]
    assert finding_history(engine, ids["weekday"]) == []
    assert client.post(url, data=form).status_code == 303


def test_bidi_controls_in_displayed_fields_are_shown_not_obeyed(tmp_path: Path) -> None:
    from checker.workspace.review_app import create_app
    from checker.workspace.store import connect, content_id, save_articles
    from claims.records import Article

    db = f"sqlite:///{tmp_path / 'review.db'}"
    engine = connect(db)
    article = Article(
        id="a",
        outlet="Reu\u202eters",
        text="Blinken \u2066left\u2069 early.",
        source="a.md",
        title="Trip \u202dcut short",
    )
    save_articles(engine, [article])
    engine.dispose()
    client = create_app(db).test_client()
    html = client.get(f"/articles/{content_id(article)}").get_data(as_text=True)
    client.application.extensions["crossclaim_engine"].dispose()
    assert not any(ch in html for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
    assert "Reu[U+202E]ters" in html and "Trip [U+202D]cut short" in html


def test_the_review_server_header_names_no_versions(tmp_path: Path) -> None:
    import http.client
    import threading

    from checker.workspace.review_app import SERVER_NAME, create_app, make_review_server

    app = create_app(f"sqlite:///{tmp_path / 'review.db'}")
    server = make_review_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=30)
        conn.request("GET", "/")
        response = conn.getresponse()
        response.read()
        assert response.getheader("Server") == SERVER_NAME
        assert "Werkzeug" not in str(response.headers) and "Python" not in str(response.headers)
    finally:
        server.shutdown()
        server.server_close()
        app.extensions["crossclaim_engine"].dispose()
