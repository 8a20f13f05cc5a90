"""bot.removal.plan_removal: the file the index names is read alone; the whole corpus only when needed."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.removal import plan_removal
from retrieval import CorpusError

NOTE = "---\ntitle: {title}\n---\nপদ্মার ইলিশ এবার কেজিপ্রতি দুই হাজার টাকায় বিক্রি হচ্ছে।\n"


def test_the_indexed_file_is_read_alone(tmp_path: Path) -> None:
    (tmp_path / "added").mkdir()
    (tmp_path / "added" / "hilsa.md").write_text(NOTE.format(title="ইলিশ"), "utf-8")
    # A full scan would find this copy first (the operator's files come before added/'s).
    (tmp_path / "copy.md").write_text("---\nid: hilsa\n" + NOTE.format(title="অনুলিপি")[4:], "utf-8")
    plan = plan_removal(tmp_path, "hilsa", "added/hilsa.md")
    assert plan.file == tmp_path / "added" / "hilsa.md" and plan.title == "ইলিশ"
    assert plan_removal(tmp_path, "hilsa").file == tmp_path / "copy.md"


def test_a_file_that_no_longer_holds_the_article_falls_back_to_the_corpus(tmp_path: Path) -> None:
    (tmp_path / "moved.md").write_text("---\nid: hilsa\n" + NOTE.format(title="সরানো")[4:], "utf-8")
    (tmp_path / "old.md").write_text(NOTE.format(title="অন্য"), "utf-8")  # id "old" now
    plan = plan_removal(tmp_path, "hilsa", "old.md")
    assert plan.file == tmp_path / "moved.md"
    with pytest.raises(CorpusError, match="no article"):
        plan_removal(tmp_path, "nowhere", "gone.md")
