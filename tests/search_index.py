"""Reading a built site's search index (Pagefind's bundle) in tests: the record of each indexed
page or fact, as the browser would receive it."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

FRAGMENT_PREFIX = b"pagefind_dcd"


def indexed(site: Path) -> dict[str, dict[str, Any]]:
    """Every record of the site's search index by its URL ("#" as the browser follows it)."""
    records = {}
    for path in sorted((site / "pagefind" / "fragment").iterdir()):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(FRAGMENT_PREFIX), path
        record = json.loads(data[len(FRAGMENT_PREFIX) :])
        records[record["url"].replace("%23", "#")] = record
    return records
