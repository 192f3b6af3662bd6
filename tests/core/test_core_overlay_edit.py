"""Adding alternates to overlay.toml (issue 14 item 3): comments and layout kept, no duplicates, bad files refused
with one line, and the old file whole whenever an edit fails."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

from faqbot import overlay_edit
from faqbot.corpus import read_overlay
from faqbot.knowledge import load_knowledge_base
from faqbot.overlay_edit import OverlayEditError, add_alternates

BUNDLED = Path(__file__).resolve().parents[2] / "corpus" / "overlay.toml"
SECTION = "acupuncture/what-are-the-risks-or-complications-of-acupuncture"


@pytest.fixture
def overlay(tmp_path: Path) -> Path:
    path = tmp_path / "overlay.toml"
    shutil.copy(BUNDLED, path)
    return path


def test_added_questions_only_add_lines_and_keep_every_comment(overlay: Path) -> None:
    before = overlay.read_text(encoding="utf-8")
    added = add_alternates(overlay, SECTION, ["Could a needle puncture my lung?", "Can I get an infection?"], note="n1")
    after = overlay.read_text(encoding="utf-8")
    assert added.added == ("Could a needle puncture my lung?", "Can I get an infection?")
    old_lines, new_lines = before.splitlines(), after.splitlines()
    assert [line for line in new_lines if line not in old_lines] == [
        '  "Could a needle puncture my lung?", # n1',
        '  "Can I get an infection?",',
    ]
    assert [line for line in old_lines if line.lstrip().startswith("#")] == [
        line for line in new_lines if line.lstrip().startswith("#")
    ]
    old, new = read_overlay(BUNDLED), read_overlay(overlay)
    assert new.alternates[SECTION] == (*old.alternates[SECTION], *added.added)
    assert (new.topics, new.synonyms) == (old.topics, old.synonyms)
    assert {k: v for k, v in new.alternates.items() if k != SECTION} == {
        k: v for k, v in old.alternates.items() if k != SECTION
    }


def test_no_question_is_added_twice(overlay: Path) -> None:
    first = add_alternates(overlay, SECTION, ["is acupuncture SAFE", "Is it risky?", "is it  risky"])
    assert first.added == ("Is it risky?",) and first.already == ("is acupuncture SAFE", "is it risky")
    second = add_alternates(
        overlay, SECTION, ["Is it risky!", "What are the risks?"], known=("What are the risks?", "Risks")
    )
    assert second.added == () and len(second.already) == 2
    assert read_overlay(overlay).alternates[SECTION].count("Is it risky?") == 1


def test_a_new_section_table_and_a_missing_file_are_created(tmp_path: Path) -> None:
    path = tmp_path / "overlay.toml"
    add_alternates(path, "a/b", ["Where do I park?"])
    add_alternates(path, "a/c", ["How much is it?"])
    assert read_overlay(path).alternates == {"a/b": ("Where do I park?",), "a/c": ("How much is it?",)}
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert path.read_text(encoding="utf-8").startswith('[alternates."a/b"]')


def test_one_line_and_comma_less_arrays_stay_valid(tmp_path: Path) -> None:
    path = tmp_path / "overlay.toml"
    path.write_text(
        '# mine\n[alternates."a/b"]\nquestions = ["One?", "Two?"]  # short\n\n'
        '[alternates."a/c"]\nquestions = [\n    "Three?"\n]\n[alternates."a/d"]\n',
        encoding="utf-8",
    )
    for section in ("a/b", "a/c", "a/d"):
        add_alternates(path, section, ["New?"])
    text = path.read_text(encoding="utf-8")
    assert "# mine" in text and "# short" in text and '    "New?",' in text
    assert read_overlay(path).alternates == {
        "a/b": ("One?", "Two?", "New?"),
        "a/c": ("Three?", "New?"),
        "a/d": ("New?",),
    }


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("[alternates\nquestions = 1\n", "is not valid TOML"),
        ('alternates = "x"\n', "`alternates` is not a table"),
        ('[alternates."a/b"]\nquestions = [1, 2]\n', "is not a list of strings"),
        ('[alternates."a/b"]\nquestions = []\n[unknown]\nx = 1\n', "would not load (overlay.toml: unknown section"),
        ('[alternates."a/b"]\nquestions = []\nextra = 1\n', "would not load"),
    ],
)
def test_a_bad_overlay_is_refused_in_one_line_and_left_alone(tmp_path: Path, text: str, reason: str) -> None:
    path = tmp_path / "overlay.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(OverlayEditError) as caught:
        add_alternates(path, "a/b", ["New?"])
    message = str(caught.value)
    assert reason in message and "\n" not in message and ".tmp" not in message
    assert path.read_text(encoding="utf-8") == text
    assert [p.name for p in tmp_path.iterdir()] == ["overlay.toml"]


def test_a_failed_write_leaves_the_old_file_whole(overlay: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = overlay.read_bytes()

    def failing(source: object, target: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(OverlayEditError, match="No space left on device"):
        add_alternates(overlay, SECTION, ["Could a needle puncture my lung?"])
    assert overlay.read_bytes() == before
    assert [p.name for p in overlay.parent.iterdir()] == ["overlay.toml"]


def test_a_file_saved_by_someone_else_meanwhile_wins(overlay: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    theirs = '[alternates."a/b"]\nquestions = ["Theirs?"]\n'
    check = read_overlay

    def saved_meanwhile(path: Path) -> object:
        overlay.write_text(theirs, encoding="utf-8")
        return check(path)

    monkeypatch.setattr(overlay_edit, "read_overlay", saved_meanwhile)
    with pytest.raises(OverlayEditError, match="changed while it was being edited"):
        add_alternates(overlay, SECTION, ["Could a needle puncture my lung?"])
    assert overlay.read_text(encoding="utf-8") == theirs


def test_an_unwritable_folder_is_one_line(overlay: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes anywhere")
    overlay.parent.chmod(0o500)
    try:
        with pytest.raises(OverlayEditError, match="cannot write in"):
            add_alternates(overlay, SECTION, ["Could a needle puncture my lung?"])
    finally:
        overlay.parent.chmod(0o700)


def test_the_edited_bundled_corpus_still_loads_with_the_new_alternate(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(BUNDLED.parent, corpus)
    add_alternates(corpus / "overlay.toml", SECTION, ['A "quoted" question with a \\ backslash?'])
    pair = load_knowledge_base(corpus).pair(SECTION)
    assert pair is not None and pair.alternates[-1] == 'A "quoted" question with a \\ backslash?'
