"""Hardening against bad input and faults: one test (or a few) per class of finding.
Every bad input ends in exit 2 with `file:line: message`, never a traceback or a hang;
no folder the build does not own is touched; a damaged cache changes nothing but time."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from helpers import HEADER, RAW, ROOT, SEEDS_2024, run_build, write
from duizhao.build import outdir
from duizhao.build.cache import _seal
from duizhao.content.inline import count_marks, escape_inline, plain, split_marks, strip_marks
from duizhao.content.read import parse_markdown
from duizhao.errors import DuizhaoError, Problems

ZH = "促进高质量充分就业。落实积极就业政策,全力稳定和扩大就业,实现城镇新增就业不少于26万人,让更多劳动者技有所施。"
EN = ("Promote high-quality and full employment. We will implement proactive employment "
      "policies and create no fewer than 260,000 urban jobs, helping more people make use of their skills.")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A scratch copy of content/ (reports, topics.yaml, site.yaml; not the raw texts)."""
    shutil.copytree(ROOT / "content", tmp_path / "content", ignore=shutil.ignore_patterns("raw"))
    return tmp_path


def tree(folder: Path) -> dict[str, str]:
    """Every entry under a folder: a file's digest, a link's target, or 'folder'."""
    out = {}
    for root, dirs, names in os.walk(folder):
        for name in dirs + names:
            path = Path(root, name)
            rel = path.relative_to(folder).as_posix()
            if path.is_symlink():
                out[rel] = "-> " + os.readlink(path)
            elif path.is_dir():
                out[rel] = "folder"
            else:
                out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def cli(project: Path, *extra: str, out: str = "site") -> subprocess.CompletedProcess:
    result = run_build("--content", str(project / "content"), "--out", str(project / out),
                       "--no-search", *extra)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode in (0, 2), result.stderr
    return result


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")


# ---- never destroy what is not ours ------------------------------------------------------

def test_a_gh_pages_checkout_is_not_replaced(project: Path) -> None:
    out = project / "gh-pages"
    for name, text in {".nojekyll": "", "index.html": "<p>old</p>", "CNAME": "example.org\n",
                       "notes.md": "mine", ".git/HEAD": "ref: refs/heads/gh-pages\n"}.items():
        write(out / name, text)
    before = tree(out)
    result = cli(project, out="gh-pages")
    assert result.returncode == 2
    assert f"{out}: refusing to replace this folder" in result.stderr
    assert ".git/" in result.stderr and "CNAME" in result.stderr and "notes.md" in result.stderr
    assert tree(out) == before
    assert not [p for p in project.iterdir() if p.name.startswith(".gh-pages.")]


def test_a_file_added_to_a_built_site_is_not_deleted(prebuilt) -> None:
    project = prebuilt("--no-search")
    write(project / "site/CNAME", "reports.example.org\n")
    os.symlink(project / "content", project / "site/content-link")
    before = tree(project / "site")
    result = cli(project)
    assert result.returncode == 2 and "CNAME, content-link" in result.stderr
    assert tree(project / "site") == before


def test_an_earlier_build_is_replaced_even_without_the_cache(project: Path) -> None:
    """The site's own list of files proves it ours: its stale pages go, nothing else."""
    text = (project / "content/reports/beijing/2024.md").read_text("utf-8")
    write(project / "content/reports/beijing/extra.md", text.replace("id: beijing/2024\n", "id: beijing/extra\n"))
    assert cli(project).returncode == 0
    assert (project / "site/beijing/extra/index.html").exists()
    assert outdir.MARKER in os.listdir(project / "site")
    shutil.rmtree(project / ".cache")
    (project / "content/reports/beijing/extra.md").unlink()
    assert cli(project).returncode == 0
    assert not (project / "site/beijing/extra").exists() and (project / "site/beijing/2024/index.html").exists()


def test_a_folder_holding_only_what_a_build_writes_is_replaced(project: Path) -> None:
    write(project / "site/index.html", "<p>old</p>")
    write(project / "site/.nojekyll", "")
    assert cli(project).returncode == 0
    assert "old" not in (project / "site/index.html").read_text("utf-8")


@pytest.mark.parametrize("where", ["content", "parent", "reports"])
def test_the_content_its_parent_or_its_reports_are_never_the_output(project: Path, where: str) -> None:
    out = {"content": "content", "parent": ".", "reports": "content/reports/site"}[where]
    before = tree(project)
    result = cli(project, out=out)
    assert result.returncode == 2 and "refusing to" in result.stderr
    assert tree(project) == before


@pytest.mark.parametrize("out", [ROOT, ROOT / "templates", ROOT / "static" / "x", ROOT.parent, Path("/")])
def test_the_project_and_the_root_are_never_the_output(tmp_path: Path, out: Path) -> None:
    with pytest.raises(DuizhaoError, match="refusing to"):
        outdir.check_out(out, tmp_path / "content")


def test_a_file_or_a_read_only_place_as_output_is_a_located_error(project: Path) -> None:
    write(project / "afile", "x")
    assert "output path exists and is not a folder" in cli(project, out="afile").stderr
    result = cli(project, out="afile/site")
    assert result.returncode == 2 and f"{project / 'afile'}" in result.stderr


# ---- clean up --------------------------------------------------------------------------

def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_folders_a_killed_build_left_are_removed(prebuilt) -> None:
    project = prebuilt("--no-search")
    dead = dead_pid()
    for name in (f".site.tmp-{dead}", f".site.old-{dead}", f".site.tmp-{os.getppid()}"):
        write(project / name / "index.html", "half")
    assert cli(project).returncode == 0
    left = sorted(p.name for p in project.iterdir() if p.name.startswith(".site."))
    assert left == [f".site.tmp-{os.getppid()}"]  # a running process's folder is left alone


def test_the_search_input_a_killed_build_left_is_removed_by_the_next(tmp_path: Path) -> None:
    """A build killed while indexing (SIGTERM or SIGKILL: no time to clean up) left
    Pagefind's input folder in the temporary folder for good. It is named by the build's
    pid now, and a later build removes those of builds no longer running, never one of a
    running process. (SIGTERM keeps its default meaning in a build: turned into
    KeyboardInterrupt, a pool's workers, which inherit it until they reset it, could
    swallow the pool's own SIGTERM and hang it.)"""
    import tempfile
    from duizhao.pages.search import SEARCH_PREFIX
    temp = Path(tempfile.gettempdir())
    stale, live = temp / f"{SEARCH_PREFIX}{dead_pid()}-left", temp / f"{SEARCH_PREFIX}{os.getppid()}-live"
    for folder in (stale, live):
        write(folder / "x.html", "left")
    try:
        shutil.copytree(ROOT / "content", tmp_path / "content", ignore=shutil.ignore_patterns("raw"))
        done = run_build("-q", "--content", str(tmp_path / "content"), "--out", str(tmp_path / "site"))
        assert done.returncode == 0, done.stderr
        assert not stale.exists() and live.exists()
    finally:
        shutil.rmtree(stale, ignore_errors=True)
        shutil.rmtree(live, ignore_errors=True)


def test_the_last_good_site_moved_aside_by_a_killed_build_is_put_back(prebuilt) -> None:
    project = prebuilt("--no-search")
    good = tree(project / "site")
    aside = project / f".site.old-{dead_pid()}"
    os.rename(project / "site", aside)  # killed between its two renames
    edit(project / "content/reports/beijing/2024.md", "[^17]: The seven", "[^71]: The seven")
    assert cli(project).returncode == 2
    assert tree(project / "site") == good and not aside.exists()


def test_gitignore_covers_the_temporary_folders() -> None:
    names = [".site.tmp-123/index.html", ".site.old-9/x", "content/reports/.2024.md.ab12.tmp"]
    result = subprocess.run(["git", "check-ignore", "--no-index", *names], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.stdout.split() == names


# ---- the cache is a cache ----------------------------------------------------------------

def site_files(folder: Path) -> dict[str, str]:
    return {k: v for k, v in tree(folder).items() if v != "folder"}


@pytest.fixture
def cached(prebuilt) -> tuple[Path, dict[str, str]]:
    """A project built once from a cold cache (with search), and that site's files."""
    project = prebuilt(out="clean")
    return project, site_files(project / "clean")


def rebuild(project: Path) -> dict[str, str]:
    shutil.rmtree(project / "site", ignore_errors=True)
    result = run_build("--content", str(project / "content"), "--out", str(project / "site"))
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    return site_files(project / "site")


def test_a_same_length_edit_inside_a_cached_report_is_not_published(cached) -> None:
    project, clean = cached
    edited = 0
    for entry in (project / ".cache/duizhao").rglob("*.pickle"):
        data = entry.read_bytes()
        if "兜准兜牢民生底线".encode() in data:
            entry.write_bytes(data.replace("兜准兜牢民生底线".encode(), "兜准兜牢民生底缐".encode()))
            edited += 1
    assert edited >= 2  # the parsed report and what was derived from it
    assert rebuild(project) == clean


def test_flipped_bytes_in_the_cached_search_index_are_not_published(cached) -> None:
    project, clean = cached
    entries = list((project / ".cache/duizhao/search").glob("*.pickle"))
    assert len(entries) == 1
    data = bytearray(entries[0].read_bytes())
    for at in range(len(data) // 3, len(data), len(data) // 7):
        data[at] ^= 0x5A
    entries[0].write_bytes(bytes(data))
    assert rebuild(project) == clean


def test_swapped_wrong_shaped_and_unreadable_entries_are_misses(cached) -> None:
    project, clean = cached
    folder = project / ".cache/duizhao"
    reports = sorted((folder / "report").glob("*.pickle"))
    derived = sorted((folder / "derived").glob("*.pickle"))
    reports[0].write_bytes(reports[1].read_bytes())  # one report's entry under another's key
    derived[0].write_bytes(_seal(b"\x80\x04N.", "derived", derived[0].stem))  # None, sealed
    derived[1].write_bytes(_seal(__import__("pickle").dumps({"not": "derived"}), "derived", derived[1].stem))
    reports[2].unlink()
    reports[2].mkdir()  # unreadable: a folder where the entry was
    for manifest in folder.glob("manifest-*"):
        manifest.write_bytes(b"garbage")
    assert rebuild(project) == clean


def test_a_cache_path_that_is_a_file_is_no_error(project: Path) -> None:
    write(project / ".cache", "not a folder")
    result = run_build("--content", str(project / "content"), "--out", str(project / "site"),
                       "--no-search")
    assert result.returncode == 0, result.stderr
    assert "warning: the build cache could not be written" in result.stderr
    assert (project / ".cache").read_text("utf-8") == "not a folder"


def test_entries_no_build_uses_are_evicted(prebuilt) -> None:
    project = prebuilt("--no-search")
    folder = project / ".cache/duizhao"
    first = {p.relative_to(folder) for p in folder.rglob("*.pickle")}
    edit(project / "content/reports/beijing/2024.md", "兜准兜牢民生底线", "兜准兜牢民生的底线")
    write(folder / "report/.stale.pickle.x1.tmp", "left by a kill")
    os.utime(folder / "report/.stale.pickle.x1.tmp", (0, 0))
    cli(project)
    second = {p.relative_to(folder) for p in folder.rglob("*.pickle")}
    assert len(second) == len(first) and second != first
    assert not (folder / "report/.stale.pickle.x1.tmp").exists()


# ---- bounded work on any input -----------------------------------------------------------

LAUGHS = "lol0: &a0 [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"lol{i + 1}: &a{i + 1} [{', '.join([f'*a{i}'] * 9)}]\n" for i in range(12))


def line_of(path: Path, text: str) -> int:
    """The line of a content file that starts with `text` (no test pins a line number an
    editor may shift)."""
    return next(i for i, line in enumerate(path.read_text("utf-8").split("\n"), 1) if line.startswith(text))


@pytest.mark.parametrize("file, yaml_text, below, message", [
    pytest.param("reports/beijing/2024.md", LAUGHS, 2, "YAML alias *a0 is not allowed", id="laughs"),
    pytest.param("reports/beijing/2024.md", "x: &a [*a]\n", 1, "YAML alias *a is not allowed", id="recursive"),
    pytest.param("reports/beijing/2024.md", "x: " + "[" * 100_000 + "]" * 100_000 + "\n", 1,
                 "nested more than 20 levels", id="deep"),
    pytest.param("topics.yaml", LAUGHS, 2, "YAML alias *a0 is not allowed", id="topics-laughs"),
    pytest.param("site.yaml", "- " * 50_000 + "a\n", 1, "nested more than 20 levels", id="site-deep"),
])
def test_yaml_bombs_are_refused_at_once(project: Path, file: str, yaml_text: str, below: int,
                                        message: str) -> None:
    """Aliases (the billion laughs, a recursive alias) and deep nesting are refused before
    anything is built: no minutes of work, no recursion error, no crash in libyaml.
    `below`: the offending line is this many lines into the inserted YAML."""
    path = project / "content" / file
    if file.endswith(".md"):
        start = line_of(path, "year: 2024")
        edit(path, "year: 2024\n", "year: 2024\n" + yaml_text)
    else:
        start = 0
        path.write_text(yaml_text, "utf-8")
    result = cli(project)
    assert result.returncode == 2
    assert f"{path}:{start + below}: {message}" in result.stderr


def test_links_out_of_the_content_folder_are_not_followed(project: Path) -> None:
    reports = project / "content/reports"
    write(project / "outside.md", "---\nid: x\n---\n")
    (reports / "etc.md").symlink_to(project / "outside.md")
    (reports / "loop.md").symlink_to("round.md")
    (reports / "round.md").symlink_to("loop.md")
    (reports / "beijing" / "same.md").symlink_to("2024.md")  # a link inside is followed
    topics = project / "content/topics.yaml"
    os.rename(topics, project / "topics.yaml")
    topics.symlink_to(project / "topics.yaml")
    result = cli(project)
    assert result.returncode == 2
    assert f"{reports / 'etc.md'}: a link out of {project / 'content'} (to {project / 'outside.md'})" in result.stderr
    assert f"{reports / 'loop.md'}: a link that leads round in a loop" in result.stderr
    assert re.search(r"beijing/(same|2024)\.md:2: id 'beijing/2024' is also used by", result.stderr)
    for name in ("etc.md", "loop.md", "round.md", "beijing/same.md"):
        (reports / name).unlink()
    result = cli(project)
    assert result.returncode == 2 and f"{topics}: a link out of" in result.stderr


def test_a_fifo_named_like_an_input_is_never_read(project: Path) -> None:
    os.mkfifo(project / "content/reports/pipe.md")
    result = cli(project)  # run_build's timeout fails the test if it hangs
    assert result.returncode == 2
    assert f"{project / 'content/reports/pipe.md'}: cannot read: is not a regular file" in result.stderr


# ---- located errors, never tracebacks ----------------------------------------------------

@pytest.mark.parametrize("file, old, new, below, message", [
    ("reports/beijing/2024.md", "year: 2024\n", "year: 2024\n1: one\nzz: two\n", 1, "key 1 must be a name"),
    ("reports/beijing/2024.md", "year: 2024\n", "year: 2024\n~: nothing\n", 1, "key ~ must be a name (text), not null"),
    ("reports/beijing/2024.md", "year: 2024\n", "year: .inf\n", 0, "year must be a number, not inf"),
    ("reports/beijing/2024.md", "year: 2024\n", "year: 20245\n", 0, "year must be from 0 to 9999"),
    ("reports/beijing/2024.md", "id: beijing/2024", "id: beijing/" + "a" * 300, 0,
     "id 'beijing/aaaaaaaaaaa"),  # each part at most 64 characters (names a folder)
    ("reports/beijing/2024.md", "series: beijing", "series: topics", 0, "series id 'topics'"),
    ("reports/beijing/2024.md", "  zh: 政府工作报告", "  zh: [a, b]", -1, "title zh: ['a', 'b'] is not text"),  # named at title:
    ("topics.yaml", "topics:\n", "null: x\n3: y\ntopics:\n", 0, "key null must be a name (text), not null"),
    ("topics.yaml", "      - year: 2024\n", "      - year: .inf\n", 0, "year: must be a year and value: a number"),
    ("topics.yaml", "  - id: employment\n", "  - id: " + "e" * 65 + "\n", 0, "topic id is 65 characters long"),
    ("site.yaml", "title:", "7: x\ntitle:", 0, "key 7 must be a name (text), not a number"),
    ("site.yaml", "title: Government Work Reports", "title: [a]", 0, "title: ['a'] is not text"),
])
def test_bad_yaml_values_are_located(project: Path, file: str, old: str, new: str, below: int,
                                     message: str) -> None:
    """Mixed or null keys, infinite or huge years, ids no file system holds, lists where
    text belongs: in front matter, topics.yaml and site.yaml alike. `below`: the line
    named is this many lines under the edited one."""
    path = project / "content" / file
    if not path.exists():  # topics.yaml is not in every project
        shutil.copy(ROOT / "content" / file, path)
    line = line_of(path, old.split("\n")[0])
    edit(path, old, new)
    result = cli(project)
    assert result.returncode == 2
    assert f"{path}:{line + below}: {message}" in result.stderr


def test_ids_that_differ_only_in_case_and_folders_named_md(project: Path) -> None:
    text = (project / "content/reports/beijing/2024.md").read_text("utf-8")
    write(project / "content/reports/upper.md", text.replace("id: '2024'", "id: Extra"))
    write(project / "content/reports/lower.md", text.replace("id: '2024'", "id: extra"))
    (project / "content/reports/folder.md").mkdir()
    result = cli(project)
    assert result.returncode == 2
    assert f"{project / 'content/reports/folder.md'}: cannot read: is a folder" in result.stderr
    assert f"is also used by {project / 'content/reports/lower.md'}" in result.stderr
    assert "differ only in case" in result.stderr


def test_check_reports_pages_it_cannot_read(prebuilt) -> None:
    project = prebuilt("--no-search")
    (project / "site/beijing/2024/index.html").write_bytes(b"<html>\xff\xfe</html>")
    (project / "site/folder.html").mkdir()
    result = run_build("check", "--out", str(project / "site"))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"{project / 'site/beijing/2024/index.html'}:1: not a UTF-8 text file" in result.stderr
    assert f"{project / 'site/folder.html'}: cannot read: is a folder" in result.stderr


def test_an_escaped_heading_id_is_text_and_a_real_one_is_an_id() -> None:
    front = "---\nid: x\nyear: 2024\ntitle: {zh: 标题, en: Title}\n---\n\n"
    heading = escape_inline("一、总体要求 {#draft}", block_start=False)
    assert heading == "一、总体要求 \\{#draft}"
    text = front + f"# {heading} {{#p1}}\n\n# I General Requirements \\{{#x}}\n"
    report = parse_markdown(text, "r.md", Problems())
    assert report.headings[0].id == "p1" and report.headings[0].zh == heading
    assert plain(report.headings[0].zh) == "一、总体要求 {#draft}"
    assert plain(report.headings[0].en) == "I General Requirements {#x}"
    even = parse_markdown(front + "# 一、总体要求 \\\\{#own}\n\n# I General\n", "r.md", Problems())
    assert even.headings[0].id == "own"  # `\\` is an escaped backslash: the id is real


# ---- nothing dropped: a literal || ------------------------------------------------------

def test_bars_in_published_text_are_text_not_alignment_marks() -> None:
    escaped = escape_inline("甲||乙 | 丙")
    assert escaped == "甲\\|\\|乙 \\| 丙"
    assert split_marks(escaped) == [escaped] and count_marks(escaped) == 0
    assert plain(strip_marks(escaped)) == "甲||乙 | 丙"
    assert split_marks("a\\|||b") == ["a\\|", "b"] and strip_marks("a\\\\||b") == "a\\\\b"


def test_importing_bars_keeps_them_on_the_page_and_in_the_downloads(tmp_path: Path) -> None:
    zh = ZH.replace("。落实", "。||落实")
    en = EN.replace("employment. We", "employment || a || b. We")
    source = write(tmp_path / "bars.txt", HEADER + zh + "\n" + en + "\n")
    content = tmp_path / "content"
    result = run_build("import", "--content", str(content), str(source))
    assert result.returncode == 0, result.stderr
    result = run_build("--content", str(content), "--out", str(tmp_path / "site"), "--no-search")
    assert result.returncode == 0, result.stderr
    soup = BeautifulSoup((tmp_path / "site/beijing/2024/index.html").read_text("utf-8"), "html.parser")
    assert soup.select_one("[data-pair] .zh p").get_text() == zh
    assert soup.select_one("[data-pair] .en p").get_text() == en
    tmx = ElementTree.parse(tmp_path / "site/beijing/2024/beijing-2024.tmx")
    segments = "".join(seg.text or "" for seg in tmx.iter("seg"))
    assert "||落实" in segments and "employment || a || b." in segments


def test_a_stray_mark_outside_paragraph_text_is_an_error() -> None:
    text = ("---\nid: x\nyear: 2024\ntitle: {zh: 标题, en: Title}\n---\n\n"
            "# 一、总体||要求 {#p1}\n\n# I General\n\n甲。\n\nA.\n")
    with pytest.raises(DuizhaoError, match=r"^r.md:7: alignment mark \|\| outside"):
        parse_markdown(text, "r.md", Problems())


# ---- well-formed downloads ---------------------------------------------------------------

@pytest.mark.parametrize("char", ["\x0c", "\x85", "\ufffe", "\x0b", "\U0001ffff"])
def test_control_characters_in_input_are_refused(project: Path, char: str) -> None:
    source = write(project / "cc.txt", HEADER + ZH + "\n" + EN.replace("full", "fu" + char + "ll") + "\n")
    result = run_build("import", "--content", str(project / "imported"), str(source))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"{source}:10: ") and f"U+{ord(char):04X}" in result.stderr
    edit(project / "content/reports/beijing/2024.md", "兜准兜牢", "兜准" + char + "兜牢")
    line = next(i for i, l in enumerate((project / "content/reports/beijing/2024.md").read_text("utf-8").split("\n"), 1)
                if char in l)
    assert f"{project / 'content/reports/beijing/2024.md'}:{line}: " in cli(project).stderr


def test_the_tmx_is_well_formed_and_the_csv_is_safe_in_a_spreadsheet(project: Path) -> None:
    report = project / "content/reports/beijing/2024.md"
    edit(report, "兜准兜牢民生底线", "兜准兜牢&#12;民生底线")
    edit(report, "## Tenth, we will", "## =1+2 Tenth, we will")
    edit(report, "We will improve the people's", "@SUM(A1) -3 +4 We will improve the people's")
    assert cli(project).returncode == 0
    ElementTree.parse(project / "site/beijing/2024/beijing-2024.tmx")  # raises on a character XML forbids
    rows = list(csv.DictReader(io.StringIO((project / "site/beijing/2024/beijing-2024.csv").read_text("utf-8-sig"))))
    cells = [row[key] for row in rows for key in ("zh", "en", "report", "pair")]
    assert "'@SUM(A1) -3 +4 We will improve the people's wellbeing" in " ".join(cells)
    assert "'=1+2 Tenth, we will prioritize" in " ".join(cells)
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]


# ---- more of the same classes ------------------------------------------------------------

def test_a_published_heading_ending_in_an_id_imports_and_keeps_it(tmp_path: Path) -> None:
    source = write(tmp_path / "h.txt", HEADER + "二、2024年重点任务 {#x}\nII Major Tasks for 2024 {#y}\n"
                   + ZH + "\n" + EN + "\n")
    content = tmp_path / "content"
    result = run_build("import", "--content", str(content), str(source))
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert "# 二、2024年重点任务 \\{#x} {#p2}" in (content / "reports/beijing/2024.md").read_text("utf-8")
    result = run_build("--content", str(content), "--out", str(tmp_path / "site"), "--no-search")
    assert result.returncode == 0, result.stderr
    soup = BeautifulSoup((tmp_path / "site/beijing/2024/index.html").read_text("utf-8"), "html.parser")
    heading = soup.find(id="p2")
    assert "二、2024年重点任务 {#x}" in heading.get_text() and "II Major Tasks for 2024 {#y}" in heading.get_text()


def test_pipes_to_import_or_beside_the_reports_are_never_read(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "content/reports/beijing").mkdir(parents=True)
    os.mkfifo(tmp_path / "content/reports/beijing/2024.md")
    seed = ROOT / "content/raw/002_a7281c5fc6d28daa.txt"
    result = run_build("import", "--content", str(tmp_path / "content"), str(tmp_path / "pipe.txt"), str(seed))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"{tmp_path / 'pipe.txt'}: cannot read: not a regular file" in result.stderr
    assert f"{tmp_path / 'content/reports/beijing/2024.md'}: cannot read: not a regular file" in result.stderr


def test_a_report_file_name_that_is_not_utf8_builds(project: Path) -> None:
    folder = os.fsencode(project / "content/reports/beijing")
    os.rename(os.path.join(folder, b"2024.md"), os.path.join(folder, b"\xff\xfe.md"))
    assert cli(project).returncode == 0
    assert (project / "site/beijing/2024/index.html").is_file()


def test_a_file_to_import_whose_name_is_not_utf8_imports_and_is_named(tmp_path: Path) -> None:
    """Its name went into the report's `sources:` as lone surrogates, which YAML cannot
    write: the import failed naming the report it was writing. The name is kept, with
    U+FFFD for the bytes that are not UTF-8."""
    name = os.path.join(os.fsencode(tmp_path), b"seed-\xff\xfe.txt")
    with open(name, "wb") as f:
        f.write((RAW / SEEDS_2024[0]).read_bytes())
    content = tmp_path / "content"
    result = run_build("import", os.fsdecode(name), "--content", str(content))
    assert result.returncode == 0, result.stderr
    assert "- file: seed-\ufffd\ufffd.txt\n" in (content / "reports/beijing/2024.md").read_text("utf-8")


def test_a_runaway_paragraph_is_aligned_in_bounded_time(project: Path) -> None:
    """A runaway paragraph (30,000 sentences more on one side) builds (the aligner is
    linear: banded DP), every sentence on the page and in the downloads."""
    report = project / "content/reports/beijing/2024.md"
    edit(report, "dependent elders and toddlers.", "dependent elders and toddlers." + " We add jobs." * 30_000)
    result = run_build("--content", str(project / "content"), "--out", str(project / "site"), "--no-search")
    assert result.returncode == 0, result.stderr  # run_build's timeout: no hang
    soup = BeautifulSoup((project / "site/beijing/2024/index.html").read_text("utf-8"), "html.parser")
    pair = soup.find(id="p2-s10-1")
    assert pair["data-align"] == "beads" and pair.get_text().count("We add jobs.") == 30_000
    for kind in ("csv", "json", "tmx"):
        assert (project / f"site/beijing/2024/beijing-2024.{kind}").read_text("utf-8").count("We add jobs.") == 30_000


def test_unclosed_note_references_are_read_in_linear_time() -> None:
    """`[^a[^a[^a…` made the note-reference pattern scan to the end from every `[`: a
    paragraph of 600,000 characters took minutes. The subprocess's timeout is the bound."""
    code = ("from duizhao.content.inline import find_refs, plain\n"
            "assert find_refs('[^a' * 200_000) == []\n"
            "assert plain('[^a' * 50_000) == '[^a' * 50_000\n"
            "assert find_refs('x[^a[^1] [^b c] [^2]') == [('1', 4), ('2', 16)]\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_a_long_run_of_chinese_numerals_is_read_in_linear_time() -> None:
    """The fraction pattern (三分之二) re-read a run of numerals from each of its
    characters: 一 × 80,000 took minutes. The subprocess's timeout is the bound."""
    code = ("from duizhao.text.numerals import numbers\n"
            "assert numbers('一' * 400_000, 'zh')[0] == frozenset()\n"
            "assert numbers('三分之二，十一分之一', 'zh')[1] == {0.666667, 0.090909}\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_a_site_built_by_an_earlier_version_is_replaced_after_an_upgrade(prebuilt) -> None:
    """Before `.duizhao-files`, a build's only record was its JSON manifest in the cache:
    that still proves the folder ours (an upgrade must not refuse the user's own site)."""
    project = prebuilt("--no-search")
    site = project / "site"
    (site / outdir.MARKER).unlink()
    folder = project / ".cache" / "duizhao"
    for manifest in folder.glob("manifest-*.pickle"):
        files = [p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()]
        manifest.with_suffix(".json").write_text(json.dumps({f: ["x", 0, 0] for f in files}), "utf-8")
        manifest.unlink()
    (site / "old-layout.html").write_text("from the old version", "utf-8")
    with_old = json.loads(next(folder.glob("manifest-*.json")).read_text("utf-8"))
    with_old["old-layout.html"] = ["x", 0, 0]
    next(folder.glob("manifest-*.json")).write_text(json.dumps(with_old), "utf-8")
    assert cli(project).returncode == 0
    assert not (site / "old-layout.html").exists() and (site / outdir.MARKER).exists()
    (site / "not-ours.html").write_text("someone else's", "utf-8")  # still refused
    assert cli(project).returncode == 2 and (site / "not-ours.html").exists()


def test_a_report_without_an_english_title_builds_no_empty_english_heading(project: Path) -> None:
    report = project / "content" / "reports" / "beijing" / "2024.md"
    edit(report, "title:\n  zh: 政府工作报告\n  en: REPORT ON THE WORK OF THE GOVERNMENT",
         "title:\n  zh: 政府工作报告\n  en: ''")
    result = cli(project)
    assert result.returncode == 0 and "the title has no English" in result.stderr
    page = (project / "site" / "beijing" / "2024" / "index.html").read_text("utf-8")
    library = (project / "site" / "index.html").read_text("utf-8")
    assert '<span class="cell en" lang="en"></span>' not in page + library
    assert "<title>2024 · 政府工作报告 ·" in page  # the title the reader has, not an empty one
    assert '<h1><span class="cell zh" lang="zh-Hans">政府工作报告</span>' in page


def test_checking_a_note_cited_many_times_is_linear(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each reference looked through all its note's links back: a note cited N times cost
    N² (a 2 MB report's check took 5 s where the build took 4). The work is counted as
    elements looked at, not timed."""
    from bs4 import Tag
    from duizhao.check import site as check

    def page(n: int) -> BeautifulSoup:
        refs = "".join(f'<a id="ref-1-{k}" href="#note-1" role="doc-noteref">1</a>' for k in range(n))
        backs = "".join(f'<a href="#ref-1-{k}" role="doc-backlink">↩</a>' for k in range(n))
        return BeautifulSoup(f'<p>{refs}</p><ol role="doc-endnotes"><li id="note-1">A note. {backs}</li></ol>',
                             "html.parser")

    looked = [0]
    original = Tag.find_all

    def counting(self, *args, **kwargs):
        looked[0] += sum(1 for _ in self.descendants)
        return original(self, *args, **kwargs)

    work = []
    for n in (50, 200):
        soup, looked[0] = page(n), 0
        monkeypatch.setattr(Tag, "find_all", counting)
        assert check._check_notes(soup, "p.html") == []
        monkeypatch.setattr(Tag, "find_all", original)
        work.append(looked[0])
    assert work[1] <= 5 * work[0], work  # four times the references, about four times the work
    broken = page(3)
    broken.find("a", href="#ref-1-2").decompose()
    assert [d.message for d in check._check_notes(broken, "p.html")] == [
        "endnote 'note-1' has no link back to its reference 'ref-1-2'"]
