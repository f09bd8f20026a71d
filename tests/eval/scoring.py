"""Per-page scoring of an extraction against the corpus ground truth.

Implements the rules of the corpus README ("How extraction is scored"). Every function returns
None when the expected value is not labelled, so a metric is skipped rather than counted.
Standard library only.
"""

import collections
import datetime
import email.utils
import re
import unicodedata

# Ideographs, kana, hangul and bopomofo: the scripts written without spaces between words.
_CJK_RANGES = (
    (0x1100, 0x11FF), (0x2E80, 0x2FDF), (0x3005, 0x3007), (0x3040, 0x30FF), (0x3100, 0x312F),
    (0x3130, 0x318F), (0x31A0, 0x31FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xAC00, 0xD7AF),
    (0xF900, 0xFAFF), (0x20000, 0x2FA1F), (0x30000, 0x3134F),
)
CJK_SHARE = 0.30  # expected text at least this CJK (of non-space chars) → character bigrams


def nfkc_lower(text):
    return unicodedata.normalize("NFKC", text).lower()


def is_cjk(ch):
    code = ord(ch)
    return any(lo <= code <= hi for lo, hi in _CJK_RANGES)


def cjk_share(text):
    """Share of CJK characters among the non-space characters of `text` (after NFKC)."""
    chars = [c for c in unicodedata.normalize("NFKC", text) if not c.isspace()]
    if not chars:
        return 0.0
    return sum(1 for c in chars if is_cjk(c)) / len(chars)


def uses_bigrams(expected_text):
    return cjk_share(expected_text) >= CJK_SHARE


def bigram_tokens(text):
    """Overlapping character bigrams, whitespace and punctuation/symbol characters removed."""
    kept = "".join(
        c for c in nfkc_lower(text)
        if not c.isspace() and unicodedata.category(c)[0] not in "PS")
    return collections.Counter(kept[i:i + 2] for i in range(len(kept) - 1))


def word_tokens(text):
    return collections.Counter(re.findall(r"\w+", nfkc_lower(text)))


def bag_f1(predicted, expected):
    """F1 of two token bags (Counters); 0 when either is empty."""
    overlap = sum((predicted & expected).values())
    if overlap == 0:
        return 0.0
    precision = overlap / sum(predicted.values())
    recall = overlap / sum(expected.values())
    return 2 * precision * recall / (precision + recall)


def body_f1(predicted, expected):
    """Body F1; the tokenisation is chosen by the expected text. None when not labelled."""
    if expected is None:
        return None
    tokens = bigram_tokens if uses_bigrams(expected) else word_tokens
    if not predicted:
        return 0.0
    return bag_f1(tokens(predicted), tokens(expected))


def collapse(text):
    return " ".join(unicodedata.normalize("NFKC", text).split())


def title_ok(predicted, expected):
    if expected is None:
        return None
    return bool(predicted) and collapse(predicted) == collapse(expected)


def name_ok(predicted, expected):
    """Author or source: equal after normalisation, or one contains the other."""
    if expected is None:
        return None
    want = collapse(expected).lower()
    got = collapse(predicted or "").lower()
    if not want:  # labelled as absent
        return not got
    if not got:  # "" is inside every string: never let it count as contained
        return False
    return got == want or got in want or want in got


# --- published ----------------------------------------------------------------------------

PRECISIONS = ("year", "month", "day", "minute", "second")

_ISO = re.compile(
    r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2})(?:[T ]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?)?)?"
    r"\s*(Z|z|UTC|GMT|[+-]\d{2}:?\d{2})?\s*$")


class Stamp:
    """A point in time at a known precision, with its UTC offset when one was given."""

    def __init__(self, fields, precision, offset):
        self.fields = fields  # (year, month, day, hour, minute, second), unknown parts are 1 / 0
        self.precision = precision  # one of PRECISIONS
        self.offset = offset  # datetime.timedelta or None (local wall-clock time)

    def rank(self):
        return PRECISIONS.index(self.precision)

    def in_zone(self, zone_offset):
        """The wall-clock fields in `zone_offset`; a stamp without an offset is already local."""
        if self.offset is None or self.rank() < PRECISIONS.index("minute"):
            return self.fields
        utc = datetime.datetime(*self.fields) - self.offset
        local = utc + zone_offset
        return (local.year, local.month, local.day, local.hour, local.minute, local.second)


def parse_offset(text):
    if text is None:
        return None
    if text.upper() in ("Z", "UTC", "GMT"):
        return datetime.timedelta(0)
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return sign * datetime.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))


def parse_stamp(text, precision=None):
    """ISO 8601 at any precision (or RFC 2822 as a fallback); None when unparseable."""
    if not text:
        return None
    match = _ISO.match(text)
    if match:
        parts = match.groups()[:6]
        known = sum(1 for p in parts if p is not None)
        found = {1: "year", 2: "month", 3: "day", 5: "minute", 6: "second"}[known]
        fields = tuple(int(p) if p is not None else (1 if i < 3 else 0)
                       for i, p in enumerate(parts))
        offset = parse_offset(match.group(7))
        try:
            datetime.datetime(*fields)
        except ValueError:
            return None
        if precision in PRECISIONS:  # a declared precision can only lower what the text shows
            found = PRECISIONS[min(PRECISIONS.index(found), PRECISIONS.index(precision))]
        return Stamp(fields, found, offset)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    fields = (when.year, when.month, when.day, when.hour, when.minute, when.second)
    return Stamp(fields, "second", when.utcoffset())


def published_ok(predicted, expected, assumed_zone="+08:00", precision=None):
    """(day_ok, minute_ok), each None when not scorable.

    The prediction (and an expected value with an offset) is converted to the assumed zone;
    a value without an offset is local time there. The day is compared at the precision the
    truth is known to, at most the day (a month-only truth checks year and month); the minute
    only when the truth is known to the minute.
    """
    want = parse_stamp(expected, precision)
    if want is None:
        return None, None
    zone = parse_offset(assumed_zone or "+00:00")
    day_depth = min(want.rank(), PRECISIONS.index("day")) + 1
    minute_scored = want.rank() >= PRECISIONS.index("minute")
    got = parse_stamp(predicted)
    if got is None:
        return False, (False if minute_scored else None)
    want_fields, got_fields = want.in_zone(zone), got.in_zone(zone)
    day = got.rank() >= day_depth - 1 and got_fields[:day_depth] == want_fields[:day_depth]
    if not minute_scored:
        return day, None
    minute = got.rank() >= PRECISIONS.index("minute") and got_fields[:5] == want_fields[:5]
    return day, minute


def score_page(predicted, expected):
    """All metrics of one page. `predicted` is an extractor's JSON line (may hold "error")."""
    failed = "error" in predicted
    got = (lambda key: None) if failed else predicted.get
    day, minute = published_ok(got("published"), expected.get("published"),
                               expected.get("published_tz_assumed") or "+08:00",
                               expected.get("published_precision"))
    return {
        "body_f1": body_f1(got("text") or "", expected.get("text")),
        "title": title_ok(got("title"), expected.get("title")),
        "day": day,
        "minute": minute,
        "author": name_ok(got("author"), expected.get("author")),
        "source": name_ok(got("source"), expected.get("source")),
    }
