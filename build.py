#!/usr/bin/env python3
"""duizhao command line. All work is done by the `duizhao` package.

    python build.py                  build content/ into site/
    python build.py import FILE...   published plain text → content/reports/<year>.md
    python build.py check            verify site/ (links, anchors, notes, pairs)
    python build.py serve [--port N] preview on 127.0.0.1, rebuilt and reloaded on save

Exit status: 0 success, 2 bad input or failed check (`file:line: message`), 1 a bug.
"""

from __future__ import annotations

import os
import sys
import time

from duizhao.errors import Diagnostic, DuizhaoError, Problems, display_path, fail
from duizhao.paths import ROOT_DIR

COMMANDS = ("build", "import", "check", "serve", "migrate")
# A plain build's options, read without argparse (see plain_build): flag → (name, value).
FLAGS = {"-q": ("quiet", True), "--quiet": ("quiet", True), "-v": ("verbose", True),
         "--verbose": ("verbose", True), "--no-search": ("no_search", True)}
VALUED = {"--content": "content", "--out": "out", "--base-url": "base_url"}


class Options:
    """What the command was asked (argparse's Namespace, or `plain_build`'s reading)."""

    def __init__(self, **values) -> None:
        self.__dict__.update(values)


def plain_build(argv: list[str]) -> Options | None:
    """The options of a plain build (`build.py [build] [-q|-v] [--no-search] [--content
    DIR] [--out DIR] [--base-url URL]`), read without importing argparse, which with
    pathlib and dataclasses was half of a nothing-changed build of a small site; None for
    anything else (another command, help, an abbreviation, a mistake), which argparse
    then reads, with its messages."""
    values = {"command": "build", "content": os.path.join(ROOT_DIR, "content"),
              "out": os.path.join(ROOT_DIR, "site"), "base_url": None, "quiet": False,
              "verbose": False, "no_search": False}
    items = argv[1:] if argv[:1] == ["build"] else list(argv)
    while items:
        item = items.pop(0)
        name, _, value = item.partition("=")
        if item in FLAGS:
            values[FLAGS[item][0]] = FLAGS[item][1]
        elif name in VALUED and value and value not in COMMANDS:
            values[VALUED[name]] = value
        elif item in VALUED and items and not items[0].startswith("-") and items[0] not in COMMANDS:
            values[VALUED[item]] = items.pop(0)
        else:  # (argparse takes a command's name anywhere for the command)
            return None
    return None if values["quiet"] and values["verbose"] else Options(**values)


def parse_args(argv: list[str]) -> Options:
    import argparse
    from pathlib import Path
    ROOT = Path(ROOT_DIR)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--content", type=Path, default=ROOT / "content",
                        help="content folder (default: content/)")
    common.add_argument("--out", type=Path, default=ROOT / "site",
                        help="output folder (default: site/)")
    common.add_argument("--base-url", help="public URL of the site (overrides site.yaml)")
    loud = common.add_mutually_exclusive_group()
    loud.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    loud.add_argument("-v", "--verbose", action="store_true",
                      help="also print what was dropped as page noise")
    parser = argparse.ArgumentParser(prog="build.py", description=__doc__.split("\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", metavar="{build,import,check,serve,migrate}")
    building = commands.add_parser("build", parents=[common], help="build content/ into site/ (default)")
    building.add_argument("--no-search", action="store_true",
                          help="no search index (and no search box): a faster build")
    importing = commands.add_parser("import", parents=[common],
                                    help="import published text (plain text or saved web pages) "
                                         "into content/reports/")
    importing.add_argument("files", nargs="*", metavar="FILE",
                           help="bilingual text, .txt or .html (any layout)")
    importing.add_argument("--zh", action="append", default=[], metavar="ZH_FILE",
                           help="a Chinese document whose translation is the --en after it")
    importing.add_argument("--en", action="append", default=[], metavar="EN_FILE",
                           help="the English translation of the --zh before it")
    importing.add_argument("--series", metavar="ID",
                           help="the series of every file (else read from each title block)")
    importing.add_argument("--force", action="store_true",
                           help="overwrite reports edited by hand since the last import")
    commands.add_parser("check", parents=[common], help="verify a built site")
    commands.add_parser("migrate", parents=[common],
                        help="move reports from before series into content/reports/<series>/")
    serving = commands.add_parser("serve", parents=[common],
                                  help="preview on 127.0.0.1; rebuild and reload on every save")
    serving.add_argument("--port", type=int, default=8000,
                         help="port (default: 8000; 0: any free port, printed when serving)")
    named = next((a for a in argv if a in COMMANDS), None)
    if named and argv[0] != named:  # `build.py -q check`: options may come first
        argv = [named] + [a for a in argv if a is not named]
    if argv and not argv[0].startswith("-") and argv[0] not in COMMANDS:
        parser.error(f"unknown command {argv[0]!r} (choose from {', '.join(COMMANDS)})")
    if not argv or argv[0] not in (*COMMANDS, "-h", "--help"):
        argv = ["build", *argv]
    return parser.parse_args(argv)


def report(problems: Problems, args: Options) -> None:
    """Each problem once: the same message at the same line (a reference to a missing
    note repeated through a huge paragraph) is one line, with how many times it came."""
    times: dict[str, int] = {}
    for item in sorted(problems.items, key=lambda d: (d.file, d.line)):
        if item.severity == "warning" and not args.quiet or item.severity == "info" and args.verbose:
            times[str(item)] = times.get(str(item), 0) + 1
    for text, count in times.items():
        print(text + (f" ({count} times)" if count > 1 else ""), file=sys.stderr)


def say(args: Options, message: str) -> None:
    if not args.quiet:
        print(message)


def run(args: Options, problems: Problems) -> int:
    started = time.perf_counter()
    if args.command == "import":
        return run_import(args, problems)
    if args.command == "serve":
        if not 0 <= args.port <= 65535:
            raise fail(f"--port {args.port}", 0, "a port is a number from 1 to 65535 (0: any free one)")
        from duizhao.serve.server import print_line, serve
        serve(args.content, args.port, args.base_url, print_line)
        return 0
    if args.command == "migrate":
        from duizhao.content.migrate import migrate
        for old, new in migrate(args.content):
            say(args, f"{display_path(str(old))} → {display_path(str(new))}")
        return 0
    if args.command == "check":
        from duizhao.check.site import check_site
        failures = check_site(args.out)
        for failure in failures:
            print(failure, file=sys.stderr)
        say(args, f"check: {len(failures)} problem(s) in {display_path(str(args.out))}")
        return 2 if failures else 0
    return tell(args, problems, run_build(args, problems), started)


def tell(args: Options, problems: Problems, result, started: float) -> int:
    """What a build says: its warnings, what it made, its topics and alignment."""
    report(problems, args)
    if not result.base_url:
        say(args, "no base URL (site.yaml base_url or --base-url): pages name no canonical address, "
                  "there is no sitemap.xml, and copied links and citations use the address the reader "
                  "is on; 404.html assumes the site is at the root of its domain")
    say(args, f"built {result.reports} report(s), {result.files} files ({result.written} "
              f"rendered, the rest unchanged) into {display_path(str(args.out))} in "
              f"{time.perf_counter() - started:.2f} s")
    if result.topics is not None and result.total_pairs:
        covered = result.total_pairs - len(result.uncovered)
        share = covered / result.total_pairs * 100
        say(args, f"topics: {covered}/{result.total_pairs} paragraph pairs ({share:.1f}%) fall "
                  f"under at least one of {result.topics} topics")
        if result.uncovered:
            more = len(result.uncovered) - len(at_most(result.uncovered, args))
            say(args, "  no topic: " + ", ".join(f"{r}#{p}" for r, p in at_most(result.uncovered, args))
                + (f" … and {more} more (-v lists them all)" if more else ""))
    if result.reports:
        say_alignment(args, result)
    else:
        say(args, f"the library is empty: import a report with `python build.py import <file> "
                  f"--content {display_path(str(args.content))}` (README: Importing published text)")
    return 0


def wanted(args: Options) -> list:
    """The options a stamp of the quick check must match."""
    from duizhao.build import quick
    return quick.options(args.content, args.out, args.base_url, not args.no_search)


def unchanged_build(args: Options, problems: Problems) -> Options | None:
    """What the last build with these options did, when file stats show that nothing
    changed since: decided before the pipeline (Jinja, YAML, Pagefind) is imported."""
    from duizhao.build import quick
    stamp = quick.unchanged(args.content, args.out, wanted(args))
    if stamp is None:
        return None
    try:
        said, result = [Diagnostic(*d) for d in stamp["said"]["warnings"]], stamp["said"]["result"]
        done = Options(**dict(result, uncovered=[tuple(u) for u in result["uncovered"]],
                              flagged=[tuple(f) for f in result["flagged"]]))
    except (KeyError, TypeError, ValueError):  # a stamp of another shape: build
        return None
    problems.items += said
    return done


def run_build(args: Options, problems: Problems):
    """Build, unless nothing changed since the last build with the same options."""
    from duizhao.build import quick
    done = None if getattr(args, "checked", False) else unchanged_build(args, problems)
    if done is not None:
        return done
    quick.forget(args.content, args.out)
    inputs = quick.snapshot(args.content)
    from duizhao.build.pipeline import build
    result = build(args.content, args.out, problems, args.base_url,
                   searching="off" if args.no_search else "now")
    said = {"result": dict(result.to_json(), written=0),
            "warnings": [[d.file, d.line, d.message, d.severity] for d in problems.warnings]}
    quick.save(args.content, args.out, wanted(args), inputs, said)
    return result


def run_import(args: Options, problems: Problems) -> int:
    from duizhao.errors import fail
    from duizhao.intake.importer import import_files
    if len(args.zh) != len(args.en):
        raise fail("import", 0, f"{len(args.zh)} --zh file(s) but {len(args.en)} --en file(s): "
                                "give them in pairs, --zh A --en B")
    refuse_special_files([*args.files, *args.zh, *args.en], args.content / "reports")
    outcomes = import_files(args.files, args.content / "reports", problems, args.force,
                            list(zip(args.zh, args.en)), args.series)
    report(problems, args)
    for outcome in outcomes:
        r = outcome.report
        say(args, f"{display_path(str(outcome.path))}: {outcome.status} ({len(r.sources)} "
                  f"source file(s), {len(r.headings)} headings, {len(r.pairs)} pairs, "
                  f"{len(r.notes)} notes)")
    if outcomes and sum(outcomes[0].beads.values()):
        beads = outcomes[0].beads
        order = ["1–1", "1–2", "1–3", "2–1", "1–0", "0–1"]
        say(args, "paragraph beads: " + ", ".join(f"{beads[k]} {k}" for k in order if beads[k])
            + (" (1–0 and 0–1: untranslated, each named in a warning)" if beads["1–0"] + beads["0–1"] else ""))
    return 0


def refuse_special_files(files: list[str], reports) -> None:
    """A pipe, socket or device named as a file to import, or in the reports folder (a
    Path) the import compares its results with, would be read forever."""
    import stat
    errors = []
    try:
        present = [str(p) for p in reports.glob("*/*.md")] + [str(p) for p in reports.glob("*.md")] \
            if reports.is_dir() else []
    except OSError:
        present = []
    for name in [*files, *present]:
        try:
            mode = os.stat(name).st_mode
        except OSError:
            continue  # missing or unreadable: the importer says so, with the others
        if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
            errors.append(Diagnostic(name, 0, "cannot read: not a regular file (a pipe, socket or device)"))
    if errors:
        raise DuizhaoError(errors)


SHOWN = 20  # lines of a list printed without -v


def at_most(items: list, args: Options) -> list:
    return items if args.verbose else items[:SHOWN]


def say_alignment(args: Options, result) -> None:
    """How many pairs are aligned by sentence, and the pairs whose figures differ."""
    say(args, f"alignment: {result.aligned}/{result.pairs} pairs aligned sentence by sentence (the rest "
              f"lack a side); figures differ between the languages in "
              f"{len(result.flagged)} pair(s)")
    for report_id, pair_id, zh, en in at_most(result.flagged, args):
        parts = [f"Chinese has {', '.join(f'{v:g}' for v in zh)}"] if zh else []
        parts += [f"English has {', '.join(f'{v:g}' for v in en)}"] if en else []
        say(args, f"  {report_id}#{pair_id}: {'; '.join(parts)}")
    if len(result.flagged) > SHOWN and not args.verbose:
        say(args, f"  … and {len(result.flagged) - SHOWN} more (-v lists them all)")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    problems, started = Problems(), time.perf_counter()
    args = plain_build(argv)
    try:
        done = unchanged_build(args, problems) if args is not None else None  # nothing imported but the check
        if done is not None:
            return tell(args, problems, done, started)
        checked, args = args is not None, parse_args(argv)
        args.checked = checked  # (not twice)
        return run(args, problems)
    except DuizhaoError as exc:
        report(problems, args)
        for diagnostic in exc.diagnostics:
            print(diagnostic, file=sys.stderr)
        return 2
    except OSError as exc:  # the environment, not the input: a full disk, a read-only folder
        report(problems, args)
        print(Diagnostic(exc.filename or "", 0, exc.strerror or str(exc)), file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # Ctrl-C: stopped, nothing to explain
        return 130


if __name__ == "__main__":
    sys.exit(main())
