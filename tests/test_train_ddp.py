"""Two-process DistributedDataParallel training on CPU with the gloo backend."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from fourresnet_lib.data import write_image_folder

SCRIPT = textwrap.dedent(
    """
    import json, os, sys
    import torch
    from torch import nn
    from fourresnet_lib.train import TrainConfig, train

    class TinyNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(3, 8, 3, padding=1, bias=False)
            self.bn = nn.BatchNorm2d(8)
            self.fc = nn.Linear(8, 4)

        def forward(self, x):
            return self.fc(torch.relu(self.bn(self.conv(x))).mean(dim=(2, 3)))

    data, out, report = sys.argv[1:4]
    torch.manual_seed(0)
    steps = []
    config = TrainConfig(data=data, data_root=os.path.join(out, "data"), epochs=2, batch_size=8, device="cpu",
                         progress=False, out_dir=os.path.join(out, "run"), crop_padding=2)
    result = train(config, callbacks=[lambda e: steps.append(e) if e["kind"] == "step" else None], model=TinyNet())
    rank = int(os.environ["RANK"])
    weights = float(sum(p.double().sum() for p in result.model.state_dict().values() if p.is_floating_point()))
    with open(os.path.join(report, f"rank{rank}.json"), "w") as handle:
        json.dump({"summary": result.summary, "steps": len(steps), "weights": weights,
                   "accuracy": result.metrics.accuracy, "count": result.metrics.count}, handle)
    """
)


@pytest.mark.timeout(120)
def test_two_process_gloo_training(tmp_path: Path):
    images = write_image_folder(tmp_path / "images", classes=4, train_per_class=8, test_per_class=3, size=8)
    script = tmp_path / "ddp_run.py"
    script.write_text(SCRIPT)
    report = tmp_path / "report"
    report.mkdir()
    environment = dict(os.environ, OMP_NUM_THREADS="1", FOURRESNET_LANG="en")

    # --standalone lets torchrun pick a free port. A new session lets the test stop the
    # launcher and both workers together if they hang.
    process = subprocess.Popen(
        [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2",
         str(script), str(images), str(tmp_path), str(report)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=environment, start_new_session=hasattr(os, "killpg"),
    )
    try:
        output, _ = process.communicate(timeout=100)
    except subprocess.TimeoutExpired:
        if hasattr(os, "killpg"):
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
        output, _ = process.communicate()
        pytest.fail("torchrun did not finish within 100 s:\n" + output[-3000:])

    assert process.returncode == 0, output[-3000:]
    results = [json.loads((report / f"rank{rank}.json").read_text()) for rank in range(2)]
    for result in results:
        assert result["summary"]["world_size"] == 2
        assert result["count"] == 12  # each rank evaluates 6 images; counts are summed
        assert result["steps"] == 2 * 4  # 32 images, 16 per rank, batch of 4 per rank
    assert results[0]["weights"] == results[1]["weights"]
    assert results[0]["accuracy"] == results[1]["accuracy"]
    history = json.loads((tmp_path / "run" / "history.json").read_text())
    assert [record["train_images"] for record in history] == [32, 32]
