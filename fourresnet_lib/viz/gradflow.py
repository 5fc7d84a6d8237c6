"""Per-layer gradient norms of any nn.Module: parameters and block outputs.

Two kinds of rows end up in one pandas table (:data:`COLUMNS`):

- ``"parameter"`` rows, one per parameter tensor, read from ``param.grad`` after a backward
  pass. Each parameter gets a role from the type of the module that owns it (conv,
  linear, norm scale, norm shift, bias), not from its name.
- ``"activation"`` rows, one per block, with the gradient arriving at the block's output,
  dL/dx_l. A forward hook on the block registers a tensor hook on the output it returns.
  Tensor hooks see the gradient of the tensor as it was when the hook was registered,
  even when a later in-place op (torchvision's ``ReLU(inplace=True)``) overwrites it,
  which module backward hooks do not handle.

Every row has a ``state``. "ok" is a finite, non-zero gradient. "zero" is a gradient that
exists and is exactly zero, as for the convolutions inside a residual branch whose last
BatchNorm scale is initialised to zero, at step 0. "no_grad" means the tensor took no part
in the backward pass (grad is None), and "nonfinite" means inf or NaN. The ``norm``
column is 0.0 for the last three, so it never contains NaN or infinities, and plots draw
those rows with their own markers.
"""

from __future__ import annotations

import contextlib
import math
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial

import pandas as pd
import torch
from torch import Tensor, nn
from torch.nn.modules.batchnorm import _NormBase
from torch.nn.modules.conv import _ConvNd

from fourresnet_lib.i18n import t

STATE_OK = "ok"
STATE_ZERO = "zero"
STATE_NO_GRAD = "no_grad"
STATE_NONFINITE = "nonfinite"
STATES = (STATE_OK, STATE_ZERO, STATE_NO_GRAD, STATE_NONFINITE)

KIND_PARAMETER = "parameter"
KIND_ACTIVATION = "activation"

ROLES = ("conv", "linear", "norm_scale", "norm_shift", "bias", "other", "activation")
COLUMNS = ("kind", "index", "name", "module_type", "role", "numel", "norm", "rms", "state")

# Normalisation layers whose `weight` is a scale (gamma) and `bias` a shift (beta).
NORM_TYPES: tuple[type[nn.Module], ...] = (_NormBase, nn.GroupNorm, nn.LayerNorm)

# Model -> recorder whose hooks are installed on it. Installing a new recorder on the
# same model removes the old one's hooks, so re-running a notebook cell never stacks
# hooks. Weak keys let models be garbage-collected.
_INSTALLED: "weakref.WeakKeyDictionary[nn.Module, GradientRecorder]" = weakref.WeakKeyDictionary()


def parameter_role(module: nn.Module, parameter_name: str) -> str:
    """Return the role of ``module.<parameter_name>``: conv, linear, norm_scale, norm_shift, bias or other."""
    if isinstance(module, NORM_TYPES):
        return {"weight": "norm_scale", "bias": "norm_shift"}.get(parameter_name, "other")
    if isinstance(module, (_ConvNd, nn.Linear)):
        if parameter_name == "bias":
            return "bias"
        if parameter_name == "weight":
            return "conv" if isinstance(module, _ConvNd) else "linear"
    return "other"


def residual_block_types() -> tuple[type[nn.Module], ...]:
    """Return the block classes found automatically: this course's and torchvision's."""
    found: list[type[nn.Module]] = []
    try:
        from torchvision.models import resnet as tv_resnet

        found += [tv_resnet.BasicBlock, tv_resnet.Bottleneck]
    except ImportError:
        pass
    try:
        from fourresnet_lib.models import blocks as course_blocks

        found += [course_blocks.BasicBlock, course_blocks.Bottleneck]
    except ImportError:
        pass
    return tuple(found)


def find_blocks(model: nn.Module) -> list[tuple[str, nn.Module]]:
    """Return ``(qualified name, module)`` for every residual block in ``model``, in module order."""
    types = residual_block_types()
    if not types:
        return []
    return [(name, module) for name, module in model.named_modules() if isinstance(module, types)]


def _resolve_blocks(
    model: nn.Module, blocks: Iterable[nn.Module] | Iterable[str] | None
) -> list[tuple[str, nn.Module]]:
    if blocks is None:
        return find_blocks(model)
    names = {id(module): name for name, module in model.named_modules()}
    modules = dict(model.named_modules())
    resolved = []
    for item in blocks:
        if isinstance(item, str):
            if item not in modules:
                raise ValueError(t("viz.block_not_found", name=item))
            resolved.append((item, modules[item]))
        elif isinstance(item, nn.Module):
            if id(item) not in names:
                raise ValueError(t("viz.block_not_in_model", value=type(item).__name__))
            resolved.append((names[id(item)], item))
        else:
            raise TypeError(t("viz.block_type_invalid", value=repr(item)))
    return resolved


def _norm_and_state(gradient: Tensor | None) -> tuple[float, str]:
    """Return (L2 norm, state) with norm 0.0 for every state except "ok"."""
    if gradient is None:
        return 0.0, STATE_NO_GRAD
    norm = float(torch.linalg.vector_norm(gradient.detach().float()))
    if not math.isfinite(norm):
        return 0.0, STATE_NONFINITE
    if norm == 0.0:
        return 0.0, STATE_ZERO
    return norm, STATE_OK


def _row(kind: str, index: int, name: str, module: nn.Module, role: str, numel: int,
         norm: float, state: str) -> dict:
    rms = norm / math.sqrt(numel) if numel > 0 else 0.0
    return {
        "kind": kind,
        "index": index,
        "name": name,
        "module_type": type(module).__name__,
        "role": role,
        "numel": int(numel),
        "norm": float(norm),
        "rms": float(rms),
        "state": state,
    }


def parameter_gradient_table(model: nn.Module) -> pd.DataFrame:
    """Return one row per parameter of ``model`` with the norm of its current ``.grad``.

    A parameter shared by several modules is listed once, under its first name.
    """
    rows = []
    seen: set[int] = set()
    for module_name, module in model.named_modules():
        for parameter_name, parameter in module.named_parameters(recurse=False):
            if id(parameter) in seen:
                continue
            seen.add(id(parameter))
            norm, state = _norm_and_state(parameter.grad)
            full_name = f"{module_name}.{parameter_name}" if module_name else parameter_name
            role = parameter_role(module, parameter_name)
            rows.append(_row(KIND_PARAMETER, len(rows), full_name, module, role,
                             parameter.numel(), norm, state))
    return pd.DataFrame(rows, columns=list(COLUMNS))


class GradientRecorder:
    """Record the gradient at each block's output during backward passes.

    Use as a context manager, which removes every hook on exit, also after an exception::

        with GradientRecorder(model) as recorder:
            loss = criterion(model(x), y)
            loss.backward()
        table = recorder.table()

    ``blocks`` selects the modules whose outputs are watched. None finds the residual
    blocks of this course and of torchvision. Otherwise pass a list of modules of
    ``model`` or of their qualified names. Installing a recorder on a model replaces the hooks of
    the recorder installed before it on the same model.

    ``activation_grads`` maps each block name to a detached CPU copy of the last
    gradient seen at its output (the last forward call, when there were several).
    """

    def __init__(self, model: nn.Module, blocks: Iterable[nn.Module] | Iterable[str] | None = None,
                 keep_tensors: bool = True):
        if not isinstance(model, nn.Module):
            raise TypeError(t("viz.model_type_invalid", value=type(model).__name__))
        self.model = model
        self.blocks = _resolve_blocks(model, blocks)
        self.keep_tensors = keep_tensors
        self._module_handles: list = []
        self._tensor_handles: list = []
        self.history: list[pd.DataFrame] = []
        self.reset()

    # --- installing and removing hooks -------------------------------------------------
    @property
    def installed(self) -> bool:
        return bool(self._module_handles)

    def install(self) -> "GradientRecorder":
        """Register the forward hooks, first removing any recorder already on the model."""
        previous = _INSTALLED.get(self.model)
        if previous is not None:
            previous.remove()
        self.remove()
        for name, module in self.blocks:
            handle = module.register_forward_hook(partial(self._on_forward, name))
            self._module_handles.append(handle)
        _INSTALLED[self.model] = self
        return self

    def remove(self) -> None:
        """Remove every hook this recorder registered; safe to call more than once."""
        for handle in self._module_handles + self._tensor_handles:
            handle.remove()
        self._module_handles.clear()
        self._tensor_handles.clear()
        if _INSTALLED.get(self.model) is self:
            del _INSTALLED[self.model]

    def __enter__(self) -> "GradientRecorder":
        return self.install()

    def __exit__(self, *exc_info) -> None:
        self.remove()

    # --- recording -----------------------------------------------------------------
    def reset(self) -> None:
        """Forget the activation gradients recorded so far."""
        self._squared_norms: dict[str, float] = {}
        self._numels: dict[str, int] = {}
        self._nonfinite: set[str] = set()
        self.activation_grads: dict[str, Tensor] = {}

    def _on_forward(self, name: str, module: nn.Module, inputs, output) -> None:
        tensor = output if isinstance(output, Tensor) else None
        if tensor is None and isinstance(output, (tuple, list)) and output:
            tensor = output[0] if isinstance(output[0], Tensor) else None
        if tensor is None or not tensor.requires_grad:
            return
        handle = tensor.register_hook(partial(self._on_gradient, name))
        self._tensor_handles.append(handle)

    def _on_gradient(self, name: str, gradient: Tensor) -> None:
        gradient = gradient.detach()
        norm = float(torch.linalg.vector_norm(gradient.float()))
        if not math.isfinite(norm):
            self._nonfinite.add(name)
            norm = 0.0
        self._squared_norms[name] = self._squared_norms.get(name, 0.0) + norm * norm
        self._numels[name] = self._numels.get(name, 0) + gradient.numel()
        if self.keep_tensors:
            self.activation_grads[name] = gradient.to("cpu", copy=True)

    # --- results -------------------------------------------------------------------
    def activation_table(self) -> pd.DataFrame:
        """Return one row per watched block with the norm of dL/d(block output)."""
        rows = []
        for index, (name, module) in enumerate(self.blocks):
            if name in self._nonfinite:
                norm, state = 0.0, STATE_NONFINITE
            elif name not in self._squared_norms:
                norm, state = 0.0, STATE_NO_GRAD
            else:
                norm = math.sqrt(self._squared_norms[name])
                state = STATE_OK if norm > 0.0 else STATE_ZERO
            rows.append(_row(KIND_ACTIVATION, index, name, module, "activation",
                             self._numels.get(name, 0), norm, state))
        return pd.DataFrame(rows, columns=list(COLUMNS))

    def table(self) -> pd.DataFrame:
        """Return parameter rows followed by activation rows (see :data:`COLUMNS`)."""
        return pd.concat(
            [parameter_gradient_table(self.model), self.activation_table()], ignore_index=True
        )

    def snapshot(self, step: int) -> pd.DataFrame:
        """Append the current table, tagged with ``step``, to :attr:`history`; then reset.

        Call it after each ``loss.backward()`` of a training loop to follow the norms
        over steps; :meth:`history_table` joins the snapshots.
        """
        table = self.table()
        table.insert(0, "step", int(step))
        self.history.append(table)
        self.reset()
        return table

    def history_table(self) -> pd.DataFrame:
        """Return all snapshots in one table with a ``step`` column."""
        if not self.history:
            return pd.DataFrame(columns=["step", *COLUMNS])
        return pd.concat(self.history, ignore_index=True)


def installed_recorder(model: nn.Module) -> GradientRecorder | None:
    """Return the recorder whose hooks are installed on ``model``, if any."""
    return _INSTALLED.get(model)


def gradient_flow(
    model: nn.Module,
    inputs: Tensor,
    targets: Tensor | None = None,
    loss_fn: Callable[[Tensor, Tensor], Tensor] | None = None,
    blocks: Sequence[nn.Module] | Sequence[str] | None = None,
) -> pd.DataFrame:
    """Run one forward and backward pass and return the gradient table.

    Existing ``.grad`` values of ``model`` are cleared first (set to None), so the table
    shows this pass alone. ``targets`` default to the labels ``0, 1, 2, ...`` modulo the
    number of outputs and ``loss_fn`` to cross-entropy. The model's train/eval mode is
    left as the caller set it. ``table.attrs["loss"]`` contains the loss value.
    """
    if not isinstance(inputs, Tensor):
        raise TypeError(t("viz.inputs_type_invalid", value=type(inputs).__name__))
    model.zero_grad(set_to_none=True)
    loss_fn = loss_fn or nn.functional.cross_entropy
    with GradientRecorder(model, blocks, keep_tensors=False) as recorder:
        outputs = model(inputs)
        if targets is None:
            targets = torch.arange(outputs.shape[0], device=outputs.device) % outputs.shape[-1]
        loss = loss_fn(outputs, targets)
        loss.backward()
        table = recorder.table()
    table.attrs["loss"] = float(loss.detach())
    return table


# --- CIFAR networks of any depth 6n + 2 ----------------------------------------------------
@contextlib.contextmanager
def torch_threads(count: int | None) -> Iterator[None]:
    """Run the block with ``count`` torch intra-op threads (None: unchanged), then restore.

    The gradient-flow pictures use batches of a few 32x32 images, where each operation
    is too small for threads to pay off. On a 2-core machine shared with other busy
    processes, a plain-110 forward and backward pass took about 0.35 s with 1 thread
    and 3 to 10 s with 2 threads, which wait on each other in OpenMP barriers.
    """
    if count is None:
        yield
        return
    previous = torch.get_num_threads()
    torch.set_num_threads(count)
    try:
        yield
    finally:
        torch.set_num_threads(previous)


def check_cifar_depth(depth: int) -> int:
    """Return the number of blocks per stage ``n`` for a CIFAR ResNet of ``depth = 6n + 2``."""
    if isinstance(depth, bool) or not isinstance(depth, int) or depth < 8 or (depth - 2) % 6:
        raise ValueError(t("viz.depth_invalid", value=depth))
    return (depth - 2) // 6


def cifar_network(depth: int, residual: bool = True, norm: bool = True,
                  activation: str = "relu", init: str = "kaiming", seed: int = 0,
                  **options) -> nn.Module:
    """Build the CIFAR ResNet (or plain network) of He et al. with ``depth = 6n + 2`` layers.

    Any such depth works, not only the registered resnet20/32/44/56/110: the model is
    ``create_model("resnet20")`` with ``depths=(n, n, n)``. ``seed`` fixes the initial
    weights, so two calls with the same arguments return identical networks.
    """
    from fourresnet_lib.models import create_model

    blocks_per_stage = check_cifar_depth(depth)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return create_model("resnet20", depths=(blocks_per_stage,) * 3, residual=residual,
                            norm=norm, activation=activation, init=init, **options)


def random_batch(batch_size: int = 8, size: int = 32, num_classes: int = 10,
                 seed: int = 0) -> tuple[Tensor, Tensor]:
    """Return a reproducible standard-normal image batch and labels."""
    generator = torch.Generator().manual_seed(seed)
    images = torch.randn(batch_size, 3, size, size, generator=generator)
    labels = torch.randint(0, num_classes, (batch_size,), generator=generator)
    return images, labels


def compare_depths(depths: Sequence[int] = (20, 56, 110), residual: Sequence[bool] = (False, True),
                   inputs: Tensor | None = None, targets: Tensor | None = None,
                   seed: int = 0, num_threads: int | None = 1, **options) -> pd.DataFrame:
    """Return the gradient tables of CIFAR networks at several depths, plain and residual.

    The result has the columns of :data:`COLUMNS` plus ``depth`` and ``residual``; all
    networks see the same batch (``inputs``/``targets``, default :func:`random_batch`).
    ``options`` go to :func:`cifar_network` (norm, activation, init, ...), and
    ``num_threads`` to :func:`torch_threads`.
    """
    if inputs is None:
        inputs, targets = random_batch(seed=seed)
    tables = []
    with torch_threads(num_threads):
        for depth in depths:
            for is_residual in residual:
                model = cifar_network(depth, residual=is_residual, seed=seed, **options)
                model.train()
                table = gradient_flow(model, inputs, targets)
                table.insert(0, "residual", bool(is_residual))
                table.insert(0, "depth", int(depth))
                tables.append(table)
    return pd.concat(tables, ignore_index=True)
