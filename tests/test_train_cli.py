"""Command line of the trainer: help in both languages, bad values, one tiny run."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from fourresnet_lib.data import write_image_folder
from fourresnet_lib.i18n import set_language
from fourresnet_lib.train.cli import main

OPTIONS = ["--model", "--fusion", "--epochs", "--batch-size", "--lr", "--subset", "--data", "--out",
           "--resume", "--compile", "--seed", "--device", "--lang"]


@pytest.fixture(autouse=True)
def reset_language():
    yield
    set_language(None)


@pytest.mark.parametrize(
    "language, phrases",
    [
        ("en", ["usage:", "options", "images per optimizer step", "batch of 512 images"]),
        ("zh", ["用法：", "选项", "每个优化步的图像张数", "批大小为 512 时的峰值学习率"]),
    ],
)
def test_help_in_both_languages(language, phrases, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--lang", language, "--help"])
    text = capsys.readouterr().out

    assert exit_info.value.code == 0
    for phrase in phrases:
        assert phrase in text
    for option in OPTIONS:
        assert option in text


def test_module_help_follows_environment_language():
    environment = dict(os.environ, FOURRESNET_LANG="zh")
    completed = subprocess.run(
        [sys.executable, "-m", "fourresnet_lib.train", "--help"], capture_output=True, text=True, env=environment, timeout=120
    )
    assert completed.returncode == 0
    assert "训练轮数" in completed.stdout


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--epochs", "0"], "--epochs: expected a positive integer, got '0'"),
        (["--batch-size", "many"], "--batch-size: expected a positive integer, got 'many'"),
        (["--lr", "-1"], "--lr: expected a finite number greater than 0, got '-1'"),
        (["--lr", "nan"], "--lr: expected a finite number greater than 0, got 'nan'"),
        (["--device", "tpu"], "--device"),
        (["--fusion", "sum"], "--fusion"),
        (["--model", "resnet21"], "unknown model 'resnet21'; choose one of:"),
        (["--momentum", "1.5"], "Invalid momentum: 1.5"),
    ],
)
def test_bad_values_exit_with_message(arguments, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--lang", "en", *arguments])
    error = capsys.readouterr().err

    assert exit_info.value.code == 2
    assert message in error


def test_missing_dataset_fails_cleanly(tmp_path, capsys):
    status = main(["--lang", "en", "--data", str(tmp_path / "absent.zip"), "--out", str(tmp_path / "run"), "--device", "cpu"])
    error = capsys.readouterr().err

    assert status == 1
    assert "absent.zip" in error
    assert "not found" in error


@pytest.mark.timeout(180)
def test_tiny_cli_run_writes_outputs(tmp_path):
    images = write_image_folder(tmp_path / "images", classes=4, train_per_class=8, test_per_class=2, size=8)
    out = tmp_path / "run"
    arguments = [
        "--lang", "en", "--model", "resnet20", "--width-multiplier", "0.25", "--data", str(images),
        "--data-root", str(tmp_path / "data"), "--epochs", "1", "--batch-size", "16", "--out", str(out),
        "--device", "cpu", "--no-tta",
    ]

    status = main(arguments)

    assert status == 0
    history = json.loads((out / "history.json").read_text())
    summary = json.loads((out / "summary.json").read_text())
    assert len(history) == 1
    assert summary["test_size"] == 8
    assert (out / "checkpoint.pt").is_file()


@pytest.mark.timeout(180)
def test_resume_checks_settings_and_reports(tmp_path, capsys):
    images = write_image_folder(tmp_path / "images", classes=4, train_per_class=8, test_per_class=2, size=8)
    out = tmp_path / "run"
    common = [
        "--lang", "en", "--width-multiplier", "0.25", "--data", str(images), "--data-root", str(tmp_path / "data"),
        "--batch-size", "16", "--out", str(out), "--device", "cpu", "--no-tta", "--no-progress",
    ]
    assert main(["--model", "resnet20", "--epochs", "1", *common]) == 0
    stored = (out / "checkpoint.pt").read_bytes()
    capsys.readouterr()

    # Same parameter names as resnet20, so only the settings check can catch it.
    assert main(["--model", "plain20", "--epochs", "1", "--resume", *common]) == 1
    error = capsys.readouterr().err
    assert "model (--model): 'resnet20' in the checkpoint, 'plain20' requested" in error

    # More blocks than the checkpoint holds: named by the settings check, not by PyTorch's key list.
    assert main(["--model", "resnet32", "--epochs", "1", "--resume", *common]) == 1
    error = capsys.readouterr().err
    assert "'resnet20' in the checkpoint, 'resnet32' requested" in error
    assert "Missing key" not in error

    assert main(["--model", "resnet20", "--epochs", "2", "--resume", *common]) == 1
    error = capsys.readouterr().err
    assert "epochs (--epochs): 1 in the checkpoint, 2 requested" in error
    assert "learning-rate schedule" in error
    assert (out / "checkpoint.pt").read_bytes() == stored

    assert main(["--model", "resnet20", "--epochs", "1", "--resume", *common]) == 0
    captured = capsys.readouterr()
    assert f"Resuming from the checkpoint {out / 'checkpoint.pt'} (1 epochs done)." in captured.out
    assert captured.err == ""


def test_archive_variable_pointing_nowhere(tmp_path, capsys, monkeypatch):
    missing = tmp_path / "missing.zip"
    monkeypatch.setenv("FOURRESNET_CIFAR_ARCHIVE", str(missing))

    status = main(["--lang", "en", "--out", str(tmp_path / "run"), "--device", "cpu", "--data-root", str(tmp_path / "data")])

    error = capsys.readouterr().err
    assert status == 1
    assert f"FOURRESNET_CIFAR_ARCHIVE points to {missing}, which does not exist" in error


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--device", "tpu"], "参数 --device：无效的取值 'tpu'"),
        (["--epochs"], "参数 --epochs 后面需要一个值"),
        (["--bogus", "3"], "无法识别的参数：--bogus 3"),
        (["--subset", "abc"], "参数 --subset：应为正整数，收到 'abc'"),
    ],
)
def test_errors_in_chinese(arguments, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--lang", "zh", *arguments])
    error = capsys.readouterr().err

    assert exit_info.value.code == 2
    assert message in error
    assert "用法：" in error
