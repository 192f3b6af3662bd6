"""The learned urgency model: its features, its file, and how it weighs the red-flag rules' reading."""

from __future__ import annotations

import gzip
import math
import subprocess
import sys
from pathlib import Path

import pytest

from faqbot.engine import Engine
from faqbot.knowledge import KnowledgeBase
from faqbot.safety import GENERAL_FLAG, RedFlagReader, default_reader
from faqbot.settings import EngineSettings
from faqbot.urgency import Thresholds, UrgencyError, UrgencyModel, grams, load_model, save_model, weighted

ROOT = Path(__file__).resolve().parents[2]


def test_grams_are_padded_word_pieces_words_and_word_pairs() -> None:
    counts = grams("cant breathe")
    assert counts["c: ca"] == 1 and counts["c:he "] == 1 and counts["c:cant "] == 1
    assert counts["w:cant"] == 1 and counts["w:cant breathe"] == 1
    pieces = [gram[2:] for gram in counts if gram.startswith("c:")]
    assert all(2 <= len(piece) <= 5 and " " not in piece.strip() for piece in pieces)  # never across two words


def test_each_block_of_weighted_grams_has_unit_length_and_unknown_grams_are_dropped() -> None:
    counts = grams("chest pain now")
    idf = {gram: 1.0 + index % 3 for index, gram in enumerate(sorted(counts)) if gram != "w:now"}
    vector = weighted(counts, idf)
    assert "w:now" not in vector
    for block in ("c", "w"):
        assert math.isclose(sum(v * v for g, v in vector.items() if g[0] == block), 1.0)


def _model(weight: float, alone: float = 0.7, confirm: float = 0.2, min_words: int = 0) -> UrgencyModel:
    """A one-word model: "gurgling" weighs `weight`, everything else nothing."""
    return UrgencyModel({"w:gurgling": 1.0}, {"w:gurgling": weight}, -3.0, Thresholds(alone, confirm, min_words))


@pytest.mark.parametrize("message", ["hi", "aaaa aaaa chest chest pain pain pain", "cant breathe after needling"])
def test_scoring_equals_the_weighted_grams_the_fit_script_uses(message: str) -> None:
    model = default_reader().urgency
    assert model is not None
    normal = RedFlagReader().normalise(message)
    vector = weighted(grams(normal), model.idf)
    score = model.intercept + sum(value * model.weights.get(gram, 0.0) for gram, value in vector.items())
    assert math.isclose(model.probability(normal), 1.0 / (1.0 + math.exp(-score)), rel_tol=1e-12)


def test_the_model_alone_makes_an_emergency_of_what_no_rule_names() -> None:
    triage = RedFlagReader(urgency=_model(10.0)).read("he is gurgling")
    assert triage.current and triage.current_flags == (GENERAL_FLAG,)
    assert triage.urgency is not None and triage.urgency > 0.99
    assert not RedFlagReader().read("he is gurgling").current


def test_a_rule_reading_of_now_stands_unless_the_model_finds_it_plainly_unlikely() -> None:
    message = "I am having chest pain"
    assert RedFlagReader(urgency=_model(0.0, confirm=0.01)).read(message).current
    doubted = RedFlagReader(urgency=_model(0.0, confirm=0.2)).read(message)
    assert not doubted.current and doubted.current_flags == ()
    assert "chest pain" in doubted.flags  # still a red-flag topic: the reply carries the caution line


def test_a_rule_reading_of_now_is_judged_on_its_own_clause_not_on_the_long_message_around_it() -> None:
    # "parking" pulls the whole message's probability down; the clause holding the rule's mention has none of it.
    weights = {"w:gurgling": 5.0, "w:parking": -5.0}
    model = UrgencyModel(dict.fromkeys(weights, 1.0), weights, -3.0, Thresholds(0.99, 0.6, 0))
    message = "which parking is nearest? I have chest pain and I'm gurgling"
    assert model.probability(RedFlagReader().normalise(message)) < 0.6
    assert RedFlagReader(urgency=model).read(message).current
    assert not RedFlagReader(urgency=model).read("which parking is nearest and I have chest pain").current


@pytest.mark.parametrize(
    "message",
    [
        "does acupuncture hurt? also I think I'm having a stroke",
        "I had a stroke last year. Now my face is drooping, what do I do",
    ],
)
def test_the_bundled_model_keeps_a_current_emergency_that_follows_something_else(message: str) -> None:
    assert default_reader().read(message).current


@pytest.mark.parametrize(
    "message",
    [
        "I am having a seizure right now, can I still come for acupuncture",
        "I have chest pain at the moment, should I cancel my acupuncture session tomorrow or is it ok",
    ],
)
def test_a_rule_reading_told_in_so_many_words_is_never_overruled(message: str) -> None:
    assert default_reader().read(message).current
    calm = UrgencyModel({"w:cancel": 1.0}, {"w:cancel": -50.0}, -50.0, Thresholds(0.99, 0.5, 0))
    assert RedFlagReader(urgency=calm).read(message).current


def test_an_emergency_only_the_model_heard_is_not_named_after_a_past_red_flag() -> None:
    triage = RedFlagReader(urgency=_model(10.0)).read("I had a stroke years ago and now he is gurgling")
    assert triage.current and triage.current_flags == (GENERAL_FLAG,)


def test_the_bundled_reader_is_built_once() -> None:
    assert default_reader() is default_reader()


def test_a_model_file_round_trips_byte_for_byte(tmp_path: Path) -> None:
    path = tmp_path / "urgency.json.gz"
    save_model(_model(2.5), path)
    first = path.read_bytes()
    save_model(load_model(path), path)
    assert path.read_bytes() == first and load_model(path) == _model(2.5)


@pytest.mark.parametrize("content", [b"not gzip", gzip.compress(b"[1, 2]"), gzip.compress(b'{"grams": {}}')])
def test_a_broken_model_file_is_refused_in_one_line(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "urgency.json.gz"
    path.write_bytes(content)
    with pytest.raises(UrgencyError) as error:
        load_model(path)
    assert "\n" not in str(error.value) and str(path) in str(error.value)


@pytest.mark.parametrize(
    "message",
    [
        "my boyfriend is making gurgling noises and i cant get him to respond",
        "cant feel my legs since the needling an hour ago",
        "the baby is floppy and wont feed and has a rash that doesnt fade",
    ],
)
def test_the_bundled_model_hears_emergencies_the_rules_were_not_written_for(message: str) -> None:
    assert not RedFlagReader().read(message).current
    assert default_reader().read(message).current


@pytest.mark.parametrize(
    "message", ["hi", "and afterwards?", "how much does it cost", "what should i wear to my appointment", "thanks!"]
)
def test_the_bundled_model_leaves_everyday_messages_alone(message: str) -> None:
    triage = default_reader().read(message)
    assert not triage.current and triage.urgency is not None and triage.urgency < 0.3


def test_an_emergency_only_the_model_heard_gets_the_emergency_reply_with_the_general_flag(kb: KnowledgeBase) -> None:
    engine = Engine(kb, EngineSettings(semantic=False))
    reply = engine.respond("my boyfriend is making gurgling noises and i cant get him to respond")
    assert reply.kind == "emergency" and reply.emergency is not None
    assert reply.emergency.current and reply.emergency.flags == (GENERAL_FLAG,)
    assert reply.answer is None


def test_the_model_file_matches_a_refit_on_its_case_files() -> None:
    result = subprocess.run(
        [sys.executable, "bench/fit_urgency.py", "--check"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "the model file matches a re-fit" in result.stdout
