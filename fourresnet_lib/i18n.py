"""The course's translation table and the one language setting.

Every user-visible string (plot titles and axes, widget labels, progress lines, CLI help
and error messages) is looked up here with :func:`t`, so switching the language switches
all of them. Simplified Chinese is the default; English is the alternative.

Select the language with ``set_language("en")`` in Python or with the environment
variable ``FOURRESNET_LANG=en`` before the process starts.
"""

from __future__ import annotations

import os
import string

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"

_language: str | None = None

# key -> {"zh": ..., "en": ...}. Placeholders use str.format syntax and must match in
# both languages (a test checks this). Keys are grouped by the module that uses them.
MESSAGES: dict[str, dict[str, str]] = {
    # --- common -----------------------------------------------------------------
    "common.language_invalid": {
        "zh": "不支持的语言 {value!r}；可选值：{choices}。",
        "en": "Unsupported language {value!r}; choose one of: {choices}.",
    },
    # --- models (fourresnet_lib.models) -------------------------------------------
    # --- data (fourresnet_lib.data) -------------------------------------------------
    # --- training (fourresnet_lib.train) --------------------------------------------
    # --- visualization (fourresnet_lib.viz) -----------------------------------------
    # --- notebooks and exercises (fourresnet_lib.course) ----------------------------
    "nb.check.passed": {
        "zh": "✅ 通过！",
        "en": "✅ Passed!",
    },
    "nb.check.not_answered": {
        "zh": "⏳ 还没有作答：把占位的 None 换成你的答案，再运行这个单元格。",
        "en": "⏳ Not answered yet: replace the placeholder None with your answer and run this cell again.",
    },
    "nb.check.hint": {
        "zh": "❌ 提示：{hint}（你的答案：{answer}）",
        "en": "❌ Hint: {hint} (your answer: {answer})",
    },
}


def _check_language(value: str) -> str:
    value = value.strip().lower()
    if value.startswith("zh"):
        value = "zh"
    elif value.startswith("en"):
        value = "en"
    if value not in LANGUAGES:
        raise ValueError(
            t("common.language_invalid", value=value, choices=", ".join(LANGUAGES))
        )
    return value


def get_language() -> str:
    """Return the active language code, "zh" or "en"."""
    if _language is not None:
        return _language
    env = os.environ.get("FOURRESNET_LANG")
    if env:
        try:
            return _check_language(env)
        except ValueError:
            return DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def set_language(language: str | None) -> str:
    """Set the language for all later messages; ``None`` goes back to the environment default.

    Returns the language now in effect.
    """
    global _language
    _language = None if language is None else _check_language(language)
    return get_language()


def t(key: str, /, language: str | None = None, **fields: object) -> str:
    """Return the message ``key`` in the active language, formatted with ``fields``."""
    try:
        entry = MESSAGES[key]
    except KeyError:
        raise KeyError(f"no message {key!r} in fourresnet_lib.i18n.MESSAGES") from None
    text = entry[_check_language(language) if language else get_language()]
    return text.format(**fields) if fields else text


def placeholders(text: str) -> set[str]:
    """Return the names of the str.format fields in ``text``."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}
