"""Settings that must make sense to a patient, not just have the right type."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from adapters.settings import load_settings, settings_from_mapping, settings_to_mapping
from faqbot.settings import SettingsError, read_settings_file

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


CLINIC = {
    "phone": "0161 496 0000",
    "booking_url": "https://clinic.example/book?src=bot",
    "hours": "Mon\u2013Fri 9am\u20135pm, Sat 9am\u2013noon",
    "address": "1 High Street, Leeds LS1 1AA",
}


def test_clinic_table_reaches_the_engine_settings(tmp_path: Path) -> None:
    path = tmp_path / "faqbot.toml"
    lines = [f'{key} = "{value}"' for key, value in CLINIC.items()]
    path.write_text("[clinic]\n" + "\n".join(lines) + "\n", encoding="utf-8")
    clinic = load_settings(path).engine.clinic
    assert clinic.to_dict() == CLINIC
    assert clinic.configured and not clinic.missing()


def test_clinic_details_are_optional_one_by_one() -> None:
    assert not settings_from_mapping({}).engine.clinic.configured
    clinic = settings_from_mapping({"clinic": {"hours": " Mon-Fri 9-5 "}}).engine.clinic
    assert clinic.hours == "Mon-Fri 9-5" and clinic.phone is None and clinic.booking_url is None
    assert clinic.missing() == ("phone number", "booking link", "address")


@pytest.mark.parametrize(
    ("key", "value"),
    [
        *(("phone", number) for number in NOT_DIALABLE),
        ("booking_url", "javascript:alert(1)"),
        ("booking_url", "clinic.example/book"),
        ("booking_url", "ftp://clinic.example/book"),
        ("booking_url", "https://"),
        ("booking_url", "https://clinic.example/book now"),
        ("booking_url", 'https://clinic.example/"><script>'),
        ("booking_url", "http://clinic.example:99999/"),
        ("hours", "Mon-Fri\n9-5"),
        ("hours", "x" * 161),
        ("address", "1 High St\tLeeds"),
        ("address", ""),
        ("address", "   "),
        ("phone", 1614960000),
        ("hours", ["Mon", "Tue"]),
    ],
)
def test_a_bad_clinic_detail_is_a_one_line_error_naming_it(key: str, value: object) -> None:
    with pytest.raises(SettingsError, match=rf"^setting clinic\.{key} has an unusable value") as caught:
        settings_from_mapping({"clinic": {key: value}})
    assert "\n" not in str(caught.value) and len(str(caught.value)) < 300


def test_clinic_keys_are_checked_and_belong_in_their_own_table() -> None:
    with pytest.raises(SettingsError, match=r"unknown setting\(s\) in \[clinic\]: fax"):
        settings_from_mapping({"clinic": {"fax": "0161 496 0001"}})
    with pytest.raises(SettingsError, match=r"unknown setting\(s\) in \[engine\]: clinic"):
        settings_from_mapping({"engine": {"clinic": {"phone": "0161 496 0000"}}})
    with pytest.raises(SettingsError, match=r"section \[clinic\] must be a table"):
        settings_from_mapping({"clinic": "0161 496 0000"})


def test_settings_survive_the_round_trip_to_worker_processes() -> None:
    for clinic in (CLINIC, {"phone": CLINIC["phone"]}, {}):
        settings = settings_from_mapping({"clinic": clinic, "engine": {"emergency_number": "112"}})
        mapping = json.loads(json.dumps(settings_to_mapping(settings), default=str))
        assert settings_from_mapping(mapping) == settings


def _store_url_after_a_round_trip(data: dict[str, Any]) -> str | None:
    """store.url as a worker process reads it back (the parent hands settings over as JSON)."""
    mapping = json.loads(json.dumps(settings_to_mapping(settings_from_mapping(data)), default=str))
    return settings_from_mapping(mapping).store.url


def test_the_store_is_memory_unless_a_redis_url_is_given(tmp_path: Path) -> None:
    assert settings_from_mapping({}).store.url is None
    assert _store_url_after_a_round_trip({}) is None
    for url in ("redis://localhost:6379/0", "rediss://:pw@cache.internal", "unix:///run/redis.sock"):
        assert _store_url_after_a_round_trip({"store": {"url": url}}) == url
    for url in ("http://cache:6379", "redis://", "redis://cache:99999", "redis://cache/zero", "redis://a b", ""):
        with pytest.raises(SettingsError, match=r"^setting store\.url has an unusable value") as raised:
            settings_from_mapping({"store": {"url": url}})
        assert "\n" not in str(raised.value)
    with pytest.raises(SettingsError) as raised:
        settings_from_mapping({"store": {"url": "http://:s3cret@cache.internal"}})
    assert "s3cret" not in str(raised.value) and "//***@cache.internal" in str(raised.value)
    (tmp_path / "faqbot.toml").write_text('[store]\nuri = "redis://x"\n', encoding="utf-8")
    with pytest.raises(SettingsError, match=r"unknown setting\(s\) in \[store\]: uri \(known: url\)"):
        load_settings(tmp_path / "faqbot.toml")


def test_the_bundled_corpus_is_the_checkouts_else_the_installed_one(tmp_path: Path) -> None:
    from faqbot.settings import bundled_corpus

    source, prefix = tmp_path / "site-packages", tmp_path / "venv"
    installed = prefix / "share" / "faqbot" / "corpus"
    installed.mkdir(parents=True)
    source.mkdir()
    assert bundled_corpus(source, prefix) == installed  # a wheel install: no corpus/ beside the package
    (source / "corpus").mkdir()
    assert bundled_corpus(source, prefix) == source / "corpus"  # a source checkout reads its own folder


def test_platform_tables_read_as_before_from_beside_their_adapters(tmp_path: Path) -> None:
    import faqbot.settings as core

    # The core keeps only its own tables; [slack], [web] and [store] are the adapters'.
    assert not {"SlackSettings", "WebSettings", "StoreSettings", "Settings"} & set(vars(core))
    path = tmp_path / "faqbot.toml"
    path.write_text('[slack]\nport = 3100\n[web]\nport = 9100\nallow_origins = ["https://a.example"]\n')
    settings = load_settings(path)
    assert (settings.slack.port, settings.web.port, settings.web.allow_origins) == (3100, 9100, ("https://a.example",))
    expected = {
        "slack": "unknown setting(s) in [slack]: colour (known: state_ttl_seconds, state_max_conversations, port)",
        "web": "unknown setting(s) in [web]: colour (known: host, port, workers, allow_origins, rate_limit_per_minute, "
        "max_body_bytes, max_message_chars, state_ttl_seconds, log_messages, log_client_addresses, trusted_proxies)",
        "chat": "unknown settings section(s): chat (known: engine, slack, web, store, insights, clinic)",
    }
    for table, message in expected.items():
        path.write_text(f"[{table}]\ncolour = 1\n")
        with pytest.raises(SettingsError) as raised:
            load_settings(path)
        assert str(raised.value) == message
    path.write_text("[web]\nport = 0\n")
    with pytest.raises(SettingsError, match=r"^setting web\.port has an unusable value 0 \(expected like 8000\)$"):
        load_settings(path)


def test_a_settings_file_nested_too_deep_is_one_line(tmp_path: Path) -> None:
    deep = tmp_path / "deep.toml"
    deep.write_text("x = " + "[" * 5000 + "]" * 5000, encoding="utf-8")
    with pytest.raises(SettingsError, match="nested deeper than can be read"):
        read_settings_file(deep)
