"""What a build did, for the command line: the value `pipeline.build` returns."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Callable


@dataclass
class BuildResult:
    """What a build did, for the command line (kept with the caches, so an unchanged
    build can say it without loading anything)."""
    reports: int
    files: int
    written: int = 0  # files rendered this time (the rest were kept from the last build)
    topics: int | None = None  # how many topics; None without topics.yaml
    total_pairs: int = 0
    uncovered: list[tuple[str, str]] = field(default_factory=list)  # (report, pair)
    pairs: int = 0
    aligned: int = 0  # pairs aligned sentence by sentence
    flagged: list[tuple[str, str, list, list]] = field(default_factory=list)  # figures differ
    base_url: str = ""  # the public address the pages name (empty: none)
    # searching="later": makes the search bundles (the preview runs it after the reload)
    pending_search: Callable[[list], dict[str, bytes]] | None = field(default=None, compare=False, repr=False)
    # in place (the preview): renders the pages left for after the reload (write.update_site)
    pending_pages: object = field(default=None, compare=False, repr=False)  # write.Later

    def to_json(self) -> dict:
        return {k: v for k, v in asdict(self).items() if k not in ("pending_search", "pending_pages")}

    @classmethod
    def from_json(cls, data: dict) -> BuildResult:
        data = dict(data, uncovered=[tuple(u) for u in data["uncovered"]],
                    flagged=[tuple(f) for f in data["flagged"]])
        return cls(**data)
