#!/usr/bin/env python3
"""Lighthouse scores (mobile settings) for each page kind, with the system Chromium.

    python benchmarks/lighthouse.py      (needs `npm ci` for node_modules/lighthouse)

Builds the site, serves it under /duizhao/ on 127.0.0.1 as GitHub Pages would, runs
Lighthouse on the library and a report page, and prints a Markdown table; every audit
that cost points is listed under the table so each score below 100 can be explained."""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
PAGES = {"library": "index.html", "report (2025)": "2025/index.html",
         "topic (elderly care)": "topics/elderly-care/index.html"}
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-background-networking "
         "--disable-component-update --disable-sync --no-first-run")


class Handler(SimpleHTTPRequestHandler):
    def translate_path(self, path: str) -> str:
        path = urlsplit(path).path
        inside = path.startswith("/duizhao/")
        return super().translate_path("/" + path[len("/duizhao/"):] if inside else "/__none__")

    def log_message(self, *args: object) -> None:
        pass


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        subprocess.run([sys.executable, str(ROOT / "build.py"), "-q", "--out", str(site)], check=True)
        server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/duizhao/"
        rows, losses = [], []
        for name, path in PAGES.items():
            report = Path(tmp) / f"{len(rows)}.json"
            subprocess.run([str(LIGHTHOUSE), base + path, "--quiet", "--output=json",
                            f"--output-path={report}", f"--chrome-flags={FLAGS}",
                            f"--only-categories={','.join(CATEGORIES)}"],
                           check=True, env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"})
            result = json.loads(report.read_text("utf-8"))
            scores = [round(result["categories"][c]["score"] * 100) for c in CATEGORIES]
            rows.append((name, scores))
            for category in CATEGORIES:
                for ref in result["categories"][category]["auditRefs"]:
                    audit = result["audits"][ref["id"]]
                    if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                        losses.append(f"{name} / {category}: {audit['title']} ({audit.get('displayValue', audit['score'])})")
        server.shutdown()
    print("| page | performance | accessibility | best practices | SEO |\n| --- | ---: | ---: | ---: | ---: |")
    for name, scores in rows:
        print(f"| {name} | " + " | ".join(map(str, scores)) + " |")
    print("\nAudits that cost points:" if losses else "\nNo audit cost a point.")
    for loss in losses:
        print(f"- {loss}")


if __name__ == "__main__":
    main()
