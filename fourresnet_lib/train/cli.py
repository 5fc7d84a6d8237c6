"""Command line: ``python -m fourresnet_lib.train`` and the ``fourresnet-train`` script.

Help text and messages follow the course language: ``--lang`` or ``FOURRESNET_LANG``.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from collections.abc import Sequence

from fourresnet_lib.i18n import set_language, t
from fourresnet_lib.settings import data_dir
from fourresnet_lib.train.config import DEVICES, FUSIONS, PADDING_MODES, PIPELINES, PRECISIONS, SCHEDULES, TrainConfig


class _Parser(argparse.ArgumentParser):
    """ArgumentParser whose usage line and error prefix come from the translation table."""

    def format_usage(self) -> str:
        formatter = self._get_formatter()
        formatter.add_usage(self.usage, self._actions, self._mutually_exclusive_groups, prefix=t("train.cli_usage"))
        return formatter.format_help()

    def format_help(self) -> str:
        return super().format_help().replace("usage: ", t("train.cli_usage"), 1)

    def error(self, message: str) -> None:
        self.print_usage(sys.stderr)
        self.exit(2, t("train.cli_error", prog=self.prog, message=_translate_argparse(message)) + "\n")


# argparse builds these messages in English; they are matched and rebuilt in the course
# language. Messages of other forms are shown unchanged.
_ARGPARSE_PATTERNS = (
    (re.compile(r"^argument (\S+): invalid choice: (.+) \(choose from (.+)\)$"), "train.cli_invalid_choice"),
    (re.compile(r"^argument (\S+): expected one argument$"), "train.cli_expected_value"),
    (re.compile(r"^argument (\S+): (.+)$"), "train.cli_argument"),
    (re.compile(r"^unrecognized arguments: (.+)$"), "train.cli_unrecognized"),
)


def _translate_argparse(message: str) -> str:
    for pattern, key in _ARGPARSE_PATTERNS:
        match = pattern.match(message)
        if match:
            names = {"train.cli_invalid_choice": ("option", "value", "choices"),
                     "train.cli_expected_value": ("option",),
                     "train.cli_argument": ("option", "message"),
                     "train.cli_unrecognized": ("arguments",)}[key]
            return t(key, **dict(zip(names, match.groups())))
    return message


def _program_name() -> str:
    """Return the name the user typed: the console script's name, or the module form."""
    script = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else ""
    if not script or script in ("__main__.py", "-c") or script.endswith(".py"):
        return "python -m fourresnet_lib.train"
    return script


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(t("train.cli_positive_int", value=text))
    return value


def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(t("train.cli_non_negative_int", value=text))
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(t("train.cli_positive_float", value=text))
    return value


def _non_negative_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(t("train.cli_non_negative_float", value=text))
    return value


def _language_from(argv: Sequence[str]) -> str | None:
    for index, item in enumerate(argv):
        if item == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
        if item.startswith("--lang="):
            return item.split("=", 1)[1]
    return None


def build_parser() -> argparse.ArgumentParser:
    """Return the parser; help texts are read in the language active at call time."""
    defaults = TrainConfig()
    parser = _Parser(prog=_program_name(), description=t("train.cli_description"), add_help=False)
    parser._optionals.title = t("train.cli_options")
    parser._positionals.title = t("train.cli_positionals")
    add = parser.add_argument
    add("-h", "--help", action="help", help=t("train.cli_help"))
    add("--lang", choices=("zh", "en"), help=t("train.cli_lang"))
    add("--model", default=defaults.model, help=t("train.cli_model", default=defaults.model))
    add("--fusion", choices=FUSIONS, default=None, help=t("train.cli_fusion"))
    add("--width-multiplier", type=_positive_float, default=1.0, help=t("train.cli_width_multiplier"))

    add("--data", default=defaults.data, help=t("train.cli_data", default=defaults.data))
    add("--data-root", default=None, help=t("train.cli_data_root"))

    add("--epochs", type=_positive_int, default=defaults.epochs, help=t("train.cli_epochs", default=defaults.epochs))
    add("--batch-size", type=_positive_int, default=defaults.batch_size, help=t("train.cli_batch_size", default=defaults.batch_size))
    add("--lr", type=_positive_float, default=defaults.lr, help=t("train.cli_lr", default=defaults.lr))
    add("--warmup-epochs", type=_non_negative_float, default=defaults.warmup_epochs, help=t("train.cli_warmup", default=defaults.warmup_epochs))
    add("--schedule", choices=SCHEDULES, default=defaults.schedule, help=t("train.cli_schedule", default=defaults.schedule))
    add("--weight-decay", type=_non_negative_float, default=defaults.weight_decay, help=t("train.cli_weight_decay", default=defaults.weight_decay))
    add("--momentum", type=_non_negative_float, default=defaults.momentum, help=t("train.cli_momentum", default=defaults.momentum))
    add("--no-nesterov", action="store_true", help=t("train.cli_no_nesterov"))
    add("--label-smoothing", type=_non_negative_float, default=defaults.label_smoothing, help=t("train.cli_label_smoothing", default=defaults.label_smoothing))

    add("--subset", type=_positive_int, default=None, help=t("train.cli_subset"))
    add("--test-subset", type=_positive_int, default=None, help=t("train.cli_test_subset"))

    add("--cutout", type=_non_negative_int, default=0, help=t("train.cli_cutout"))
    add("--padding-mode", choices=PADDING_MODES, default=defaults.padding_mode, help=t("train.cli_padding_mode", default=defaults.padding_mode))
    add("--no-tta", action="store_true", help=t("train.cli_no_tta"))
    add("--pipeline", choices=PIPELINES, default=defaults.pipeline, help=t("train.cli_pipeline", default=defaults.pipeline))
    add("--num-workers", type=_non_negative_int, default=0, help=t("train.cli_num_workers"))

    add("--out", default=None, help=t("train.cli_out", default=str(data_dir() / "runs" / "<model>")))
    add("--resume", action="store_true", help=t("train.cli_resume"))
    add("--compile", action="store_true", help=t("train.cli_compile"))
    add("--seed", type=_non_negative_int, default=defaults.seed, help=t("train.cli_seed", default=defaults.seed))
    add("--device", choices=DEVICES, default=defaults.device, help=t("train.cli_device", default=defaults.device))
    add("--precision", choices=PRECISIONS, default=defaults.precision, help=t("train.cli_precision", default=defaults.precision))
    add("--no-progress", action="store_true", help=t("train.cli_no_progress"))
    return parser


def config_from_args(args: argparse.Namespace) -> TrainConfig:
    """Return the ``TrainConfig`` for parsed arguments."""
    out = args.out or str(data_dir(args.data_root) / "runs" / args.model)
    return TrainConfig(
        model=args.model,
        fusion=args.fusion,
        width_multiplier=args.width_multiplier,
        data=args.data,
        data_root=args.data_root,
        epochs=args.epochs,
        batch_size=args.batch_size,
        lr=args.lr,
        warmup_epochs=args.warmup_epochs,
        schedule=args.schedule,
        weight_decay=args.weight_decay,
        momentum=args.momentum,
        nesterov=not args.no_nesterov,
        label_smoothing=args.label_smoothing,
        subset=args.subset,
        test_subset=args.test_subset,
        cutout=args.cutout,
        padding_mode=args.padding_mode,
        tta=not args.no_tta,
        pipeline=args.pipeline,
        num_workers=args.num_workers,
        out_dir=out,
        resume=args.resume,
        compile=args.compile,
        seed=args.seed,
        device=args.device,
        precision=args.precision,
        progress=not args.no_progress,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv``, train, and return the process exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    language = _language_from(argv)
    if language in ("zh", "en"):
        set_language(language)
    parser = build_parser()
    args = parser.parse_args(argv)

    from fourresnet_lib.models import list_models

    if args.model not in list_models():
        parser.error(t("train.cli_model_unknown", value=args.model, choices=", ".join(list_models())))
    config = config_from_args(args)
    try:
        config.validate()
    except ValueError as error:
        parser.error(str(error))

    from fourresnet_lib.data.decode import DatasetError
    from fourresnet_lib.train.checkpoint import ResumeMismatchError
    from fourresnet_lib.train.loop import NonFiniteError, train

    try:
        train(config)
    except (DatasetError, NonFiniteError, ResumeMismatchError, RuntimeError) as error:
        print(t("train.cli_failed", error=str(error)), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(t("train.cli_interrupted", out=config.out_dir), file=sys.stderr)
        return 130
    return 0
