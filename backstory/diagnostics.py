"""Problems found in content, as data: every stage returns these instead of raising."""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem at a position in a content file (line and column count from 1)."""

    path: str
    line: int
    column: int
    severity: Severity
    message: str
    hint: str | None = None

    def format(self) -> str:
        """Render as ``PATH:LINE:COLUMN: severity: MESSAGE (hint)``, the compiler convention."""
        text = f"{self.path}:{self.line}:{self.column}: {self.severity}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text

    def format_github(self) -> str:
        """Render as a GitHub Actions workflow command, so CI marks the line in a pull request."""
        message = _github_data(self.message + (f" ({self.hint})" if self.hint else ""))
        path = _github_data(self.path).replace(":", "%3A").replace(",", "%2C")
        return f"::{self.severity} file={path},line={self.line},col={self.column}::{message}"


def _github_data(text: str) -> str:
    """Text escaped as GitHub's workflow commands require of a message; a property value
    (such as ``file=``) also escapes ``:`` and ``,``, which would end it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def errors_in(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Only the errors among the diagnostics."""
    return [d for d in diagnostics if d.severity == "error"]


def did_you_mean(word: str, candidates: Iterable[str], *, cutoff: float = 0.6) -> str | None:
    """A "did you mean" hint naming the candidates closest to a misspelt word, or None;
    ``cutoff`` is how alike (0 to 1) a candidate must be to be named."""
    matches = difflib.get_close_matches(word, sorted(set(candidates)), n=3, cutoff=cutoff)
    if not matches:
        return None
    return "did you mean " + " or ".join(f"'{m}'" for m in matches) + "?"


def diagnostics_as_json(diagnostics: Iterable[Diagnostic]) -> str:
    """The diagnostics as a JSON array, for other tools."""
    return json.dumps([asdict(d) for d in sorted(diagnostics)], indent=2, ensure_ascii=False)
