"""Differences between two versions of a paragraph: character by character in Chinese,
word by word in English, a number with its scale (26万, 260,000, 97.5%) always one token,
so a changed figure reads as one replacement (26万 → 28万), never as changed digits.

Diffs come from difflib's SequenceMatcher (longest matching blocks: the way a reader
sees a revision) over tokens, then cleaned: a short equal run stranded between changes
(one shared character such as 的 inside a rewritten clause) joins the change, so a
rewritten clause is shown struck out and inserted whole instead of in confetti.

Bounded: a pair of texts longer than TOKENS tokens a side is first diffed sentence by
sentence (each sentence one token), and only the changed runs of sentences are diffed
token by token, each again only when both runs are under TOKENS tokens (otherwise the
run is shown deleted and inserted whole). So no SequenceMatcher ever sees more than
TOKENS tokens a side, and the work is linear in the text for a fixed TOKENS."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from ..text.numerals import numbers
from .split import split_en, split_zh

TOKENS = 1500  # the most tokens a side any one SequenceMatcher compares
PASSES = 4  # cleanup passes over the opcodes
SHORT = {"zh": 4, "en": 3}  # an equal run this short (characters, words) may join a change
ZH_NUMBER = r"\d+(?:[.,]\d+)*\s*(?:%|％|万亿|亿|万|千)?"
_ZH_TOKEN = re.compile(ZH_NUMBER + r"|[A-Za-z]+(?:[-'’][A-Za-z]+)*|\s+|.", re.S)
# English words keep the spaces after them: half the tokens, and no token as common as a
# bare space (which would make SequenceMatcher's search quadratic).
_EN_TOKEN = re.compile(r"\d+(?:[.,]\d+)*%?\s*|[A-Za-z]+(?:[-'’][A-Za-z]+)*\s*|\s+|.\s*", re.S)
_NUMBER = re.compile(r"\d")
_NAMING = set("年月日号期线届版级类")  # after a number, these name a thing: 2024年, 12号线
_EN_NAMING = {"and", "or", "to", "in", "of", "the", "a", "by", "for", "from", "at", "with", "as"}
_CLAUSE_END = re.compile(r"[,，、;；。:：!！?？\n（(）)“”\"]")

Segment = tuple[str, bool]  # (text, changed): deleted on the old side, inserted on the new


@dataclass(frozen=True, slots=True)
class NumberChange:
    """A number that one version states and the other replaced: `label` is the clause
    before it (建设筹集保障性租赁住房), `old`/`new` the numbers with their unit (7万套,
    5万套), `values` both normalised (70000.0, 50000.0), `after` the rest of the clause
    (in the new text)."""

    label: str
    old: str
    new: str
    values: tuple[float, float]
    after: str = ""  # what is counted, when the number comes first (9个 紧密型城市医疗集团)


@dataclass(frozen=True, slots=True)
class TextDiff:
    old: tuple[Segment, ...]
    new: tuple[Segment, ...]
    numbers: tuple[NumberChange, ...]
    same: bool  # the two texts are identical

    @property
    def changed_share(self) -> float:
        """How much of the longer side the changes cover (0: identical, 1: all of it)."""
        total = max(sum(len(t) for t, _ in self.old), sum(len(t) for t, _ in self.new), 1)
        changed = max(sum(len(t) for t, c in self.old if c), sum(len(t) for t, c in self.new if c))
        return changed / total


def tokens(text: str, lang: str) -> list[str]:
    return (_ZH_TOKEN if lang == "zh" else _EN_TOKEN).findall(text)


def diff(old: str, new: str, lang: str) -> TextDiff:
    """The differences between two texts of one language, with the numbers that changed."""
    if old == new:
        return TextDiff(((old, False),) if old else (), ((new, False),) if new else (), (), True)
    a, b = tokens(old, lang), tokens(new, lang)
    ops = _cleanup(_opcodes(a, b, old, new, lang), a, b, lang)
    old_side, new_side, changes = [], [], []
    for tag, i1, i2, j1, j2 in ops:
        _add(old_side, "".join(a[i1:i2]), tag != "equal")
        _add(new_side, "".join(b[j1:j2]), tag != "equal")
        if tag == "replace":
            changes += _numbers(a, b, i1, i2, j1, j2, lang)
    return TextDiff(tuple(old_side), tuple(new_side), tuple(changes), False)


def _opcodes(a: list[str], b: list[str], old: str, new: str, lang: str) -> list[tuple]:
    """Token opcodes; long texts first sentence by sentence (see the module's bound)."""
    if len(a) <= TOKENS and len(b) <= TOKENS:
        return SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    split = split_zh if lang == "zh" else split_en
    sa, sb = split(old), split(new)
    ta, tb = [tokens(s, lang) for s in sa], [tokens(s, lang) for s in sb]
    at_a, at_b = _offsets(ta), _offsets(tb)
    out: list[tuple] = []
    for tag, i1, i2, j1, j2 in _sentence_opcodes(sa, sb):
        x1, x2, y1, y2 = at_a[i1], at_a[i2], at_b[j1], at_b[j2]
        if tag == "equal" or x2 - x1 > TOKENS or y2 - y1 > TOKENS or x1 == x2 or y1 == y2:
            out.append((tag, x1, x2, y1, y2))
            continue
        inner = SequenceMatcher(None, a[x1:x2], b[y1:y2], autojunk=False).get_opcodes()
        out += [(t, p1 + x1, p2 + x1, q1 + y1, q2 + y1) for t, p1, p2, q1, q2 in inner]
    return out


def _sentence_opcodes(sa: list[str], sb: list[str]) -> list[tuple]:
    """Opcodes over sentences; more than TOKENS sentences a side are compared in equal
    blocks of TOKENS, in order (a bound for one giant paragraph against another)."""
    if len(sa) <= TOKENS and len(sb) <= TOKENS:
        return SequenceMatcher(None, sa, sb, autojunk=False).get_opcodes()
    out = []
    for start in range(0, max(len(sa), len(sb)), TOKENS):
        i1, i2 = min(start, len(sa)), min(start + TOKENS, len(sa))
        j1, j2 = min(start, len(sb)), min(start + TOKENS, len(sb))
        out += [(t, p1 + i1, p2 + i1, q1 + j1, q2 + j1) for t, p1, p2, q1, q2 in
                SequenceMatcher(None, sa[i1:i2], sb[j1:j2], autojunk=False).get_opcodes()]
    return out


def _offsets(sentences: list[list[str]]) -> list[int]:
    """Token offset where each sentence starts, and the total at the end."""
    out = [0]
    for found in sentences:
        out.append(out[-1] + len(found))
    return out


def _weight(toks: list[str], lang: str) -> int:
    """How much a run of tokens says: characters in Chinese, words in English."""
    return sum(1 for t in toks if not t.isspace()) if lang == "zh" else sum(1 for t in toks if t[0].isalnum())


def _cleanup(ops: list[tuple], a: list[str], b: list[str], lang: str) -> list[tuple]:
    """Merge an equal run stranded between changes into them when it says no more than
    the change on either side of it (the semantic cleanup of diff-match-patch) and is
    short (SHORT characters or words) and holds no number: a rewritten clause then reads
    as struck out and inserted whole, not as confetti around shared words, while a shared
    phrase or figure stays shared. Passes over the opcodes until none merges, at most PASSES (each pass is
    linear in the opcodes)."""
    limit = SHORT[lang]
    merged = [list(op) for op in ops]
    for _ in range(PASSES):
        out: list[list] = []
        changed = False
        for k, op in enumerate(merged):
            following = merged[k + 1] if k + 1 < len(merged) else None
            if (op[0] == "equal" and out and out[-1][0] != "equal" and following is not None
                    and following[0] != "equal" and not any(_NUMBER.match(t) for t in a[op[1]:op[2]])
                    and _weight(a[op[1]:op[2]], lang) <= min(limit, _edit(out[-1], a, b, lang),
                                                             _edit(following, a, b, lang))):
                op, changed = ["replace", *op[1:]], True
            if out and op[0] != "equal" and out[-1][0] != "equal":
                out[-1] = ["replace", out[-1][1], op[2], out[-1][3], op[4]]
            else:
                out.append(list(op))
        merged = out
        if not changed:
            break
    return [tuple(op) for op in merged]


def _edit(op: list, a: list[str], b: list[str], lang: str) -> int:
    """How much a change says: the larger of what it deletes and what it inserts."""
    return max(_weight(a[op[1]:op[2]], lang), _weight(b[op[3]:op[4]], lang))


def _add(side: list[Segment], text: str, changed: bool) -> None:
    if not text:
        return
    if side and side[-1][1] == changed:
        side[-1] = (side[-1][0] + text, changed)
    else:
        side.append((text, changed))


def _numbers(a: list[str], b: list[str], i1: int, i2: int, j1: int, j2: int,
             lang: str) -> list[NumberChange]:
    """Numbers replaced inside one changed run, paired in order by the unit after them
    (套 with 套, units with units). A number with no unit, or a unit that names rather
    than counts (2024年, 12号线, 一期), is no figure."""
    olds = [k for k in range(i1, i2) if _NUMBER.match(a[k]) and _unit(a, k, lang)]
    free = [m for m in range(j1, j2) if _NUMBER.match(b[m]) and _unit(b, m, lang)]
    pairs: list[tuple[int, int]] = []
    for k in olds:  # bounded by the run's tokens: a replaced run is at most TOKENS a side
        match = next((m for m in free if _unit(b, m, lang) == _unit(a, k, lang)), None)
        if match is not None:
            free.remove(match)
            pairs.append((k, match))
    out = []
    for k, m in pairs:
        values = (_value(a[k], lang), _value(b[m], lang))
        if values[0] is None or values[1] is None or values[0] == values[1]:
            continue
        out.append(NumberChange(_label(a, k, lang), _shown(a, k, lang), _shown(b, m, lang),
                                (values[0], values[1]), _after(b, m, lang)))
    return out


def _shown(toks: list[str], k: int, lang: str) -> str:
    """A number with its unit, as written: 7万套, 70,000 units, 97.5%."""
    unit = _unit(toks, k, lang)
    return toks[k].strip() if unit == "%" else toks[k].strip() + (" " if lang == "en" else "") + unit


def _unit(toks: list[str], k: int, lang: str) -> str:
    """The measure word after a number: 套 in 7万套, `units` in 70,000 units; % for a
    percentage."""
    if toks[k].strip().endswith(("%", "％")):
        return "%"
    at = k + 1
    if lang == "en":
        word = toks[at].strip() if at < len(toks) else ""
        return word if word[:1].isalpha() and word.lower() not in _EN_NAMING else ""
    found = toks[at] if at < len(toks) else ""
    return found if len(found) == 1 and "\u4e00" <= found <= "\u9fff" and found not in _NAMING else ""


def _label(toks: list[str], k: int, lang: str) -> str:
    """The clause before a number, back to the last punctuation (at most 16 tokens)."""
    start = k
    while start > max(0, k - 16) and not _CLAUSE_END.fullmatch(toks[start - 1].strip() or " "):
        start -= 1
    return "".join(toks[start:k]).strip()


def _after(toks: list[str], k: int, lang: str) -> str:
    """The clause after a number and its unit, up to punctuation (at most 12 tokens)."""
    start = k + (1 if _unit(toks, k, lang) in ("%", "") else 2)
    end = start
    while end < min(len(toks), start + 12) and not _CLAUSE_END.fullmatch(toks[end].strip() or " "):
        end += 1
    return "".join(toks[start:end]).strip()


def _value(token: str, lang: str) -> float | None:
    hard, _ = numbers(token, lang)
    return next(iter(hard)) if len(hard) == 1 else None
