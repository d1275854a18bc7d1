#!/usr/bin/env python3
"""A synthetic corpus of N reports made from the seed reports, deterministic from a seed.

    python benchmarks/corpus.py N OUT [--seed S]

Writes the same text three ways, so that the tools are timed on the same words:

    OUT/duizhao/content/   reports/r0000.md …, topics.yaml, site.yaml (duizhao's format)
    OUT/mkdocs/            mkdocs.yml (Material theme) and docs/r0000.md … (one page a report)
    OUT/hugo/              hugo.toml, content/reports/r0000.md … and four minimal layouts

Report i copies one of the three real reports (chosen at random; the first three are the
real ones, in order) under a new id and a random year, and appends to each side of every
pair one short sentence with a random number (the same number in both languages). So no
two pairs in the corpus have the same text: nothing that caches on text (alignment, topic
matching) can skip work that a real corpus of that size would need."""

from __future__ import annotations

import argparse
import random
import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "content" / "reports").glob("*.md"))
CJK = re.compile(r"[\u4e00-\u9fff]")
SENTENCES = [("第{k}批试点项目按期推进。", "Pilot batch {k} will proceed on schedule."),
             ("全年完成{k}项配套工作。", "We will complete {k} supporting tasks this year."),
             ("累计服务群众{k}人次。", "Services reached residents {k} times in total."),
             ("新建{k}个社区服务站点。", "We will open {k} new community service points.")]
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


def vary(body: str, rng: random.Random) -> str:
    """Append one numbered sentence to the last paragraph of each side of every pair."""
    blocks = body.split("\n\n")
    kinds = [_kind(b) for b in blocks]
    number = 0
    for i, kind in enumerate(kinds):
        following = kinds[i + 1] if i + 1 < len(kinds) else None
        if kind == "zh" and following != "zh":
            number = rng.randint(2, 99_999)
            template = rng.randrange(len(SENTENCES))
            blocks[i] += SENTENCES[template][0].format(k=number)
        elif kind == "en" and following != "en" and number:
            blocks[i] += " " + SENTENCES[template][1].format(k=f"{number:,}")
            number = 0
    return "\n\n".join(blocks)


def _kind(block: str) -> str:
    text = block.strip()
    if not text or text.startswith(("#", "[^")):
        return "other"
    return "zh" if CJK.search(text[:40]) else "en"


def reports(n: int, seed: int) -> list[tuple[str, int, str, str]]:
    """(id, year, front matter, body) of each synthetic report."""
    rng = random.Random(seed)
    bases = [split(p.read_text(encoding="utf-8")) for p in SEEDS]
    out = []
    for i in range(n):
        front, body = bases[i] if i < len(bases) else rng.choice(bases)
        year = int(re.search(r"^year: (\d+)", front, re.M).group(1))
        if i >= len(bases):
            new = rng.randint(1990, 2025)
            front = re.sub(r"\b%d\b" % year, str(new), front)
            body, year = vary(body, rng), new
        front = re.sub(r"^id: .*$", f"id: r{i:04d}", front, count=1, flags=re.M)
        out.append((f"r{i:04d}", year, front, body))
    return out


def title_of(front: str) -> str:
    zh = re.search(r"^title:\n  zh: (.*)$", front, re.M).group(1)
    return zh


def write(n: int, out: Path, seed: int = 1) -> None:
    shutil.rmtree(out, ignore_errors=True)
    corpus = reports(n, seed)
    content = out / "duizhao" / "content"
    (content / "reports").mkdir(parents=True)
    for name in ("topics.yaml", "site.yaml"):
        shutil.copy(ROOT / "content" / name, content / name)
    docs, hugo = out / "mkdocs" / "docs", out / "hugo" / "content" / "reports"
    docs.mkdir(parents=True)
    hugo.mkdir(parents=True)
    for report_id, year, front, body in corpus:
        (content / "reports" / f"{report_id}.md").write_text(f"---\n{front}---\n{body}", encoding="utf-8")
        title = f"{title_of(front)} {year} ({report_id})"
        (docs / f"{report_id}.md").write_text(f"# {title}\n{body}", encoding="utf-8")
        (hugo / f"{report_id}.md").write_text(
            f'---\ntitle: "{title}"\ndate: {year}-01-01\n---\n{body}', encoding="utf-8")
    (docs / "index.md").write_text("# Reports\n\n" + "".join(
        f"- [{r[0]}]({r[0]}.md)\n" for r in corpus), encoding="utf-8")
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
    write(args.n, args.out, args.seed)
    print(f"{args.n} reports → {args.out}")


if __name__ == "__main__":
    main()
