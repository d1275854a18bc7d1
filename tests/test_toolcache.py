"""The tool cache (duizhao/toolcache.py): what it keeps is what would be made without it,
a damaged entry is made again, an unusable folder keeps nothing and breaks nothing, and a
build is the same with it, without it, cold or warm."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import pytest

from duizhao import toolcache
from duizhao.derive import lexicon
from duizhao.pages import render, topics
from helpers import ROOT, write


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The tool cache in a folder of this test's own (the process's choice restored after)."""
    folder = tmp_path / "toolcache"
    monkeypatch.setenv("DUIZHAO_TOOL_CACHE", str(folder))
    toolcache.folder.cache_clear()
    yield folder
    monkeypatch.undo()
    toolcache.folder.cache_clear()


def test_a_value_comes_back_as_saved(cache: Path) -> None:
    value = ({"词": "word term"}, ["a", 1, None], frozenset({"x"}), b"\x00bytes")
    assert toolcache.save("entry.marshal", value)
    assert toolcache.load("entry.marshal") == value
    assert toolcache.load("absent.marshal") is None


@pytest.mark.parametrize("damage", ["flip", "truncate", "magic", "empty", "folder"])
def test_a_damaged_entry_is_a_miss(cache: Path, damage: str) -> None:
    assert toolcache.save("entry.marshal", {"kept": list(range(1000))})
    path = cache / "entry.marshal"
    data = bytearray(path.read_bytes())
    if damage == "flip":
        data[-10] ^= 0xFF
    elif damage == "truncate":
        data = data[:len(data) // 2]
    elif damage == "magic":
        data[:4] = b"nope"
    elif damage == "empty":
        data = bytearray()
    if damage == "folder":
        path.unlink()
        path.mkdir()
    else:
        path.write_bytes(bytes(data))
    assert toolcache.load("entry.marshal") is None


def test_an_unusable_folder_keeps_nothing_and_says_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = write(tmp_path / "a-file", "not a folder")
    for chosen in (str(blocker / "cache"), ""):  # under a file; switched off
        monkeypatch.setenv("DUIZHAO_TOOL_CACHE", chosen)
        toolcache.folder.cache_clear()
        try:
            assert toolcache.folder() is None
            assert toolcache.save("entry.marshal", [1]) is False
            assert toolcache.load("entry.marshal") is None
        finally:
            toolcache.folder.cache_clear()
    assert blocker.read_text() == "not a folder"


def test_it_keeps_at_most_limit_files_the_oldest_go(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(toolcache, "LIMIT", 5)
    for n in range(8):
        assert toolcache.save(f"entry-{n}.marshal", n)
        os.utime(cache / f"entry-{n}.marshal", ns=(n * 10**9, n * 10**9))  # written in this order
    assert sorted(p.name for p in cache.iterdir()) == [f"entry-{n}.marshal" for n in range(3, 8)]


def test_without_a_cache_senses_are_made_per_word_and_are_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No folder can keep the tables: the process does not make all 112,000 senses (1.2 s
    a process) but each word's as met, from the dictionary's own definitions — the same."""
    words = ("发展", "养老", "绿化", "公园", "的", "京", "新质生产力", "不是词")
    kept = [(lexicon.senses.__wrapped__(w), lexicon.gloss(w)) for w in words]
    made = lexicon._tables.__wrapped__()
    monkeypatch.setenv("DUIZHAO_TOOL_CACHE", "")
    toolcache.folder.cache_clear()
    monkeypatch.setattr(lexicon, "_tables", lru_cache(maxsize=1)(lexicon._tables.__wrapped__))
    try:
        table, glosses, prefixes = lexicon._tables()
        assert glosses is None and table is not made[0] and prefixes == made[2]
        assert [(lexicon.senses.__wrapped__(w), lexicon.gloss(w)) for w in words] == kept
    finally:
        toolcache.folder.cache_clear()


def test_the_kept_dictionary_tables_are_what_the_dictionary_gives(cache: Path) -> None:
    """Made from CC-CEDICT, saved, read back by a fresh process: every headword's senses
    and gloss as the dictionary's own definitions give them."""
    raw = lexicon.dictionary()
    assert len(raw) > 100_000
    made = lexicon._tables.__wrapped__()  # made here (the folder is empty) and saved
    assert [p.name.split("-")[0] for p in cache.iterdir()] == ["cedict"]
    read = lexicon._tables.__wrapped__()  # read back
    assert read == made
    stems, glosses, prefixes = read
    assert stems.keys() == raw.keys() == glosses.keys()
    for word in ("发展", "养老", "绿化", "公园", "的", "京"):
        assert frozenset(stems[word].split()) == lexicon._senses(word, raw[word]), word
        assert glosses[word] == raw[word].split("/")[0]
    assert "econo" in stems["经济"].split() and stems["的"] == ""  # a noisy single character has none
    assert prefixes == frozenset(w[:2] for w in raw if len(w) > 1)


def test_a_changed_template_is_compiled_again_not_served_stale(cache: Path, tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    write(templates / "page.html", "<p>{{ value }} one</p>")
    first = render.make_env(templates)
    assert first.get_template("page.html").render(value="<b>") == "<p>&lt;b&gt; one</p>"
    assert [p.name for p in cache.glob("jinja-*")]  # compiled and kept
    again = render.make_env(templates)  # a new process's environment: read from the cache
    assert again.get_template("page.html").render(value="x") == "<p>x one</p>"
    write(templates / "page.html", "<p>{{ value }} two</p>")
    edited = render.make_env(templates)
    assert edited.get_template("page.html").render(value="x") == "<p>x two</p>"
    write(templates / "page.txt", "{{ value }}")  # not escaped: another compilation, another entry
    assert render.make_env(templates).get_template("page.txt").render(value="<b>") == "<b>"
    assert len(list(cache.glob("jinja-*"))) == 3


def test_pinyin_read_before_needs_no_pypinyin(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(topics, "_PINYIN", {})
    assert topics.pinyin_of(["重庆", "公园城市"]) == {"重庆": ["chong", "qing"],
                                                     "公园城市": ["gong", "yuan", "cheng", "shi"]}
    monkeypatch.setattr(topics, "_PINYIN", {})  # a new process: only the tool cache knows them
    monkeypatch.setitem(sys.modules, "pypinyin", None)  # importing it would fail
    assert topics.pinyin_of(["公园城市"]) == {"公园城市": ["gong", "yuan", "cheng", "shi"]}


def test_a_build_is_the_same_without_the_cache_cold_and_warm(project: Path, tmp_path: Path) -> None:
    """Three builds of the same content in fresh processes: the tool cache switched off,
    empty (it is filled), then full (it is read). The same bytes each time."""
    folder = tmp_path / "toolcache"
    shutil.copy(ROOT / "content" / "topics.yaml", project / "content" / "topics.yaml")  # (names: pinyin)
    sites = []
    for n, chosen in enumerate(("", str(folder), str(folder))):
        shutil.rmtree(project / ".cache", ignore_errors=True)  # the build cache: each build cold
        out = tmp_path / f"site{n}"
        done = subprocess.run([sys.executable, str(ROOT / "build.py"), "-q", "--no-search", "--content",
                               str(project / "content"), "--out", str(out)], capture_output=True, text=True,
                              timeout=120, env=dict(os.environ, DUIZHAO_TOOL_CACHE=chosen))
        assert done.returncode == 0, done.stderr
        sites.append({p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()})
        if n == 1:
            kinds = sorted({p.name.split("-")[0] for p in folder.iterdir()})
            assert kinds == ["cedict", "jinja", "pinyin", "scripts"], kinds
    assert len(sites[0]) > 50 and any(name.startswith("topics/") for name in sites[0])
    assert sites[0] == sites[1] == sites[2]


def test_a_folder_others_can_write_is_made_private_and_a_link_is_refused(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """What the cache holds is run (compiled templates): no one else may write it."""
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    real = tmp_path / "real"
    real.mkdir(mode=0o700)
    link = tmp_path / "link"
    link.symlink_to(real)
    try:
        monkeypatch.setenv("DUIZHAO_TOOL_CACHE", str(shared))
        toolcache.folder.cache_clear()
        assert toolcache.folder() == str(shared) and (shared.stat().st_mode & 0o777) == 0o700
        monkeypatch.setenv("DUIZHAO_TOOL_CACHE", str(link))
        toolcache.folder.cache_clear()
        assert toolcache.folder() is None
    finally:
        toolcache.folder.cache_clear()


def test_a_template_compiled_elsewhere_names_its_own_file(cache: Path, tmp_path: Path) -> None:
    """Two folders with the same template: each compiled for its own file, so an error
    names the file it is in (the preview quotes that file's line)."""
    compiled = []
    for _ in range(2):  # compiled and kept, then read back
        for folder in ("a", "b"):
            write(tmp_path / folder / "page.html", "<p>\n{{ missing.thing }}</p>")
            template = render.make_env(tmp_path / folder).get_template("page.html")
            compiled.append(Path(template.root_render_func.__code__.co_filename).parent.name)
    assert compiled == ["a", "b", "a", "b"]
    assert len(list(cache.glob("jinja-*"))) == 2


def test_loading_an_entry_keeps_it_from_being_pruned(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(toolcache, "LIMIT", 4)
    assert toolcache.save("kept.marshal", "dictionary")
    os.utime(cache / "kept.marshal", ns=(10**9, 10**9))  # made long ago …
    for n in range(3):
        assert toolcache.save(f"entry-{n}.marshal", n)
        os.utime(cache / f"entry-{n}.marshal", ns=((n + 2) * 10**9, (n + 2) * 10**9))
    assert toolcache.load("kept.marshal") == "dictionary"  # … but used now
    assert toolcache.save("entry-3.marshal", 3)
    assert sorted(p.name for p in cache.iterdir()) == ["entry-1.marshal", "entry-2.marshal",
                                                       "entry-3.marshal", "kept.marshal"]
