#!/usr/bin/env python3
"""A synthetic corpus of N reports made from the seed reports, deterministic from a seed.

    python benchmarks/corpus.py N OUT [--seed S]

Shaped like a real library: N reports of several series (the State Council and the
provinces) over about thirty years, newest first, series by series: 100 reports are 4
series × 25 years, 1,000 are 32 series × 31–32 years. Written three ways, so that the
tools are timed on the same words:

    OUT/duizhao/content/   reports/<series>/<year>.md, topics.yaml, site.yaml (every series named)
    OUT/mkdocs/            mkdocs.yml (Material theme) and docs/<series>/<year>.md (one page a report)
    OUT/hugo/              hugo.toml, content/reports/<series>/<year>.md and four minimal layouts

beijing/2023, 2024 and 2025 are the three real reports, unchanged. Every other report
copies one of them (chosen at random) under its own id and year, and appends to each side
of every pair one short sentence with a number (the same number in both languages) that
no other pair of the corpus has. So no two pairs in the corpus have the same text: nothing
that caches on text (alignment, topic matching) can skip work that a real corpus of that
size would need."""

from __future__ import annotations

import argparse
import itertools
import math
import random
import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = {int(p.stem): p for p in (ROOT / "content" / "reports" / "beijing").glob("*.md")}
CJK = re.compile(r"[\u4e00-\u9fff]")
SENTENCES = [("第{k}批试点项目按期推进。", "Pilot batch {k} will proceed on schedule."),
             ("全年完成{k}项配套工作。", "We will complete {k} supporting tasks this year."),
             ("累计服务群众{k}人次。", "Services reached residents {k} times in total."),
             ("新建{k}个社区服务站点。", "We will open {k} new community service points.")]
# The first series keeps the seeds' own; then the State Council and the provinces.
SERIES = [("beijing", "北京市"), ("national", "国务院"), ("shanghai", "上海市"), ("guangdong", "广东省"),
          ("tianjin", "天津市"), ("hebei", "河北省"), ("shanxi", "山西省"), ("neimenggu", "内蒙古自治区"),
          ("liaoning", "辽宁省"), ("jilin", "吉林省"), ("heilongjiang", "黑龙江省"), ("jiangsu", "江苏省"),
          ("zhejiang", "浙江省"), ("anhui", "安徽省"), ("fujian", "福建省"), ("jiangxi", "江西省"),
          ("shandong", "山东省"), ("henan", "河南省"), ("hubei", "湖北省"), ("hunan", "湖南省"),
          ("guangxi", "广西壮族自治区"), ("hainan", "海南省"), ("chongqing", "重庆市"), ("sichuan", "四川省"),
          ("guizhou", "贵州省"), ("yunnan", "云南省"), ("xizang", "西藏自治区"), ("shaanxi", "陕西省"),
          ("gansu", "甘肃省"), ("qinghai", "青海省"), ("ningxia", "宁夏回族自治区"), ("xinjiang", "新疆维吾尔自治区")]
LAST_YEAR = 2025
SMALLEST = len(SEEDS)  # reports a corpus needs at least: the real ones
HUGO_LAYOUTS = {
    "_default/baseof.html": '<!doctype html><html lang="{{ .Site.Language.LanguageCode }}">'
                            '<head><meta charset="utf-8"><title>{{ .Title }}</title></head>'
                            '<body>{{ block "main" . }}{{ end }}</body></html>\n',
    "_default/single.html": '{{ define "main" }}<article><h1>{{ .Title }}</h1>{{ .Content }}'
                            '</article>{{ end }}\n',
    "_default/list.html": '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}'
                          '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}'
                          '</ul>{{ end }}\n',
    "index.html": '{{ define "main" }}<ul>{{ range .Site.RegularPages }}<li><a href="'
                  '{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n',
}


def split(text: str) -> tuple[str, str]:
    """(front matter without its --- lines, body)."""
    _, front, body = text.split("---\n", 2)
    return front, body


def vary(body: str, rng: random.Random, numbers: itertools.count) -> str:
    """Append one numbered sentence to the last paragraph of each side of every pair;
    each pair gets a number no other pair has."""
    blocks = body.split("\n\n")
    kinds = [_kind(b) for b in blocks]
    number = 0
    for i, kind in enumerate(kinds):
        following = kinds[i + 1] if i + 1 < len(kinds) else None
        if kind == "zh" and following != "zh":
            number = next(numbers)
            template = rng.randrange(len(SENTENCES))
            blocks[i] += SENTENCES[template][0].format(k=number)
        elif kind == "en" and following != "en" and number:
            blocks[i] += " " + SENTENCES[template][1].format(k=f"{number:,}")
            number = 0
    return "\n\n".join(blocks)


def _kind(block: str) -> str:
    text = block.strip()
    if not text or text.startswith(("#", "[^", "<!--")):
        return "other"
    return "zh" if CJK.search(text[:40]) else "en"


def cells(n: int) -> list[tuple[str, int]]:
    """(series, year) of each of n reports: newest years first, every series each year.
    A corpus smaller than four years of four series starts with the real reports (the
    figures in topics.yaml cite them); larger ones hold them anyway, in this order."""
    count = min(len(SERIES), max(4, math.ceil(n / 32)))
    years = range(LAST_YEAR, LAST_YEAR - max(len(SEEDS), math.ceil(n / count)), -1)
    every = [(series, year) for year in years for series, _ in SERIES[:count]]
    if n < len(SEEDS) * count:
        real = [("beijing", year) for year in sorted(SEEDS, reverse=True)]
        every = real + [cell for cell in every if cell not in real]
    return every[:n]


def reports(n: int, seed: int) -> list[tuple[str, str, int, str, str]]:
    """(series, id, year, front matter, body) of each synthetic report."""
    rng = random.Random(seed)
    bases = {year: split(path.read_text(encoding="utf-8")) for year, path in SEEDS.items()}
    numbers = itertools.count(1_000)
    out = []
    for series, year in cells(n):
        if series == "beijing" and year in bases:
            front, body = bases[year]
        else:
            seed_year = rng.choice(sorted(bases))
            front, body = bases[seed_year]
            front = re.sub(r"\b%d\b" % seed_year, str(year), front)
            front = re.sub(r"^imported: .*\n", "", front, flags=re.M)  # edited: no import stamp
            front = re.sub(r"^series: .*$", f"series: {series}", front, count=1, flags=re.M)
            body = vary(body, rng, numbers)
        front = re.sub(r"^id: .*$", f"id: {series}/{year}", front, count=1, flags=re.M)
        out.append((series, f"{series}/{year}", year, front, body))
    return out


def title_of(front: str) -> str:
    return re.search(r"^title:\n  zh: (.*)$", front, re.M).group(1)


def site_yaml(series: set[str]) -> str:
    lines = ["title: Government Work Reports", "title_zh: 政府工作报告", 'base_url: ""', "series:"]
    for sid, zh in SERIES:
        if sid in series:
            name = sid.capitalize() if sid != "national" else "State Council"
            lines += [f"  - id: {sid}", f"    zh: {zh}政府工作报告", f"    en: {name} Government Work Report",
                      f"    issuer: {{zh: {zh}人民政府, en: {name} People's Government}}"]
    return "\n".join(lines) + "\n"


def write(n: int, out: Path, seed: int = 1) -> None:
    shutil.rmtree(out, ignore_errors=True)
    corpus = reports(n, seed)
    content = out / "duizhao" / "content"
    (content / "reports").mkdir(parents=True)
    shutil.copy(ROOT / "content" / "topics.yaml", content / "topics.yaml")
    (content / "site.yaml").write_text(site_yaml({c[0] for c in corpus}), encoding="utf-8")
    docs, hugo = out / "mkdocs" / "docs", out / "hugo" / "content" / "reports"
    for series, report_id, year, front, body in corpus:
        for path, text in ((content / "reports" / f"{report_id}.md", f"---\n{front}---\n{body}"),
                           (docs / f"{report_id}.md", f"# {title_of(front)} {report_id}\n{body}"),
                           (hugo / f"{report_id}.md",
                            f'---\ntitle: "{title_of(front)} {report_id}"\ndate: {year}-01-01\n---\n{body}')):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    (docs / "index.md").write_text("# Reports\n\n" + "".join(
        f"- [{r[1]}]({r[1]}.md)\n" for r in corpus), encoding="utf-8")
    (out / "mkdocs" / "mkdocs.yml").write_text(
        "site_name: Reports\ntheme:\n  name: material\nmarkdown_extensions:\n"
        "  - footnotes\n  - attr_list\n  - toc:\n      permalink: true\n", encoding="utf-8")
    (out / "hugo" / "hugo.toml").write_text(
        "baseURL = 'https://example.org/'\nlanguageCode = 'zh-Hans'\ntitle = 'Reports'\n"
        "disableKinds = ['taxonomy', 'term', 'RSS']\n", encoding="utf-8")
    for rel, text in HUGO_LAYOUTS.items():
        path = out / "hugo" / "layouts" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("n", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.n < SMALLEST:
        parser.error(f"N must be at least {SMALLEST} (the real reports, which topics.yaml's figures cite)")
    write(args.n, args.out, args.seed)
    print(f"{args.n} reports → {args.out}")


if __name__ == "__main__":
    main()
