"""build.py as a user runs it: exit status, messages, and what lands on disk."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from helpers import line_citing, HEADER, RAW, SEEDS_2025, run_build, write

ZH = "促进高质量充分就业。落实积极就业政策,全力稳定和扩大就业,实现城镇新增就业不少于26万人,让更多劳动者技有所施。"
EN = ("Promote high-quality and full employment. We will implement proactive employment "
      "policies and create no fewer than 260,000 urban jobs, helping more people make use of their skills.")


def tree_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(path.relative_to(folder).as_posix().encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def import_into(tmp: Path, *files: str | Path, force: bool = False):
    args = ["import", "--content", str(tmp / "content"), *map(str, files)]
    return run_build(*args, *(["--force"] if force else []))


def test_import_is_idempotent(tmp_path: Path) -> None:
    seeds = sorted(RAW.glob("*.txt"))
    first = import_into(tmp_path, *seeds)
    assert first.returncode == 0, first.stderr
    assert first.stdout.count(": written") == 3
    folder = tmp_path / "content/reports"
    before = {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*.md")}
    second = import_into(tmp_path, *seeds)
    assert second.returncode == 0 and second.stdout.count(": unchanged") == 3
    after = {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*.md")}
    assert before == after
    assert sorted(after) == ["beijing/2023.md", "beijing/2024.md", "beijing/2025.md"]


def test_hand_edited_report_needs_force(tmp_path: Path) -> None:
    seed = RAW / "002_a7281c5fc6d28daa.txt"
    assert import_into(tmp_path, seed).returncode == 0
    report = tmp_path / "content/reports/beijing/2024.md"
    edited = report.read_text("utf-8").replace("Promote high-quality", "Promote high quality")
    report.write_text(edited, "utf-8")
    refused = import_into(tmp_path, seed)
    assert refused.returncode == 2
    assert "2024.md:1: edited by hand since it was imported" in refused.stderr
    assert "--force" in refused.stderr and report.read_text("utf-8") == edited
    forced = import_into(tmp_path, seed, force=True)
    assert forced.returncode == 0 and "Promote high-quality" in report.read_text("utf-8")


def test_importing_part_of_a_report_does_not_drop_the_rest(tmp_path: Path) -> None:
    assert import_into(tmp_path, *[RAW / n for n in SEEDS_2025]).returncode == 0
    partial = import_into(tmp_path, RAW / SEEDS_2025[0])
    assert partial.returncode == 2
    assert "also holds excerpts from 000_ce7514109e845333.txt, 004_ca66ab87c1d89dd0.txt" in partial.stderr


def test_importing_one_of_two_excerpts_of_the_same_name_does_not_drop_the_other(tmp_path: Path) -> None:
    """x/r.txt and y/r.txt (two parts of one report) imported, then x/r.txt again: the
    check went by name, so y's part was dropped without a word."""
    parts = []
    for folder, seed in (("x", SEEDS_2025[0]), ("y", SEEDS_2025[1])):
        (tmp_path / folder).mkdir()
        parts.append(tmp_path / folder / "r.txt")
        parts[-1].write_bytes((RAW / seed).read_bytes())
    assert import_into(tmp_path, *parts).returncode == 0
    report = tmp_path / "content/reports/beijing/2025.md"
    both = report.read_text("utf-8")
    again = import_into(tmp_path, parts[0])
    assert again.returncode == 2 and "also holds excerpts from r.txt; import them together" in again.stderr
    assert report.read_text("utf-8") == both
    assert import_into(tmp_path, *parts).returncode == 0  # both again: nothing to refuse


def test_bad_input_files_exit_2_with_file_and_line(tmp_path: Path) -> None:
    gbk = write(tmp_path / "gbk.txt", HEADER + ZH + "\n" + EN, encoding="gbk")
    binary = tmp_path / "scan.pdf"
    binary.write_bytes(b"%PDF-1.4\n\x00\x00\xff\xfe binary")
    headless = write(tmp_path / "body.txt", ZH + "\n" + EN + "\n")
    result = import_into(tmp_path, gbk, binary, headless, tmp_path / "missing.txt")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith(f"{gbk}:1: not UTF-8: this looks like GBK/GB18030")
    assert lines[1].startswith(f"{binary}:2: not a UTF-8 text file")
    assert lines[2].startswith(f"{headless}:1: no report header found")
    assert lines[3] == f"{tmp_path / 'missing.txt'}: cannot read: No such file or directory"
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "content/reports").exists()


def test_warnings_exit_0_and_name_the_line(tmp_path: Path) -> None:
    source = write(tmp_path / "w.txt", HEADER + ZH + "\n" + EN + "\n" + ZH + "\n")
    result = import_into(tmp_path, source)
    assert result.returncode == 0
    assert f"{source}:11: warning: Chinese paragraph has no English translation (a caption, or text the translation left out?); kept, marked untranslated" in result.stderr
    report = (tmp_path / "content/reports/beijing/2024.md").read_text("utf-8").split("\n")
    marker = report.index("<!-- untranslated -->") + 1
    build = run_build("--content", str(tmp_path / "content"), "--out", str(tmp_path / "site"))
    assert build.returncode == 0
    assert f"2024.md:{marker}: warning: marked untranslated" in build.stderr
    soup = BeautifulSoup((tmp_path / "site/beijing/2024/index.html").read_text("utf-8"), "html.parser")
    last = soup.select("[data-pair]")[-1]
    assert last.select_one(".en .missing") is not None
    assert run_build("check", "--out", str(tmp_path / "site")).returncode == 0


def test_text_is_escaped_in_pages(tmp_path: Path) -> None:
    zh = "在文本中写<script>alert(1)</script>和&amp;以及<b>粗体</b>,以测试转义是否正确处理了这些字符。"
    en = "We write <script>alert(1)</script>, &amp; and <b>bold</b> to test that escaping holds here."
    assert import_into(tmp_path, write(tmp_path / "x.txt", HEADER + zh + "\n" + en + "\n")).returncode == 0
    assert run_build("--content", str(tmp_path / "content"), "--out", str(tmp_path / "site")).returncode == 0
    html = (tmp_path / "site/beijing/2024/index.html").read_text("utf-8")
    soup = BeautifulSoup(html, "html.parser")
    assert [(s.get("src"), s.get("type")) for s in soup.find_all("script")] == [
        ("../../static/prelude.js", None), ("../../static/js/main.js", "module")]
    assert soup.find("b") is None
    assert soup.select_one("[data-pair] .en p").get_text() == en
    assert soup.select_one("[data-pair] .zh p").get_text() == zh
    assert "&lt;script&gt;" in html and "&amp;amp;" in html


def test_build_is_deterministic(project: Path) -> None:
    for out in ("a", "b"):
        result = run_build("--content", str(project / "content"), "--out", str(project / out))
        assert result.returncode == 0, result.stderr
    assert tree_hash(project / "a") == tree_hash(project / "b")


def test_failed_build_leaves_the_last_good_site(project: Path) -> None:
    site = project / "site"
    report = project / "content/reports/beijing/2024.md"
    text = report.read_text("utf-8")
    extra = project / "content/reports/beijing/extra.md"  # a report whose pages go stale below
    extra.write_text(text.replace("id: beijing/2024\n", "id: beijing/extra\n"), "utf-8")
    assert run_build("--content", str(project / "content"), "--out", str(site)).returncode == 0
    assert (site / "beijing/extra/index.html").exists()
    extra.unlink()
    before = tree_hash(site)
    report.write_text(text.replace("[^17]: The seven", "[^71]: The seven"), "utf-8")
    broken = run_build("--content", str(project / "content"), "--out", str(site))
    assert broken.returncode == 2
    line = line_citing(report, "[^17]")
    assert f"2024.md:{line}: reference [^17] to a note that is not defined" in broken.stderr
    assert tree_hash(site) == before
    report.write_text(text, "utf-8")
    assert run_build("--content", str(project / "content"), "--out", str(site)).returncode == 0
    assert not (site / "beijing/extra").exists()  # what an earlier build wrote does not survive
    assert (site / "beijing/2024/index.html").exists()
    assert not [p for p in project.iterdir() if p.name.startswith(".site")]


def test_refuses_to_replace_a_folder_that_is_not_a_site(project: Path) -> None:
    result = run_build("--content", str(project / "content"), "--out", str(project / "content"))
    assert result.returncode == 2 and "refusing to replace this folder" in result.stderr
    assert (project / "content/reports/beijing/2024.md").exists()


def test_check_finds_broken_pages(project: Path) -> None:
    site = project / "site"
    assert run_build("--content", str(project / "content"), "--out", str(site), "--no-search").returncode == 0
    page = site / "beijing/2024/index.html"
    html = page.read_text("utf-8")
    html = html.replace('href="#note-17"', 'href="#note-99"', 1)
    html = html.replace('id="p2-s10-2"', 'id="p2-s10-1"', 1)
    html = html.replace('href="../../index.html"', 'href="../../nowhere.html"', 1)
    html = html.replace("</head>", '<script src="https://cdn.example.com/x.js"></script></head>')
    page.write_text(html, "utf-8")
    result = run_build("check", "--out", str(site))
    assert result.returncode == 2
    for expected in ("note reference '#note-99' has no endnote", "duplicate id 'p2-s10-1'",
                     "broken link: ../../nowhere.html", "request to another origin: https://cdn.example.com/x.js",
                     "link back from 'note-17' to '#ref-17', which does not cite it"):
        assert expected in result.stderr
    assert result.stderr.startswith(str(page))


def test_check_over_every_core_says_what_one_process_says(project: Path, monkeypatch) -> None:
    """`check` reads and checks the pages in worker processes (parsing was most of it):
    the same problems, in the same order, as page by page in this process, anchors into
    other pages and an unreadable page included."""
    from duizhao.check import site as checker
    site = project / "site"
    assert run_build("--content", str(project / "content"), "--out", str(site), "--no-search").returncode == 0
    page = site / "beijing/2024/index.html"
    html = page.read_text("utf-8").replace('id="p2-s10-2"', 'id="p2-s10-1"', 1)
    page.write_text(html.replace('href="../../index.html"', 'href="../../nowhere.html"', 1), "utf-8")
    (site / "beijing/2023/index.html").write_bytes(b"<p>\x81\x82 not UTF-8</p>")
    index = site / "index.html"
    html = index.read_text("utf-8")
    assert 'index.html"' in html
    index.write_text(html.replace('beijing/2025/index.html"', 'beijing/2025/index.html#no-such-pair"', 1), "utf-8")
    monkeypatch.setattr(checker, "WORKERS_FROM", 1)
    pooled = checker.check_site(site)
    monkeypatch.setattr(checker, "WORKERS_FROM", 10**9)
    alone = checker.check_site(site)
    assert pooled == alone
    said = "\n".join(map(str, alone))
    for expected in ("duplicate id 'p2-s10-1'", "broken link: ../../nowhere.html",
                     "no such anchor: beijing/2025/index.html#no-such-pair", "beijing/2023/index.html:1: not UTF-8"):
        assert expected in said, said


def test_errors_in_several_reports_are_each_printed_once(project: Path) -> None:
    for year in ("2023", "2024"):
        report = project / "content/reports/beijing" / f"{year}.md"
        report.write_text(report.read_text("utf-8").replace("[^17]:", "[^71]:"), "utf-8")
    result = run_build("--content", str(project / "content"), "--out", str(project / "site"))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == len(set(lines)) == 4  # [^17] cited and [^71] unused, in each report
    assert sum("2023.md" in l for l in lines) == sum("2024.md" in l for l in lines) == 2


def test_same_file_twice_and_identical_copies(tmp_path: Path) -> None:
    seed = RAW / "002_a7281c5fc6d28daa.txt"
    assert import_into(tmp_path, seed, seed).returncode == 0
    copy = tmp_path / "copy.txt"
    copy.write_bytes(seed.read_bytes())
    result = import_into(tmp_path, seed, copy)
    assert result.returncode == 2 and f"{copy}: same bytes as {seed}" in result.stderr


def test_base_url_gives_canonical_links_and_is_checked(project: Path) -> None:
    args = ["--content", str(project / "content"), "--out", str(project / "site"), "--no-search"]
    assert run_build(*args, "--base-url", "https://reports.example.org/dz").returncode == 0
    html = (project / "site/beijing/2025/index.html").read_text("utf-8")
    assert '<link rel="canonical" href="https://reports.example.org/dz/beijing/2025/index.html">' in html
    bad = run_build(*args, "--base-url", "not a url")
    assert bad.returncode == 2 and "--base-url: base URL 'not a url' must be an absolute" in bad.stderr


def test_heading_levels_do_not_skip(project: Path) -> None:
    assert run_build("--content", str(project / "content"), "--out", str(project / "site"),
                     "--no-search").returncode == 0
    soup = BeautifulSoup((project / "site/beijing/2025/index.html").read_text("utf-8"), "html.parser")
    levels = [int(h.name[1]) for h in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])
              if not h.find_parent(attrs={"role": "doc-endnotes"})]
    assert levels[0] == 1 and all(b <= a + 1 for a, b in zip(levels, levels[1:]))
    assert soup.find(id="p1-i3").name == "h3" and soup.find(id="p2-s8").name == "h3"


def test_help_and_unknown_command() -> None:
    assert run_build("--help").returncode == 0
    result = run_build("chek")
    assert result.returncode == 2 and "unknown command 'chek'" in result.stderr


def test_build_without_content_is_a_clear_error(tmp_path: Path) -> None:
    result = run_build("--content", str(tmp_path / "nothing"), "--out", str(tmp_path / "site"))
    assert result.returncode == 2 and "no reports folder" in result.stderr
    shutil.rmtree(tmp_path, ignore_errors=True)


def test_reserved_report_id_and_options_before_the_command(project: Path) -> None:
    report = project / "content/reports/beijing/2024.md"
    report.write_text(report.read_text("utf-8").replace("id: beijing/2024\nseries: beijing", "id: topics/2024\nseries: topics"), "utf-8")
    result = run_build("--content", str(project / "content"), "--out", str(project / "site"))
    assert result.returncode == 2 and "2024.md:3: series id 'topics': use lowercase letters" in result.stderr
    assert run_build("-q", "check", "--out", str(project / "nothing")).returncode == 2  # parsed as `check`


@pytest.mark.parametrize("url", ["https://x.org/?a=1", "https://x.org/site/#top"])
def test_a_base_url_with_a_query_or_fragment_is_refused(project: Path, url: str) -> None:
    """It was accepted and made canonical links like https://x.org/?a=1#f/."""
    result = run_build("--content", str(project / "content"), "--out", str(project / "site"), "--base-url", url)
    assert result.returncode == 2 and f"--base-url: base URL {url!r} must be an absolute http(s) URL without ? or #" \
        in result.stderr


def test_an_empty_library_builds_and_says_how_to_fill_it(tmp_path: Path) -> None:
    """It said `topics: 0/0 paragraph pairs (100.0%)`, a share of nothing."""
    (tmp_path / "content" / "reports").mkdir(parents=True)
    write(tmp_path / "content" / "topics.yaml", "topics: []\n")
    result = run_build("--content", str(tmp_path / "content"), "--out", str(tmp_path / "site"), "--no-search")
    assert result.returncode == 0, result.stderr
    assert "built 0 report(s)" in result.stdout and "0/0" not in result.stdout
    assert "the library is empty: import a report with `python build.py import <file>" in result.stdout
    assert (tmp_path / "site" / "index.html").is_file()


def test_a_title_block_alone_is_warned_and_a_repeated_warning_said_once(tmp_path: Path) -> None:
    text = (RAW / SEEDS_2025[0]).read_text("utf-8")
    head = text[:text.index("Yin Yong, Mayor of Beijing") + len("Yin Yong, Mayor of Beijing")] + "\n"
    alone = write(tmp_path / "head.txt", head)
    result = import_into(tmp_path, alone)
    assert result.returncode == 0, result.stderr
    assert "head.txt:1: warning: a title block with no text under it: the report has no paragraphs" in result.stderr
    assert "paragraph beads: \n" not in result.stdout
    repeated = write(tmp_path / "many.txt", head + "促进就业。\n\n" + "We will help in areas17. " * 50 + "\n")
    result = import_into(tmp_path, repeated, force=True)
    lines = [line for line in result.stderr.splitlines() if "areas17: looks like a reference to note [17]" in line]
    assert len(lines) == 1 and lines[0].endswith("(50 times)"), result.stderr
