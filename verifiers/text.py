"""Reading typed values out of free text: numbers (digits, words, separators, units), dates, times, yes/no,
and mentions of known names (aliases, casing, small misspellings), plus the cues of a hedge or a negation.

Every extractor works on `fold(text)` and returns (value, start, end) spans in it. Standard library only:
verifier programs carry these functions in their stored source.
"""

import re
import unicodedata
from datetime import date

HONORIFICS = ("dr", "mr", "mrs", "ms", "miss", "mx", "prof", "sir", "dame")
MEMO_SIZE = 100_000  # names remembered per process (candidates repeat across the answers graded)
NAME_TOKENS_MEMO = {}
SYMBOLIC_MEMO = {}
NAME_INDEX_MEMO = {}
NAME_STOPWORDS = ("the", "a", "an", "of")
HEDGE_CUES = (
    "or",
    "maybe",
    "perhaps",
    "possibly",
    "might",
    "could be",
    "unsure",
    "uncertain",
    "not sure",
    "alternatively",
    "unclear",
)
NEGATION_CUES = (
    "not",
    "no",
    "never",
    "neither",
    "nor",
    "except",
    "excluding",
    "instead",
    "rather",
    "isnt",
    "wasnt",
    "arent",
    "werent",
    "wont",
    "didnt",
    "doesnt",
    "dont",
    "cannot",
    "cant",
    "without",
)
YES_WORDS = ("yes", "yeah", "yep", "true", "correct", "affirmative")
NO_WORDS = ("no", "nope", "false", "incorrect", "negative")
SMALL_NUMBERS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
SCALE_WORDS = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
NOT_A_NUMBER_BEFORE_ONE = (
    "the",
    "this",
    "that",
    "which",
    "each",
    "any",
    "every",
    "no",
    "only",
    "another",
    "some",
    "new",
    "old",
    "same",
    "other",
    "last",
    "first",
    "next",
    "right",
    "wrong",
    "best",
    "cheapest",
    "latest",
    "earliest",
    "newest",
    "oldest",
    "largest",
    "smallest",
    "nearest",
    "better",
    "worse",
    "busiest",
    "quietest",
    "a",
    "an",
)
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
UNIT_SCALES = {  # unit word -> (dimension, factor to the dimension's base unit)
    "second": ("duration", 1 / 60),
    "seconds": ("duration", 1 / 60),
    "minute": ("duration", 1),
    "minutes": ("duration", 1),
    "min": ("duration", 1),
    "mins": ("duration", 1),
    "hour": ("duration", 60),
    "hours": ("duration", 60),
    "hr": ("duration", 60),
    "hrs": ("duration", 60),
    "day": ("duration", 1440),
    "days": ("duration", 1440),
    "week": ("duration", 10080),
    "weeks": ("duration", 10080),
}
CLAUSE_END = re.compile(r"[.;:!?,()\[\]\n]\s|[;!?()\[\]\n]|\s-\s")
_MONTH = r"(" + "|".join(sorted(set(MONTHS) | {m[:3] for m in MONTHS} | {"sept"}, key=lambda m: (-len(m), m))) + r")\.?"
DATE_PATTERNS = (  # (regular expression, order of its groups)
    (r"(?<![\w.-])(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?![\w-])", "ymd"),
    (r"(?<![\w./-])(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?![\w-])", "dmy_or_mdy"),
    (r"(?<![\w])" + _MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?(?![\w])", "mdy"),
    (r"(?<![\w])(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r"(?:,?\s+(\d{4}))?(?![\w])", "dmy"),
)
TIME_PATTERN = re.compile(
    r"(?<![\w:.])(\d{1,2})(?:[:h](\d{2}))?\s*(a\.?m\.?|p\.?m\.?)?(?!\w|:\d)"
    r"|\b(noon|midday|midnight)\b"
)
NUMBER_PATTERN = re.compile(
    r"(?<![\w.,])(minus\s+|-\s?)?[$€£]?(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?![\w]|[.,]\d)"
)
YEAR_MONTH = re.compile(r"(?<![\w./-])\d{4}[-/](?:0?[1-9]|1[0-2])(?![\w/-]|\.\d)")  # 2025-02: a month
ID_NOUNS = (
    "id",
    "ids",
    "no.",
    "number",
    "room",
    "ticket",
    "order",
    "invoice",
    "case",
    "reservation",
    "booking",
    "account",
    "claim",
    "issue",
    "event",
    "post",
    "note",
    "item",
    "loan",
    "request",
)
ID_PATTERN = re.compile(
    r"#\s?\d+|\b[a-z]+[-_]?\d[\w-]*|\b\d+[a-z_][\w-]*|\b\d+(?:-\d+){2,}|\b\d+(?:\.\d+){2,}"
    r"|\b(?:" + "|".join(re.escape(n) for n in ID_NOUNS) + r")\s+\d+\b"
)
ABBREVIATION = re.compile(r"\b(dr|mr|mrs|ms|mx|prof|st|no|vs|etc|inc|ltd|co|jr|sr)\.")


def fold(text):
    """Lowercase, accents off, '&' read as 'and', apostrophes dropped, typographic dashes made plain."""
    text = unicodedata.normalize("NFKD", str(text or ""))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    for a, b in (
        ("&", " and "),
        ("’", ""),
        ("'", ""),
        ("‘", ""),
        ("“", '"'),
        ("”", '"'),
        ("—", " - "),
        ("–", "-"),
        ("−", "-"),
        ("\u00a0", " "),
    ):
        text = text.replace(a, b)
    return text


def tokens_with_spans(folded):
    return [(m.group(0), m.start(), m.end()) for m in re.finditer(r"[a-z0-9]+", folded)]


def words(text):
    return [t for t, _, _ in tokens_with_spans(fold(text))]


def name_tokens(name):
    """The tokens that identify a name: no honorifics, no articles (remembered: names repeat, answer after answer)."""
    tokens = NAME_TOKENS_MEMO.get(name)
    if tokens is None:
        tokens = [t for t in words(name) if t not in NAME_STOPWORDS]
        while len(tokens) > 1 and tokens[0] in HONORIFICS:
            tokens = tokens[1:]
        tokens = tuple(tokens)
        if len(NAME_TOKENS_MEMO) < MEMO_SIZE:
            NAME_TOKENS_MEMO[name] = tokens
    return tokens


def _one_edit_apart(a, b):
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + (len(a) == len(b)) :] == b[i + 1 :]


def same_token(said, known):
    """A token of the text stands for a token of a known name: equal, singular/plural or possessive, or one typo
    in a word of five letters or more. Digits must match exactly."""
    if said == known:
        return True
    if any(c.isdigit() for c in said + known):
        return False
    if len(known) >= 3 and (said.rstrip("s") == known.rstrip("s") or said == known + "es"):
        return True
    return len(known) >= 5 and _one_edit_apart(said, known)


def _meeting_keys(token):
    """Forms under which two tokens that same_token may equate meet: the token, its singular, and (for words of
    four letters or more) its one-letter deletions."""
    keys = {token, token.rstrip("s")}
    if len(token) >= 4 and not any(c.isdigit() for c in token):
        keys.update(token[:i] + token[i + 1 :] for i in range(len(token)))
    return keys


def _symbolic(name):
    """A name words cannot carry: signs in it (B+, C#) or a single letter (A)."""
    symbolic = SYMBOLIC_MEMO.get(name)
    if symbolic is None:
        folded = fold(name).strip()
        symbolic = bool(re.search(r"[^\w\s&'.,-]|[+]", folded)) or len(re.sub(r"\W", "", folded)) == 1
        if len(SYMBOLIC_MEMO) < MEMO_SIZE:
            SYMBOLIC_MEMO[name] = symbolic
    return symbolic


def mentions(text, names):
    """[(name, start, end)] of the known names the folded text mentions; longer names first, and each word of the
    text belongs to at most one mention (so 'Paper and Pine Outlet' is not also 'Paper and Pine'). Names words
    cannot carry (B+, C#, A) are matched as they are written, between non-word characters."""
    folded = fold(text)
    found = []
    symbolic, by_key = _prepared(names)
    for name in symbolic:
        pattern = r"(?<![\w+#-])" + re.escape(fold(name).strip()) + r"(?![\w+#])"
        for m in re.finditer(pattern, folded):
            found.append((name, m.start(), m.end()))
            folded = _blank(folded, m.start(), m.end())
    tokens = [t for t in tokens_with_spans(folded) if t[0] not in NAME_STOPWORDS]
    index, nearby = {}, set()
    for i, (token, _, _) in enumerate(tokens):
        for key in _meeting_keys(token):
            index.setdefault(key, set()).add(i)
            nearby.update(by_key.get(key, ()))
    used = [False] * len(tokens)
    ordered = sorted(nearby, key=lambda n: (-len(name_tokens(n)), str(n)))
    named = {f[0] for f in found}
    for exact in (True, False):  # a name written exactly wins its words over one a typo away
        same = (lambda said, known: said == known) if exact else same_token
        for name in ordered:
            pattern = name_tokens(name)
            if name in named:
                continue
            starts = set()
            for key in _meeting_keys(pattern[0]):
                starts |= index.get(key, set())
            for start in sorted(starts):
                span = range(start, start + len(pattern))
                if span.stop > len(tokens) or any(used[i] for i in span):
                    continue
                if all(same(tokens[i][0], p) for i, p in zip(span, pattern)):
                    for i in span:
                        used[i] = True
                    found.append((name, tokens[start][1], tokens[start + len(pattern) - 1][2]))
                    named.add(name)
    return sorted(found, key=lambda f: f[1])


def _prepared(names):
    """(the symbolic names, longest first; {meeting key of a word name's first token: names}), remembered per
    list of names: candidate lists repeat from answer to answer."""
    key = frozenset(names)
    prepared = NAME_INDEX_MEMO.get(key)
    if prepared is None:
        symbolic = sorted((n for n in key if _symbolic(n)), key=lambda n: (-len(n), str(n)))
        index = {}
        for name in key:
            pattern = name_tokens(name)
            if pattern and not _symbolic(name):
                for meeting in _meeting_keys(pattern[0]):
                    index.setdefault(meeting, []).append(name)
        prepared = (symbolic, index)
        if len(NAME_INDEX_MEMO) < 1000:
            NAME_INDEX_MEMO[key] = prepared
    return prepared


def hedge_cues(text):
    """The hedge cues in a text: an answer that names alternatives does not commit to one."""
    padded = " " + " ".join(words(text)) + " "
    return [c for c in HEDGE_CUES if f" {c} " in padded]


def negated_at(folded, start):
    """A negation cue stands in the same clause within four words before position `start`."""
    before = CLAUSE_END.split(ABBREVIATION.sub(lambda m: m.group(1) + " ", folded[:start]))[-1]
    return any(t in NEGATION_CUES for t, _, _ in tokens_with_spans(before)[-4:])


def _blank(folded, start, end):
    return folded[:start] + " " * (end - start) + folded[end:]


def _valid_date(y, m, d):
    try:
        return date(int(y), int(m), int(d)).isoformat()
    except (TypeError, ValueError):
        return None


def _month(word):
    word = word.rstrip(".")
    return next(i + 1 for i, m in enumerate(MONTHS) if m.startswith(word[:3]))


def date_spans(folded, default_year=None):
    """[(iso date, or a list of the readings of an ambiguous one, start, end)]."""
    found = []
    for pattern, order in DATE_PATTERNS:
        for m in re.finditer(pattern, folded):
            g = m.groups()
            if order == "ymd":
                readings = [_valid_date(g[0], g[1], g[2])]
            elif order == "dmy_or_mdy":
                readings = sorted({_valid_date(g[2], g[1], g[0]), _valid_date(g[2], g[0], g[1])} - {None})
            elif order == "mdy":
                readings = [_valid_date(g[2] or default_year, _month(g[0]), g[1])]
            else:
                readings = [_valid_date(g[2] or default_year, _month(g[1]), g[0])]
            readings = [r for r in readings if r]
            if readings:
                found.append((readings[0] if len(readings) == 1 else readings, m.start(), m.end()))
                folded = _blank(folded, m.start(), m.end())
    return sorted(found, key=lambda f: f[1])


def time_spans(folded):
    """[(HH:MM, start, end)] of the clock times stated ('14:30', '2:30 pm', '2 pm', '14h30', 'noon')."""
    found = []
    for m in TIME_PATTERN.finditer(folded):
        hour, minute, meridiem, word = m.groups()
        if word:
            found.append(("00:00" if word == "midnight" else "12:00", m.start(), m.end()))
            continue
        if minute is None and not meridiem:
            continue  # a bare number is not a time
        h, mm = int(hour), int(minute or 0)
        if meridiem:
            if not 1 <= h <= 12:
                continue
            h = h % 12 + (12 if meridiem.startswith("p") else 0)
        if h <= 23 and mm <= 59:
            found.append((f"{h:02d}:{mm:02d}", m.start(), m.end()))
    return found


def _word_number_spans(folded):
    tokens = tokens_with_spans(folded)
    found, i = [], 0
    while i < len(tokens):
        t = tokens[i][0]
        scale_next = i + 1 < len(tokens) and tokens[i + 1][0] in SCALE_WORDS
        if t == "dozen" and i and tokens[i - 1][0] == "a":
            found.append((12.0, tokens[i - 1][1], tokens[i][2]))
        if not (t in SMALL_NUMBERS or (t == "a" and scale_next)):
            i += 1
            continue
        start, total, current = i, 0, 0
        while i < len(tokens):
            t = tokens[i][0]
            if t in SMALL_NUMBERS:
                current += SMALL_NUMBERS[t]
            elif t == "a" and i == start:
                current = 1
            elif t in SCALE_WORDS and (current or total):
                if SCALE_WORDS[t] == 100:
                    current = max(current, 1) * 100
                else:
                    total, current = total + max(current, 1) * SCALE_WORDS[t], 0
            elif not (t == "and" and i + 1 < len(tokens) and tokens[i + 1][0] in SMALL_NUMBERS and i > start):
                break
            i += 1
        first = tokens[start][0]
        before = tokens[start - 1][0] if start else ""
        after = tokens[i][0] if i < len(tokens) else ""
        if first == "one" and i == start + 1 and (before in NOT_A_NUMBER_BEFORE_ONE or after in ("of", "another")):
            continue
        value = float(total + current)
        found.append((-value if before == "minus" else value, tokens[start][1], tokens[i - 1][2]))
    return found


def number_spans(folded, *, skip_names=(), unit=None):
    """[(value, start, end)] of the numbers stated: digits with thousands separators, signs and currency, number
    words, units converted to `unit`'s scale. Dates, months ('2025-02'), clock times, ids ('INV-8432', '#12',
    'order 7', 'A3') and digits inside the names in `skip_names` are not numbers."""
    for _, start, end in mentions(folded, skip_names):
        folded = _blank(folded, start, end)
    for _, start, end in date_spans(folded) + time_spans(folded):
        folded = _blank(folded, start, end)
    folded = YEAR_MONTH.sub(lambda m: " " * len(m.group(0)), folded)
    folded = ID_PATTERN.sub(lambda m: " " * len(m.group(0)), folded)
    spans = []
    for m in NUMBER_PATTERN.finditer(folded):
        sign, digits = m.groups()
        value = float(digits.replace(",", ""))
        spans.append((-value if sign else value, m.start(), m.end()))
    spans += _word_number_spans(folded)
    out = []
    for value, start, end in sorted(spans, key=lambda s: s[1]):
        after = re.match(r"\s*([a-z]+)", folded[end:])
        word = after.group(1) if after else ""
        if unit in UNIT_SCALES and word in UNIT_SCALES and UNIT_SCALES[word][0] == UNIT_SCALES[unit][0]:
            value = value * UNIT_SCALES[word][1] / UNIT_SCALES[unit][1]
        out.append((round(value, 9), start, end))
    return out


def polarity(text):
    """True for a yes, False for a no, None when the text does not commit. A leading yes/no word decides;
    otherwise the only kind of yes/no word the text uses. A 'not' inside a sentence is not a no."""
    tokens = words(text)
    both = any(tokens[i : i + 3] in (["yes", "and", "no"], ["no", "and", "yes"]) for i in range(len(tokens)))
    if not tokens or hedge_cues(text) or both:
        return None
    if tokens[0] in YES_WORDS:
        return True
    if tokens[0] in NO_WORDS:
        return False
    has_yes, has_no = bool(set(tokens) & set(YES_WORDS)), bool(set(tokens) & set(NO_WORDS))
    return None if has_yes == has_no else has_yes
