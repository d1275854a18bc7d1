"""Web-page noise in re-posted copies, and the metadata hidden in it.

A line is noise when it is short and made only of page-furniture labels (`日期:…`,
`来源:英文:市外办`, `[责任编辑:李四]`, `Updated: …`), a bare timestamp, UI buttons
(`【打印】【关闭】`, `Print | Close`), the site's footer (`版权所有:…`, `京ICP备…号`,
`Copyright © …`) or a printed page's number (`— 4 —`, `第4页`, `Page 4 of 20`). Dates, sources and translators are kept as
metadata; the rest is dropped and reported with -v. Matching is on width-folded text, so
full-width `:` and `（` count the same as `:` and `(`."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text.chars import fold

MAX_NOISE = 80  # characters; real paragraphs are longer than any furniture line

_KEYS = {
    "published": ["日期", "发布日期", "发布时间", "更新时间", "时间", "date", "published", "updated"],
    "source": ["来源", "信息来源", "稿件来源", "稿源", "出处", "source"],
    "translation": ["英文", "英文翻译", "英译", "译文", "翻译", "translated by", "translation"],
    "": ["中文", "字号", "字体", "作者", "编辑", "责任编辑", "审核", "校对", "浏览次数", "浏览量",
         "浏览", "点击数", "点击量", "点击次数", "阅读数", "阅读量", "阅读次数", "阅读", "访问量",
         "访问次数", "分享到", "分享", "上一篇", "下一篇", "点击", "文字", "图片", "摄影",
         "记者", "通讯员", "当前位置", "您的位置", "下载", "相关阅读", "相关链接", "相关新闻",
         "editor", "font size", "font", "author", "share", "views"],
}
_FIELD = {key: field for field, keys in _KEYS.items() for key in keys}
LABELS = {field: keys[0] for field, keys in _KEYS.items() if field}  # a field's label, to write it back
_KEY = "|".join(sorted(map(re.escape, _FIELD), key=len, reverse=True))
_SEGMENT = re.compile(rf"(?:^|(?<=[\s:]))[\[【(]?\s*(?P<key>{_KEY})\s*:\s*", re.IGNORECASE)
_STAMP = re.compile(r"^\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
                    r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_UI_WORDS = {"打印", "打印本页", "关闭", "关闭窗口", "返回顶部", "返回", "收藏", "纠错", "我要纠错",
             "分享", "大", "中", "小", "扫一扫", "扫码分享", "微信", "微博", "qq", "qq空间", "首页",
             "上一页", "下一页", "尾页", "网站地图", "联系我们", "相关链接", "完", "print", "close",
             "back to top", "top", "share", "previous", "next", "end"}  # (a pager's page numbers too)
_UI_SPLIT = re.compile(r"[\s|/·•]+")
# A page number of a copy made from print or PDF: — 4 —, - 12 -, 第4页, 第 4 页 共 20 页, Page 4 of 20,
# 4/20 (a bare number is not: it may be a heading's number on a line of its own).
_PAGE = re.compile(r"^(?:[-—–－~]+\s*\d{1,4}\s*[-—–－~]+|第\s*\d{1,4}\s*页(?:\s*[,，]?\s*共\s*\d{1,4}\s*页)?|"
                   r"page\s+\d{1,4}(?:\s+of\s+\d{1,4})?|\d{1,4}\s*/\s*\d{1,4})$", re.IGNORECASE)
# A site's footer: its copyright line and the registration numbers Chinese sites must show
# (京ICP备…号, 京公网安备…号), the sponsoring office, the site code.
_FOOTER = re.compile(r"^(?:版权所有(?:\s*[:©(]|\s+\S.{0,40}$|[,，]?\s*\S{0,2}(?:翻印|违者|侵权)必究|$)|"
                     r"copyright\s*(?:[:©]|\(c\)|\d{4})|©|\(c\)\s*(?:\d{4}|\S+\s+\d{4}$))|"
                     r"icp[备证]\s*\d|公网安备\s*\d|all rights reserved|"  # 京ICP备05060933号, not ICP备案
                     r"^(?:主办单位|承办单位|网站标识码|主办|承办)\s*:|^本(?:页面|网站|网|站)由\S{2,40}(?:维护|主办|管理)$|"
                     r"^(?:扫一扫|扫码|用?微信扫描?)[^。，,]{0,12}(?:手机|二维码|当前页面?|分享|关注)[^。，,]{0,8}$|"
                     r"^附件\s*:?.{0,60}\.(?:pdf|docx?|xlsx?|wps|zip|rar)$", re.IGNORECASE)  # (附件：名词解释 is text)
_BRACKETS = re.compile(r"[\[\]【】()]")


@dataclass(frozen=True)
class Noise:
    """One piece of a noise line: `field` names the metadata it carries (or is empty)."""

    field: str = ""
    value: str = ""


def iso_date(text: str) -> str:
    match = _DATE.search(fold(text))
    if not match:
        return ""
    year, month, day = (int(g) for g in match.groups())
    return f"{year:04d}-{month:02d}-{day:02d}"


def classify(line: str) -> list[Noise] | None:
    """The metadata a noise line carries ([] for pure furniture), None if not noise."""
    folded = fold(line).strip()
    if not folded or len(folded) > MAX_NOISE:
        return None
    if _STAMP.match(folded):
        return [Noise("published", iso_date(folded))]
    if _FOOTER.search(folded) or _PAGE.match(folded):
        return []
    words = [w for w in _UI_SPLIT.split(_BRACKETS.sub(" ", folded).lower()) if w]
    buttons = [w for w in words if not w.isdigit()]  # `上一页 1 2 3 下一页`
    alone = len(words) == 1 and words[0] in ("大", "中", "小", "完", "end") and not _BRACKETS.search(folded)
    if buttons and all(w in _UI_WORDS for w in buttons) and not alone:  # (完) ends a news item; 中 alone may not
        return []
    return _labels(line, folded)


def _labels(line: str, folded: str) -> list[Noise] | None:
    """`来源:英文:市外办`, `发布时间:… 来源:首都之窗`: every segment a known label."""
    segments = list(_SEGMENT.finditer(folded))
    if not segments or segments[0].start() != 0:
        return None
    found = []
    for here, after in zip(segments, segments[1:] + [None]):
        end = after.start() if after else len(line)
        value = line[here.end():end].strip().strip("]】)]").strip()
        field = _FIELD[here.group("key").lower()]
        if field == "published":
            value = iso_date(value) or value
        found.append(Noise(field, value))
    return found


RUNNING = 3  # a short line without punctuation met this often is a printed page's running head
_PUNCTUATION = re.compile(r"[,，、。.!！?？;；:：]")


def running_heads(lines: list[str]) -> set[str]:
    """Lines a copy from print or PDF repeats at the head or foot of every page (北京市
    政府工作报告, Report on the Work of the Government): short, without punctuation (so
    not `Fellow Deputies,` or `各位代表！`, which a report may say thrice), met at least
    RUNNING times, or twice when each time beside a page's number (`— 2 —`, within two
    lines). Linear: one count per line."""
    shown = [line for line in lines if line]
    page = [bool(_PAGE.match(fold(line))) for line in shown]  # each line read once
    counts: dict[str, int] = {}
    paged: dict[str, int] = {}  # times met beside a page number
    for n, line in enumerate(shown):
        if len(line) <= 40 and not _PUNCTUATION.search(line) and not page[n]:
            counts[line] = counts.get(line, 0) + 1
            if any(page[max(0, n - 2):n] + page[n + 1:n + 3]):
                paged[line] = paged.get(line, 0) + 1
    return {line for line, count in counts.items()
            if count >= RUNNING or count >= 2 and paged.get(line, 0) == count}
