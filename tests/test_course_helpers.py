"""Exercise self-checks, the environment check and the reference record of lesson 01."""

from __future__ import annotations

import importlib.util
import json
import os
import zipfile
from pathlib import Path

import numpy as np
import pytest
import torch

from fourresnet_lib import i18n, list_models
from fourresnet_lib.course import REFERENCE_DIR, envcheck, selfcheck
from fourresnet_lib.data import write_image_folder
from fourresnet_lib.train import TrainConfig
from fourresnet_lib.course.selfcheck import check_shape, check_true, check_value

HINT = "nb.test.hint"
HINT_WITH_FIELD = "nb.test.hint_layer"


@pytest.fixture(autouse=True)
def chinese_default_and_hint(monkeypatch):
    monkeypatch.setitem(i18n.MESSAGES, HINT, {"zh": "再想想", "en": "think again"})
    monkeypatch.setitem(
        i18n.MESSAGES,
        HINT_WITH_FIELD,
        {"zh": "再看看第 {layer} 层", "en": "look at layer {layer} again"},
    )
    i18n.set_language("zh")
    yield
    i18n.set_language(None)


def _printed(capsys) -> str:
    return capsys.readouterr().out


# --- check_value -----------------------------------------------------------------


@pytest.mark.parametrize(
    "answer, expected",
    [
        (3, 3),
        (0.1 + 0.2, 0.3),
        (torch.tensor(2.5), 2.5),
        (np.float32(1.5), 1.5),
        ([1.0, 2.0], torch.tensor([1.0, 2.0])),
        (torch.ones(2, 3, dtype=torch.float64), np.ones((2, 3))),
        ("identity", "identity"),
        (True, True),
    ],
)
def test_check_value_passes(capsys, answer, expected):
    assert check_value(answer, expected, HINT) is True
    assert "通过" in _printed(capsys)


@pytest.mark.parametrize(
    "answer, expected",
    [
        (4, 3),
        (0.31, 0.3),
        ("3", 3),
        (True, 1),
        ([1.0, 2.0, 3.0], [1.0, 2.0]),
        (torch.ones(3, 2), torch.ones(2, 3)),
        (torch.tensor([1.0, float("nan")]), [1.0, 2.0]),
        ("Identity ", "identity"),
        (object(), 5),
    ],
)
def test_check_value_wrong_prints_hint(capsys, answer, expected):
    assert check_value(answer, expected, HINT) is False
    out = _printed(capsys)
    assert "提示" in out
    assert "通过" not in out


def test_check_value_tolerance(capsys):
    assert check_value(1.0 + 1e-3, 1.0, HINT, rtol=1e-2) is True
    assert check_value(1.0 + 1e-3, 1.0, HINT, rtol=1e-4) is False
    assert check_value(1e-9, 0.0, HINT, atol=1e-8) is True


@pytest.mark.parametrize("placeholder", [None, ...])
def test_check_value_unanswered(capsys, placeholder):
    assert check_value(placeholder, 3, HINT) is False
    out = _printed(capsys)
    assert "还没有作答" in out
    assert "提示" not in out


def test_messages_follow_language(capsys):
    i18n.set_language("en")
    check_value(None, 1, HINT)
    check_value(2, 1, HINT)
    check_value(1, 1, HINT)
    out = _printed(capsys)
    assert "Not answered yet" in out
    assert "Hint:" in out
    assert "Passed" in out


def test_hint_shows_answer_and_fields(capsys):
    check_value(7, 8, HINT_WITH_FIELD, layer=3)
    out = _printed(capsys)
    assert "再看看第 3 层" in out
    assert "7" in out


def test_hint_describes_tensor_by_shape(capsys):
    check_value(torch.zeros(64, 3, 3, 3), torch.ones(64, 3, 3, 3), HINT)
    out = _printed(capsys)
    assert "(64, 3, 3, 3)" in out
    assert "0., 0." not in out


def test_unknown_hint_key_raises():
    with pytest.raises(KeyError, match="nb.no_such_hint"):
        check_value(1, 1, "nb.no_such_hint")


def test_expected_placeholder_raises():
    with pytest.raises(ValueError, match="expected"):
        check_value(1, None, HINT)


def test_negative_tolerance_raises():
    with pytest.raises(ValueError, match="rtol"):
        check_value(1, 1, HINT, rtol=-1)


# --- check_shape -----------------------------------------------------------------


def test_check_shape_accepts_tensor_and_tuple(capsys):
    assert check_shape(torch.zeros(2, 256, 8, 8), (2, 256, 8, 8), HINT) is True
    assert check_shape(torch.Size([2, 256, 8, 8]), [2, 256, 8, 8], HINT) is True
    assert check_shape((1, 10), torch.Size([1, 10]), HINT) is True
    assert _printed(capsys).count("通过") == 3


def test_check_shape_wrong(capsys):
    assert check_shape(torch.zeros(2, 64, 8, 8), (2, 256, 8, 8), HINT) is False
    out = _printed(capsys)
    assert "提示" in out
    assert "(2, 64, 8, 8)" in out


@pytest.mark.parametrize("answer", [5, "shape", (2, "a")])
def test_check_shape_malformed_answer(capsys, answer):
    assert check_shape(answer, (2, 3), HINT) is False
    assert "提示" in _printed(capsys)


def test_check_shape_unanswered(capsys):
    assert check_shape(None, (2, 3), HINT) is False
    assert "还没有作答" in _printed(capsys)


def test_check_shape_bad_expected_raises():
    with pytest.raises(ValueError, match="expected_shape"):
        check_shape((2, 3), 7, HINT)


# --- check_true ------------------------------------------------------------------


def test_check_true_bool(capsys):
    assert check_true(2 > 1, HINT) is True
    assert check_true(1 > 2, HINT) is False
    out = _printed(capsys)
    assert "通过" in out
    assert "提示" in out


def test_check_true_with_answer(capsys):
    assert check_true(lambda ratio: ratio > 10, HINT, answer=25.0) is True
    assert check_true(lambda ratio: ratio > 10, HINT, answer=2.0) is False
    out = _printed(capsys)
    assert "通过" in out
    assert "2.0" in out


def test_check_true_placeholder_never_calls_condition(capsys):
    def condition(answer):
        raise AssertionError("condition evaluated on a placeholder")

    assert check_true(condition, HINT, answer=None) is False
    assert check_true(None, HINT) is False
    assert _printed(capsys).count("还没有作答") == 2


def test_check_true_condition_error_is_hint(capsys):
    assert check_true(lambda value: value > 1, HINT, answer="abc") is False
    assert check_true(torch.ones(3) > 0, HINT) is False
    assert _printed(capsys).count("提示") == 2


def test_is_unanswered():
    assert selfcheck.is_unanswered(None)
    assert selfcheck.is_unanswered(...)
    assert not selfcheck.is_unanswered(0)
    assert not selfcheck.is_unanswered("")


# --- environment check -----------------------------------------------------------


def test_python_check_statuses():
    assert envcheck.check_python((3, 11, 4)).status == "ok"
    assert envcheck.check_python((3, 13, 0)).status == "ok"
    old = envcheck.check_python((3, 10, 12))
    assert old.status == "fail"
    assert "3.10.12" in old.message


def test_torch_check_statuses():
    assert envcheck.check_torch("2.14.1+cu130", "0.29.1").status == "ok"
    old = envcheck.check_torch("2.1.0", "0.16.0")
    assert old.status == "fail"
    assert "2.1.0" in old.message
    no_vision = envcheck.check_torch("2.5.0", None, detect=False)
    assert no_vision.status == "fail"
    assert "torchvision" in no_vision.message


def test_device_check_prefers_cuda_then_mps():
    assert envcheck.check_device(True, "Tesla T4", False).value == "CUDA: Tesla T4"
    assert envcheck.check_device(False, None, True).value == "MPS"
    cpu = envcheck.check_device(False, None, False)
    assert cpu.status == "warn"
    assert cpu.value.startswith("CPU")
    assert str(os.cpu_count()) in cpu.value


def test_widgets_major_mismatch_explained():
    result = envcheck.check_widgets("8.1.5", "1.1.7", requirement=None, detect=False)
    assert result.status == "fail"
    assert "pip install -U ipywidgets jupyterlab_widgets" in result.message
    assert "8.1.5" in result.message
    assert "1.1.7" in result.message
    assert "3.x" in result.message


def test_widgets_mismatch_uses_declared_requirement():
    result = envcheck.check_widgets(
        "9.0.0", "3.0.17", requirement="jupyterlab_widgets~=4.0.1", detect=False
    )
    assert result.status == "fail"
    assert "4.x" in result.message


def test_widgets_matching_versions_ok():
    result = envcheck.check_widgets(
        "8.1.9", "3.0.17", requirement="jupyterlab_widgets~=3.0.17", detect=False
    )
    assert result.status == "ok"


def test_widgets_minor_below_requirement_warns():
    result = envcheck.check_widgets(
        "8.1.9", "3.0.10", requirement="jupyterlab_widgets~=3.0.17", detect=False
    )
    assert result.status == "warn"
    assert "~=3.0.17" in result.message


def test_widgets_missing_or_old():
    assert envcheck.check_widgets(None, None, detect=False).status == "fail"
    assert envcheck.check_widgets("8.1.5", None, detect=False).status == "warn"
    old = envcheck.check_widgets("7.8.1", "1.1.7", detect=False)
    assert old.status == "fail"
    assert "ipywidgets 8" in old.message


def test_widgets_installed_here_match():
    # The course's own environment pins matching versions, so this machine passes.
    assert envcheck.check_widgets().status == "ok"


def test_widgets_detected_mismatch(monkeypatch):
    real_version = envcheck.importlib.metadata.version

    def fake_version(name):
        return "1.1.7" if name == "jupyterlab_widgets" else real_version(name)

    monkeypatch.setattr(envcheck.importlib.metadata, "version", fake_version)
    result = envcheck.check_widgets()
    assert result.status == "fail"
    assert "jupyterlab_widgets 1.1.7" in result.value


def test_font_check(tmp_path):
    font = tmp_path / "NotoSansCJKsc-Regular.otf"
    font.write_bytes(b"not really a font")
    assert envcheck.check_font(lambda: font).status == "ok"
    assert envcheck.check_font(lambda: None).status == "warn"
    assert envcheck.check_font(lambda: tmp_path / "gone.otf").status == "warn"


def test_font_check_finds_packaged_font():
    assert envcheck.check_font().status == "ok"


def test_cifar_check_archive_env(tmp_path):
    archive = tmp_path / "cifar.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("train/cat/0.jpg", b"image bytes are not read by the check")
    found = envcheck.check_cifar10({"FOURRESNET_CIFAR_ARCHIVE": str(archive)}, tmp_path)
    assert found.status == "ok"
    assert found.value == str(archive)
    missing = envcheck.check_cifar10({"FOURRESNET_CIFAR_ARCHIVE": str(tmp_path / "nope.zip")}, tmp_path)
    assert missing.status == "fail"
    assert "nope.zip" in missing.message


@pytest.mark.parametrize(
    "name, content, phrase",
    [
        ("corrupt_text.zip", b"this is a text file", "BadZipFile"),
        ("corrupt_text.tar.gz", b"this is a text file", "ReadError"),
        ("cifar.rar", b"Rar!", ".tar.gz"),
    ],
)
def test_cifar_check_rejects_unreadable_archive(tmp_path, name, content, phrase):
    from fourresnet_lib.data import load_dataset
    from fourresnet_lib.data.decode import DatasetError

    i18n.set_language("en")
    archive = tmp_path / name
    archive.write_bytes(content)

    result = envcheck.check_cifar10({"FOURRESNET_CIFAR_ARCHIVE": str(archive)}, tmp_path)

    assert result.status == "fail"
    assert result.value == str(archive)
    assert str(archive) in result.message
    assert phrase in result.message
    # The check gives the loader's own message, so lesson 00 and lesson 07 agree.
    with pytest.raises(DatasetError) as info:
        load_dataset(archive, "train", root=tmp_path / "data")
    assert str(info.value) == result.message


def test_cifar_check_official_copies(tmp_path):
    absent = envcheck.check_cifar10({}, tmp_path)
    assert absent.status == "warn"
    assert "cifar-10-python.tar.gz" in absent.message
    assert "FOURRESNET_CIFAR_ARCHIVE" in absent.message

    (tmp_path / "cifar-10-python.tar.gz").write_bytes(b"x")
    assert envcheck.check_cifar10({}, tmp_path).status == "ok"

    folder = tmp_path / "extracted"
    batches = folder / "cifar-10-batches-py"
    batches.mkdir(parents=True)
    for name in envcheck.OFFICIAL_CIFAR_FILES[:-1]:
        (batches / name).write_bytes(b"x")
    assert envcheck.check_cifar10({}, folder).status == "warn"
    (batches / envcheck.OFFICIAL_CIFAR_FILES[-1]).write_bytes(b"x")
    assert envcheck.check_cifar10({}, folder).status == "ok"


def test_environment_table_layout():
    table = envcheck.check_environment()
    assert list(table.index) == ["python", "torch", "device", "widgets", "font", "cifar10"]
    status = table[i18n.t("nb.env.col_status")]
    assert set(status) <= {"ok", "warn", "fail"}
    assert status["python"] == "ok"
    assert table.loc["python", i18n.t("nb.env.col_item")] == "Python 版本"


def test_environment_table_in_english():
    i18n.set_language("en")
    results = [envcheck.check_widgets("8.1.5", "1.1.7", detect=False)]
    table = envcheck.check_environment(results)
    assert list(table.columns) == ["Check", "Status", "Found", "Message"]
    assert table.loc["widgets", "Message"].startswith("Major-version mismatch")


def test_check_result_rejects_unknown_status():
    with pytest.raises(ValueError, match="status"):
        envcheck.CheckResult("python", "good", "3.11", "")


# --- reference curves of lesson 01 ----------------------------------------------------

REFERENCE_FILE = REFERENCE_DIR / "degradation_cifar10.json"
RECORD_SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "record_reference_curves.py"


def _load_record_script():
    spec = importlib.util.spec_from_file_location("record_reference_curves", RECORD_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_reference_record_complete():
    record = json.loads(REFERENCE_FILE.read_text(encoding="utf-8"))
    for key in ("date_utc", "commit", "hardware", "software", "data", "settings", "seed", "runs", "command"):
        assert key in record, key
    assert record["hardware"]["cpu_model"]
    assert record["hardware"]["cpu_count"] >= 1
    assert record["hardware"]["cpu_seconds_total"] > 0
    assert record["software"]["torch"]
    assert record["settings"]["seed"] == record["seed"]
    epochs = record["settings"]["epochs"]
    for name, run in record["runs"].items():
        assert name in list_models()
        assert [entry["epoch"] for entry in run["epochs"]] == list(range(1, epochs + 1))
        for entry in run["epochs"]:
            assert 0.0 <= entry["train_error"] <= 1.0
            assert 0.0 <= entry["test_error"] <= 1.0


def test_reference_settings_still_valid_config():
    # Lesson 01 rebuilds its quick run from these settings, so they must stay a valid TrainConfig.
    settings = json.loads(REFERENCE_FILE.read_text(encoding="utf-8"))["settings"]
    config = TrainConfig(**dict(settings, model="plain20"))
    assert config.validate() is config


def test_record_script_writes_record(tmp_path, monkeypatch):
    folder = write_image_folder(tmp_path / "images", classes=2, train_per_class=6, test_per_class=3, size=16)
    monkeypatch.setenv("FOURRESNET_CIFAR_ARCHIVE", str(folder))
    monkeypatch.setenv("FOURRESNET_DATA", str(tmp_path / "data"))
    output = tmp_path / "record.json"
    script = _load_record_script()
    arguments = ["--models", "plain20", "--subset", "12", "--test-subset", "6", "--epochs", "2",
                 "--batch-size", "6", "--output", str(output)]
    assert script.main(arguments) == 0

    record = json.loads(output.read_text(encoding="utf-8"))
    assert list(record["runs"]) == ["plain20"]
    assert len(record["runs"]["plain20"]["epochs"]) == 2
    assert record["settings"]["subset"] == 12
    assert record["settings"]["flip"] is False
    assert record["data"]["source"] == "image-folder directory"
    assert record["command"].endswith(" ".join(arguments))
    assert not list(tmp_path.glob("record.json*.tmp"))
