"""The translation table is complete, consistent, and covers every key the code uses."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from fourresnet_lib import i18n

ROOT = Path(__file__).resolve().parents[1]
_CJK = re.compile(r"[\u4e00-\u9fff]")
# t("key" ...) or t('key' ...) with a literal first argument.
_T_CALL = re.compile(r"""\bt\(\s*["']([a-z0-9_]+(?:\.[a-z0-9_]+)+)["']""")


def _keys_used_in(text: str) -> set[str]:
    return set(_T_CALL.findall(text))


def _used_keys() -> dict[str, str]:
    used: dict[str, str] = {}
    for path in (ROOT / "fourresnet_lib").rglob("*.py"):
        for key in _keys_used_in(path.read_text(encoding="utf-8")):
            used.setdefault(key, str(path.relative_to(ROOT)))
    for path in (ROOT / "notebooks").glob("*.ipynb"):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        for cell in notebook["cells"]:
            if cell["cell_type"] == "code":
                for key in _keys_used_in("".join(cell["source"])):
                    used.setdefault(key, str(path.relative_to(ROOT)))
    return used


@pytest.mark.parametrize("key", sorted(i18n.MESSAGES))
def test_entry_has_both_languages(key):
    entry = i18n.MESSAGES[key]
    assert set(entry) == set(i18n.LANGUAGES)
    assert entry["zh"].strip()
    assert entry["en"].strip()
    assert i18n.placeholders(entry["zh"]) == i18n.placeholders(entry["en"])


def test_chinese_entries_are_chinese():
    not_chinese = [key for key, entry in i18n.MESSAGES.items() if not _CJK.search(entry["zh"])]
    # Pure symbols or names (e.g. a unit like "img/s") may stay Latin; prose may not.
    assert len(not_chinese) <= max(3, len(i18n.MESSAGES) // 10), not_chinese


def test_every_used_key_exists():
    missing = {key: where for key, where in _used_keys().items() if key not in i18n.MESSAGES}
    assert not missing


def test_language_switch_and_default(monkeypatch):
    monkeypatch.delenv("FOURRESNET_LANG", raising=False)
    i18n.set_language(None)
    assert i18n.get_language() == "zh"
    try:
        assert i18n.set_language("en") == "en"
        assert "Unsupported" in i18n.t("common.language_invalid", value="x", choices="zh")
        assert i18n.set_language("zh-CN") == "zh"
    finally:
        i18n.set_language(None)


def test_environment_variable_selects_language(monkeypatch):
    i18n.set_language(None)
    monkeypatch.setenv("FOURRESNET_LANG", "en")
    assert i18n.get_language() == "en"
    monkeypatch.setenv("FOURRESNET_LANG", "klingon")
    assert i18n.get_language() == "zh"


def test_invalid_language_names_value():
    with pytest.raises(ValueError, match="fr"):
        i18n.set_language("fr")


def test_unknown_key_is_named():
    with pytest.raises(KeyError, match="no.such.key"):
        i18n.t("no.such.key")
