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
file (and a symbolic link loop, a folder or special file named like an article, JSON or YAML nested
too deeply, an article over a size limit) becomes one :class:`~claims.records.InputProblem` with a
one-line message, and the other files are still read. Problems are logged at DEBUG only: the
command line prints each one once (``error: FILE: problem``).

Limits (:class:`ReadLimits`; ``checker.settings.Settings`` carries the same numbers with the
reasons for them): article length in characters and in sentences, line length, JSON nesting
depth, and a plausible window for publication dates.

Metadata decisions:

* no ``outlet``: the file name's stem is used, with a warning on the article;
* no or unparseable ``published``: ``published=None`` with a warning (relative dates such as
  "Tuesday" then stay unresolved: nothing is guessed);
* ``published`` without a UTC offset: kept as a *naive* datetime read as the outlet's local time
  (which is what relative dates are resolved in), with a warning; a date without a time is
  midnight local time, with a warning that the time of day is unknown;
* ``published`` outside the plausible window (before ``ReadLimits.earliest_year``, or more than
  ``ReadLimits.max_future_hours`` after now) or with a UTC offset no time zone uses (outside
  -12:00..+14:00): ``published=None`` with a warning, as if it were missing.

The body is normalised lightly: trailing spaces are stripped and runs of blank lines become one
blank line (the paragraph break); characters inside lines are never changed. ``Article.line`` and
``Article.source_lines`` keep the way back from a character offset to a file line
(:func:`line_of_offset`).
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import logging
import os
import re
import stat
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from claims.records import Article, InputProblem
from claims.sentences import split_sentences

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

#: UTC offsets that real time zones use run from -12:00 (Baker Island) to +14:00 (Line Islands);
#: anything else (``+23:59``) is a typo or a forgery and would shift the day of every relative
#: date in the article.
MIN_UTC_OFFSET = dt.timedelta(hours=-12)
MAX_UTC_OFFSET = dt.timedelta(hours=14)


@dataclass(frozen=True)
class ReadLimits:
    """Limits every article must keep to; a file over one is refused with a one-line problem
    (a publication date outside the window is only a warning). These defaults are the one
    home of the values; ``checker.settings.Settings`` takes them and says why each was chosen.

    >>> ReadLimits().max_article_sentences
    400
    """

    #: characters of article text (the body, after the front matter).
    max_article_chars: int = 100_000
    #: sentences of article text (``claims.sentences.split_sentences``).
    max_article_sentences: int = 400
    #: characters in one line of article text, or in the title.
    max_line_chars: int = 20_000
    #: nesting depth of a JSON document (objects and arrays).
    max_json_depth: int = 64
    #: publication dates before 1 January of this year are treated as missing.
    earliest_year: int = 1900
    #: publication dates more than this many hours after now are treated as missing.
    max_future_hours: float = 48.0


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


@dataclass(frozen=True)
class _Context:
    """What every file of one ``read_bundle`` call is read against."""

    max_bytes: int
    limits: ReadLimits
    now: dt.datetime


def read_bundle(
    paths: Sequence[Path | str],
    max_bytes: int = 5_000_000,
    limits: ReadLimits | None = None,
    *,
    now: dt.datetime | None = None,
) -> tuple[list[Article], list[InputProblem]]:
    """Read every article in ``paths`` (files, or folders of files).

    Returns the articles (ids unique within the bundle) and one problem per file or line that
    could not be read. Never raises on bad input. ``limits`` defaults to :class:`ReadLimits`;
    ``now`` (UTC; default: the current time) bounds plausible publication dates.

    >>> articles, problems = read_bundle([Path("examples/blinken-2021-12")])  # doctest: +SKIP
    >>> [a.id for a in articles]  # doctest: +SKIP
    ['business-insider', 'cbs-news', 'reuters', 'wire']
    """
    context = _Context(
        max_bytes=max_bytes,
        limits=limits or ReadLimits(),
        now=now or dt.datetime.now(dt.UTC),
    )
    articles: list[Article] = []
    problems: list[InputProblem] = []
    used_ids: set[str] = set()
    for file, problem in _bundle_files(paths):
        if problem is not None:
            problems.append(_report(problem))
            continue
        assert file is not None
        for item in _read_file(file, context):
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
        kind, reason = _path_kind(path)
        if kind == "dir":
            yield from _folder_files(path)
        elif kind == "file":
            if path.suffix.lower() not in SUPPORTED_SUFFIXES:
                kinds = ", ".join(SUPPORTED_SUFFIXES)
                message = f"unsupported file type '{path.suffix or path.name}' (expected {kinds})"
                yield None, InputProblem(str(path), message)
            else:
                yield path, None
        else:
            yield None, InputProblem(str(path), reason)


def _folder_files(folder: Path) -> Iterable[tuple[Path | None, InputProblem | None]]:
    """The article files of a folder, sorted; an entry named like an article that is not a
    readable regular file (a folder, a symbolic link loop, a device) is a problem."""
    try:
        entries = sorted(p for p in folder.iterdir() if is_bundle_file(p))
    except OSError as err:
        yield None, InputProblem(str(folder), f"cannot list folder: {_os_reason(err)}")
        return
    found = False
    for entry in entries:
        kind, reason = _path_kind(entry)
        if kind == "file":
            found = True
            yield entry, None
        elif kind == "dir":
            yield None, InputProblem(str(entry), "is a folder, not an article file")
        else:
            yield None, InputProblem(str(entry), reason)
    if not found:
        kinds = ", ".join(SUPPORTED_SUFFIXES)
        yield None, InputProblem(str(folder), f"folder holds no article files ({kinds})")


def _path_kind(path: Path) -> tuple[str, str]:
    """``("file", "")``, ``("dir", "")`` or ``("bad", one-line reason)`` for a path.

    A symbolic link loop and a link to nothing are named as such (``Path.exists`` calls both
    "no such file"); a FIFO or device is refused, since reading it could block forever.
    """
    try:
        mode = path.stat().st_mode
    except OSError as err:
        if err.errno == errno.ELOOP:
            return "bad", "symbolic link loop (the link points back at itself)"
        if err.errno == errno.ENOENT and path.is_symlink():
            return "bad", f"broken symbolic link (its target {os.readlink(path)!r} is missing)"
        if err.errno == errno.ENOENT:
            return "bad", "no such file or folder"
        if err.errno == errno.ENAMETOOLONG:
            return "bad", "file name too long"
        return "bad", f"cannot read: {_os_reason(err)}"
    except ValueError as err:  # an embedded NUL byte in the name
        return "bad", f"invalid file name ({err})"
    if stat.S_ISDIR(mode):
        return "dir", ""
    if stat.S_ISREG(mode):
        return "file", ""
    return "bad", "not a regular file (a device, socket or pipe)"


def _read_file(path: Path, context: _Context) -> list[Article | InputProblem]:
    source = str(path)
    try:
        text = _read_text(path, context.max_bytes)
        suffix = path.suffix.lower()
        if suffix in JSONL_SUFFIXES:
            return _read_jsonl(text, path, context)
        if suffix in JSON_SUFFIXES:
            return [_read_json(text, path, context)]
        if suffix in HTML_SUFFIXES:
            return [_read_html(text, path, context)]
        return [_read_text_article(text, path, context)]
    except _InputError as err:
        return [InputProblem(source, str(err))]
    except Exception as err:  # noqa: BLE001 - a reader bug or RecursionError: never stop a run
        log.debug("reading %s failed", source, exc_info=True)
        return [InputProblem(source, f"cannot read ({_one_line(err)})")]


def _one_line(err: BaseException) -> str:
    """An exception as ``Type: first line of its message`` (at most 300 characters)."""
    lines = str(err).strip().splitlines()
    message = f"{type(err).__name__}: {lines[0]}" if lines else type(err).__name__
    return message[:300]


def _read_text(path: Path, max_bytes: int) -> str:
    """The file's text (UTF-8, BOM dropped, line ends made ``\\n``), or an ``_InputError``.

    The size limit is enforced while reading (a file that grows after ``stat`` is cut off at the
    limit and refused), so no file is ever read whole into memory past ``max_bytes``.
    """
    try:
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > max_bytes:
                raise _InputError(f"file too large ({size:,} bytes; the limit is {max_bytes:,})")
            data = handle.read(max_bytes + 1)
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
    if not text.strip():  # a byte-order mark, or Unicode spaces only
        raise _InputError("empty file")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _os_reason(err: OSError) -> str:
    return (err.strerror or err.__class__.__name__).lower()


# --- formats -------------------------------------------------------------------------------


def _read_text_article(text: str, path: Path, context: _Context) -> Article:
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
    return _make_article(meta, body, path, context, article_id=_stem(path), source=str(path))


def _parse_front_matter(block: str) -> dict[str, Any]:
    try:
        data = yaml.load(block, Loader=_FrontMatterLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"line {mark.line + 2}: " if mark is not None else ""
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise _InputError(f"bad YAML front matter ({where}{problem})") from err
    except RecursionError as err:
        raise _InputError("bad YAML front matter (nested too deeply)") from err
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise _InputError("bad YAML front matter (not a mapping of key: value)")
    return data


def json_depth(text: str) -> int:
    """The deepest nesting of objects and arrays in a JSON text (strings are skipped), without
    parsing it, so a document nested 10,000 levels is refused before ``json.loads`` recurses.

    >>> json_depth('{"a": [1, {"b": "[[["}]}'), json_depth("3")
    (3, 0)
    """
    depth = deepest = 0
    for match in _JSON_STRUCTURE.finditer(text):
        token = match.group(0)
        if token in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif token in "]}":
            depth -= 1
    return deepest


_JSON_STRUCTURE = re.compile(r'"(?:[^"\\]|\\.)*"?|[\[\]{}]')


def _load_json(text: str, limits: ReadLimits, *, with_line: bool) -> Any:
    """``json.loads`` after the nesting check (a syntax error names its line when asked)."""
    depth = json_depth(text)
    if depth > limits.max_json_depth:
        raise _InputError(
            f"JSON nested too deeply ({depth:,} levels; the limit is {limits.max_json_depth})"
        )
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        where = f"line {err.lineno}, " if with_line else ""
        raise _InputError(f"not valid JSON ({where}column {err.colno}: {err.msg})") from err
    except RecursionError as err:  # a depth the scan missed: still one line
        raise _InputError("JSON nested too deeply") from err


def _read_json(text: str, path: Path, context: _Context) -> Article:
    data = _load_json(text, context.limits, with_line=True)
    return _article_from_object(
        data, path, context, article_id=_stem(path), source=str(path), line=1
    )


def _read_jsonl(text: str, path: Path, context: _Context) -> list[Article | InputProblem]:
    out: list[Article | InputProblem] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        if not raw.strip():
            continue
        source = f"{path}:{number}"
        try:
            data = _load_json(raw, context.limits, with_line=False)
            out.append(
                _article_from_object(
                    data,
                    path,
                    context,
                    article_id=f"{_stem(path)}#{number}",
                    source=source,
                    line=number,
                )
            )
        except _InputError as err:
            out.append(InputProblem(source, str(err)))
        except Exception as err:  # noqa: BLE001 - one bad line must not lose the others
            log.debug("reading %s failed", source, exc_info=True)
            out.append(InputProblem(source, f"cannot read ({_one_line(err)})"))
    return out


def _article_from_object(
    data: Any, path: Path, context: _Context, *, article_id: str, source: str, line: int
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
    return _make_article(meta, body, path, context, article_id=article_id, source=source, line=line)


#: libraries that log at ERROR about a page they cannot parse: the problem line says it once.
_HTML_LOGGERS = ("trafilatura", "htmldate", "courlan", "justext")


@contextmanager
def _quiet_loggers(names: Sequence[str]) -> Iterator[None]:
    """Silence these loggers while a page is parsed (their levels are restored after), so a bad
    page is reported once, as its problem line, not again as the library's own log lines."""
    loggers = [logging.getLogger(name) for name in names]
    saved = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for logger, level in zip(loggers, saved, strict=True):
            logger.setLevel(level)


def _json_kind(value: Any) -> str:
    kinds = {list: "a list", str: "a string", bool: "a boolean", int: "a number", float: "a number"}
    return "null" if value is None else kinds.get(type(value), type(value).__name__)


def _read_html(text: str, path: Path, context: _Context) -> Article:
    try:
        import trafilatura
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise _InputError(f"cannot read HTML: trafilatura unavailable ({err})") from err
    try:
        with _quiet_loggers(_HTML_LOGGERS):
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
        raise _InputError(f"cannot parse HTML ({_one_line(err)})") from err
    if isinstance(doc, dict):  # only with ``as_dict=True``, which is not asked for
        doc = None
    found = (doc.text if doc is not None else None) or ""
    if doc is None or not found.strip():
        raise _InputError("no article text found in the HTML page")
    title = (doc.title or "").strip()
    paragraphs = [p.strip() for p in found.split("\n") if p.strip()]
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
    return _make_article(meta, body, path, context, article_id=_stem(path), source=str(path))


# --- metadata and body ---------------------------------------------------------------------


def _check_body(body: _Body, limits: ReadLimits) -> None:
    """Refuse an article text over the size limits (characters, line length, sentences)."""
    chars = len(body.text)
    if chars > limits.max_article_chars:
        raise _InputError(
            f"article too long ({chars:,} characters; the limit is {limits.max_article_chars:,})"
        )
    longest, index = max((len(line), i) for i, line in enumerate(body.text.split("\n")))
    if longest > limits.max_line_chars:
        where = f"line {body.lines[index]}" if body.lines else f"line {index + 1} of the text"
        raise _InputError(
            f"{where} too long ({longest:,} characters; the limit is {limits.max_line_chars:,})"
        )
    sentences = len(split_sentences(body.text))
    if sentences > limits.max_article_sentences:
        raise _InputError(
            f"article too long ({sentences:,} sentences; the limit is "
            f"{limits.max_article_sentences:,})"
        )


def _make_article(
    meta: dict[str, Any],
    body: _Body,
    path: Path,
    context: _Context,
    *,
    article_id: str,
    source: str,
    line: int = 0,
) -> Article:
    _check_body(body, context.limits)
    warnings: list[str] = []
    outlet = meta.get("outlet")
    if not isinstance(outlet, str) or not outlet.strip():
        outlet = _stem(path)
        warnings.append(f"no outlet given: using the file name '{outlet}'")
    title = _text_field(meta.get("title"))
    for name in ("outlet", "title", "url"):
        value = outlet if name == "outlet" else _text_field(meta.get(name))
        if len(value) > context.limits.max_line_chars:
            raise _InputError(
                f"{name} too long ({len(value):,} characters; the limit is "
                f"{context.limits.max_line_chars:,})"
            )
    published = _parse_published(meta.get("published"), warnings, context)
    first_line = line or (body.lines[0] if body.lines else 1)
    consecutive = body.lines == list(range(first_line, first_line + len(body.lines)))
    for warning in warnings:
        log.debug("%s: %s", source, warning)
    return Article(
        id=article_id,
        outlet=outlet.strip(),
        text=body.text,
        source=source,
        title=title,
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


def _parse_published(
    value: Any, warnings: list[str], context: _Context | None = None
) -> dt.datetime | None:
    """Parse an ISO 8601 publication time; problems become warnings, never guesses.

    A time outside the plausible window or with an offset no time zone uses is treated as
    missing (:func:`implausible_published`).

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
            compact = _parse_compact_offset(raw)
            if compact is None:
                warnings.append(
                    f"unparseable publication date '{raw[:80]}' (expected ISO 8601, e.g. "
                    "2021-12-15T08:42:00-05:00): relative dates left unresolved"
                )
                return None
            parsed = compact
    else:
        shown = repr(value)[:80]
        warnings.append(f"publication date is not text ({shown}): relative dates left unresolved")
        return None
    if context is not None:
        problem = implausible_published(parsed, context.now, context.limits)
        if problem:
            warnings.append(
                f"publication date '{raw[:80]}' {problem}: treated as missing, relative dates "
                "left unresolved"
            )
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


def implausible_published(
    published: dt.datetime, now: dt.datetime, limits: ReadLimits | None = None
) -> str:
    """Why a publication time cannot be right (``""`` when it is plausible): an offset no time
    zone uses, a year before ``limits.earliest_year``, or a time more than
    ``limits.max_future_hours`` after ``now``. Never overflows, even at year 1 or 9999.

    >>> now = dt.datetime(2024, 4, 30, tzinfo=dt.UTC)
    >>> implausible_published(dt.datetime(2999, 1, 1, tzinfo=dt.UTC), now)
    'is in the future (after 2024-05-02T00:00Z)'
    >>> implausible_published(dt.datetime.fromisoformat("2024-04-29T08:00+23:59"), now)
    'has UTC offset +23:59, which no time zone uses (-12:00 to +14:00)'
    >>> implausible_published(dt.datetime(2024, 4, 29, 8), now)
    ''
    """
    limits = limits or ReadLimits()
    offset = published.utcoffset()
    if offset is not None and not MIN_UTC_OFFSET <= offset <= MAX_UTC_OFFSET:
        sign = "-" if offset < dt.timedelta(0) else "+"
        minutes = abs(int(offset.total_seconds())) // 60
        return (
            f"has UTC offset {sign}{minutes // 60:02d}:{minutes % 60:02d}, which no time zone "
            "uses (-12:00 to +14:00)"
        )
    if published.year < limits.earliest_year:
        return f"is before {limits.earliest_year}"
    now_utc = now.astimezone(dt.UTC).replace(tzinfo=None) if now.tzinfo else now
    try:
        latest = now_utc + dt.timedelta(hours=limits.max_future_hours)
    except OverflowError:
        return ""
    try:
        if offset is None:  # local wall time: it may run up to 14 hours ahead of UTC
            moment = published - MAX_UTC_OFFSET
        else:
            moment = published.replace(tzinfo=None) - offset
    except OverflowError:
        return f"is in the future (after {latest:%Y-%m-%dT%H:%MZ})"
    if moment > latest:
        return f"is in the future (after {latest:%Y-%m-%dT%H:%MZ})"
    return ""


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
    """Log a problem at DEBUG: the command line prints it once, as ``error: FILE: problem``."""
    log.debug("%s", problem)
    return problem
