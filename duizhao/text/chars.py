"""Characters of mixed Chinese/English text: which script a text is in, width folding for
matching, and cleaning the invisible junk that web copies carry. Pure functions, no I/O."""

from __future__ import annotations

import re

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")
_LATIN = re.compile(r"[A-Za-z]")
# str.strip() misses these invisible characters that web copies carry.
_EDGE_JUNK = "\ufeff\u200b\u200c\u200d\u2060"
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# Full-width forms U+FF01–U+FF5E (（）：，；！？［］０-９ …) → ASCII, and U+3000 → space.
# One character for one, so a match on folded text has the same span in the original.
_FOLD = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
# What no text of ours may hold: C0 controls but tab and line ends (so also form feed and
# vertical tab), DEL, C1 controls, and Unicode noncharacters (U+FFFE …). XML forbids most
# of them (a TMX download must stay well-formed) and none is ever text.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef"
                     + "".join(f"{chr(p + 0xfffe)}{chr(p + 0xffff)}" for p in range(0, 0x110000, 0x10000))
                     + "]")
_ZH_PUNCTUATION = re.compile("[、。]|[\u3400-\u9fff]，")  # Chinese only: English never writes 、 or 。
_GLOSSES = re.compile(r"\([^()]*\)|（[^（）]*）")  # (一网通办，一网统管): a gloss inside English
_QUOTED = re.compile(r"“[^“”]*”|\"[^\"]*\"|「[^「」]*」")
_PROSE = re.compile(r"[A-Za-z]{2,}")  # words, for telling English prose from an acronym
_CONTROL_NAMES = {"\x0b": "vertical tab", "\x0c": "form feed (page break)", "\x85": "next line (NEL)"}


def is_mostly_chinese(text: str) -> bool:
    """True when Han characters make up at least 30% of the letters: Chinese
    paragraphs carry Latin names and numbers, English ones the odd Han term. Chinese
    punctuation outside parentheses (、 。, or ， after a Han character) makes it Chinese
    outright: a line of acronyms (发展AIGC、AGI、LLM、RISC-V。) is Chinese, while English
    with a gloss (Jingtong (京通，北京市统一公共服务平台)) or a stray ， is not: glosses in
    parentheses are not counted at all."""
    sample = text[:2000]
    outside = _GLOSSES.sub("", sample)  # what stands outside parentheses decides when it is prose
    if len(_PROSE.findall(outside)) >= 3:  # English around a gloss; not PMI（采购经理指数）
        sample = outside
    han = len(_CJK.findall(sample))
    latin = len(_LATIN.findall(sample))
    unquoted = _QUOTED.sub("", sample)  # (English may quote “一网通办、一网统管”)
    if _ZH_PUNCTUATION.search(unquoted) and len(_CJK.findall(unquoted)) >= 2:
        return True
    return han > 0 and han >= 0.3 * (han + latin)


def han_count(text: str) -> int:
    return len(_CJK.findall(text))


def fold(text: str) -> str:
    """Fold punctuation widths for *matching* only; stored text keeps the original."""
    return text if text.isascii() else text.translate(_FOLD)  # nothing to fold in ASCII


def clean(line: str) -> str:
    """Trim whitespace, full-width spaces (U+3000) and invisible characters at the edges,
    and fold inner runs of spaces (NBSP, U+3000 …) to one plain space."""
    return _SPACES.sub(" ", line.strip().strip(_EDGE_JUNK).strip())


def control_name(char: str) -> str:
    """`form feed (page break) U+000C`: a CONTROL character named for a message."""
    name = _CONTROL_NAMES.get(char, "control character" if ord(char) < 0xa0 else "noncharacter")
    return f"{name} U+{ord(char):04X}"
