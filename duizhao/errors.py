"""One exception type for every bad input, carrying `file:line: message` values.

Problems are values (`Diagnostic`) so that a stage can collect several and report them
all at once; `DuizhaoError` carries one or more of them and `build.py` prints them once.
"""

from __future__ import annotations

import os


class Diagnostic:
    """A located message: an error, a warning or (verbose only) an info note. Immutable,
    compared and hashed by value. A plain class, not a dataclass: `build.py` makes these
    on its nothing-changed path, where importing dataclasses was a sixth of the time."""

    __slots__ = ("file", "line", "message", "severity")
    file: str
    line: int
    message: str
    severity: str  # "error" | "warning" | "info"

    def __init__(self, file: str, line: int, message: str, severity: str = "error") -> None:
        for name, value in (("file", file), ("line", line), ("message", message), ("severity", severity)):
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"a Diagnostic is immutable: cannot set {name!r}")

    def _key(self) -> tuple[str, int, str, str]:
        return (self.file, self.line, self.message, self.severity)

    def __eq__(self, other: object) -> bool:
        return self._key() == other._key() if isinstance(other, Diagnostic) else NotImplemented

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return "Diagnostic(file={!r}, line={!r}, message={!r}, severity={!r})".format(*self._key())

    def __reduce__(self):  # pickled by value (a worker's errors cross a pipe)
        return Diagnostic, self._key()

    def __str__(self) -> str:
        where = display_path(self.file)
        if self.line:
            where = f"{where}:{self.line}"
        label = "" if self.severity == "error" else f"{self.severity}: "
        return f"{where}: {label}{self.message}"


class DuizhaoError(Exception):
    """Bad input (exit status 2): one or more error diagnostics."""

    def __init__(self, diagnostics: list[Diagnostic] | Diagnostic) -> None:
        if isinstance(diagnostics, Diagnostic):
            diagnostics = [diagnostics]
        self.diagnostics = list(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))

    def __reduce__(self):  # survives the pipe from a worker process (see parallel)
        return DuizhaoError, (self.diagnostics,)


def fail(file: str, line: int, message: str) -> DuizhaoError:
    """Build the exception for one located error (callers `raise fail(...)`)."""
    return DuizhaoError(Diagnostic(str(file), line, message))


def display_path(path: str) -> str:
    """Show paths relative to the working directory when they are below it."""
    if not path:
        return "<input>"
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


class Problems:
    """Collects warnings and errors of one stage; `raise_errors` stops if any error."""

    def __init__(self) -> None:
        self.items: list[Diagnostic] = []

    def error(self, file: str, line: int, message: str) -> None:
        self.items.append(Diagnostic(str(file), line, message, "error"))

    def warn(self, file: str, line: int, message: str) -> None:
        self.items.append(Diagnostic(str(file), line, message, "warning"))

    def info(self, file: str, line: int, message: str) -> None:
        self.items.append(Diagnostic(str(file), line, message, "info"))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "warning"]

    def raise_errors(self) -> None:
        if self.errors:
            raise DuizhaoError(self.errors)
