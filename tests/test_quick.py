"""The command line's "nothing changed" check (duizhao/build/quick.py), decided from file
stats before the pipeline is imported: every change to an input, to the output or to the
options must fall through to the real build, and that build must be the right one."""

from __future__ import annotations

import os
import time
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import ROOT, run_build
from duizhao.build import quick
from duizhao.build.pipeline import build
from duizhao.errors import Problems

EDIT = ("create no fewer than 260,000 urban jobs", "create no fewer than 260,001 urban jobs")  # same size


@pytest.fixture
def built(prebuilt) -> Path:
    """Content with topics, its files older than the racy window, built by build.py (from a
    cold cache; restored, with its stamp, where it was built: see conftest.py)."""
    return prebuilt()


def age(folder: Path, seconds: float = 60) -> None:
    old = time.time() - seconds
    for path in [folder, *folder.rglob("*")]:
        os.utime(path, (old, old))


def cli(project: Path, *extra: str, out: str = "site") -> str:
    result = run_build("--content", str(project / "content"), "--out", str(project / out), *extra)
    assert result.returncode == 0, result.stderr
    return result.stdout


def unchanged(project: Path, base_url: str | None = None, search: bool = True, out: str = "site"):
    wanted = quick.options(project / "content", project / out, base_url, search)
    return quick.unchanged(project / "content", project / out, wanted)


def site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_nothing_changed_is_known_from_stats_and_says_what_the_build_said(built: Path) -> None:
    first = cli(built)  # the stamp of the cold build, replayed
    assert unchanged(built) is not None
    again = cli(built)
    assert again.split(" in ")[0] == first.split(" in ")[0]
    assert "(0 rendered" in again and again.split("\n", 2)[2] == first.split("\n", 2)[2]


def test_an_edited_input_of_the_same_size_falls_through(built: Path) -> None:
    report = built / "content/reports/beijing/2024.md"
    text = report.read_text("utf-8")
    report.write_text(text.replace(*EDIT), "utf-8")
    old = report.stat().st_mtime_ns - 2_000_000_000
    os.utime(report, ns=(old, old))  # another mtime, the same size: still a change
    assert report.stat().st_size == len(text.encode("utf-8"))
    assert unchanged(built) is None
    cli(built)
    assert EDIT[1] in (built / "site/beijing/2024/index.html").read_text("utf-8")


@pytest.mark.parametrize("change", ["add", "remove"])
def test_an_added_or_removed_input_falls_through(built: Path, change: str) -> None:
    extra = built / "content/notes.txt"  # read by nothing: still an input the check sees
    if change == "remove":
        extra.write_text("notes", "utf-8")
        age(built / "content")
        cli(built)
        assert unchanged(built) is not None
        extra.unlink()
    else:
        extra.write_text("notes", "utf-8")
        age(built / "content")
    assert unchanged(built) is None
    cli(built)
    assert unchanged(built) is not None


def test_every_template_static_and_source_file_is_an_input(built: Path) -> None:
    seen = {entry[0] for entry in quick.snapshot(built / "content")}
    for folder in (ROOT / "templates", ROOT / "static", ROOT / "duizhao"):
        files = {str(p) for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts}
        assert files and files <= seen, folder
    assert str(ROOT / "build.py") in seen and str(built / "content/topics.yaml") in seen


def test_a_file_modified_just_now_is_not_trusted(built: Path) -> None:
    topics = built / "content/topics.yaml"
    os.utime(topics)
    entry = next(e for e in quick.snapshot(built / "content") if e[0] == str(topics))
    assert entry[1:] == [None, None]


@pytest.mark.parametrize("change", ["touch", "remove"])
def test_a_changed_output_file_falls_through_and_is_rebuilt(built: Path, change: str) -> None:
    site = built / "site"
    clean = site_files(site)
    page = site / "beijing/2024/index.html"
    if change == "touch":
        page.write_bytes(page.read_bytes().replace(b"<main", b"<main data-x", 1))
    else:
        page.unlink()
    assert unchanged(built) is None
    cli(built)
    assert site_files(site) == clean


def test_a_file_added_to_the_output_falls_through_to_the_owners_refusal(built: Path) -> None:
    """Not a shortcut past the build's check that it owns the folder (a file it did not
    write is never deleted): the real build runs, and refuses."""
    site = built / "site"
    (site / "extra.html").write_text("stray", "utf-8")
    assert unchanged(built) is None
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--content", str(built / "content"),
                             "--out", str(site), "-q"], capture_output=True, text=True)
    assert result.returncode == 2 and "holds what no duizhao build wrote (extra.html)" in result.stderr
    assert (site / "extra.html").read_text("utf-8") == "stray"


def test_a_file_added_deep_in_the_output_or_a_new_folder_falls_through(built: Path) -> None:
    site = built / "site"
    for added in (site / "beijing/2024/notes.txt", site / "new/deeper/page.html"):
        added.parent.mkdir(parents=True, exist_ok=True)
        added.write_text("stray", "utf-8")
        assert unchanged(built) is None
        added.unlink()
    assert unchanged(built) is None  # an empty folder the build did not make: what a real build refuses
    (site / "new/deeper").rmdir()
    (site / "new").rmdir()
    assert unchanged(built) is not None


def test_other_options_fall_through(built: Path) -> None:
    assert unchanged(built, base_url="https://example.org/r/") is None
    assert unchanged(built, search=False) is None
    assert unchanged(built, out="elsewhere") is None
    cli(built, "--no-search")
    assert not (built / "site/_pagefind").exists()
    assert unchanged(built) is None  # the stamp is now the --no-search build's
    cli(built)
    assert (built / "site/_pagefind/zh").is_dir()
    cli(built, "--base-url", "https://example.org/r/")
    assert (built / "site/sitemap.xml").exists()


def test_a_site_rewritten_by_another_build_falls_through(built: Path) -> None:
    build(built / "content", built / "site", Problems(), searching="off")  # not via build.py
    assert not (built / "site/_pagefind").exists()
    assert unchanged(built) is None
    cli(built)
    assert (built / "site/_pagefind/zh").is_dir()


def test_a_failed_build_leaves_no_stamp(built: Path) -> None:
    report = built / "content/reports/beijing/2024.md"
    report.write_text(report.read_text("utf-8").replace("year: 2024", "year: twenty"), "utf-8")
    assert run_build("--content", str(built / "content"), "--out", str(built / "site")).returncode == 2
    assert not os.path.exists(quick.stamp_path(built / "content", built / "site"))


def test_the_content_folder_however_spelled_is_one_stamp(built: Path) -> None:
    """`--content ./content`, `content/` and the absolute path: the quick check finds the
    stamp any of them left (a build is a build of the folder, not of its spelling)."""
    def run(content: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, str(ROOT / "build.py"), "--content", content, "--out", "site"],
                              cwd=built, capture_output=True, text=True, timeout=120)
    assert run("./content").returncode == 0
    for spelled in ("content", "content/", "./content", str(built / "content")):
        result = run(spelled)
        assert result.returncode == 0 and "(0 rendered" in result.stdout, (spelled, result.stdout)
    assert unchanged(built) is not None


@pytest.mark.parametrize("argv", [["--out", "build"], ["--content", "check"], ["--base-url=serve"]])
def test_a_value_named_like_a_command_is_left_to_argparse(argv: list[str]) -> None:
    import importlib.util
    spec = importlib.util.spec_from_file_location("build_cli", ROOT / "build.py")
    cli_module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(cli_module)
    assert cli_module.plain_build(argv) is None
    assert cli_module.plain_build(["-q", "--out", "out", "--content=c"]).out == "out"
