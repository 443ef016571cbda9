"""What the NLI model is shown for a claim: its content with relative days written as dates.

The model never sees an article's publication date, so 'yesterday' in a Saturday story and
'Friday' in another outlet's read to it as different days, and 'today' against 'Thursday' as a
conflict. Before a pair is scored, every time expression of the claim that resolved to one day
('Tuesday', 'yesterday', 'today', 'March 3') is written out as that day ('Tuesday, December 14'),
so two outlets naming the same day in different words show the model the same words, and two
different days still show two different dates.

>>> import datetime as dt
>>> from claims.records import Claim, Span, TimeMention
>>> text = "The minister resigned yesterday."
>>> day = dt.datetime(2023, 3, 3)
>>> t = TimeMention(Span(22, 31, "yesterday"), "relative", "day", day, day.replace(hour=23),
...                 "2023-03-03")
>>> c = Claim("c", "a", "A", Span(0, 32, text), Span(0, 32, text), times=[t])
>>> nli_text(c)
'The minister resigned Friday, March 3.'
"""

from __future__ import annotations

from claims.records import Claim, TimeMention

#: time kinds whose day is worth writing out (clock times, weeks, months stay as written).
DAY_KINDS = frozenset({"weekday", "relative", "date"})


def day_phrase(time: TimeMention) -> str:
    """'Tuesday, December 14' for a time that resolved to one day; '' otherwise.

    >>> import datetime as dt
    >>> from claims.records import Span
    >>> d = dt.datetime(2021, 12, 14)
    >>> day_phrase(TimeMention(Span(0, 7, "Tuesday"), "weekday", "day", d, d, "2021-12-14"))
    'Tuesday, December 14'
    """
    if time.kind not in DAY_KINDS or time.granularity != "day" or time.earliest is None:
        return ""
    if time.latest is not None and time.latest.date() != time.earliest.date():
        return ""
    day = time.earliest
    return f"{day.strftime('%A')}, {day.strftime('%B')} {day.day}"


def nli_text(claim: Claim) -> str:
    """The claim's content with each one-day time expression replaced by its day phrase."""
    content = claim.content
    text = content.text
    edits = []
    for time in claim.times:
        phrase = day_phrase(time)
        start, end = time.span.start - content.start, time.span.end - content.start
        if phrase and 0 <= start < end <= len(text) and text[start:end] == time.span.text:
            edits.append((start, end, phrase))
    last_start = len(text) + 1
    for start, end, phrase in sorted(edits, reverse=True):
        if end > last_start:  # overlaps an expression already written out
            continue
        text = text[:start] + phrase + text[end:]
        last_start = start
    return text
