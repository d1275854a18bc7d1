"""Which series a report belongs to, from its title block: the congress named in the
occasion line (`第十四届全国人民代表大会` is the national one; `北京市第十六届人民代表大会`,
Beijing's), else the speaker's role (`国务院总理`, `北京市市长`, `Mayor of Beijing`). A
province or city becomes its pinyin (`北京市` → `beijing`, `广东省` → `guangdong`). Where
the title block says neither, `import --series ID` must."""

from __future__ import annotations

import re

from ..content.series import NATIONAL, check_id
from ..errors import fail
from .title_block import Header

_PLACE = re.compile(r"^(?:在)?(.{2,7}?)(?:省|市|自治区|特别行政区)")
_EN_PLACE = re.compile(r"(?:Mayor|Governor|Chairman|Chairwoman|Chief Executive)\s+of\s+"
                       r"(?:the\s+)?([A-Z][A-Za-z' -]+?)(?:\s+(?:Province|Municipality|Autonomous Region))?$")


def series_of(header: Header, path: str, line: int, given: str | None = None) -> str:
    if given:
        return check_id(given, "--series", 0)
    zh = header.session.zh + " " + header.role.zh
    if "全国人民代表大会" in zh or "国务院" in header.role.zh or "State Council" in header.role.en:
        return NATIONAL
    for text in (header.session.zh, header.role.zh):
        found = _PLACE.match(text.strip())
        if found:
            return _slug(found.group(1))
    found = _EN_PLACE.search(header.role.en.strip())
    if found:
        return check_id(found.group(1).lower().replace(" ", "-").replace("'", ""), path, line)
    raise fail(path, line, "cannot tell whose report this is from its title block (no congress "
                           "or office named): import it with --series ID, e.g. --series beijing")


def _slug(place: str) -> str:
    from pypinyin import lazy_pinyin  # 0.5 s to import: only when a file is imported
    return "".join(lazy_pinyin(place)).lower()
