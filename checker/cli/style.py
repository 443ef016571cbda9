"""Colour on the terminal: ``--color auto|always|never`` and the ``NO_COLOR`` convention.

``auto`` colours a stream that is a terminal unless ``NO_COLOR`` is set to a non-empty value
(https://no-color.org) or ``TERM`` is ``dumb``; ``always`` and ``never`` override both, as a
command-line flag should.

>>> import io
>>> use_color(ColorChoice.auto, io.StringIO()), use_color(ColorChoice.always, io.StringIO())
(False, True)
"""

from __future__ import annotations

import os
from enum import StrEnum
from typing import IO, Annotated, Any

import typer


class ColorChoice(StrEnum):
    auto = "auto"
    always = "always"
    never = "never"


def is_terminal(stream: IO[Any]) -> bool:
    """Whether ``stream`` is an interactive terminal (False for pipes, files and test runners)."""
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):  # a closed or exotic stream
        return False


def use_color(choice: ColorChoice | str, stream: IO[Any]) -> bool:
    """Whether to colour what is written to ``stream``.

    >>> import io, os
    >>> os.environ["NO_COLOR"] = "1"
    >>> use_color("auto", io.StringIO()), use_color("always", io.StringIO())
    (False, True)
    >>> del os.environ["NO_COLOR"]
    """
    choice = ColorChoice(choice)
    if choice is ColorChoice.never:
        return False
    if choice is ColorChoice.always:
        return True
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return is_terminal(stream)


ColorOpt = Annotated[
    ColorChoice,
    typer.Option(
        "--color",
        help="Colour the terminal output: auto (a terminal, unless NO_COLOR is set), "
        "always or never. Without colour, differing words are marked with brackets.",
    ),
]


def styled(text: str, color: bool, **style: Any) -> str:
    """``text`` with click's ANSI ``style`` when ``color``, else as it is.

    >>> styled("FAIL", False, fg="red"), styled("FAIL", True, fg="red")
    ('FAIL', '\\x1b[31mFAIL\\x1b[0m')
    """
    return typer.style(text, **style) if color else text
