"""Core fixtures: one engine over the bundled corpus, shared by the tests that only read it."""

from __future__ import annotations

from pathlib import Path

import pytest

from faqbot.engine import Engine
from faqbot.knowledge import KnowledgeBase, load_knowledge_base

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_knowledge_base(CORPUS)


@pytest.fixture(scope="session")
def engine(kb: KnowledgeBase) -> Engine:
    return Engine(kb)


@pytest.fixture(scope="session")
def corpus_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt")))
