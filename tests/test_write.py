"""Write stage: only changed files are written, stale ones removed, foreign folders refused."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from backstory.build.write import write_tree
from backstory.errors import WriteError


def test_writes_only_what_changed_and_removes_stale_files(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    first = write_tree({"a.md": "A", "sub/b.md": "B", "gone/c.md": "C"}, folder)
    assert first.written == ["a.md", "gone/c.md", "sub/b.md"]
    old = tmp_path / "docs" / "sub" / "b.md"
    os.utime(old, (1_000_000, 1_000_000))
    second = write_tree({"a.md": "A2", "sub/b.md": "B"}, folder)
    assert second.written == ["a.md"]
    assert second.unchanged == ["sub/b.md"]
    assert second.removed == ["gone/c.md"]
    assert old.stat().st_mtime == 1_000_000  # unchanged page keeps its modification time
    assert not (folder / "gone").exists()
    assert (folder / "a.md").read_text() == "A2"


def test_refuses_a_folder_it_did_not_generate(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "mine.md").write_text("hand-written")
    with pytest.raises(WriteError, match="holds files Backstory did not generate"):
        write_tree({"a.md": "A"}, folder)
    assert (folder / "mine.md").read_text() == "hand-written"
