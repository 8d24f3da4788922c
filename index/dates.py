"""An article's date, read from its header, its page's metadata or its dateline, in either language.

Only full dates count (day, month and year): "2022-09-04T08:30+07:00", "04/09/2022",
"ngày 4 tháng 9 năm 2022", "September 4, 2022", "Sep. 4, 2022", "4 September 2022".
Numbers are read day first, as Vietnamese and most English-language news outside the
US write them, unless the second cannot be a month ("9/24/2022").
"""
from __future__ import annotations

import datetime
import re

from .tokenize import fold

_MONTHS = {name: n for n, names in enumerate(
    ["january jan", "february feb", "march mar", "april apr", "may", "june jun", "july jul",
     "august aug", "september sept sep", "october oct", "november nov", "december dec"], start=1)
    for name in names.split()}
_MONTH = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(\d{4})"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_PATTERNS = [  # (order of the groups, pattern), tried in turn on the folded text
    ("ymd", re.compile(rf"(?<!\d){_YEAR}-(\d{{1,2}})-(\d{{1,2}})(?!\d)")),
    ("dmy", re.compile(rf"\b(\d{{1,2}})[/.-](\d{{1,2}})[/.-]{_YEAR}\b")),
    ("dmy", re.compile(rf"\b(\d{{1,2}})\s+thang\s+(\d{{1,2}})(?:\s+nam|\s*,)?\s+{_YEAR}\b")),
    ("mdy", re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b")),
    ("dmy", re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b")),
]
DATELINE_LINES = 6  # a dateline stands among the first lines after the title
LEAD_START_CHARS = 50  # or opens the lead: "Ngày 9/6/2025, ...", "HANOI, Sept. 4, 2022 (VNA) - ..."
_SHORT_LINE_WORDS = 12


def find_date(text: str) -> str | None:
    """The first full date in `text`, as ISO 8601 (YYYY-MM-DD), or None."""
    folded = fold(text.casefold())
    found = []
    for order, pattern in _PATTERNS:
        for match in pattern.finditer(folded):
            if (iso := _iso(order, match.groups())) is not None:
                found.append((match.start(), iso))
                break
    return min(found)[1] if found else None


def _iso(order: str, groups: tuple[str, ...]) -> str | None:
    values = dict(zip(order, groups))
    month = int(values["m"]) if values["m"].isdigit() else _MONTHS[values["m"]]
    day, year = int(values["d"]), int(values["y"])
    if order == "dmy" and month > 12 >= day:  # "9/24/2022": month first
        day, month = month, day
    try:
        date = datetime.date(year, month, day)
    except ValueError:
        return None
    return date.isoformat() if 1900 <= year <= 2100 else None


def dateline(lines: list[str], title_index: int) -> str | None:
    """The date of the first dateline after the title: a short line that holds one, or the
    opening words of the lead; a date further into the text is an event's, not the article's.
    Failing that, a short line just above the title, where some sites put it ("Thứ Ba,
    17/11/2026 16:25 (GMT+7)" over the headline)."""
    return _after_title(lines, title_index) or next(
        (date for line in reversed(lines[max(0, title_index - DATELINE_LINES):max(title_index, 0)])
         if len(line.split()) <= _SHORT_LINE_WORDS and (date := find_date(line.strip())) is not None), None)


def _after_title(lines: list[str], title_index: int) -> str | None:
    seen = 0
    for line in lines[title_index + 1:]:
        text = line.strip()
        if not text:
            continue
        if len(text.split()) > _SHORT_LINE_WORDS:
            return find_date(text[:LEAD_START_CHARS])
        if (date := find_date(text)) is not None:
            return date
        seen += 1
        if seen == DATELINE_LINES:
            return None
    return None
