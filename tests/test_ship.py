"""What publishing needs from a build: a strict CSP on every page, valid HTML (the Nu Html
Checker), sitemap.xml and robots.txt from the base URL, and a 404 page for any depth."""

from __future__ import annotations

import re

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from helpers import ROOT, run_build

pytestmark = pytest.mark.xdist_group("ship")  # its module-scoped fixtures are made once, on one worker

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def need(condition: bool, message: str) -> None:
    if not condition:
        pytest.fail(message) if os.environ.get("CI") else pytest.skip(message)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("ship") / "site"
    result = run_build("-q", "--out", str(out), "--base-url", "https://reports.example.org/duizhao")
    assert result.returncode == 0, result.stderr
    return out


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_every_page_has_a_strict_csp_and_no_inline_code(built: Path) -> None:
    assert len(pages(built)) >= 5  # library, 404, three reports (and topic pages)
    for path in pages(built):
        soup = BeautifulSoup(path.read_text("utf-8"), "html.parser")
        meta = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert meta is not None, path
        policy = meta["content"]
        assert "script-src 'self'" in policy and "style-src 'self'" in policy
        assert "default-src 'self'" in policy
        # WebAssembly for search may compile; no inline script, no eval of JavaScript
        assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
        assert policy.count("unsafe") == 1 and "script-src 'self' 'wasm-unsafe-eval';" in policy
        assert all(s.get("src") for s in soup.find_all("script")) and not soup.find_all(style=True)
        assert not soup.find_all("style")
        first = soup.head.find_all("meta")[:3]
        assert meta in first, "the CSP must come before any script or stylesheet"


def test_the_nu_html_checker_reports_no_errors(built: Path) -> None:
    need(shutil.which("java") is not None and VNU.exists(),
         "vnu.jar or java missing: run npm ci (make setup does) and install a JRE")
    # One JVM checks every page. A run this short is mostly JIT work: the client compiler
    # alone (TieredStopAtLevel=1) halves its CPU time; its frames are larger, so the stack
    # the checker's schema needs is raised too.
    java = ["java", "-XX:TieredStopAtLevel=1", "-Xss4m", "-jar", str(VNU)]
    result = subprocess.run([*java, "--errors-only", "--format", "gnu", *map(str, pages(built))],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0 and result.stderr.strip() == "", result.stderr


def test_sitemap_robots_canonical_and_open_graph(built: Path) -> None:
    sitemap = (built / "sitemap.xml").read_text("utf-8")
    for url in ("https://reports.example.org/duizhao/", "https://reports.example.org/duizhao/beijing/2025/index.html"):
        assert f"<loc>{url}</loc>" in sitemap
    assert "Sitemap: https://reports.example.org/duizhao/sitemap.xml" in (built / "robots.txt").read_text("utf-8")
    soup = BeautifulSoup((built / "beijing" / "2025" / "index.html").read_text("utf-8"), "html.parser")
    assert soup.find("link", rel="canonical")["href"] == "https://reports.example.org/duizhao/beijing/2025/index.html"
    assert soup.find("meta", property="og:url")["content"] == "https://reports.example.org/duizhao/beijing/2025/index.html"
    assert soup.find("meta", property="og:type")["content"] == "article"
    description = soup.find("meta", attrs={"name": "description"})["content"]
    assert description.startswith("2025 政府工作报告 · Report on the Work of the Government, Yin Yong")
    assert soup.find("link", rel="icon")["href"] == "../../static/favicon.svg"


def test_404_links_through_the_sites_own_path(built: Path) -> None:
    soup = BeautifulSoup((built / "404.html").read_text("utf-8"), "html.parser")
    assert soup.find("base")["href"] == "/duizhao/"
    assert soup.find("link", rel="stylesheet")["href"] == "static/style.css"
    assert (built / ".nojekyll").exists()


def test_without_a_base_url_there_is_no_sitemap(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content, ignore=shutil.ignore_patterns("raw"))
    (content / "site.yaml").write_text("title: Reports\n", "utf-8")
    assert run_build("-q", "--no-search", "--content", str(content), "--out", str(tmp_path / "site")).returncode == 0
    assert not (tmp_path / "site" / "sitemap.xml").exists()
    assert "Sitemap" not in (tmp_path / "site" / "robots.txt").read_text("utf-8")
    soup = BeautifulSoup((tmp_path / "site" / "404.html").read_text("utf-8"), "html.parser")
    assert soup.find("base")["href"] == "/" and soup.find("link", rel="canonical") is None


# `import {a} from "./a.js"` or `import "./a.js"`, minified or not; never `import(…)`.
_STATIC_IMPORT = re.compile(r"""(?<![\w.$])import\s*(?:[^'"();]*?from\s*)?["'](\.{1,2}/[^"']+)["']""")


def own_assets(site: Path, page: str) -> dict[str, int]:
    """Bytes of each stylesheet and script a page loads at once, by path: the module
    scripts' static imports included (a dynamic import() loads later, on demand); not the
    print stylesheet (media="print": fetched at idle priority, applied only to print)."""
    html = BeautifulSoup((site / page).read_text("utf-8"), "html.parser")
    refs = [l["href"] for l in html.find_all("link", rel="stylesheet") if l.get("media") != "print"] + \
           [s["src"] for s in html.find_all("script", src=True)]
    files = [(site / page).parent.joinpath(ref).resolve() for ref in refs]
    for path in files:  # grows as imports are found
        if path.suffix == ".js":
            for ref in _STATIC_IMPORT.findall(path.read_text("utf-8")):
                found = path.parent.joinpath(ref).resolve()
                if found not in files:
                    files.append(found)
    return {path.relative_to(site.resolve()).as_posix(): path.stat().st_size for path in files}


def test_a_report_page_loads_under_26_kb_of_css_and_js(built: Path) -> None:
    for report in ("2023", "2024", "2025"):
        assets = own_assets(built, f"beijing/{report}/index.html")
        assert {"static/style.css", "static/prelude.js", "static/js/main.js", "static/js/notes.js",
                "static/js/util.js"} <= set(assets)
        assert "static/search.js" not in assets  # loaded on the first search only
        assert sum(assets.values()) < 26_000, assets
    # minified as published, from readable sources
    sources = sum(p.stat().st_size for p in (ROOT / "static/js").glob("*.js"))
    assert sum(p.stat().st_size for p in (built / "static/js").glob("*.js")) < 0.8 * sources
    assert "\n  " not in (built / "static/style.css").read_text("utf-8")
