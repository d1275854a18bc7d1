"""Series: who issues a kind of report (Beijing's government work report, the State
Council's, another province's …). A report belongs to one series and has a year; its id
is both (`beijing/2025`), and so is its URL. `content/site.yaml` names each series in both
languages, with its issuer, in the order the library shows them:

    series:
      - id: beijing
        zh: 北京市政府工作报告
        en: Beijing Municipal Government Work Report
        issuer: {zh: 北京市人民政府, en: Beijing Municipal People's Government}

A series a report names but site.yaml does not gets a name made from its id (with a
warning from the build), so a new issuer never stops a build."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..errors import fail
from .model import Bilingual

SERIES_ID = re.compile(r"^[a-z][a-z0-9-]{0,39}$")
RESERVED = {"topics", "static", "index", "sitemap", "robots", "404", "about", "compare"}
NATIONAL = "national"
_KNOWN = {  # names of series the importer recognises, used when site.yaml lacks one
    NATIONAL: (Bilingual("国务院政府工作报告", "State Council Government Work Report"),
               Bilingual("国务院", "State Council")),
}


@dataclass(frozen=True)
class Series:
    id: str
    name: Bilingual
    issuer: Bilingual
    named: bool = True  # False: not in site.yaml, the name was made from the id


# The provincial-level governments by the ids a library would give them (pinyin; the
# English names' own spellings too): a series site.yaml does not name gets its Chinese
# name from here, so a page read in Chinese alone does not show it blank.
PLACES = {
    "beijing": "北京市", "tianjin": "天津市", "shanghai": "上海市", "chongqing": "重庆市",
    "hebei": "河北省", "shanxi": "山西省", "liaoning": "辽宁省", "jilin": "吉林省",
    "heilongjiang": "黑龙江省", "jiangsu": "江苏省", "zhejiang": "浙江省", "anhui": "安徽省",
    "fujian": "福建省", "jiangxi": "江西省", "shandong": "山东省", "henan": "河南省",
    "hubei": "湖北省", "hunan": "湖南省", "guangdong": "广东省", "hainan": "海南省",
    "sichuan": "四川省", "guizhou": "贵州省", "yunnan": "云南省", "shaanxi": "陕西省",
    "gansu": "甘肃省", "qinghai": "青海省", "neimenggu": "内蒙古自治区", "inner-mongolia": "内蒙古自治区",
    "guangxi": "广西壮族自治区", "xizang": "西藏自治区", "tibet": "西藏自治区",
    "ningxia": "宁夏回族自治区", "xinjiang": "新疆维吾尔自治区",
}


def default_series(series_id: str) -> Series:
    """A series site.yaml does not name: `shanghai` → Shanghai Government Work Report,
    上海市政府工作报告 (a place `PLACES` does not know has no Chinese name)."""
    if series_id in _KNOWN:
        name, issuer = _KNOWN[series_id]
        return Series(series_id, name, issuer, named=False)
    place, zh = series_id.replace("-", " ").title(), PLACES.get(series_id, "")
    return Series(series_id, Bilingual(f"{zh}政府工作报告" if zh else "", f"{place} Government Work Report"),
                  Bilingual(f"{zh}人民政府" if zh else "", place), named=False)


def check_id(series_id: str, path: str, line: int) -> str:
    if not SERIES_ID.match(series_id) or series_id in RESERVED:
        raise fail(path, line, f"series id {series_id!r}: use lowercase letters, digits and -, "
                               f"starting with a letter (not {', '.join(sorted(RESERVED))})")
    return series_id


def parse_series(value: Any, path: str, line: int) -> tuple[Series, ...]:
    """The `series:` list of site.yaml."""
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise fail(path, line, "series: must be a list of entries with id:, zh:, en: and issuer:")
    out, seen = [], set()
    for entry in value:
        unknown = sorted(set(map(str, entry)) - {"id", "zh", "en", "issuer"})
        if unknown:
            raise fail(path, line, f"series entry: unknown key {unknown[0]!r} (known: id, zh, en, issuer)")
        series_id = check_id(str(entry.get("id", "")), path, line)
        if series_id in seen:
            raise fail(path, line, f"series {series_id!r} is named twice")
        seen.add(series_id)
        issuer = entry.get("issuer") or {}
        if not isinstance(issuer, dict):
            raise fail(path, line, f"series {series_id!r}: issuer must have zh: and en: entries")
        out.append(Series(series_id, Bilingual(str(entry.get("zh") or ""), str(entry.get("en") or "")),
                          Bilingual(str(issuer.get("zh") or ""), str(issuer.get("en") or ""))))
    return tuple(out)
