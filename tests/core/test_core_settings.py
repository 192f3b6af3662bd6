"""Settings that must make sense to a patient, not just have the right type."""

from __future__ import annotations

from pathlib import Path

import pytest

from faqbot.settings import SettingsError, load_settings, settings_from_mapping

DIALABLE = ["911", "112", "999", "000", "+44 20 7946 0000", "1-800-273-8255", " 112 ", "12345678901234567890"]
NOT_DIALABLE = ["abc", "911; rm", "1", "+1", "+", "-911", "1--2", "44  20", "tel:911", "1" * 21, "\u0661\u0661"]


def test_emergency_number_must_be_a_number_a_person_can_dial() -> None:
    for number in DIALABLE:
        assert settings_from_mapping({"engine": {"emergency_number": number}}).engine.emergency_number == number.strip()
    for number in NOT_DIALABLE:
        with pytest.raises(SettingsError, match=r"^setting engine\.emergency_number has an unusable value .*911"):
            settings_from_mapping({"engine": {"emergency_number": number}})


def test_emergency_number_from_a_settings_file_is_checked_too(tmp_path: Path) -> None:
    path = tmp_path / "faqbot.toml"
    path.write_text('[engine]\nemergency_number = "call 911"\n')
    with pytest.raises(SettingsError, match=r"engine\.emergency_number"):
        load_settings(path)
