"""content/site.yaml: the site's title in both languages, its public base URL and the
series of reports it holds (content.series)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from . import frontmatter
from ..errors import fail
from ..text.files import check_inside, read_text
from .comparisons import Requested, parse_compare
from .series import Series, default_series, parse_series


@dataclass(frozen=True)
class SiteInfo:
    title: str
    title_zh: str
    base_url: str
    live_reload: int = 0  # `serve`'s port: pages then load /livereload.js from it
    has_topics: bool = False
    has_search: bool = False  # the Pagefind bundles are built (see search.py)
    series: tuple[Series, ...] = ()  # as site.yaml names them, in their order
    compare: tuple[Requested, ...] = ()  # compare pages asked for besides consecutive years

    def series_of(self, series_id: str) -> Series:
        return next((s for s in self.series if s.id == series_id), None) or default_series(series_id)

    @property
    def first_series(self) -> str:
        """The series a report without one belongs to (content from before series)."""
        return self.series[0].id if self.series else "beijing"


DEFAULTS = {"title": "duizhao", "title_zh": "对照", "base_url": ""}


def load_site(content: Path, base_url: str | None = None) -> SiteInfo:
    path = content / "site.yaml"
    data: dict = {}
    if path.exists() or path.is_symlink():
        check_inside(path, content)
        text = read_text(path)
        data, lines = frontmatter.parse(text, str(path), first=1) if text.strip() else ({}, {})
        unknown = sorted(set(data) - set(DEFAULTS) - {"series", "compare"})
        if unknown:
            raise fail(str(path), lines[unknown[0]],
                       f"unknown setting {unknown[0]!r} (known: {', '.join(DEFAULTS)}, series, compare)")
    values = {}
    for key, default in DEFAULTS.items():
        value = data.get(key)
        if value is not None and not isinstance(value, str):
            raise fail(str(path), lines[key], f"{key}: {value!r} is not text; put it in quotes")
        values[key] = value or default
    values["series"] = parse_series(data.get("series"), str(path), lines.get("series", 1) if data else 1)
    if data.get("compare") is not None:
        values["compare"] = parse_compare(data["compare"], text, str(path), lines["compare"])
    if base_url is not None:
        values["base_url"] = base_url
    url = values["base_url"]
    if url and (not re.match(r"^https?://[^/\s]+(/\S*)?$", url) or "?" in url or "#" in url):
        where = "--base-url" if base_url is not None else str(path)
        raise fail(where, 0, f"base URL {url!r} must be an absolute http(s) URL without ? or #, "
                             "e.g. https://user.github.io/duizhao/")
    if url and not url.endswith("/"):
        values["base_url"] = url + "/"
    return SiteInfo(**values)
