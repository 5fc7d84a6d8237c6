"""Every registered model: output shape, finite values, gradients, modes, channels_last."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from fourresnet_lib import create_model, list_models


def input_for(model) -> torch.Tensor:
    # The smallest input every layout accepts, a little larger for the CIFAR stem so
    # that the last stage keeps more than one position.
    size = max(model.min_input_size, 16)
    return torch.randn(2, 3, size, size + 1)


@pytest.mark.parametrize("name", list_models())
def test_registered_model_forward_backward(name):
    torch.manual_seed(0)
    model = create_model(name).train()
    x = input_for(model)

    logits = model(x)
    assert logits.shape == (2, model.num_classes)
    assert torch.isfinite(logits).all()

    F.cross_entropy(logits, torch.tensor([0, 1])).backward()
    missing = [n for n, p in model.named_parameters() if p.grad is None]
    assert missing == []
    assert all(torch.isfinite(p.grad).all() for p in model.parameters())

    model.eval()
    with torch.no_grad():
        eval_logits = model(x)
    assert eval_logits.shape == (2, model.num_classes)
    assert torch.isfinite(eval_logits).all()

    model = model.to(memory_format=torch.channels_last)
    x_last = x.contiguous(memory_format=torch.channels_last)
    with torch.no_grad():
        last_logits = model(x_last)
    torch.testing.assert_close(last_logits, eval_logits, rtol=1e-4, atol=1e-4)
