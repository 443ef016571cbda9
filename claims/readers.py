"""Read a bundle of articles (files or folders) into :class:`~claims.records.Article` records.

Supported files:

* ``.md`` / ``.txt``: optional YAML front matter (``outlet``, ``published``, ``title``, ``url``;
  other keys such as ``note`` are ignored) between ``---`` lines, then the article body.
* ``.json``: one object with the same keys plus ``text``.
* ``.jsonl``: one such object per line; a bad line is reported as ``file:line`` and the other
  lines are still read.
* ``.html`` / ``.htm``: main text and metadata through trafilatura.

A folder is read non-recursively, in sorted order, skipping hidden files, ``README.*`` files (a
bundle's own description) and files of other types.

Nothing here raises on bad input: an unreadable, empty, binary, too large, non-UTF-8 or malformed
file becomes one :class:`~claims.records.InputProblem` with a one-line message (and a logged
warning), and the other files are still read.

Metadata decisions:

* no ``outlet``: the file name's stem is used, with a warning on the article;
* no or unparseable ``published``: ``published=None`` with a warning (relative dates such as
  "Tuesday" then stay unresolved: nothing is guessed);
* ``published`` without a UTC offset: kept as a *naive* datetime read as the outlet's local time
  (which is what relative dates are resolved in), with a warning; a date without a time is
  midnight local time, with a warning that the time of day is unknown.

The body is normalised lightly: trailing spaces are stripped and runs of blank lines become one
blank line (the paragraph break); characters inside lines are never changed. ``Article.line`` and
``Article.source_lines`` keep the way back from a character offset to a file line
(:func:`line_of_offset`).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from claims.records import Article, InputProblem

log = logging.getLogger(__name__)

TEXT_SUFFIXES = (".md", ".txt")
JSON_SUFFIXES = (".json",)
JSONL_SUFFIXES = (".jsonl",)
HTML_SUFFIXES = (".html", ".htm")
SUPPORTED_SUFFIXES = TEXT_SUFFIXES + JSON_SUFFIXES + JSONL_SUFFIXES + HTML_SUFFIXES

#: the front matter keys an article uses; any other key is ignored.
METADATA_KEYS = ("outlet", "published", "title", "url")

_FRONT_MATTER_FENCE = "---"
_FRONT_MATTER_END = ("---", "...")


class _InputError(Exception):
    """A file (or line) that cannot be read as an article; the message is one line."""


class _FrontMatterLoader(yaml.SafeLoader):
    """SafeLoader that keeps timestamps as strings (offsets are parsed by us, not by PyYAML)."""


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class _Body:
    """A normalised article body and the file line of each of its lines."""

    text: str
    lines: list[int] = field(default_factory=list)


def read_bundle(
    paths: Sequence[Path | str], max_bytes: int = 5_000_000
) -> tuple[list[Article], list[InputProblem]]:
    """Read every article in ``paths`` (files, or folders of files).

    Returns the articles (ids unique within the bundle) and one problem per file or line that
    could not be read. Never raises on bad input.

    >>> articles, problems = read_bundle([Path("examples/blinken-2021-12")])  # doctest: +SKIP
    >>> [a.id for a in articles]  # doctest: +SKIP
    ['business-insider', 'cbs-news', 'reuters', 'wire']
    """
    articles: list[Article] = []
    problems: list[InputProblem] = []
    used_ids: set[str] = set()
    for file, problem in _bundle_files(paths):
        if problem is not None:
            problems.append(_report(problem))
            continue
        assert file is not None
        for item in _read_file(file, max_bytes):
            if isinstance(item, InputProblem):
                problems.append(_report(item))
                continue
            unique = _unique_id(item.id, file, used_ids)
            used_ids.add(unique)
            if unique != item.id:
                item = _replace_id(item, unique)
            articles.append(item)
    return articles, problems


def line_of_offset(article: Article, offset: int) -> int:
    """The 1-based line of ``article.source`` that holds character ``offset`` of ``article.text``.

    >>> a = Article(id="a", outlet="A", text="One.\\n\\nTwo.", source="a.md", line=5)
    >>> line_of_offset(a, a.text.index("Two"))
    7
    """
    offset = max(0, min(offset, len(article.text)))
    index = article.text.count("\n", 0, offset)
    if article.source_lines and index < len(article.source_lines):
        return article.source_lines[index]
    return article.line + index


def is_bundle_file(path: Path) -> bool:
    """Whether a folder entry is read as an article (supported type, not hidden, not README).

    >>> is_bundle_file(Path("cbs.md")), is_bundle_file(Path("README.md"))
    (True, False)
    """
    name = path.name
    if name.startswith(".") or path.stem.upper() == "README":
        return False
    return path.suffix.lower() in SUPPORTED_SUFFIXES


# --- files ---------------------------------------------------------------------------------


def _bundle_files(
    paths: Iterable[Path | str],
) -> Iterable[tuple[Path | None, InputProblem | None]]:
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            try:
                entries = sorted(p for p in path.iterdir() if p.is_file() and is_bundle_file(p))
            except OSError as err:
                yield None, InputProblem(str(path), f"cannot list folder: {_os_reason(err)}")
                continue
            if not entries:
                kinds = ", ".join(SUPPORTED_SUFFIXES)
                yield None, InputProblem(str(path), f"folder holds no article files ({kinds})")
            for entry in entries:
                yield entry, None
        elif path.exists():
            if path.suffix.lower() not in SUPPORTED_SUFFIXES:
                kinds = ", ".join(SUPPORTED_SUFFIXES)
                message = f"unsupported file type '{path.suffix or path.name}' (expected {kinds})"
                yield None, InputProblem(str(path), message)
            else:
                yield path, None
        else:
            yield None, InputProblem(str(path), "no such file or folder")


def _read_file(path: Path, max_bytes: int) -> list[Article | InputProblem]:
    source = str(path)
    try:
        text = _read_text(path, max_bytes)
        suffix = path.suffix.lower()
        if suffix in JSONL_SUFFIXES:
            return _read_jsonl(text, path)
        if suffix in JSON_SUFFIXES:
            return [_read_json(text, path)]
        if suffix in HTML_SUFFIXES:
            return [_read_html(text, path)]
        return [_read_text_article(text, path)]
    except _InputError as err:
        return [InputProblem(source, str(err))]


def _read_text(path: Path, max_bytes: int) -> str:
    """The file's text (UTF-8, BOM dropped, line ends made ``\\n``), or an ``_InputError``."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise _InputError(f"file too large ({size:,} bytes; the limit is {max_bytes:,})")
        data = path.read_bytes()
    except OSError as err:
        raise _InputError(f"cannot read: {_os_reason(err)}") from err
    if len(data) > max_bytes:  # grew after stat
        raise _InputError(f"file too large (over {max_bytes:,} bytes)")
    if not data.strip():
        raise _InputError("empty file")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise _InputError(f"binary file, not text (NUL byte at offset {nul})")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        bad = data[err.start]
        raise _InputError(f"not UTF-8 text (byte 0x{bad:02x} at offset {err.start})") from err
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _os_reason(err: OSError) -> str:
    return (err.strerror or err.__class__.__name__).lower()


# --- formats -------------------------------------------------------------------------------


def _read_text_article(text: str, path: Path) -> Article:
    lines = text.split("\n")
    meta: dict[str, Any] = {}
    body_start = 0  # index into ``lines``
    if lines and lines[0].strip() == _FRONT_MATTER_FENCE:
        end = next(
            (i for i in range(1, len(lines)) if lines[i].rstrip() in _FRONT_MATTER_END), None
        )
        if end is None:
            raise _InputError("front matter not closed (no '---' line after the opening '---')")
        meta = _parse_front_matter("\n".join(lines[1:end]))
        body_start = end + 1
    body = _normalise_body(lines[body_start:], first_line=body_start + 1)
    if not body.text:
        raise _InputError("no article text (the file has front matter only)")
    return _make_article(meta, body, path, article_id=_stem(path), source=str(path))


def _parse_front_matter(block: str) -> dict[str, Any]:
    try:
        data = yaml.load(block, Loader=_FrontMatterLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"line {mark.line + 2}: " if mark is not None else ""
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise _InputError(f"bad YAML front matter ({where}{problem})") from err
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise _InputError("bad YAML front matter (not a mapping of key: value)")
    return data


def _read_json(text: str, path: Path) -> Article:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise _InputError(
            f"not valid JSON (line {err.lineno}, column {err.colno}: {err.msg})"
        ) from err
    return _article_from_object(data, path, article_id=_stem(path), source=str(path), line=1)


def _read_jsonl(text: str, path: Path) -> list[Article | InputProblem]:
    out: list[Article | InputProblem] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        if not raw.strip():
            continue
        source = f"{path}:{number}"
        try:
            try:
                data = json.loads(raw)
            except json.JSONDecodeError as err:
                raise _InputError(f"not valid JSON (column {err.colno}: {err.msg})") from err
            out.append(
                _article_from_object(
                    data, path, article_id=f"{_stem(path)}#{number}", source=source, line=number
                )
            )
        except _InputError as err:
            out.append(InputProblem(source, str(err)))
    return out


def _article_from_object(
    data: Any, path: Path, *, article_id: str, source: str, line: int
) -> Article:
    if not isinstance(data, dict):
        raise _InputError(f"JSON is {_json_kind(data)}, not an article object")
    if "text" not in data:
        raise _InputError("article object has no 'text' field")
    if not isinstance(data["text"], str):
        raise _InputError(f"'text' is {_json_kind(data['text'])}, not a string")
    lines = data["text"].replace("\r\n", "\n").replace("\r", "\n").split("\n")
    body = _normalise_body(lines, first_line=1)
    if not body.text:
        raise _InputError("'text' is empty")
    # Offsets in a JSON article cannot be mapped to file lines: they all point at its line.
    body = _Body(body.text, [])
    meta = {k: data[k] for k in METADATA_KEYS if k in data}
    return _make_article(meta, body, path, article_id=article_id, source=source, line=line)


def _json_kind(value: Any) -> str:
    kinds = {list: "a list", str: "a string", bool: "a boolean", int: "a number", float: "a number"}
    return "null" if value is None else kinds.get(type(value), type(value).__name__)


def _read_html(text: str, path: Path) -> Article:
    try:
        import trafilatura
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise _InputError(f"cannot read HTML: trafilatura unavailable ({err})") from err
    try:
        doc = trafilatura.bare_extraction(
            text,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            date_extraction_params={
                "extensive_search": True,
                "original_date": True,
                "outputformat": "%Y-%m-%dT%H:%M:%S%z",
            },
        )
    except Exception as err:  # trafilatura raises many kinds on broken markup
        raise _InputError(f"cannot parse HTML ({err.__class__.__name__}: {err})") from err
    if doc is None or not (getattr(doc, "text", None) or "").strip():
        raise _InputError("no article text found in the HTML page")
    title = (doc.title or "").strip()
    paragraphs = [p.strip() for p in doc.text.split("\n") if p.strip()]
    if paragraphs and title and paragraphs[0] == title:
        paragraphs = paragraphs[1:]  # the headline, already in ``title``
    if not paragraphs:
        raise _InputError("no article text found in the HTML page")
    meta: dict[str, Any] = {"title": title, "url": doc.url or ""}
    if doc.sitename:
        meta["outlet"] = doc.sitename
    if doc.date:
        meta["published"] = doc.date
    body = _Body("\n\n".join(paragraphs), [])
    return _make_article(meta, body, path, article_id=_stem(path), source=str(path))


# --- metadata and body ---------------------------------------------------------------------


def _make_article(
    meta: dict[str, Any], body: _Body, path: Path, *, article_id: str, source: str, line: int = 0
) -> Article:
    warnings: list[str] = []
    outlet = meta.get("outlet")
    if not isinstance(outlet, str) or not outlet.strip():
        outlet = _stem(path)
        warnings.append(f"no outlet given: using the file name '{outlet}'")
    published = _parse_published(meta.get("published"), warnings)
    first_line = line or (body.lines[0] if body.lines else 1)
    consecutive = body.lines == list(range(first_line, first_line + len(body.lines)))
    for warning in warnings:
        log.warning("%s: %s", source, warning)
    return Article(
        id=article_id,
        outlet=outlet.strip(),
        text=body.text,
        source=source,
        title=_text_field(meta.get("title")),
        url=_text_field(meta.get("url")),
        published=published,
        line=first_line,
        warnings=tuple(warnings),
        source_lines=() if consecutive else tuple(body.lines),
    )


def _text_field(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MIDNIGHT_NO_OFFSET = re.compile(r"^\d{4}-\d{2}-\d{2}T00:00:00$")


def _parse_published(value: Any, warnings: list[str]) -> dt.datetime | None:
    """Parse an ISO 8601 publication time; problems become warnings, never guesses.

    >>> w = []
    >>> _parse_published("2021-12-15T08:42:00-05:00", w).utcoffset(), w
    (datetime.timedelta(days=-1, seconds=68400), [])
    >>> _parse_published("15/12/2021", w), w[0][:31]
    (None, "unparseable publication date '1")
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        warnings.append("no publication date: relative dates left unresolved")
        return None
    if isinstance(value, dt.datetime):
        parsed = value
        raw = value.isoformat()
    elif isinstance(value, dt.date):
        parsed = dt.datetime(value.year, value.month, value.day)
        raw = value.isoformat()
    elif isinstance(value, str):
        raw = value.strip()
        try:
            parsed = dt.datetime.fromisoformat(raw)
        except ValueError:
            parsed = _parse_compact_offset(raw)
            if parsed is None:
                warnings.append(
                    f"unparseable publication date '{raw}' (expected ISO 8601, e.g. "
                    "2021-12-15T08:42:00-05:00): relative dates left unresolved"
                )
                return None
    else:
        warnings.append(f"publication date is not text ({value!r}): relative dates left unresolved")
        return None
    if _DATE_ONLY.match(raw) or _MIDNIGHT_NO_OFFSET.match(raw):
        warnings.append(
            f"publication date '{raw}' has no time of day: read as that day in the outlet's "
            "local time"
        )
    elif parsed.tzinfo is None:
        warnings.append(
            f"publication time '{raw}' has no UTC offset: read as the outlet's local time"
        )
    return parsed


def _parse_compact_offset(raw: str) -> dt.datetime | None:
    """``2021-12-15T08:42:00-0500`` (trafilatura's ``%z``) and similar ``strptime`` forms."""
    for fmt in ("%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M%z"):
        try:
            return dt.datetime.strptime(raw, fmt)
        except ValueError:
            continue
    return None


def _normalise_body(lines: Sequence[str], first_line: int) -> _Body:
    """Strip trailing spaces, collapse blank-line runs to one blank line, trim blank ends.

    >>> b = _normalise_body(["", "One.  ", "", "", "", "Two."], first_line=3)
    >>> b.text, b.lines
    ('One.\\n\\nTwo.', [4, 5, 8])
    """
    out: list[str] = []
    numbers: list[int] = []
    for index, raw in enumerate(lines):
        line = raw.rstrip()
        if not line and (not out or not out[-1]):
            continue  # leading blank, or a second blank in a row
        out.append(line)
        numbers.append(first_line + index)
    while out and not out[-1]:
        out.pop()
        numbers.pop()
    return _Body("\n".join(out), numbers)


# --- ids and reporting ---------------------------------------------------------------------


def _stem(path: Path) -> str:
    return path.stem


def _unique_id(article_id: str, path: Path, used: set[str]) -> str:
    if article_id not in used:
        return article_id
    candidate = article_id.replace(path.stem, path.name, 1)
    if candidate not in used:
        return candidate
    number = 2
    while f"{article_id}-{number}" in used:
        number += 1
    return f"{article_id}-{number}"


def _replace_id(article: Article, new_id: str) -> Article:
    return replace(article, id=new_id)


def _report(problem: InputProblem) -> InputProblem:
    log.warning("%s", problem)
    return problem
