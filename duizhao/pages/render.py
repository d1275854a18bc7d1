"""Jinja2 rendering: one function per page kind; templates hold all the HTML.

Inline Markdown is rendered per page by `PageText`, which numbers note references
(`ref-15`, `ref-15-2` …) so that each endnote can link back to every place citing it."""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from itertools import islice
from collections import defaultdict
from pathlib import Path
from typing import Any, Iterator

import jinja2
import jinja2.bccache
from markupsafe import Markup

from .. import toolcache
from ..content import inline
from ..content.settings import SiteInfo
from ..errors import DuizhaoError, fail
from ..content.model import Heading, Report
from ..text.numerals import written
from . import urls
from .outline import coverage, html_levels, outline
from .urls import report_url, root_of

# Everything from the site itself: no inline script or style, no other origin (many
# readers are in mainland China). `serve`'s live reload is same-origin too.
# 'wasm-unsafe-eval' lets Pagefind's WebAssembly (served from the site) run; it allows no
# eval of JavaScript and no script from anywhere else.
CSP = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
       "form-action 'self'")
FALLBACK = Path(__file__).resolve().parent / "fallback"


class CompiledTemplates(jinja2.BytecodeCache):
    """Jinja's compiled templates kept in the tool cache (toolcache.py): compiling the
    site's templates is 0.2–0.3 s of every build process, loading them a few ms. An
    entry is named by everything the compiled code depends on: the template's name, file
    and source; Jinja's version; this module's source (the filters and globals
    `make_env` gives, which Jinja may call differently, e.g. with the context); and every
    option of the environment. So an edited template, another checkout or another Jinja
    compiles again, never runs stale code; Jinja checks its version and the source's
    checksum inside the entry as well."""

    OPTIONS = ("block_start_string", "block_end_string", "variable_start_string", "variable_end_string",
               "comment_start_string", "comment_end_string", "line_statement_prefix",
               "line_comment_prefix", "trim_blocks", "lstrip_blocks", "newline_sequence",
               "keep_trailing_newline", "optimized", "is_async")

    def get_bucket(self, environment: jinja2.Environment, name: str, filename: str | None,
                   source: str) -> jinja2.bccache.Bucket:
        checksum = self.get_source_checksum(source)
        options = [repr(getattr(environment, option, None)) for option in self.OPTIONS]
        options += [sorted(environment.extensions), repr(environment.finalize), repr(environment.undefined),
                    environment.autoescape(name) if callable(environment.autoescape) else environment.autoescape]
        key = toolcache.key(name, filename, checksum, jinja2.__version__, _SOURCE, options)
        bucket = jinja2.bccache.Bucket(environment, f"jinja-{key}", checksum)
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = toolcache.load(bucket.key)
        if isinstance(data, bytes):
            bucket.bytecode_from_string(data)  # (a wrong magic or checksum leaves it empty)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        toolcache.save(bucket.key, bucket.bytecode_to_string())


_SOURCE = toolcache.source_of(__file__)  # this module: the filters and globals compiled code calls


def make_env(templates: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=jinja2.select_autoescape(["html", "xml", "tmx"], default_for_string=True),
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=CompiledTemplates() if toolcache.folder() is not None else None)
    env.tests["heading"] = lambda block: isinstance(block, Heading)
    env.globals["csp"] = CSP
    env.globals.update(url=urls.url, report_url=urls.report_url, pair_url=urls.pair_url,
                       download_url=urls.download_url, topic_url=urls.topic_url,
                       topic_year_url=urls.topic_year_url, series_url=urls.series_url)
    env.filters["plain"] = lambda text: inline.plain(text or "")
    env.filters["headline"] = headline
    env.filters["number"] = number
    env.filters["written"] = lambda values, units, lang: [  # figures as the text writes them: 9,000
        written(v, " ".join(u.plain for u in units), lang) for v in values]
    return env


class PageText:
    """Renders inline Markdown for one page and remembers where each note is cited."""

    def __init__(self, env: jinja2.Environment) -> None:
        self._macros = env.get_template("_macros.html").module
        self.citations: dict[str, list[str]] = defaultdict(list)

    def __call__(self, text: str | None) -> Markup:
        return inline.render(inline.strip_marks(text or ""), self._ref)  # editors' || marks

    def _ref(self, label: str) -> str:
        refs = self.citations[label]
        ref_id = f"ref-{label}" if not refs else f"ref-{label}-{len(refs) + 1}"
        refs.append(ref_id)
        return self._macros.noteref(label=label, ref_id=ref_id, note_id=note_id(label))


_SMALL = {"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to"}


def headline(text: str) -> str:
    """`REPORT ON THE WORK OF THE GOVERNMENT` → `Report on the Work of the Government`;
    text that is not all capitals is left alone."""
    if not text.isupper():
        return text
    words = text.lower().split()
    return " ".join(w if i and w in _SMALL else w[:1].upper() + w[1:] for i, w in enumerate(words))


def note_id(label: str) -> str:
    return f"note-{label}"


def page(env: jinja2.Environment, template: str, path: str, site: SiteInfo,
         canonical: bool = True, root: str | None = None, **context: Any) -> str:
    """Render the page that lives at `path` (from the site root); its links are relative
    to it (`urls`). `canonical`: name the public address when the site has a base URL.
    `root` overrides the way back to the root (the preview's error page: `/`)."""
    text = PageText(env)
    return joined(env.get_template(template).generate(
        root=root_of(path) if root is None else root, site=site,
        canonical=site.base_url + (path if path != urls.INDEX else "") if canonical and site.base_url else "",
        md=text, citations=text.citations, note_id=note_id, **context))


def joined(pieces: Iterator[str], chunk: int = 4096) -> str:
    """The text of a template's pieces, joined `chunk` at a time. Jinja's `render` joins
    them all at once, so every piece is alive together: a 6.7 MB topics page (1,000
    reports) held 94 MB while it was made; so made, about three times its size."""
    parts = []
    while True:
        some = list(islice(pieces, chunk))  # (a piece may be "": only no pieces is the end)
        if not some:
            return "".join(parts)
        parts.append("".join(some))


def report_page(env: jinja2.Environment, report: Report, site: SiteInfo,
                chips: dict | None = None, topic_url: Any = None,
                alignments: dict | None = None, compares: list = ()) -> str:
    toc = outline(report)
    return page(env, "report.html", report_url(report), site, report=report, toc=toc,
                coverage=coverage(report), html_level=html_levels(toc),
                chips=chips or {}, topic_url=topic_url, alignments=alignments or {},
                series=site.series_of(report.series), provenance=provenance(report),
                covers_label=lambda ids: coverage(report, tuple(ids)), compares=compares)


@dataclass(frozen=True)
class Provenance:
    """Who published the excerpts and who translated them, as the citation names them."""
    source: str
    translation: str


def provenance(report: Report) -> Provenance:
    def distinct(values) -> str:
        return " / ".join(dict.fromkeys(v for v in values if v))
    return Provenance(distinct(s.source for s in report.sources),
                      distinct(s.translation for s in report.sources))


def number(value: float) -> str:
    """260000 → 260,000; 97.5 → 97.5."""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,}"


def error_page(env: jinja2.Environment, problems: list[str], site: SiteInfo) -> str:
    """The page `serve` shows while the content does not build; if the site's own
    templates are what is broken, a bare page kept inside the package."""
    try:
        return page(env, "error.html", "error.html", site, canonical=False, root="/",
                    problems=problems)
    except jinja2.TemplateError:
        fallback = jinja2.Environment(loader=jinja2.FileSystemLoader(str(FALLBACK)), autoescape=True)
        return fallback.get_template("error.html").render(problems=problems, port=site.live_reload)


def template_error(exc: jinja2.TemplateError) -> DuizhaoError:
    """A template mistake as a located error: syntax errors carry their line; for errors
    while rendering, the innermost template frame of the traceback has it."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return fail(exc.filename or exc.name or "templates", exc.lineno, f"template: {exc.message}")
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".html")]
    where = frames[-1] if frames else None
    return fail(where.filename if where else "templates", where.lineno or 0 if where else 0,
                f"template: {exc.message or exc}")
