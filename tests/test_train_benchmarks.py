"""The GPU speedrun benchmark runs end to end on tiny generated data (its --smoke mode)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.mark.timeout(240)
def test_gpu_speedrun_smoke(tmp_path):
    out = tmp_path / "results.json"
    completed = subprocess.run(
        [sys.executable, str(BENCHMARKS / "gpu_speedrun.py"), "--smoke", "--device", "cpu", "--out", str(out)],
        capture_output=True, text=True, timeout=220,
    )

    assert completed.returncode == 0, completed.stderr[-3000:]
    assert "time to 94%" in completed.stdout
    assert "course recipe (1 epochs)" in completed.stdout
    results = json.loads(out.read_text())
    assert len(results["speedrun"]) == 2
    assert all(len(run["accuracies"]) == 2 for run in results["speedrun"])
    assert results["course"]["epochs"] == 1


def test_whitening_stem_whitens_patches():
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import torch
        from gpu_speedrun import WhiteningStem
    finally:
        sys.path.remove(str(BENCHMARKS))
    generator = torch.Generator().manual_seed(0)
    mixing = torch.tensor([[1.0, 0.5, 0.2], [0.0, 1.0, 0.7], [0.3, 0.0, 1.0]])
    images = torch.einsum("dc,nchw->ndhw", mixing, torch.randn(64, 3, 8, 8, generator=generator))
    stem = WhiteningStem()

    stem.fit(images)

    with torch.no_grad():
        responses = stem.conv(images)[:, :12].permute(0, 2, 3, 1).reshape(-1, 12)
    covariance = torch.cov(responses.T)
    assert torch.allclose(covariance, torch.eye(12), atol=0.05)
