"""Rendering: template mistakes are located errors; the preview's error page survives
broken templates; outline levels; coverage text."""

from __future__ import annotations

import shutil
from pathlib import Path

import jinja2
import pytest

from helpers import ROOT
from duizhao.build import plan
from duizhao.build import collect, pipeline
from duizhao.errors import DuizhaoError, Problems
from duizhao.content.settings import SiteInfo
from duizhao.pages.outline import coverage
from duizhao.pages.render import error_page, make_env


@pytest.fixture
def templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", folder)
    monkeypatch.setattr(plan, "TEMPLATES", folder)
    return folder


def break_line(path: Path, old: str, new: str) -> int:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")
    return text[: text.index(old)].count("\n") + 1


def test_template_syntax_error_names_file_and_line(templates: Path) -> None:
    line = break_line(templates / "report.html", "{% endfor %}", "{% endfor %}{% endblah %}")
    with pytest.raises(DuizhaoError) as caught:
        pipeline.render_site(ROOT / "content")
    assert str(caught.value).startswith(f"{templates / 'report.html'}:{line}: template: ")


def test_templates_are_compiled_once_before_workers_fork(templates: Path) -> None:
    """Every template is compiled in the planning process (forked workers share it); a
    broken one is left for the page that renders it to report, with its line."""
    break_line(templates / "topic.html", "{% endblock %}", "{% endblock %}{% endblah %}")
    (templates / ".report.html.swp").write_bytes(b"b0VIM 9.0\xff\xfe\x00")  # an editor's swap file
    (templates / "notes.bin").write_bytes(b"\xff\xfe\x00\x81")  # not text
    env = plan.env()
    names = set(env.list_templates())
    assert "report.html" in names and "topic.html" in names
    compiled = {template.name for template in env.cache.values()}
    assert compiled == names - {"topic.html", ".report.html.swp", "notes.bin"}


def test_a_page_is_joined_a_chunk_at_a_time_without_losing_a_piece() -> None:
    from duizhao.pages.render import joined
    pieces = [str(k) if k % 3 else "" for k in range(1000)]
    assert joined(iter(pieces), chunk=7) == "".join(pieces)
    assert joined(iter(["", "", "", "a"]), chunk=2) == "a" and joined(iter([]), chunk=2) == ""


def test_template_runtime_error_names_file_and_line(templates: Path) -> None:
    line = break_line(templates / "index.html", "<ol class=\"reports\">", "<ol class=\"reports\">{{ no_such.thing }}")
    with pytest.raises(DuizhaoError) as caught:
        pipeline.render_site(ROOT / "content")
    assert str(caught.value) == f"{templates / 'index.html'}:{line}: template: 'no_such' is undefined"


def test_error_page_survives_broken_templates(tmp_path: Path) -> None:
    (tmp_path / "error.html").write_text("{% extends 'missing.html' %}", "utf-8")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path)))
    html = error_page(env, [("a.md:3: <bad> thing", "the <line> quoted")], SiteInfo("t", "t", "", 8123))
    assert "a.md:3: &lt;bad&gt; thing" in html and "the &lt;line&gt; quoted" in html
    assert '<script src="/livereload.js?port=8123" defer></script>' in html


def test_error_page_uses_the_sites_template_normally() -> None:
    html = error_page(make_env(ROOT / "templates"), [("x.md:1: boom", "## 一、<x>"), ("y.md:0: whole", "")],
                      SiteInfo("T", "标题", "", 9000))
    assert 'class="build-error"' in html and "x.md:1: boom" in html and "livereload.js?port=9000" in html
    assert '<pre class="quoted-line"><code>## 一、&lt;x&gt;</code></pre>' in html  # the offending line, quoted
    assert html.count('class="quoted-line"') == 1  # none for a problem with no line


def test_coverage_reads_like_the_reports_numbering() -> None:
    reports = {r.id: r for r in collect.load_reports(ROOT / "content", Problems())}
    assert coverage(reports["beijing/2025"]) == "Part I items 3–6; Part II sections 2, 8–9"
    assert coverage(reports["beijing/2024"]) == "Part II section 10"


def test_an_excerpt_covers_a_part_whose_text_stands_under_its_heading() -> None:
    """A national report's part I has no sections; an excerpt holding it and sections of
    part II said it covered part II alone."""
    from duizhao.content.model import Bilingual, Heading, Pair, Para, Report
    from duizhao.intake.blocks import covers

    def pair(n: int) -> Pair:
        return Pair(f"x{n}", (Para("中文。"),), (Para("English."),))

    blocks = [Heading(1, "p1", "一、回顾", "I Review"), pair(1), pair(2),
              Heading(1, "p2", "二、任务", "II Tasks"), Heading(2, "p2-s1", "(一)就业", "1. Jobs"), pair(3),
              Heading(2, "p2-s3", "(三)住房", "3. Housing"), pair(4),
              Heading(1, "p3", "三、建设", "III Building"), Heading(2, "p3-s2", "(二)法治", "2. Law"), pair(5)]
    report = Report("national/2025", 2025, "", Bilingual("报告", "Report"), Bilingual(), Bilingual(),
                    Bilingual(), Bilingual(), blocks, [])
    assert covers(report) == ("p1", "p2-s1", "p2-s3", "p3-s2")
    assert coverage(report, covers(report)) == "Part I; Part II sections 1, 3; Part III section 2"
