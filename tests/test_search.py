"""Search records and bundles (the browser tests search them for real), the check that the
index covers every report page, and the preview's background indexing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from helpers import ROOT
from duizhao.pages import search
from duizhao.check.site import _check_search, _page_facts
from duizhao.errors import Problems
from duizhao.build.plan import env
from duizhao.serve.preview import Preview
from duizhao.build.cache import Cache
from duizhao.build.collect import load_all, load_reports

pytestmark = pytest.mark.xdist_group("search")  # its module-scoped fixtures are made once, on one worker


@pytest.fixture(scope="module")
def reports():
    return load_reports(ROOT / "content", Problems())


def test_two_records_per_report_with_every_pair_as_a_section(reports) -> None:
    found = search.records(reports)
    assert [(r.report, r.lang) for r in found] == [(r.id, lang) for r in reports for lang in ("zh", "en")]
    for record in found:
        report = next(r for r in reports if r.id == record.report)
        assert [p.id for p in record.passages] == [p.id for p in report.pairs]  # all, in order
    jobs = next(p for r in found if r.lang == "en" for p in r.passages if "260,000 urban jobs" in p.text)
    record = next(r for r in found if jobs in r.passages)
    assert (record.report, record.year, jobs.id) == ("beijing/2024", "2024", "p2-s10-2")
    section, other = jobs.shown.split(search.SEPARATOR)
    assert section.startswith("Tenth, we will prioritize") and "26万人" in other
    assert "[^" not in jobs.text and "[^" not in other  # shown text: no note marks


def test_a_pair_drawn_sentence_by_sentence_is_one_section_per_bead(reports) -> None:
    """With the build's alignments, a hit lands on one bead: its section shows that bead's
    translation (so a Chinese hit shows its own English sentence, not the paragraph's
    start); every pair is still there, in order, and every section points at a pair."""
    loaded = load_all(ROOT / "content", Problems(), Cache(None))
    found = search.records(loaded.reports, alignments=loaded.alignments)
    beads = 0
    for record in found:
        report = next(r for r in loaded.reports if r.id == record.report)
        pairs = list(dict.fromkeys(p.id.split(search.BEAD)[0] for p in record.passages))
        assert pairs == [p.id for p in report.pairs]
        for passage in record.passages:
            if search.BEAD not in passage.id:
                continue
            pair_id, k = passage.id.split(search.BEAD)
            alignment = loaded.alignments[report.id][pair_id]
            side, other = (0, 1) if record.lang == "zh" else (1, 0)
            mine = [alignment.zh, alignment.en][side]
            theirs = [alignment.zh, alignment.en][other]
            bead = alignment.beads[int(k)]
            assert all(mine[i].plain.strip() in passage.text for i in bead[side])
            shown = passage.shown.split(search.SEPARATOR)[1].rstrip("…")
            if bead[other]:  # the other side's sentences of this bead, and nothing before them
                assert shown.startswith(theirs[bead[other][0]].plain.strip()[:30])
            beads += int(k) > 0
    assert beads > 50  # many hits now land past a paragraph's first sentence


def test_bundles_hold_every_record_in_its_language(reports) -> None:
    found = search.records(reports)
    files = search.bundles(found, env())
    for lang in ("zh", "en"):
        entry = json.loads(files[f"_pagefind/{lang}/pagefind-entry.json"])
        assert list(entry["languages"]) == [lang]
        assert entry["languages"][lang]["page_count"] == len([r for r in found if r.lang == lang])
        assert f"_pagefind/{lang}/pagefind.js" in files
    assert not [p for p in files if p.endswith("pagefind-ui.js")]  # the site has its own interface


def _records(series_sizes: dict[str, int]) -> list[search.Record]:
    return [search.Record(f"{name}/{2000 + k}", lang, "t", str(2000 + k), (search.Passage("p1-1", "x", "y"),))
            for name, size in series_sizes.items() for k in range(size) for lang in ("zh", "en")]


def test_parts_keep_series_whole_and_never_exceed_the_bound(monkeypatch) -> None:
    monkeypatch.setattr(search, "PART", 10)
    found = _records({"a": 4, "b": 5, "c": 3, "d": 23, "e": 1})
    made = search.parts(found)
    reports = [list(dict.fromkeys(r.report for r in part)) for part in made]
    assert all(0 < len(ids) <= 10 for ids in reports)
    assert [r for ids in reports for r in ids] == list(dict.fromkeys(r.report for r in found))  # all, in order
    assert sorted(r for part in made for r in map(id, part)) == sorted(map(id, found))  # both languages
    shapes = [[(series, sum(r.startswith(series + "/") for r in ids)) for series in "abcde"
               if any(r.startswith(series + "/") for r in ids)] for ids in reports]
    # a and b fit together (9); c does not fit beside them; d (23) is cut in 10, 10, 3; e joins the 3
    assert shapes == [[("a", 4), ("b", 5)], [("c", 3)], [("d", 10)], [("d", 10)], [("d", 3), ("e", 1)]]


def test_bundles_in_parts_list_every_folder_and_merge_to_every_record(reports, monkeypatch) -> None:
    monkeypatch.setattr(search, "PART", 1)
    found = search.records(reports)
    files = search.bundles(found, env())
    parts = json.loads(files[search.PARTS])
    assert len(parts["zh"]) == len(parts["en"]) == len(reports) > 1
    for lang in ("zh", "en"):
        assert parts[lang][0] == f"_pagefind/{lang}/" and len(set(parts[lang])) == len(parts[lang])
        counts = [json.loads(files[f"{folder}pagefind-entry.json"])["languages"][lang]["page_count"]
                  for folder in parts[lang]]
        assert counts == [1] * len(reports)
        assert f"{parts[lang][0]}pagefind.js" in files
        assert not [f for f in files for folder in parts[lang][1:] if f.startswith(folder)
                    and f.endswith(search.PRIMARY_ONLY)]  # merged parts carry no scripts


def test_bundles_made_part_by_part_are_the_bundles_of_all_records(reports, monkeypatch) -> None:
    """The build makes one part's records at a time (memory); the bundles are the same
    as from every record at once."""
    monkeypatch.setattr(search, "PART", 2)
    made: list[int] = []
    real = search.records
    monkeypatch.setattr(search, "records", lambda found, *a: made.append(len(found)) or real(found, *a))
    assert search.bundles_of(reports, {}, {}, env()) == search.bundles(real(reports), env())
    assert made == [2, 1] and len(reports) == 3  # two parts, made one after the other


def test_the_first_part_holding_a_language_is_its_primary(monkeypatch) -> None:
    """Parts are listed per language: where the first part has no English (a series of
    untranslated reports), the English primary (with Pagefind's scripts) is the first
    part that has English; a language with no text at all lists no folder."""
    monkeypatch.setattr(search, "PART", 1)
    one = (search.Passage("p1-1", "养老服务", "y"),)
    found = [search.Record("a/2001", "zh", "t", "2001", one),
             search.Record("b/2002", "zh", "t", "2002", one),
             search.Record("b/2002", "en", "t", "2002", (search.Passage("p1-1", "elderly care", "x"),))]
    files = search.bundles(found, env())
    parts = json.loads(files[search.PARTS])
    assert parts == {"zh": ["_pagefind/zh/", "_pagefind/zh-2/"], "en": ["_pagefind/en/"]}
    assert "_pagefind/en/pagefind.js" in files and "_pagefind/zh/pagefind.js" in files
    assert json.loads(search.bundles(found[:2], env())[search.PARTS])["en"] == []


def test_a_bead_section_id_cannot_be_a_pair_id() -> None:
    """`<pair>.<k>` names a bead: no heading or pair id can hold the separator, so a
    pair id that ends in or holds "-" (allowed) is never cut short."""
    from duizhao.content.read import _VALID_ID
    assert _VALID_ID.match("p2-s10-") and _VALID_ID.match("jobs--x")
    assert not _VALID_ID.match(f"p2-s10-2{search.BEAD}0")


def test_a_part_is_indexed_again_only_when_its_records_change(reports, monkeypatch) -> None:
    monkeypatch.setattr(search, "PART", 1)
    found = search.records(reports)
    kept: dict[str, dict[str, bytes]] = {}
    made: list[str] = []

    def memo(key, make):
        if key not in kept:
            made.append(key)
            kept[key] = make()
        return kept[key]
    first = search.bundles(found, env(), memo=memo)
    assert len(made) == len(reports)
    edited = [search.Record(r.report, r.lang, r.title, r.year, r.passages[:-1]) if r.report == reports[0].id else r
              for r in found]
    second = search.bundles(edited, env(), memo=memo)
    assert len(made) == len(reports) + 1  # only the edited report's part
    assert second != first


def test_a_failed_indexer_is_reported_and_leaves_none_running(reports, monkeypatch) -> None:
    """Both languages are indexed at once: the one that fails is said at once (not after
    the other ends), and the other is stopped."""
    import subprocess
    import sys
    from duizhao.errors import DuizhaoError
    started: list[subprocess.Popen] = []

    def fake(source: Path, out: Path, lang: str, running) -> subprocess.Popen:
        code = "import sys; print('no such thing', file=sys.stderr); sys.exit(3)" if lang == "en" else \
            "import time; time.sleep(60)"  # the first started, the last to end
        started.append(subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE))
        return started[-1]
    monkeypatch.setattr(search, "_pagefind", fake)
    with pytest.raises(DuizhaoError) as caught:
        search.bundles(search.records(reports), env())
    assert "indexing for search failed: no such thing" in str(caught.value)
    assert len(started) == 2 and all(p.poll() is not None for p in started)  # the sleeper was stopped
    assert all(p.stderr.closed for p in started)


def test_check_requires_the_index_when_pages_offer_search(prebuilt) -> None:
    """The search part of the check, on the facts of the pages search indexes (the report
    pages; a whole-site check of a searchable site is in test_golden), after each breakage."""
    site = prebuilt() / "site"  # built by build.py with search (conftest.py)
    facts = [_page_facts((site, f"beijing/{year}/index.html")) for year in (2023, 2024, 2025)]
    assert any(f.search_box for f in facts) and _check_search(site, facts) == []
    script = site / "_pagefind" / "zh" / "pagefind.js"
    kept = script.read_bytes()
    script.unlink()  # the browser loads each language's first part's script
    assert ["no pagefind.js" in str(p) for p in _check_search(site, facts)] == [True]
    script.write_bytes(kept)
    shutil.rmtree(site / "_pagefind" / "en")
    problems = [str(p) for p in _check_search(site, facts)]
    assert len(problems) == 1 and "search index missing" in problems[0] and "/en/" in problems[0]


def test_the_preview_indexes_in_the_background_and_after_each_save(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "content", tmp_path / "content", ignore=shutil.ignore_patterns("raw"))
    lines: list[str] = []
    preview = Preview(tmp_path / "content", 0, None, lines.append)
    try:
        preview.rebuild()
        preview.indexer.wait(60)
        entry = preview.out / "_pagefind/en/pagefind-entry.json"
        first = entry.read_text("utf-8")
        report = tmp_path / "content/reports/beijing/2024.md"
        report.write_text(report.read_text("utf-8").replace("urban jobs", "urban jobs (zanzibar)", 1), "utf-8")
        preview.rebuild()  # the edited page first (serve/first.py): the build that indexes follows
        preview.later.wait()
        preview.indexer.wait(60)
        assert entry.read_text("utf-8") != first  # a new index of the edited text
        assert sum("search indexed" in line for line in lines) == 2, lines
    finally:
        preview.close()
