"""Self-checks for the exercises in the notebooks.

Every checker prints one line and returns a bool:

- passed ("通过" / "passed") when the answer is right,
- a hint ("提示" / "hint") when it is wrong, with the hint text looked up in
  :data:`fourresnet_lib.i18n.MESSAGES` under ``hint_key``,
- "not answered yet" when the answer is still the placeholder ``None`` or ``...``.

A wrong or malformed answer never raises, because the stored notebooks run from top
to bottom with the placeholders in place and a student's typo should produce a hint,
not a traceback. Mistakes of the notebook author (an unknown ``hint_key``, an expected
value that is itself None) do raise, so they surface when the notebook is tested.

Example::

    from fourresnet_lib.course.selfcheck import check_value
    answer = None  # replace None with your answer
    check_value(answer, 64 * 3 * 3 * 64, "nb.l03.hint_conv_params")
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np

from fourresnet_lib.i18n import MESSAGES, t

__all__ = ["check_value", "check_shape", "check_true", "is_unanswered"]

# Marks "no answer= argument given" in check_true, where None means "not answered yet".
_NO_ANSWER = object()


def is_unanswered(answer: Any) -> bool:
    """Return True when ``answer`` is still an exercise placeholder (``None`` or ``...``)."""
    return answer is None or answer is Ellipsis


def _require_hint_key(hint_key: str, hint_fields: dict[str, Any]) -> str:
    """Return the formatted hint, raising if the notebook author named a missing key."""
    if hint_key not in MESSAGES:
        raise KeyError(
            f"hint_key {hint_key!r} is not in fourresnet_lib.i18n.MESSAGES; add it to the "
            "'notebooks and exercises' section with 'zh' and 'en' texts"
        )
    return t(hint_key, **hint_fields)


def _describe(value: Any) -> str:
    """Return a short description of ``value`` for a hint line (tensors by shape, not content)."""
    shape = getattr(value, "shape", None)
    if shape is not None and getattr(value, "ndim", 0) > 0:
        return f"{type(value).__name__}{tuple(shape)}"
    if shape is not None and hasattr(value, "item"):
        # numpy scalars and 0-d tensors: show 0.22, not np.float64(0.22) or tensor(0.22).
        value = value.item()
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _report_pass() -> bool:
    print(t("nb.check.passed"))
    return True


def _report_unanswered() -> bool:
    print(t("nb.check.not_answered"))
    return False


def _report_hint(hint: str, answer: Any) -> bool:
    print(t("nb.check.hint", hint=hint, answer=_describe(answer)))
    return False


def _as_float_array(value: Any):
    """Return ``value`` as a float64 numpy array, or None if it is not numeric."""
    if hasattr(value, "detach"):  # torch.Tensor, without importing torch here
        value = value.detach().cpu().numpy()
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    return array


def _values_match(answer: Any, expected: Any, rtol: float, atol: float) -> bool:
    """Compare numbers, arrays and tensors with tolerances; anything else with ==."""
    if isinstance(expected, (bool, str)):
        return type(answer) is type(expected) and answer == expected
    if isinstance(answer, (bool, str)):
        # "3" or True must not pass for the number 3 or 1 through numpy's conversion.
        return False
    expected_array = _as_float_array(expected)
    if expected_array is None:
        try:
            return bool(answer == expected)
        except Exception:  # noqa: BLE001 - an odd answer type means "wrong", never a crash
            return False
    answer_array = _as_float_array(answer)
    if answer_array is None:
        return False
    if answer_array.size == 1 and expected_array.size == 1:
        # A one-element tensor or array counts as the number it holds.
        answer_value = float(answer_array.reshape(()))
        expected_value = float(expected_array.reshape(()))
        return math.isclose(answer_value, expected_value, rel_tol=rtol, abs_tol=atol)
    if answer_array.shape != expected_array.shape:
        return False
    return bool(np.allclose(answer_array, expected_array, rtol=rtol, atol=atol))


def check_value(
    answer: Any,
    expected: Any,
    hint_key: str,
    *,
    rtol: float = 1e-6,
    atol: float = 0.0,
    **hint_fields: Any,
) -> bool:
    """Print whether ``answer`` equals ``expected`` and return True when it does.

    Numbers, numpy arrays, torch tensors and nested lists are compared with
    ``|answer - expected| <= max(rtol * |expected|, atol)`` element by element
    (``math.isclose`` for single values, ``numpy.allclose`` otherwise) and must have
    the same shape. Strings and bools must match exactly; other values are compared
    with ``==``. When a bool is expected and the answer is not one (for example the
    string ``"True"``), the hint says that True or False is expected instead of the
    ``hint_key`` text. ``hint_fields`` fill the placeholders of the hint message.
    """
    if is_unanswered(expected):
        raise ValueError("check_value: expected must be the right answer, not None or ...")
    if rtol < 0 or atol < 0:
        raise ValueError(f"check_value: rtol and atol must be >= 0, got rtol={rtol}, atol={atol}")
    hint = _require_hint_key(hint_key, hint_fields)
    if is_unanswered(answer):
        return _report_unanswered()
    if _values_match(answer, expected, rtol, atol):
        return _report_pass()
    if isinstance(expected, bool) and not isinstance(answer, bool):
        # "True" in quotes or 1 is a type mistake, and the content hint would not say so.
        return _report_hint(t("nb.check.expected_bool"), answer)
    return _report_hint(hint, answer)


def _shape_of(value: Any) -> tuple[int, ...] | None:
    """Return the shape of a tensor or array, or the value itself when it is a shape."""
    shape = getattr(value, "shape", None)
    if shape is None and isinstance(value, Sequence) and not isinstance(value, str):
        shape = value
    if shape is None:
        return None
    try:
        return tuple(int(size) for size in shape)
    except (TypeError, ValueError):
        return None


def check_shape(answer: Any, expected_shape: Sequence[int], hint_key: str, **hint_fields: Any) -> bool:
    """Print whether the shape of ``answer`` is ``expected_shape`` and return True when it is.

    ``answer`` may be a tensor or array (its ``.shape`` is used) or the shape itself as a
    tuple, list or ``torch.Size``.
    """
    expected = _shape_of(expected_shape)
    if expected is None:
        raise ValueError(f"check_shape: expected_shape must be a sequence of ints, got {expected_shape!r}")
    hint = _require_hint_key(hint_key, hint_fields)
    if is_unanswered(answer):
        return _report_unanswered()
    if _shape_of(answer) == expected:
        return _report_pass()
    received = _shape_of(answer)
    return _report_hint(hint, received if received is not None else answer)


def check_true(condition: Any, hint_key: str, *, answer: Any = _NO_ANSWER, **hint_fields: Any) -> bool:
    """Print passed when ``condition`` is true and a hint otherwise; return the result.

    ``condition`` is a bool, or a callable that receives ``answer`` (or nothing when no
    ``answer`` is given) and returns one. Give the student's value as ``answer`` whenever
    the condition is computed from it: while it is still ``None`` or ``...`` the checker
    prints "not answered yet" and does not call ``condition``, so a placeholder never
    turns into a TypeError. An exception raised by the callable prints the hint.
    """
    hint = _require_hint_key(hint_key, hint_fields)
    has_answer = answer is not _NO_ANSWER
    if has_answer and is_unanswered(answer):
        return _report_unanswered()
    shown = answer if has_answer else condition
    try:
        if callable(condition):
            condition = condition(answer) if has_answer else condition()
        if is_unanswered(condition):
            return _report_unanswered()
        passed = bool(condition)
    except Exception:  # noqa: BLE001 - e.g. a multi-element tensor: a hint, not a crash
        return _report_hint(hint, shown)
    if passed:
        return _report_pass()
    return _report_hint(hint, shown)
