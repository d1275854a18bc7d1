"""The model: plain dataclasses shared by every stage. No I/O here (but the first
`Report.zh_lang` reads the script tables, text/script.py, from the tool cache).

Text fields hold *inline Markdown* (what an editor writes in content/reports/*.md): the
importer escapes plain text into it, the renderer turns it into HTML. Source line numbers
are kept for error messages but never compared, so a round trip compares content only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Union

from ..text.chars import is_mostly_chinese
from ..text.script import chinese_lang

ZH = "zh"
EN = "en"
LEVEL_NAMES = {1: "part", 2: "section", 3: "item"}


@dataclass(frozen=True)
class Bilingual:
    zh: str = ""
    en: str = ""


@dataclass(frozen=True, slots=True)
class Para:
    """One paragraph; `lead` is its run-in heading sentence, shown bold (may be empty)."""

    text: str
    lead: str = ""


@dataclass
class Heading:
    """A heading pair. `level` 1 = part, 2 = section, 3 = item. A side may be None:
    the published text gave no translation (the importer warned about it)."""

    level: int
    id: str
    zh: str | None
    en: str | None
    line: int = field(default=0, compare=False)
    en_line: int = field(default=0, compare=False)


@dataclass
class Pair:
    """One Chinese paragraph and its English paragraph(s). An empty side means the
    published text had no counterpart (marked `<!-- untranslated -->` in Markdown)."""

    id: str
    zh: tuple[Para, ...]
    en: tuple[Para, ...]
    line: int = field(default=0, compare=False)
    en_line: int = field(default=0, compare=False)

    def side(self, lang: str) -> tuple[Para, ...]:
        return self.zh if lang == ZH else self.en


Block = Union[Heading, Pair]


@dataclass
class Footnote:
    label: str
    text: str
    line: int = field(default=0, compare=False)

    @property
    def lang(self) -> str:
        return ZH if is_mostly_chinese(self.text) else EN


@dataclass(frozen=True)
class Source:
    """One published excerpt the report was imported from."""

    file: str
    sha256: str = ""
    published: str = ""
    source: str = ""
    translation: str = ""
    covers: tuple[str, ...] = ()


@dataclass
class Report:
    id: str
    year: int
    date: str
    title: Bilingual
    session: Bilingual
    delivered: Bilingual
    speaker: Bilingual
    role: Bilingual
    blocks: list[Block]
    notes: list[Footnote]
    sources: list[Source] = field(default_factory=list)
    series: str = ""  # content.series; the first part of the id
    path: str = field(default="", compare=False)

    @cached_property
    def zh_lang(self) -> str:
        """`zh-Hans` or `zh-Hant`: the script its Chinese is written in (text/script.py),
        the `lang` of every Chinese run of its text on the pages."""
        chars = set(self.title.zh)
        for block in self.blocks:
            if isinstance(block, Heading):
                chars.update(block.zh)
            else:
                for para in block.zh:
                    chars.update(para.text)
        return chinese_lang(chars)

    @property
    def name(self) -> str:
        """The id's last part (its year, usually): `2025` of `beijing/2025`."""
        return self.id.rsplit("/", 1)[-1]

    @property
    def headings(self) -> list[Heading]:
        return [b for b in self.blocks if isinstance(b, Heading)]

    @property
    def pairs(self) -> list[Pair]:
        return [b for b in self.blocks if isinstance(b, Pair)]

    def texts(self) -> list[tuple[int, str]]:
        """Every inline text that may cite a note — headings, leads, paragraphs — with the
        line of its block (the English side's own line where known)."""
        out: list[tuple[int, str]] = []
        for block in self.blocks:
            if isinstance(block, Heading):
                out += [(line, t) for line, t in ((block.line, block.zh), (block.en_line, block.en)) if t]
            else:
                out += [(block.line, t) for p in block.zh for t in (p.lead, p.text)]
                out += [(block.en_line, t) for p in block.en for t in (p.lead, p.text)]
        return out


def number_pairs(blocks: list[Block]) -> None:
    """Give every pair the id `<heading id>-<n>` (n counts from 1 after each heading).

    Ids follow the report's own numbering, never the wording, so fixing a typo breaks
    no link. Pairs before any heading are `intro-<n>`."""
    parent, n = "intro", 0
    for block in blocks:
        if isinstance(block, Heading):
            parent, n = block.id, 0
        else:
            n += 1
            block.id = f"{parent}-{n}"
