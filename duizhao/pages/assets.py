"""Static assets as published: CSS and JS minified (rcssmin, rjsmin: small, well-kept,
C-accelerated), everything else as it is. The sources in static/ stay readable."""

from __future__ import annotations

import rcssmin
import rjsmin


def asset(name: str, data: bytes) -> bytes:
    if name.endswith(".css"):
        return rcssmin.cssmin(data.decode("utf-8")).encode("utf-8") + b"\n"
    if name.endswith(".js") and b"`" not in data:  # rjsmin does not know template literals
        return rjsmin.jsmin(data.decode("utf-8")).encode("utf-8") + b"\n"
    return data
