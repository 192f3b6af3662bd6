"""Small pieces: settings validation, the query vectoriser, and the core's independence from platforms."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest

from adapters.settings import load_settings, settings_from_mapping
from faqbot import index as index_module
from faqbot.engine import Engine
from faqbot.index import RetrievalIndex
from faqbot.settings import SettingsError
from faqbot.text import analyse, char_form, stem

PLATFORM_MODULES = {
    "slack_bolt",
    "slack_sdk",
    "starlette",
    "uvicorn",
    "httpx",
    "readline",
    "curses",
    "argparse",
    "adapters",
    "websockets",
}


def test_settings_defaults_and_overrides(tmp_path: Path) -> None:
    path = tmp_path / "faqbot.toml"
    path.write_text('[engine]\nemergency_number = "112"\n[web]\nport = 9000\nallow_origins = ["https://a.example"]\n')
    settings = load_settings(path, {"engine": {"corpus": None}})
    assert settings.engine.emergency_number == "112" and settings.web.port == 9000
    assert settings.web.allow_origins == ("https://a.example",)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"engine": {"emergency_numbr": "112"}}, "unknown setting"),
        ({"database": {}}, "unknown settings section"),
        ({"web": {"port": "eighty"}}, "web.port"),
        ({"engine": {"answer_threshold": 3}}, "answer_threshold"),
        ({"web": {"port": True}}, "web.port"),
        ({"slack": []}, "must be a table"),
    ],
)
def test_settings_errors_name_the_key(data: dict[str, object], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        settings_from_mapping(data)  # type: ignore[arg-type]


def test_unreadable_settings_file_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="cannot read"):
        load_settings(tmp_path / "missing.toml")


def test_query_vectors_equal_scikit_learns_transform(engine: Engine) -> None:
    rows = index_module._Rows.of(engine.kb.pairs, lambda text: text)
    words = index_module._word_vectoriser().fit([analyse(text) for text in rows.sections])
    chars = index_module._char_vectoriser().fit([char_form(t) for t in (*(t for _, t in rows.questions), *rows.bodies)])
    built = RetrievalIndex(engine.kb.pairs)
    for text in ("does acupuncture hurt", "dry needling insurance twitch", "zzz", "acupunture needls"):
        for fitted, query, form in ((words, built._word_query, analyse), (chars, built._char_query, char_form)):
            expected = fitted.transform([form(text)]).toarray().ravel()
            got = np.zeros_like(expected)
            positions, weights = query.vector(form(text))
            got[positions] = weights
            np.testing.assert_allclose(got, expected, atol=1e-12)


def test_core_imports_no_platform_code() -> None:
    core = Path(__file__).resolve().parents[2] / "faqbot"
    for module in core.rglob("*.py"):  # subpackages too (faqbot/formats)
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else ([node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            )
            for name in names:
                assert name.split(".")[0] not in PLATFORM_MODULES, f"{module.name} imports {name}"


@pytest.mark.parametrize(
    ("form", "base"), [("felt", "feel"), ("took", "take"), ("worse", "bad"), ("feet", "foot"), ("drawn", "draw")]
)
def test_irregular_forms_share_their_base_stem(form: str, base: str) -> None:
    assert stem(form) == stem(base)


def test_past_tense_question_finds_the_present_tense_section(engine: Engine) -> None:
    reply = engine.respond("during acupuncture I felt a heaviness, normal?", None)
    assert reply.kind == "answer"
    assert reply.answer is not None and reply.answer.heading == "Does acupuncture hurt?"


def test_a_corpus_too_large_to_index_is_one_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from faqbot import corpus

    (tmp_path / "big.md").write_text("# Big\n\n" + "word " * 5000)
    monkeypatch.setattr(corpus, "MAX_CORPUS_BYTES", 10_000)
    with pytest.raises(corpus.CorpusError, match=r"^corpus too large: 0 MB of documents in .* \(at most 0 MB"):
        corpus.read_corpus(tmp_path)
