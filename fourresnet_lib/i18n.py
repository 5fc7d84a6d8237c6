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
    "models.option_invalid": {
        "zh": "选项 {option} 的取值 {value!r} 无效；可选值：{choices}。",
        "en": "Invalid value {value!r} for option {option}; choose one of: {choices}.",
    },
    "models.option_unknown": {
        "zh": "模型 {model!r} 不支持选项 {option!r}；可用选项：{choices}。",
        "en": "Unknown option {option!r} for model {model!r}; valid options: {choices}.",
    },
    "models.name_unknown": {
        "zh": "未知的模型名 {name!r}；可用的模型：{choices}。",
        "en": "Unknown model name {name!r}; valid names: {choices}.",
    },
    "models.positive_int_invalid": {
        "zh": "选项 {option} 必须是正整数，收到的是 {value!r}。",
        "en": "Option {option} must be a positive integer, got {value!r}.",
    },
    "models.sequence_invalid": {
        "zh": "选项 {option} 必须是非空的正整数序列，例如 (2, 2, 2, 2)，收到的是 {value!r}。",
        "en": "Option {option} must be a non-empty sequence of positive integers such as (2, 2, 2, 2), got {value!r}.",
    },
    "models.depths_widths_mismatch": {
        "zh": "depths 与 widths 的长度必须相同（每个阶段一个值），收到 depths={depths}，widths={widths}。",
        "en": "depths and widths must have the same length (one value per stage), got depths={depths} and widths={widths}.",
    },
    "models.width_multiplier_invalid": {
        "zh": "width_multiplier 必须是正数，例如 0.5，收到的是 {value!r}。",
        "en": "width_multiplier must be a positive number such as 0.5, got {value!r}.",
    },
    "models.zero_pad_reduces": {
        "zh": "零填充捷径无法减少通道数（{in_channels} -> {out_channels}）；请使用 shortcut='projection'。",
        "en": "A zero-padding shortcut cannot reduce channels ({in_channels} -> {out_channels}); use shortcut='projection'.",
    },
    "models.input_not_tensor": {
        "zh": "模型的输入必须是形状为 {expected} 的 torch.Tensor，收到的是 {type}。",
        "en": "The model input must be a torch.Tensor of shape {expected}, got {type}.",
    },
    "models.input_not_4d": {
        "zh": "输入形状应为 {expected}，收到的形状是 {shape}。单张图像请用 x.unsqueeze(0) 添加批次维度。",
        "en": "Expected input shape {expected}, got shape {shape}. For a single image add the batch dimension with x.unsqueeze(0).",
    },
    "models.input_channels": {
        "zh": "输入形状应为 {expected}，收到的形状是 {shape}（{channels} 个通道）。请转换图像的通道数，或用 in_channels={channels} 创建模型。",
        "en": "Expected input shape {expected}, got shape {shape} ({channels} channels). Convert the images, or create the model with in_channels={channels}.",
    },
    "models.input_too_small": {
        "zh": "输入形状应为 {expected}，收到的形状是 {shape}。该网络总共下采样 {min_size} 倍，请把图像放大到至少 {min_size}x{min_size}。",
        "en": "Expected input shape {expected}, got shape {shape}. The network downsamples by {min_size} in total; resize the images to at least {min_size}x{min_size}.",
    },
    "models.batchnorm_single_value": {
        "zh": "训练模式下的 BatchNorm 需要按通道计算批次统计量，但某一层的特征图每个通道只有一个值（{detail}）。推理时请先调用 model.eval()，训练时请使用至少 2 的批次大小。",
        "en": "BatchNorm in training mode computes batch statistics per channel, but a feature map has a single value per channel ({detail}). Call model.eval() for inference, or train with a batch size of at least 2.",
    },
    "models.feature_unknown": {
        "zh": "未知的特征名 {name!r}；该模型提供：{choices}。",
        "en": "Unknown feature name {name!r}; this model provides: {choices}.",
    },
    "models.summary.part": {"zh": "部分", "en": "part"},
    "models.summary.output_shape": {"zh": "输出形状", "en": "output shape"},
    "models.summary.parameters": {"zh": "参数量", "en": "parameters"},
    "models.summary.flops": {"zh": "FLOPs", "en": "FLOPs"},
    "models.summary.total": {"zh": "合计", "en": "total"},
    "models.summary.part_stem": {"zh": "主干入口", "en": "stem"},
    "models.summary.part_fusion": {"zh": "融合", "en": "fusion"},
    "models.summary.part_head": {"zh": "分类头", "en": "head"},
    # --- data (fourresnet_lib.data) -------------------------------------------------
    "data.archive_env_missing": {
        "zh": "环境变量 {env} 指向的文件 {path} 不存在。请把 {env} 改成 CIFAR-10 图像文件夹归档（train/<类别>/*.jpg、test/<类别>/*.jpg 的 .zip/.tar）的正确路径，或取消这个环境变量以使用官方版本。",
        "en": "The environment variable {env} points to {path}, which does not exist. Set {env} to the correct path of a CIFAR-10 image-folder archive (.zip/.tar with train/<class>/*.jpg and test/<class>/*.jpg), or unset it to use the official copy.",
    },
    "data.archive_empty": {"zh": "压缩包是空的", "en": "the archive is empty"},
    "data.source_missing": {
        "zh": "找不到数据集 {path}。应为 \"cifar10\"、\"cifar100\"，或一个已存在的目录、.zip、.tar、.tar.gz 文件（image-folder 布局：train/<类别>/*、test/<类别>/*）。请检查路径，或设置环境变量 FOURRESNET_CIFAR_ARCHIVE。",
        "en": "Dataset not found: {path}. Expected \"cifar10\", \"cifar100\", or an existing directory, .zip, .tar or .tar.gz file in the image-folder layout (train/<class>/*, test/<class>/*). Check the path, or set FOURRESNET_CIFAR_ARCHIVE.",
    },
    "data.source_format": {
        "zh": "不支持的数据集文件 {path}；支持的格式：目录或 {formats}。请解包后传入目录，或重新打包为支持的格式。",
        "en": "Unsupported dataset file {path}; supported: a directory or {formats}. Extract it and pass the directory, or repack it in a supported format.",
    },
    "data.archive_corrupt": {
        "zh": "无法读取压缩包 {path}（{error}）。文件可能不完整或已损坏：请重新下载或复制，并核对其 SHA-256。",
        "en": "Cannot read the archive {path} ({error}). The file is probably truncated or corrupt: download or copy it again and compare its SHA-256.",
    },
    "data.split_empty": {
        "zh": "{path} 中没有 {split}/<类别>/<图像> 形式的图像文件。请检查目录布局：train/<类别>/*.jpg 与 test/<类别>/*.jpg。",
        "en": "No images of the form {split}/<class>/<image> in {path}. Check the layout: train/<class>/*.jpg and test/<class>/*.jpg.",
    },
    "data.image_unreadable": {
        "zh": "无法解码 {source} 中的图像 {name}（{error}）。请替换这个文件或把它从数据集中删除。",
        "en": "Cannot decode the image {name} in {source} ({error}). Replace the file or remove it from the dataset.",
    },
    "data.image_size_mismatch": {
        "zh": "图像 {name} 的尺寸为 {size}，而第一张图像 {first} 为 {expected}。所有图像必须同样大小：请先统一缩放。",
        "en": "The image {name} is {size}, but the first image {first} is {expected}. All images must have the same size: resize them first.",
    },
    "data.cache_unreadable": {
        "zh": "解码缓存 {path} 无法使用（{error}），将重新解码并覆盖它。",
        "en": "The decode cache {path} is unusable ({error}); decoding again and replacing it.",
    },
    "data.split_invalid": {
        "zh": "未知的数据划分 {value!r}；可选值：{choices}。",
        "en": "Unknown split {value!r}; choose one of: {choices}.",
    },
    "data.official_missing": {
        "zh": "数据目录 {folder} 中没有官方 {name} 数据，且已禁止下载。请允许下载，或把 image-folder 压缩包的路径写入环境变量 {env}。",
        "en": "No official {name} copy in the data folder {folder}, and downloading is disabled. Allow the download, or set {env} to an image-folder archive.",
    },
    "data.download_failed": {
        "zh": "下载 {name} 到 {folder} 失败：{error}。请检查网络连接，或手动把官方压缩包放入该目录，或把 image-folder 压缩包的路径写入环境变量 {env}。",
        "en": "Downloading {name} into {folder} failed: {error}. Check the network connection, put the official archive into that folder by hand, or set {env} to an image-folder archive.",
    },
    "data.subset_invalid": {
        "zh": "子集大小无效：{value!r}。应为 1 到 {total} 之间的整数。",
        "en": "Invalid subset size {value!r}: expected an integer from 1 to {total}.",
    },
    "data.subset_class_short": {
        "zh": "子集大小 {value} 需要类别 {label} 提供 {count} 张图像，但它只有 {available} 张。请减小子集大小。",
        "en": "A subset of {value} needs {count} images of class {label}, but it has only {available}. Use a smaller subset.",
    },
    "data.images_invalid": {
        "zh": "图像张量应为 uint8、形状 [N, 3, H, W]，实际为 {dtype}、形状 {shape}。",
        "en": "Images must be a uint8 tensor of shape [N, 3, H, W]; got {dtype} with shape {shape}.",
    },
    "data.labels_invalid": {
        "zh": "标签形状应为 [{count}]（每张图像一个标签），实际为 {shape}。",
        "en": "Labels must have shape [{count}] (one per image); got {shape}.",
    },
    "data.batch_size_invalid": {
        "zh": "批大小无效：{value!r}。应为正整数（图像张数）。",
        "en": "Invalid batch size {value!r}: expected a positive integer (images per batch).",
    },
    "data.padding_mode_invalid": {
        "zh": "未知的填充方式 {value!r}；可选值：{choices}。",
        "en": "Unknown padding mode {value!r}; choose one of: {choices}.",
    },
    "data.padding_invalid": {
        "zh": "裁剪填充 {value!r} 像素无效：应为 0 到 {size} 之间（不含 {size}）。",
        "en": "Invalid crop padding {value!r} pixels: expected at least 0 and less than {size}.",
    },
    "data.cutout_invalid": {
        "zh": "cutout 边长 {value!r} 像素无效：应为 0（关闭）到 {size} 之间。",
        "en": "Invalid cutout size {value!r} pixels: expected 0 (off) up to {size}.",
    },
    "data.rank_invalid": {
        "zh": "进程序号 {rank} 无效：进程总数为 {world_size}，序号应在 0 到 {world_size} 之间（不含）。",
        "en": "Invalid rank {rank} for {world_size} processes: expected 0 <= rank < {world_size}.",
    },
    "data.num_workers_invalid": {
        "zh": "num_workers 无效：{value!r}。应为 0（在主进程中加载）或正整数。",
        "en": "Invalid num_workers {value!r}: expected 0 (load in the main process) or a positive integer.",
    },
    # --- training (fourresnet_lib.train) --------------------------------------------
    "train.resume_mismatch": {
        "zh": "不能从检查点 {path} 继续训练：它来自一次设置不同的训练。不同的设置：",
        "en": "Cannot resume from the checkpoint {path}: it was written by a run with other settings. Differences:",
    },
    "train.resume_mismatch_item": {
        "zh": "  - {name}：检查点中为 {stored}，这次请求的是 {requested}",
        "en": "  - {name}: {stored} in the checkpoint, {requested} requested",
    },
    "train.resume_epochs_schedule": {
        "zh": "学习率调度按总轮数安排：{stored} 轮训练的检查点里，学习率按 {stored} 轮降到 0，续训到 {requested} 轮得到的结果和一次 {requested} 轮的训练不同。要训练 {requested} 轮，请换一个新的输出目录从头训练。",
        "en": "The learning-rate schedule is laid out over the total number of epochs: in the checkpoint of a {stored}-epoch run the learning rate falls to 0 at epoch {stored}, so continuing to {requested} epochs does not give the result of a {requested}-epoch run. To train {requested} epochs, start from scratch in a new output folder.",
    },
    "train.resume_mismatch_fix": {
        "zh": "要继续原来的训练，请重复检查点中的设置；要用新设置训练，请用 --out（out_dir）指定一个新的输出目录。不加 --resume 时，新训练会从头开始并覆盖 {out} 中的检查点。",
        "en": "To continue the stored run, repeat the checkpoint's settings. To train with the new settings, pass a new output folder with --out (out_dir). Without --resume a new run starts from scratch and overwrites the checkpoint in {out}.",
    },
    "train.resume_state_mismatch": {
        "zh": "检查点 {path} 中的 {what} 状态和这次的模型不匹配：检查点来自模型 {stored}，这次请求的是 {requested}。要继续原来的训练，请使用相同的模型和设置（--model {stored}）；要训练另一个模型，请用 --out（out_dir）指定一个新的输出目录，或去掉 --resume 从头训练（会覆盖 {out} 中的检查点）。",
        "en": "The {what} state in the checkpoint {path} does not fit this run: the checkpoint comes from the model {stored}, this run asks for {requested}. To continue the stored run, use the same model and settings (--model {stored}). To train another model, pass a new output folder with --out (out_dir), or drop --resume to start from scratch (this overwrites the checkpoint in {out}).",
    },
    "train.cli_invalid_choice": {
        "zh": "参数 {option}：无效的取值 {value}；可选值：{choices}",
        "en": "argument {option}: invalid value {value}; choose one of: {choices}",
    },
    "train.cli_expected_value": {"zh": "参数 {option} 后面需要一个值", "en": "argument {option} needs a value"},
    "train.cli_argument": {"zh": "参数 {option}：{message}", "en": "argument {option}: {message}"},
    "train.cli_unrecognized": {"zh": "无法识别的参数：{arguments}", "en": "unrecognized arguments: {arguments}"},
    "train.bar_test_accuracy": {"zh": "测试准确率", "en": "test acc"},
    "train.config_positive": {
        "zh": "设置 {name} 无效：{value!r}。应为大于 0 的数。",
        "en": "Invalid {name}: {value!r}. Expected a number greater than 0.",
    },
    "train.config_non_negative": {
        "zh": "设置 {name} 无效：{value!r}。应为大于或等于 0 的数。",
        "en": "Invalid {name}: {value!r}. Expected a number of at least 0.",
    },
    "train.config_range": {
        "zh": "设置 {name} 无效：{value!r}。应满足 {low} <= {name} < {high}。",
        "en": "Invalid {name}: {value!r}. Expected {low} <= {name} < {high}.",
    },
    "train.config_positive_int": {
        "zh": "设置 {name} 无效：{value!r}。应为正整数。",
        "en": "Invalid {name}: {value!r}. Expected a positive integer.",
    },
    "train.config_choice": {
        "zh": "设置 {name} 无效：{value!r}。可选值：{choices}。",
        "en": "Invalid {name}: {value!r}. Choose one of: {choices}.",
    },
    "train.resume_needs_out_dir": {
        "zh": "resume=True 需要 out_dir：检查点保存在输出目录中。请设置 out_dir（命令行：--out）。",
        "en": "resume=True needs out_dir, because checkpoints live in the output folder. Set out_dir (command line: --out).",
    },
    "train.device_unavailable": {
        "zh": "请求的设备 {device!r} 在本机不可用。请改用 --device auto 或 --device cpu。",
        "en": "The requested device {device!r} is not available on this machine. Use --device auto or --device cpu.",
    },
    "train.batch_not_divisible": {
        "zh": "批大小 {batch_size} 不能被进程数 {world_size} 整除。请选择 {world_size} 的倍数。",
        "en": "Batch size {batch_size} is not divisible by the number of processes {world_size}. Choose a multiple of {world_size}.",
    },
    "train.too_few_images": {
        "zh": "训练集只有 {count} 张图像，批大小为 {batch_size} 时一个训练步也不够（每个进程至少需要 2 张）。请增大子集或减小批大小。",
        "en": "The training set has only {count} images, too few for one step at batch size {batch_size} (each process needs at least 2). Use a larger subset or a smaller batch.",
    },
    "train.resumed": {
        "zh": "从检查点 {path} 继续训练（已完成 {epoch} 轮）。",
        "en": "Resuming from the checkpoint {path} ({epoch} epochs done).",
    },
    "train.nonfinite_loss": {
        "zh": "训练已停止：第 {epoch} 轮第 {step} 步的损失为 {value}（不是有限数），当时学习率为 {lr:.4g}。可以尝试：降低学习率（--lr）、延长预热（--warmup-epochs）、检查数据中是否有损坏的图像、关闭 --compile，或改用 --precision fp32。",
        "en": "Training stopped: the loss at epoch {epoch}, step {step} is {value} (not finite), at learning rate {lr:.4g}. Try a lower learning rate (--lr), a longer warm-up (--warmup-epochs), check the data for damaged images, turn off --compile, or use --precision fp32.",
    },
    "train.nonfinite_batchnorm": {
        "zh": "训练已停止：第 {epoch} 轮结束时 BatchNorm 层 {module} 的滑动统计量不是有限数。可以尝试：降低学习率（--lr）、检查数据、关闭 --compile，或改用 --precision fp32。",
        "en": "Training stopped: the running statistics of the BatchNorm layer {module} are not finite after epoch {epoch}. Try a lower learning rate (--lr), check the data, turn off --compile, or use --precision fp32.",
    },
    "train.summary": {
        "zh": "训练完成：设备 {device}，测试准确率 {accuracy:.2f}%（{tta}），用时 {seconds:.1f} 秒，训练速度 {speed:.0f} 张/秒。",
        "en": "Training finished: device {device}, test accuracy {accuracy:.2f}% ({tta}), {seconds:.1f} s, training speed {speed:.0f} images/s.",
    },
    "train.tta_on": {"zh": "含翻转测试时增强", "en": "with flip test-time augmentation"},
    "train.tta_off": {"zh": "无测试时增强", "en": "no test-time augmentation"},
    "train.epoch_progress": {"zh": "第 {epoch}/{epochs} 轮", "en": "epoch {epoch}/{epochs}"},
    "train.bar_loss": {"zh": "损失", "en": "loss"},
    "train.bar_accuracy": {"zh": "准确率", "en": "acc"},
    "train.bar_speed": {"zh": "张/秒", "en": "img/s"},
    "train.cli_usage": {"zh": "用法：", "en": "usage: "},
    "train.cli_error": {"zh": "{prog}：错误：{message}", "en": "{prog}: error: {message}"},
    "train.cli_positive_int": {
        "zh": "应为正整数，收到 {value!r}",
        "en": "expected a positive integer, got {value!r}",
    },
    "train.cli_non_negative_int": {
        "zh": "应为大于或等于 0 的整数，收到 {value!r}",
        "en": "expected an integer of at least 0, got {value!r}",
    },
    "train.cli_positive_float": {
        "zh": "应为大于 0 的有限数，收到 {value!r}",
        "en": "expected a finite number greater than 0, got {value!r}",
    },
    "train.cli_non_negative_float": {
        "zh": "应为大于或等于 0 的有限数，收到 {value!r}",
        "en": "expected a finite number of at least 0, got {value!r}",
    },
    "train.cli_description": {
        "zh": "在 CIFAR 或 image-folder 数据集上训练课程中的残差网络，并在测试集上评估。每轮保存检查点与训练记录；用 torchrun 启动即可多 GPU 训练。",
        "en": "Train one of the course's residual networks on CIFAR or an image-folder dataset and evaluate it on the test split. Saves a checkpoint and the history every epoch; launch with torchrun for several GPUs.",
    },
    "train.cli_options": {"zh": "选项", "en": "options"},
    "train.cli_positionals": {"zh": "位置参数", "en": "positional arguments"},
    "train.cli_help": {"zh": "显示本帮助并退出", "en": "show this help and exit"},
    "train.cli_lang": {
        "zh": "界面语言：zh（简体中文，默认）或 en；也可用环境变量 FOURRESNET_LANG 设置",
        "en": "interface language: zh (Simplified Chinese, default) or en; FOURRESNET_LANG sets it too",
    },
    "train.cli_model": {"zh": "模型名称（见 fourresnet_lib.list_models()），默认 {default}", "en": "model name (see fourresnet_lib.list_models()), default {default}"},
    "train.cli_fusion": {
        "zh": "多尺度融合方式：none、fpn 或 concat；省略时使用模型自带的设置",
        "en": "multi-scale fusion: none, fpn or concat; omitted: the model's own setting",
    },
    "train.cli_width_multiplier": {
        "zh": "所有层通道数的缩放倍数（大于 0 的数），默认 1",
        "en": "factor applied to every layer's channel count (a number above 0), default 1",
    },
    "train.cli_data": {
        "zh": "数据集：cifar10、cifar100，或 image-folder 目录/.zip/.tar/.tar.gz 的路径；默认 {default}（若设置了 FOURRESNET_CIFAR_ARCHIVE 则读该压缩包）",
        "en": "dataset: cifar10, cifar100, or the path of an image-folder directory/.zip/.tar/.tar.gz; default {default} (reads FOURRESNET_CIFAR_ARCHIVE when set)",
    },
    "train.cli_data_root": {
        "zh": "数据目录（下载、解码缓存）；默认 FOURRESNET_DATA 或仓库的 data/",
        "en": "data folder for downloads and decode caches; default FOURRESNET_DATA or the repository's data/",
    },
    "train.cli_epochs": {"zh": "训练轮数（遍历训练集的次数），默认 {default}", "en": "number of epochs (passes over the training set), default {default}"},
    "train.cli_batch_size": {
        "zh": "批大小：每个优化步的图像张数（多进程时为所有进程之和），默认 {default}",
        "en": "batch size: images per optimizer step (summed over all processes), default {default}",
    },
    "train.cli_lr": {
        "zh": "批大小为 512 时的峰值学习率；实际使用 lr × 批大小 / 512（线性缩放），默认 {default}",
        "en": "peak learning rate for a batch of 512 images; the run uses lr * batch size / 512 (linear scaling), default {default}",
    },
    "train.cli_warmup": {"zh": "线性预热的轮数（可为小数），默认 {default}", "en": "epochs of linear warm-up (may be fractional), default {default}"},
    "train.cli_schedule": {
        "zh": "预热后的学习率衰减方式（按步更新，最后降到 0）：cosine 或 linear，默认 {default}",
        "en": "learning-rate decay after warm-up, per step down to 0: cosine or linear, default {default}",
    },
    "train.cli_weight_decay": {
        "zh": "权重衰减系数（只作用于卷积和全连接权重，不作用于 BatchNorm 和偏置），默认 {default}",
        "en": "weight decay coefficient (conv and linear weights only, not BatchNorm or biases), default {default}",
    },
    "train.cli_momentum": {"zh": "SGD 动量（0 到 1 之间，不含 1），默认 {default}", "en": "SGD momentum (at least 0, below 1), default {default}"},
    "train.cli_no_nesterov": {"zh": "使用普通动量而不是 Nesterov 动量", "en": "use plain momentum instead of Nesterov momentum"},
    "train.cli_label_smoothing": {
        "zh": "标签平滑系数（0 到 1 之间，不含 1），默认 {default}",
        "en": "label smoothing (at least 0, below 1), default {default}",
    },
    "train.cli_subset": {
        "zh": "只用训练集中按类别均衡抽取的这么多张图像（由 --seed 决定）；默认全部",
        "en": "train on this many images, class-balanced and chosen by --seed; default: all",
    },
    "train.cli_test_subset": {
        "zh": "只在测试集中按类别均衡抽取的这么多张图像上评估；默认全部",
        "en": "evaluate on this many class-balanced test images; default: all",
    },
    "train.cli_cutout": {
        "zh": "cutout 正方形的边长（像素），0 表示关闭；默认 0",
        "en": "side of the cutout square in pixels, 0 turns it off; default 0",
    },
    "train.cli_padding_mode": {
        "zh": "随机裁剪前四周填充 4 像素的方式：reflect（镜像，不重复边缘像素）或 zeros（黑色），默认 {default}",
        "en": "how the 4-pixel border is filled before the random crop: reflect (mirror, edge pixel not repeated) or zeros (black), default {default}",
    },
    "train.cli_no_tta": {"zh": "最终评估不使用水平翻转测试时增强", "en": "no horizontal-flip test-time augmentation in the final evaluation"},
    "train.cli_pipeline": {
        "zh": "数据管线：tensor（数据常驻设备，在设备上做增强）或 torchvision（标准 DataLoader），默认 {default}",
        "en": "data pipeline: tensor (data kept on the device, augmented there) or torchvision (standard DataLoader), default {default}",
    },
    "train.cli_num_workers": {
        "zh": "DataLoader 的工作进程数，仅用于 --pipeline torchvision；默认 0",
        "en": "DataLoader worker processes, only for --pipeline torchvision; default 0",
    },
    "train.cli_out": {
        "zh": "输出目录（检查点、history.json、summary.json），默认 {default}",
        "en": "output folder (checkpoint, history.json, summary.json), default {default}",
    },
    "train.cli_resume": {
        "zh": "若输出目录中有检查点，则从它继续训练；模型、数据、轮数、批大小、学习率等决定训练过程的设置必须与检查点相同",
        "en": "continue from the checkpoint in the output folder if there is one; the settings that shape the run (model, data, epochs, batch size, learning rate and so on) must match the checkpoint's",
    },
    "train.cli_compile": {"zh": "用 torch.compile 编译模型（首轮较慢，之后更快）", "en": "compile the model with torch.compile (slower first epoch, faster later)"},
    "train.cli_seed": {"zh": "随机种子（非负整数），决定初始化、子集和数据顺序；默认 {default}", "en": "random seed (integer of at least 0) for initialization, subsets and data order; default {default}"},
    "train.cli_device": {
        "zh": "设备：auto（优先 CUDA，其次 MPS，否则 CPU）、cpu、cuda 或 mps；默认 {default}",
        "en": "device: auto (CUDA, else MPS, else CPU), cpu, cuda or mps; default {default}",
    },
    "train.cli_precision": {
        "zh": "计算精度：auto（CUDA 上用 bf16，不支持时用 fp16，其他设备用 fp32）、bf16、fp16 或 fp32；默认 {default}",
        "en": "precision: auto (bf16 on CUDA, fp16 where bf16 is unsupported, fp32 elsewhere), bf16, fp16 or fp32; default {default}",
    },
    "train.cli_no_progress": {"zh": "不显示进度条和结束摘要", "en": "no progress bar and no summary line"},
    "train.cli_model_unknown": {"zh": "未知的模型 {value!r}；可选值：{choices}", "en": "unknown model {value!r}; choose one of: {choices}"},
    "train.cli_failed": {"zh": "训练失败：{error}", "en": "Training failed: {error}"},
    "train.cli_interrupted": {
        "zh": "训练被中断。加上 --resume（输出目录 {out}）可从最后一个检查点继续。",
        "en": "Training interrupted. Add --resume (output folder {out}) to continue from the last checkpoint.",
    },
    # --- visualization (fourresnet_lib.viz) -----------------------------------------
    "viz.depth_out_of_range": {
        "zh": "深度 {value} 超出滑块范围 {low} 到 {high}；请选择此范围内的深度，或修改 depth_range。",
        "en": "Depth {value} is outside the slider range {low} to {high}; choose a depth in that range or change depth_range.",
    },
    "viz.font_missing": {
        "zh": "未找到中文字体（mplfonts 的 Noto Sans CJK SC）；图中文字改用英文。安装 mplfonts 或设置 FOURRESNET_CJK_FONT 为字体文件路径。",
        "en": "No CJK font found (Noto Sans CJK SC from mplfonts); plots use English labels. Install mplfonts or set FOURRESNET_CJK_FONT to a font file.",
    },
    "viz.font_load_failed": {
        "zh": "无法加载字体文件 {path}：{error}",
        "en": "Could not load the font file {path}: {error}",
    },
    "viz.block_not_found": {
        "zh": "模型中没有名为 {name!r} 的模块；请传入 model.named_modules() 中的名称。",
        "en": "The model has no module named {name!r}; pass a name from model.named_modules().",
    },
    "viz.block_not_in_model": {
        "zh": "传入的 {value} 模块不属于该模型；请传入该模型的子模块。",
        "en": "The {value} module passed is not part of the model; pass submodules of this model.",
    },
    "viz.block_type_invalid": {
        "zh": "blocks 的元素应为 nn.Module 或模块名称字符串，收到 {value}。",
        "en": "blocks must contain nn.Module objects or module names, got {value}.",
    },
    "viz.model_type_invalid": {
        "zh": "需要 torch.nn.Module，收到 {value}。",
        "en": "Expected a torch.nn.Module, got {value}.",
    },
    "viz.inputs_type_invalid": {
        "zh": "inputs 应为 torch.Tensor，收到 {value}。",
        "en": "inputs must be a torch.Tensor, got {value}.",
    },
    "viz.depth_invalid": {
        "zh": "深度 {value!r} 无效：CIFAR ResNet 的深度应为 6n+2（如 20、26、32 … 110）。",
        "en": "Invalid depth {value!r}: a CIFAR ResNet has 6n+2 layers (20, 26, 32, ... 110).",
    },
    "viz.count_invalid": {
        "zh": "图片数量应至少为 1，收到 {value!r}。",
        "en": "The image count must be at least 1, got {value!r}.",
    },
    "viz.archive_empty": {
        "zh": "压缩包 {path} 中没有 {split}/ 下的图片；需要 train/<类别>/*.jpg 与 test/<类别>/*.jpg 的目录结构。",
        "en": "The archive {path} has no images under {split}/; expected the layout train/<class>/*.jpg and test/<class>/*.jpg.",
    },
    "viz.size_invalid": {
        "zh": "图片边长应至少为 8 像素，收到 {value!r}。",
        "en": "The image size must be at least 8 pixels, got {value!r}.",
    },
    "viz.photo_unknown": {
        "zh": "scikit-image 中没有名为 {value!r} 的示例图片；可选：{choices}。",
        "en": "scikit-image has no sample photo {value!r}; choose from: {choices}.",
    },
    "viz.source_invalid": {
        "zh": "图片来源 {value!r} 无效；可选 \"auto\"、\"cifar10\" 或 \"skimage\"。",
        "en": "Invalid image source {value!r}; choose \"auto\", \"cifar10\" or \"skimage\".",
    },
    "viz.cifar_missing": {
        "zh": "找不到 CIFAR-10：请将环境变量 {env} 设为图片文件夹格式的压缩包路径，或改用 source=\"skimage\"。",
        "en": "CIFAR-10 not found: set {env} to the image-folder archive, or use source=\"skimage\".",
    },
    "viz.images_shape_invalid": {
        "zh": "需要 uint8 图片张量 [N, 3, H, W]，收到形状 {shape}、类型 {dtype}。",
        "en": "Expected uint8 images [N, 3, H, W], got shape {shape} with dtype {dtype}.",
    },
    "viz.image_shape_invalid": {
        "zh": "需要一张形状为 [3, H, W] 的图片，收到 {shape}。",
        "en": "Expected one image of shape [3, H, W], got {shape}.",
    },
    "viz.feature_unknown": {
        "zh": "模型中没有名为 {value} 的模块；可用名称如：{choices}",
        "en": "The model has no module named {value}; available names include: {choices}",
    },
    "viz.feature_names_required": {
        "zh": "{model} 没有 get_features()；请用 names=[...] 给出要记录的模块名称。",
        "en": "{model} has no get_features(); pass names=[...] with the module names to capture.",
    },
    "viz.feature_shape_invalid": {
        "zh": "需要单张特征图 [C, H, W]（或 [1, C, H, W]），收到 {shape}。",
        "en": "Expected one feature map [C, H, W] (or [1, C, H, W]), got {shape}.",
    },
    "viz.model_without_features": {
        "zh": "{model} 没有 feature_names / get_features()；请使用本课程 create_model() 创建的模型。",
        "en": "{model} has no feature_names / get_features(); use a model from this course's create_model().",
    },
    "viz.kind_invalid": {
        "zh": "kind 应为 \"activation\" 或 \"parameter\"，收到 {value!r}。",
        "en": "kind must be \"activation\" or \"parameter\", got {value!r}.",
    },
    "viz.value_invalid": {
        "zh": "value 应为 \"norm\" 或 \"rms\"，收到 {value!r}。",
        "en": "value must be \"norm\" or \"rms\", got {value!r}.",
    },
    "viz.max_channels_invalid": {
        "zh": "max_channels 应至少为 1，收到 {value!r}。",
        "en": "max_channels must be at least 1, got {value!r}.",
    },
    "viz.channel_invalid": {
        "zh": "通道 {value} 超出范围：该特征图有 {count} 个通道（0 到 {count}-1）。",
        "en": "Channel {value} is out of range: the map has {count} channels (0 to {count}-1).",
    },
    "viz.state_ok": {"zh": "梯度范数", "en": "gradient norm"},
    "viz.state_zero": {"zh": "梯度恰为 0", "en": "gradient exactly 0"},
    "viz.state_no_grad": {"zh": "无梯度（未参与计算）", "en": "no gradient (not in the graph)"},
    "viz.state_nonfinite": {"zh": "梯度为 inf/NaN", "en": "gradient inf/NaN"},
    "viz.axis_block": {"zh": "残差块序号（输入 → 输出）", "en": "block index (input → output)"},
    "viz.axis_layer": {"zh": "层序号（输入 → 输出）", "en": "layer index (input → output)"},
    "viz.axis_grad_norm": {"zh": "梯度 L2 范数", "en": "gradient L2 norm"},
    "viz.axis_grad_rms": {"zh": "梯度均方根", "en": "gradient RMS"},
    "viz.axis_relative_depth": {"zh": "相对位置（0 = 输入端，1 = 输出端）", "en": "relative position (0 = input, 1 = output)"},
    "viz.axis_step": {"zh": "训练步数", "en": "training step"},
    "viz.axis_loss": {"zh": "损失", "en": "loss"},
    "viz.axis_accuracy": {"zh": "准确率", "en": "accuracy"},
    "viz.title_gradient_flow": {"zh": "各层梯度范数", "en": "Gradient norm per layer"},
    "viz.title_gradient_flow_of": {"zh": "{network}（{depth} 层）的梯度流", "en": "Gradient flow of a {depth}-layer {network}"},
    "viz.network_plain": {"zh": "普通网络", "en": "plain network"},
    "viz.network_residual": {"zh": "残差网络", "en": "residual network"},
    "viz.title_plain": {"zh": "普通网络（无捷径连接）", "en": "Plain network (no shortcuts)"},
    "viz.title_residual": {"zh": "残差网络", "en": "Residual network"},
    "viz.title_depth_comparison": {"zh": "不同深度下各残差块输出处的梯度范数", "en": "Gradient norm at each block output, by depth"},
    "viz.legend_depth": {"zh": "{depth} 层", "en": "{depth} layers"},
    "viz.title_gradient_history": {"zh": "训练过程中的梯度范数", "en": "Gradient norm during training"},
    "viz.title_channel_grid": {"zh": "特征图通道（显示 {shown} / {total}）", "en": "Feature map channels ({shown} of {total} shown)"},
    "viz.title_input": {"zh": "输入图片", "en": "Input image"},
    "viz.title_mean_activation": {"zh": "平均激活", "en": "Mean activation"},
    "viz.title_mean_of": {"zh": "{name} 的平均激活", "en": "Mean activation of {name}"},
    "viz.title_channel": {"zh": "{name} 的第 {channel} 通道", "en": "{name}, channel {channel}"},
    "viz.title_unfused": {"zh": "融合前：{name}", "en": "Before fusion: {name}"},
    "viz.title_fused": {"zh": "融合后：{name}", "en": "After fusion: {name}"},
    "viz.title_loss": {"zh": "损失", "en": "Loss"},
    "viz.title_accuracy": {"zh": "准确率", "en": "Accuracy"},
    "viz.legend_train_step": {"zh": "训练（每步）", "en": "train (per step)"},
    "viz.legend_train_epoch": {"zh": "训练（每轮）", "en": "train (per epoch)"},
    "viz.legend_test_epoch": {"zh": "测试（每轮）", "en": "test (per epoch)"},
    "viz.widget_depth": {"zh": "深度", "en": "Depth"},
    "viz.widget_residual": {"zh": "捷径连接", "en": "Shortcuts"},
    "viz.widget_batchnorm": {"zh": "BatchNorm", "en": "BatchNorm"},
    "viz.widget_init": {"zh": "初始化", "en": "Initialisation"},
    "viz.widget_activation": {"zh": "激活函数", "en": "Activation"},
    "viz.widget_view": {"zh": "显示", "en": "Show"},
    "viz.widget_view_activation": {"zh": "残差块输出的梯度", "en": "gradient at block outputs"},
    "viz.widget_view_parameter": {"zh": "权重的梯度", "en": "gradient of weights"},
    "viz.widget_gradient_status": {
        "zh": "深度 {depth}，损失 {loss:.4f}；梯度为 0 的行：{zero}，无梯度的行：{no_grad}",
        "en": "Depth {depth}, loss {loss:.4f}; rows with zero gradient: {zero}, without gradient: {no_grad}",
    },
    "viz.widget_image": {"zh": "图片", "en": "Image"},
    "viz.widget_stage": {"zh": "阶段", "en": "Stage"},
    "viz.widget_fusion": {"zh": "特征", "en": "Features"},
    "viz.widget_unfused": {"zh": "融合前", "en": "unfused"},
    "viz.widget_fused": {"zh": "融合后", "en": "fused"},
    "viz.widget_channel": {"zh": "通道（-1 = 最强）", "en": "Channel (-1 = strongest)"},
    "viz.widget_feature_status": {
        "zh": "{name}：{channels} 个通道，{height}×{width}；显示第 {channel} 通道",
        "en": "{name}: {channels} channels, {height}×{width}; showing channel {channel}",
    },
    "viz.widget_error": {"zh": "更新失败：", "en": "Update failed:"},
    "viz.widget_traceback": {"zh": "详细信息", "en": "Details"},
    "viz.monitor_waiting": {"zh": "等待训练开始…", "en": "Waiting for training to start…"},
    "viz.monitor_step": {"zh": "第 {step} 步，损失 {loss}", "en": "Step {step}, loss {loss}"},
    "viz.monitor_epoch": {
        "zh": "第 {epoch} 轮结束：训练损失 {train_loss}，测试准确率 {test_accuracy}",
        "en": "Epoch {epoch} done: train loss {train_loss}, test accuracy {test_accuracy}",
    },
    "viz.monitor_finished": {"zh": "训练结束：{steps} 步，{epochs} 轮", "en": "Training finished: {steps} steps, {epochs} epochs"},
    # --- set-up runner (course.py) ---------------------------------------------------
    "runner.python_too_old": {
        "zh": "需要 Python 3.11 或更新版本，当前是 {version}。请用更新的 Python 运行 course.py。",
        "en": "Python 3.11 or newer is required; this is {version}. Run course.py with a newer Python.",
    },
    "runner.creating_venv": {"zh": "正在 {path} 创建虚拟环境", "en": "Creating virtual environment in {path}"},
    "runner.install_skipped": {
        "zh": "依赖自上次安装以来没有变化，跳过 pip 安装。",
        "en": "Dependencies unchanged since the last install; skipping pip.",
    },
    "runner.chromium_missing": {
        "zh": "找不到 Chromium，将跳过浏览器测试。请安装系统的 chromium 软件包，或把 FOURRESNET_CHROMIUM 设为 Chromium 可执行文件的路径。",
        "en": "Chromium not found: the browser test will be skipped. Install your system's chromium package or set FOURRESNET_CHROMIUM to a Chromium executable.",
    },
    "runner.allow_root": {
        "zh": "正在以 root 身份运行：给 JupyterLab 加上 --allow-root（不加时它拒绝启动）。",
        "en": "Running as root: passing --allow-root to JupyterLab, which refuses to start as root otherwise.",
    },
    "runner.command_failed": {
        "zh": "命令失败（退出码 {code}）：{command}。请查看上面的输出找出原因，修正后重新运行。",
        "en": "Command failed (exit code {code}): {command}. See the output above for the cause, fix it and run again.",
    },
    "runner.usage": {
        "zh": "用法：\n  python3 course.py lab            安装到 .venv，然后在 JupyterLab 中打开课程\n  python3 course.py lab --lang en  同上，打开课程的英文版\n  python3 course.py test           安装（含测试依赖），然后运行全部测试\n  python3 course.py html           执行每一课并写出 build/html/*.html\nWindows 上用 py 代替 python3。pyproject.toml 未变时跳过安装。",
        "en": "Usage:\n  python3 course.py lab            install into .venv, then open the course in JupyterLab\n  python3 course.py lab --lang en  the same with the English edition of the lessons\n  python3 course.py test           install with the test extras, then run every test\n  python3 course.py html           execute every lesson and write build/html/*.html\nOn Windows use py in place of python3. The install is skipped while pyproject.toml is unchanged.",
    },
    # --- notebooks and exercises (fourresnet_lib.course) ----------------------------
    "nb.l05.mode_quick": {
        "zh": "运行设置：快速（FOURRESNET_QUICK=1），耗时的单元格用小规模设置",
        "en": "Run setting: quick (FOURRESNET_QUICK=1); slow cells use small settings",
    },
    "nb.l05.mode_full": {"zh": "运行设置：完整", "en": "Run setting: full"},
    "nb.l05.column_stage": {"zh": "阶段", "en": "stage"},
    "nb.l05.column_channels": {"zh": "输出通道数", "en": "output channels"},
    "nb.l05.column_stride": {"zh": "第一个块的步幅", "en": "stride of the first block"},
    "nb.l05.column_reduction": {"zh": "相对输入的总步幅", "en": "total stride from the input"},
    "nb.l05.column_depth": {"zh": "块数", "en": "blocks"},
    "nb.l05.fused_diff_line": {
        "zh": "{name}：{shape}  max |差| = {diff:.2e}",
        "en": "{name}: {shape}  max |difference| = {diff:.2e}",
    },
    "nb.l07.setup_line": {"zh": "运行设置：{setting}；设备：{device}", "en": "Run setting: {setting}; device: {device}"},
    "nb.l07.recipe_line": {"zh": "{setting} 设置的配方：{recipe}", "en": "Recipe of the {setting} setting: {recipe}"},
    "nb.l07.class_counts": {"zh": "每个类别的训练图像数：{counts}", "en": "Training images per class: {counts}"},
    "nb.l07.normalized_line": {
        "zh": "归一化之后各通道的均值：{mean}；标准差：{std}",
        "en": "Per-channel mean after normalization: {mean}; standard deviation: {std}",
    },
    "nb.l07.column_model": {"zh": "模型", "en": "model"},
    "nb.l07.resume_compare": {
        "zh": "{name}：不间断训练 {uninterrupted}；打断后续训 {resumed}",
        "en": "{name}: uninterrupted {uninterrupted}; interrupted and resumed {resumed}",
    },
    "nb.l08.column_fusion": {"zh": "融合", "en": "fusion"},
    "nb.check.expected_bool": {
        "zh": "这里要填布尔值 True 或 False，不加引号。",
        "en": "This answer is a bool: True or False, without quotes.",
    },
    "nb.l02.orders_of_magnitude": {
        "zh": "普通堆叠：32 个块的比值比 1 个块时小 {orders:.1f} 个数量级",
        "en": "Plain stack: the ratio at 32 blocks is {orders:.1f} orders of magnitude below the ratio at 1 block",
    },
    "nb.l01.reference_losses": {
        "zh": "{model}：每一轮的平均训练损失 {losses}",
        "en": "{model}: mean training loss per epoch {losses}",
    },
    "nb.l01.reference_gap": {
        "zh": "最后一轮 plain56 与 plain20 的训练误差之差：{gap:.1f} 个百分点",
        "en": "Training error of plain56 minus plain20 in the last epoch: {gap:.1f} percentage points",
    },
    "nb.l08.training_own": {
        "zh": "没有找到训练完的检查点，现在训练 fourresnet26_cifar（fusion={fusion}）…",
        "en": "No finished checkpoint found; training fourresnet26_cifar (fusion={fusion}) now…",
    },
    "nb.l08.loaded": {
        "zh": "fusion={fusion}：读取 {source} 的检查点（已训练 {epochs} 轮）",
        "en": "fusion={fusion}: loaded the checkpoint from {source} ({epochs} epochs trained)",
    },
    "nb.l08.column_accuracy": {
        "zh": "测试准确率",
        "en": "test accuracy",
    },
    "nb.l08.column_standard_error": {
        "zh": "标准误差",
        "en": "standard error",
    },
    "nb.l08.column_recorded": {
        "zh": "训练时记录的准确率",
        "en": "accuracy recorded in training",
    },
    "nb.l08.column_images": {
        "zh": "测试图像数",
        "en": "test images",
    },
    "nb.l08.difference_line": {
        "zh": "打开融合减关闭融合：{difference:+.2f} 个百分点；差值的标准误差 {combined:.2f} 个百分点；差值是标准误差的 {ratio:.1f} 倍。",
        "en": "Fusion on minus fusion off: {difference:+.2f} percentage points; standard error of the difference {combined:.2f} points; the difference is {ratio:.1f} standard errors.",
    },
    "nb.l08.no_fusion_model": {
        "zh": "没有可用的融合模型（训练发散或检查点缺失），跳过这一步。",
        "en": "No fusion model is available (training diverged or the checkpoint is missing); skipping this step.",
    },
    "nb.l08.column_image": {
        "zh": "图像",
        "en": "image",
    },
    "nb.l08.trained": {
        "zh": "训练后",
        "en": "trained",
    },
    "nb.l08.untrained": {
        "zh": "随机初始化",
        "en": "randomly initialised",
    },
    "nb.l08.norm_line": {
        "zh": "{model}：横向项 L1 的范数 {lateral:.1f}，自顶向下项的范数 {top_down:.1f}，比值 {ratio:.2f}",
        "en": "{model}: lateral term L1 norm {lateral:.1f}, top-down term norm {top_down:.1f}, ratio {ratio:.2f}",
    },
    "nb.l08.selectivity": {
        "zh": "平均类别选择性",
        "en": "mean class selectivity",
    },
    "nb.l08.channel_label": {
        "zh": "{stage} 通道 {channel}\n偏爱：{favourite}",
        "en": "{stage} channel {channel}\nprefers: {favourite}",
    },
    "nb.l08.hint_fused_size": {
        "zh": "融合后的 fused_i 与 layer_i 一样大；从 32 开始，数一数到 layer3 为止边长减半了几次。",
        "en": "Each fused_i has the size of layer_i; start from 32 and count how many times the side is halved up to layer3.",
    },
    "nb.l08.hint_standard_error": {
        "zh": "用第2节的标准误差公式：p 是 accuracy（0 到 1 之间的小数，不是百分数），N 是 count。",
        "en": "Use the standard error formula of section 2: p is accuracy (a fraction between 0 and 1, not a percentage) and N is count.",
    },
    "nb.l08.hint_selectivity": {
        "zh": "看第4节打印的平均类别选择性，取最大值对应的阶段名。",
        "en": "Look at the mean class selectivity printed in section 4 and take the stage with the largest value.",
    },
    "nb.l07.data_line": {
        "zh": "训练图像 {train} 张，测试图像 {test} 张；类别：{classes}",
        "en": "{train} training images, {test} test images; classes: {classes}",
    },
    "nb.l07.stats_line": {
        "zh": "各通道均值（R, G, B）：{mean}；标准差：{std}",
        "en": "Per-channel mean (R, G, B): {mean}; standard deviation: {std}",
    },
    "nb.l07.aug_original": {
        "zh": "原图",
        "en": "original",
    },
    "nb.l07.aug_shift": {
        "zh": "裁剪：平移 4 像素",
        "en": "crop: shifted by 4 pixels",
    },
    "nb.l07.aug_flip": {
        "zh": "水平翻转",
        "en": "horizontal flip",
    },
    "nb.l07.aug_cutout": {
        "zh": "cutout（12 像素）",
        "en": "cutout (12 pixels)",
    },
    "nb.l07.aug_random": {
        "zh": "TensorLoader 的随机组合",
        "en": "random mix from TensorLoader",
    },
    "nb.l07.axis_step": {
        "zh": "训练步数",
        "en": "training step",
    },
    "nb.l07.axis_lr": {
        "zh": "学习率",
        "en": "learning rate",
    },
    "nb.l07.lr_title": {
        "zh": "预热 {warmup} 步 + 余弦衰减（共 {steps} 步）",
        "en": "{warmup} warm-up steps + cosine decay ({steps} steps in all)",
    },
    "nb.l07.training": {
        "zh": "正在训练 {label} …",
        "en": "Training {label} …",
    },
    "nb.l07.diverged": {
        "zh": "{label} 训练发散，记为“发散”：{error}",
        "en": "{label} diverged and is recorded as such: {error}",
    },
    "nb.l07.column_parameters": {
        "zh": "参数量",
        "en": "parameters",
    },
    "nb.l07.column_test_accuracy": {
        "zh": "测试准确率",
        "en": "test accuracy",
    },
    "nb.l07.column_seconds": {
        "zh": "用时（秒）",
        "en": "time (s)",
    },
    "nb.l07.column_images_per_second": {
        "zh": "训练速度（图像/秒）",
        "en": "training speed (images/s)",
    },
    "nb.l07.axis_predicted": {
        "zh": "预测类别",
        "en": "predicted class",
    },
    "nb.l07.axis_true": {
        "zh": "真实类别",
        "en": "true class",
    },
    "nb.l07.confusion_title": {
        "zh": "{label} 的混淆矩阵（按行归一化）",
        "en": "Confusion matrix of {label} (rows normalized)",
    },
    "nb.l07.per_class": {
        "zh": "各类准确率",
        "en": "per-class accuracy",
    },
    "nb.l07.interrupted": {
        "zh": "训练在第 {epoch} 轮结束后被回调函数打断。",
        "en": "A callback interrupted training after epoch {epoch}.",
    },
    "nb.l07.checkpoint_line": {
        "zh": "检查点 {path}：已完成 {epoch} 轮；内容：{keys}",
        "en": "Checkpoint {path}: {epoch} epochs done; contents: {keys}",
    },
    "nb.l07.hint_scaled_lr": {
        "zh": "lr 是以每批 512 张图像为基准的峰值学习率，实际使用时按批大小线性缩放（第3节的表）。",
        "en": "lr is the peak learning rate for batches of 512 images; the trainer scales it linearly with the batch size (table in section 3).",
    },
    "nb.l07.hint_resume_epochs": {
        "zh": "检查点记录已完成的轮数；续训从下一轮开始，直到 epochs 轮。",
        "en": "The checkpoint stores the finished epochs; resuming continues with the next epoch up to epochs.",
    },
    "nb.l07.hint_confusion": {
        "zh": "看混淆矩阵中 cat 那一行，除对角线外哪一列的数最大？",
        "en": "Look at the cat row of the confusion matrix: which column other than the diagonal has the largest count?",
    },
    "nb.l01.first_last": {
        "zh": "{model}：第一个块 {first:.1e}，最后一个块 {last:.1e}，{zero}/{blocks} 个块的梯度精确为 0",
        "en": "{model}: first block {first:.1e}, last block {last:.1e}, {zero}/{blocks} blocks with exactly zero gradient",
    },
    "nb.l01.ratio_bn": {
        "zh": "{model}：第一个块与最后一个块的梯度之比 {ratio:.3g}",
        "en": "{model}: gradient of the first block over the last block {ratio:.3g}",
    },
    "nb.l01.quick_result": {
        "zh": "{model}：{images} 张图像，{epochs} 轮，最后一轮训练误差 {error:.1f}%",
        "en": "{model}: {images} images, {epochs} epochs, training error {error:.1f}% in the last epoch",
    },
    "nb.l01.axis_epoch": {"zh": "轮（epoch）", "en": "Epoch"},
    "nb.l01.axis_train_error": {"zh": "训练误差（%）", "en": "Training error (%)"},
    "nb.l01.title_quick": {
        "zh": "快速运行：CIFAR-10 的 JPEG 副本中的 {images} 张图像（不足以下结论）",
        "en": "Quick run: {images} images of the JPEG copy of CIFAR-10 (too small to conclude)",
    },
    "nb.l01.title_plain": {"zh": "普通网络", "en": "Plain networks"},
    "nb.l01.title_residual": {"zh": "残差网络", "en": "Residual networks"},
    "nb.l01.reference_setup": {
        "zh": "参考运行：{models}；{images} 张训练图像，{epochs} 轮，批大小 {batch}，峰值学习率 {lr:.3g}，随机种子 {seed}",
        "en": "Reference run: {models}; {images} training images, {epochs} epochs, batch size {batch}, peak learning rate {lr:.3g}, seed {seed}",
    },
    "nb.l01.reference_hardware": {
        "zh": "硬件与软件：{cpu}，{cores} 个核心；PyTorch {torch}；记录于 {date}，提交 {commit}；共用 CPU 时间 {cpu_seconds:.0f} 秒",
        "en": "Hardware and software: {cpu}, {cores} cores; PyTorch {torch}; recorded {date}, commit {commit}; {cpu_seconds:.0f} s of CPU time in all",
    },
    "nb.l01.reference_data": {
        "zh": "数据：CIFAR-10 的 JPEG 副本（JPEG copy of CIFAR-10），归档 {archive}，SHA-256 {sha}…",
        "en": "Data: JPEG copy of CIFAR-10, archive {archive}, SHA-256 {sha}…",
    },
    "nb.l01.title_reference": {
        "zh": "参考运行：CIFAR-10 的 JPEG 副本，{images} 张训练图像，{epochs} 轮",
        "en": "Reference run: JPEG copy of CIFAR-10, {images} training images, {epochs} epochs",
    },
    "nb.l01.reference_final": {
        "zh": "{model}：最后一轮训练误差 {error:.1f}%",
        "en": "{model}: training error {error:.1f}% in the last epoch",
    },
    "nb.l01.hint_ex1": {
        "zh": "每穿过一层，梯度乘一次 a。穿过 30 层一共乘了几次？",
        "en": "Each layer multiplies the gradient by a once. How many times does that happen over 30 layers?",
    },
    "nb.l01.hint_ex2": {
        "zh": "解方程 6n + 2 = 110。",
        "en": "Solve 6n + 2 = 110.",
    },
    "nb.l01.hint_ex3": {
        "zh": "过拟合时训练误差低、测试误差高；退化时更深的网络连训练误差都更高。",
        "en": "Overfitting means low training error and high test error; degradation means the deeper network has a higher training error itself.",
    },
    "nb.l01.hint_ex4": {
        "zh": "block_gradients 返回的第一个数组是各块的梯度范数，输入一侧在前；第 4 节怎样算 plain56 的比值，这里就怎样算 resnet20 的。",
        "en": "The first array that block_gradients returns holds the gradient norm of each block, input side first; compute the ratio for resnet20 the way section 4 does for plain56.",
    },
    "nb.l06.ratio_line": {
        "zh": "{network}，深度 {depth}：r = 第一块 / 最后一块的梯度范数 = {ratio:.3g}",
        "en": "{network}, depth {depth}: r = gradient norm at the first block / at the last block = {ratio:.3g}",
    },
    "nb.l06.estimate_line": {
        "zh": "深度 {depth}（{blocks} 个块）：估计 r ≈ √2^(K−1) = {estimate:.3g}，测得 r = {measured:.3g}",
        "en": "Depth {depth} ({blocks} blocks): estimate r ≈ √2^(K−1) = {estimate:.3g}, measured r = {measured:.3g}",
    },
    "nb.l06.data_line": {
        "zh": "训练数据：{source}，{count} 张图像",
        "en": "Training data: {source}, {count} images",
    },
    "nb.l06.history_title": {
        "zh": "{network}（深度 56）训练中的梯度范数",
        "en": "Gradient norms of the {network} (depth 56) during training",
    },
    "nb.l06.hint_estimate": {
        "zh": "先由深度 = 6n + 2 求出每个阶段的块数 n，全网共有 K = 3n 个块，再代入 r ≈ (√2)^(K−1)。",
        "en": "First get the blocks per stage n from depth = 6n + 2; the network has K = 3n blocks; then use r ≈ (√2)^(K−1).",
    },
    "nb.l06.hint_drive": {
        "zh": "第3节演示了怎样在代码里设置控件：把深度、捷径连接、BatchNorm 和初始化四项都按题目设好，再从 explorer.last_table 读出 r。",
        "en": "Section 3 shows how to set the controls from code: set the depth, shortcuts, BatchNorm and initialisation as the exercise says, then read r from explorer.last_table.",
    },
    "nb.l06.hint_which_explodes": {
        "zh": "看第3.1节的表：哪一种设置下 residual=False 的 r 远大于 1？",
        "en": "Look at the table in section 3.1: in which setting is r far above 1 for residual=False?",
    },
    "nb.env.device_cpu_value": {"zh": "CPU：{model}，{cores} 个核心", "en": "CPU: {model}, {cores} cores"},
    "nb.l00.mode": {"zh": "当前设置：{mode}", "en": "Current setting: {mode}"},
    "nb.l00.mode_quick": {"zh": "快速设置（FOURRESNET_QUICK=1）", "en": "quick setting (FOURRESNET_QUICK=1)"},
    "nb.l00.mode_full": {"zh": "完整设置", "en": "full setting"},
    "nb.l00.env_summary": {
        "zh": "环境检查：{ok} 项 ok，{warn} 项 warn，{fail} 项 fail",
        "en": "Environment check: {ok} ok, {warn} warn, {fail} fail",
    },
    "nb.l00.models": {"zh": "共 {count} 个模型：{names}", "en": "{count} models: {names}"},
    "nb.l00.forward": {
        "zh": "{name}：输出形状 {shape}，参数量 {params:,}",
        "en": "{name}: output shape {shape}, {params:,} parameters",
    },
    "nb.l00.axis_params": {"zh": "参数量（对数坐标）", "en": "Parameters (log scale)"},
    "nb.l00.title_sizes": {"zh": "课程中残差网络的参数量", "en": "Parameters of the course's residual networks"},
    "nb.l00.language_now": {"zh": "现在的语言是中文。", "en": "The language is now English."},
    "nb.l00.hint_ex1": {
        "zh": "list_models() 返回一个名字列表；用字符串的 startswith 方法挑出以 plain 开头的名字，再数一数。",
        "en": "list_models() returns a list of names; keep the ones whose startswith(\"plain\") is true and count them.",
    },
    "nb.l00.hint_ex2": {
        "zh": "照第 4 节数参数的方法做，只是把模型换成 resnet56。",
        "en": "Count the parameters the way section 4 does, with resnet56 as the model.",
    },
    "nb.l00.hint_ex3": {
        "zh": "答案是英文界面下 t(\"nb.check.passed\") 返回的字符串：先切换语言再调用 t，做完把语言切换回来（上面切换语言的单元格演示过这两步）。",
        "en": "The answer is the string that t(\"nb.check.passed\") returns while the language is English: switch the language before calling t, and switch it back afterwards (the language cell above shows both steps).",
    },
    "nb.l04.block_flops": {
        "zh": "{stage} 的第 2 个块（{size}×{size} 输入）：{flops:,} FLOPs",
        "en": "Second block of {stage} ({size}×{size} input): {flops:,} FLOPs",
    },
    "nb.l04.col_stage": {"zh": "阶段", "en": "Stage"},
    "nb.l04.col_depth": {"zh": "块数", "en": "Blocks"},
    "nb.l04.col_channels": {"zh": "输出通道", "en": "Output channels"},
    "nb.l04.col_stride": {"zh": "第一个块的步幅", "en": "Stride of the first block"},
    "nb.l04.col_reduction": {"zh": "降采样倍数", "en": "Reduction"},
    "nb.l04.total": {
        "zh": "合计：{params:,} 个参数，{gflops:.2f} GFLOPs（224×224 输入）",
        "en": "Total: {params:,} parameters, {gflops:.2f} GFLOPs (224×224 input)",
    },
    "nb.l04.axis_params_m": {"zh": "参数量（百万）", "en": "Parameters (millions)"},
    "nb.l04.axis_gflops": {"zh": "GFLOPs", "en": "GFLOPs"},
    "nb.l04.title_params": {"zh": "各阶段的参数量", "en": "Parameters per stage"},
    "nb.l04.title_flops": {"zh": "各阶段的 FLOPs（224×224 输入）", "en": "FLOPs per stage (224×224 input)"},
    "nb.l04.spread": {
        "zh": "最大阶段与最小阶段之比：参数量 {params:.1f} 倍，FLOPs {flops:.2f} 倍",
        "en": "Largest stage over smallest: {params:.1f}× in parameters, {flops:.2f}× in FLOPs",
    },
    "nb.l04.stem_shapes": {"zh": "{stem} 主干入口：{shapes}", "en": "{stem} stem: {shapes}"},
    "nb.l04.torchvision_diff": {
        "zh": "输入 {size}×{size}：max |4ResNet-50 − torchvision ResNet-50| = {diff:.1e}",
        "en": "Input {size}×{size}: max |4ResNet-50 − torchvision ResNet-50| = {diff:.1e}",
    },
    "nb.l04.col_model": {"zh": "模型", "en": "Model"},
    "nb.l04.col_depths": {"zh": "各阶段块数", "en": "Blocks per stage"},
    "nb.l04.col_layers": {"zh": "带权重的层数", "en": "Weighted layers"},
    "nb.l04.col_params": {"zh": "参数量", "en": "Parameters"},
    "nb.l04.title_variants": {"zh": "三种深度的参数量", "en": "Parameters of the three depths"},
    "nb.l04.hint_ex1": {
        "zh": "每个瓶颈块 3 层，再加主干入口（stem）的卷积和最后的全连接层。",
        "en": "Three layers per bottleneck block, plus the stem convolution and the final fully connected layer.",
    },
    "nb.l04.hint_ex2": {
        "zh": "在第 1 节的阶段表里查 layer3 的输出通道数和降采样倍数，再用 224 除以降采样倍数；也可以用 stage_summary 查看。",
        "en": "Look up layer3's output channels and reduction in the stage table of section 1, then divide 224 by the reduction; stage_summary shows it too.",
    },
    "nb.l04.hint_ex3": {
        "zh": "CIFAR 主干入口（stem）不缩小特征图，之后三个阶段各缩小 2 倍。",
        "en": "The CIFAR stem keeps the size; each of the three later stages halves it.",
    },
    "nb.l04.hint_ex4": {
        "zh": "全连接层把 layer4 的输出通道映射到 10 个类别：权重数是输入数乘输出数，每个输出还有一个偏置。",
        "en": "The fully connected layer maps layer4's output channels to 10 classes: inputs times outputs weights, plus one bias per output.",
    },
    "nb.l03.shape_after": {"zh": "{step:<22} → 形状 {shape}", "en": "{step:<22} → shape {shape}"},
    "nb.l03.copy_check": {
        "zh": "手写版与库中的 Bottleneck（{mode}）：max |差| = {diff:.1e}",
        "en": "Hand-built block vs library Bottleneck ({mode}): max |difference| = {diff:.1e}",
    },
    "nb.l03.row_bottleneck": {"zh": "瓶颈块 256→64→256", "en": "Bottleneck 256→64→256"},
    "nb.l03.row_basic_256": {"zh": "基本块 256 通道", "en": "Basic block, 256 channels"},
    "nb.l03.row_basic_64": {"zh": "基本块 64 通道", "en": "Basic block, 64 channels"},
    "nb.l03.col_block": {"zh": "结构", "en": "Block"},
    "nb.l03.col_conv_weights": {"zh": "卷积权重数", "en": "Conv weights"},
    "nb.l03.col_params": {"zh": "参数量（含 BN）", "en": "Parameters (with BN)"},
    "nb.l03.col_flops": {"zh": "FLOPs（56×56 输出）", "en": "FLOPs (56×56 output)"},
    "nb.l03.ratio_same_width": {
        "zh": "同为 256 通道进出：基本块的卷积权重是瓶颈块的 {weights:.1f} 倍，FLOPs 是 {flops:.1f} 倍",
        "en": "Both 256 channels in and out: the basic block has {weights:.1f}× the conv weights and {flops:.1f}× the FLOPs of the bottleneck",
    },
    "nb.l03.ratio_paper": {
        "zh": "瓶颈块（256 通道）的 FLOPs 是 64 通道基本块的 {ratio:.2f} 倍",
        "en": "The bottleneck (256 channels) has {ratio:.2f}× the FLOPs of the 64-channel basic block",
    },
    "nb.l03.axis_params_m": {"zh": "参数量（百万）", "en": "Parameters (millions)"},
    "nb.l03.axis_gflops": {"zh": "GFLOPs（56×56 输出）", "en": "GFLOPs (56×56 output)"},
    "nb.l03.title_costs": {"zh": "一个块的代价", "en": "Cost of one block"},
    "nb.l03.stride_flops": {
        "zh": "v1（步幅在第一个 1×1 上）：{v1:,} FLOPs；v1.5（步幅在 3×3 上）：{v15:,} FLOPs；相差 {diff:,}",
        "en": "v1 (stride on the first 1×1): {v1:,} FLOPs; v1.5 (stride on the 3×3): {v15:,} FLOPs; difference {diff:,}",
    },
    "nb.l03.stride_coverage": {
        "zh": "{version}：{share:.0%} 的输入位置得到了梯度",
        "en": "{version}: {share:.0%} of the input positions receive a gradient",
    },
    "nb.l03.title_coverage": {"zh": "{version}：{share:.0%} 的位置", "en": "{version}: {share:.0%} of the positions"},
    "nb.l03.suptitle_coverage": {
        "zh": "得到梯度的输入位置（左上角 8×8）",
        "en": "Input positions that receive a gradient (top-left 8×8)",
    },
    "nb.l03.col_stage": {"zh": "阶段", "en": "Stage"},
    "nb.l03.col_index": {"zh": "块序号", "en": "Block"},
    "nb.l03.col_in": {"zh": "输入通道", "en": "In channels"},
    "nb.l03.col_out": {"zh": "输出通道", "en": "Out channels"},
    "nb.l03.col_stride": {"zh": "步幅", "en": "Stride"},
    "nb.l03.col_shortcut": {"zh": "捷径", "en": "Shortcut"},
    "nb.l03.shortcut_projection": {"zh": "投影（1×1 卷积 + BN）", "en": "projection (1×1 conv + BN)"},
    "nb.l03.shortcut_identity": {"zh": "恒等", "en": "identity"},
    "nb.l03.kernels": {
        "zh": "{name}：分支的卷积核 {branch}，捷径的卷积核 {shortcut}",
        "en": "{name}: branch kernels {branch}, shortcut kernels {shortcut}",
    },
    "nb.l03.alternative": {
        "zh": "标准瓶颈块（1×1, 3×3, 1×1）：{standard:,} 个卷积权重，{standard_flops:,} FLOPs；“3×3, 3×3, 1×1”：{alternative:,} 个卷积权重，{alternative_flops:,} FLOPs",
        "en": "Standard bottleneck (1×1, 3×3, 1×1): {standard:,} conv weights, {standard_flops:,} FLOPs; \"3×3, 3×3, 1×1\": {alternative:,} conv weights, {alternative_flops:,} FLOPs",
    },
    "nb.l03.hint_ex1": {
        "zh": "参数量 = k² · C_in · C_out，这里 k = 1 且没有偏置。",
        "en": "Parameters = k² · C_in · C_out; here k = 1 and there is no bias.",
    },
    "nb.l03.hint_ex2": {
        "zh": "三个卷积：1×1 从 1024 到 256，3×3 从 256 到 256，1×1 从 256 到 1024；每个卷积的权重数是 k² · C_in · C_out。",
        "en": "Three convs: 1×1 from 1024 to 256, 3×3 from 256 to 256, 1×1 from 256 to 1024; each conv has k² · C_in · C_out weights.",
    },
    "nb.l03.hint_ex3": {
        "zh": "输出通道 = 4 × planes；步幅 2 让高和宽减半。",
        "en": "Output channels = 4 × planes; stride 2 halves height and width.",
    },
    "nb.l03.hint_ex4": {
        "zh": "比较输入通道 512 与输出通道 4 × 128，再看步幅；形状不变时捷径是恒等。",
        "en": "Compare the 512 input channels with the 4 × 128 output channels, and the stride; when the shape stays the same the shortcut is the identity.",
    },
    "translate.description": {
        "zh": "根据翻译文件生成课程的其他语言版本。",
        "en": "Build other-language editions of the lessons from translation files.",
    },
    "translate.help_build": {
        "zh": "生成全部课程的译本笔记本。",
        "en": "Write translated notebooks for every lesson.",
    },
    "translate.help_status": {
        "zh": "列出每课缺少或过期的翻译单元格。",
        "en": "List missing or stale translated cells for every lesson.",
    },
    "translate.help_template": {
        "zh": "输出某一课的翻译文件模板（保留已有译文）。",
        "en": "Print a translation file for one lesson, keeping existing translations.",
    },
    "translate.help_lang": {"zh": "目标语言代码，例如 en。", "en": "Target language code, for example en."},
    "translate.help_output": {
        "zh": "输出文件夹（默认 build/notebooks-<语言>）。",
        "en": "Output folder (default build/notebooks-<language>).",
    },
    "translate.invalid_file": {
        "zh": "翻译文件 {path} 不是有效的 JSON：{error}。请修正该文件或重新生成模板。",
        "en": "Translation file {path} is not valid JSON: {error}. Fix it or regenerate the template.",
    },
    "translate.incomplete": {
        "zh": "{lesson} 的翻译不完整：缺少 {missing} 个单元格，过期 {stale} 个。请运行 status 查看并更新翻译文件。",
        "en": "The translation of {lesson} is incomplete: {missing} cells missing, {stale} stale. Run status and update the translation file.",
    },
    "translate.status_line": {
        "zh": "{lesson}：缺少 {missing}，过期 {stale}",
        "en": "{lesson}: {missing} missing, {stale} stale",
    },
    "nb.l02.forward_check": {
        "zh": "前向检查：max |block(x) − (F(x) + x)| = {diff:.1e}",
        "en": "Forward check: max |block(x) − (F(x) + x)| = {diff:.1e}",
    },
    "nb.l02.jacobian_check": {
        "zh": "雅可比矩阵检查（{n}×{n}）：max |J_block − (I + J_F)| = {diff:.1e}",
        "en": "Jacobian check ({n}×{n}): max |J_block − (I + J_F)| = {diff:.1e}",
    },
    "nb.l02.grad_check": {
        "zh": "梯度检查：max |autograd 的 ∂L/∂x − ∂L/∂y·(I + J_F)| = {diff:.1e}",
        "en": "Gradient check: max |autograd ∂L/∂x − ∂L/∂y·(I + J_F)| = {diff:.1e}",
    },
    "nb.l02.unrolled_check": {
        "zh": "展开检查（{blocks} 个块）：max |x_L − (x_l + ΣF(x_i))| = {diff:.1e}",
        "en": "Unrolled check ({blocks} blocks): max |x_L − (x_l + ΣF(x_i))| = {diff:.1e}",
    },
    "nb.l02.unrolled_jacobian": {
        "zh": "展开梯度检查：max |∂x_L/∂x_l − (I + ∂ΣF/∂x_l)| = {diff:.1e}",
        "en": "Unrolled gradient check: max |∂x_L/∂x_l − (I + ∂ΣF/∂x_l)| = {diff:.1e}",
    },
    "nb.l02.depth_row": {
        "zh": "{depth:>2} 个块：普通堆叠 {plain:.1e}，残差堆叠 {residual:.2f}",
        "en": "{depth:>2} blocks: plain stack {plain:.1e}, residual stack {residual:.2f}",
    },
    "nb.l02.legend_plain": {"zh": "普通堆叠（无捷径）", "en": "Plain stack (no shortcut)"},
    "nb.l02.legend_residual": {"zh": "残差堆叠", "en": "Residual stack"},
    "nb.l02.axis_depth": {"zh": "块的个数", "en": "Number of blocks"},
    "nb.l02.axis_ratio": {"zh": "‖∂L/∂x₀‖ / ‖∂L/∂x_L‖", "en": "‖∂L/∂x₀‖ / ‖∂L/∂x_L‖"},
    "nb.l02.title_ratio": {"zh": "梯度传回输入后剩下多少", "en": "How much gradient reaches the input"},
    "nb.l02.mode_train": {"zh": "训练模式", "en": "training mode"},
    "nb.l02.mode_eval": {"zh": "评估模式", "en": "evaluation mode"},
    "nb.l02.zero_init_check": {
        "zh": "{block}（{mode}）：max |block(x) − x| = {diff}",
        "en": "{block} ({mode}): max |block(x) − x| = {diff}",
    },
    "nb.l02.zero_init_network": {
        "zh": "resnet20 中 {equal}/{total} 个块的输出等于捷径的输出",
        "en": "{equal}/{total} blocks of resnet20 output exactly their shortcut",
    },
    "nb.l02.zero_init_grads": {
        "zh": "第一次反向传播：分支中 conv1 权重的梯度范数 {conv:.1e}，最后一个 BN 的 γ 的梯度范数 {gamma:.2e}",
        "en": "First backward pass: gradient norm of the branch's conv1 weight {conv:.1e}, of the last BN's γ {gamma:.2e}",
    },
    "nb.l02.hint_ex1": {
        "zh": "对 y = a·x + x 求导，两项分别求导再相加。",
        "en": "Differentiate y = a·x + x term by term and add.",
    },
    "nb.l02.hint_ex2a": {
        "zh": "每个残差块的导数是 1 + F'(x)；按链式法则，把 10 个块的导数相乘。",
        "en": "Each residual block has derivative 1 + F'(x); by the chain rule, multiply the derivatives of the 10 blocks.",
    },
    "nb.l02.hint_ex2b": {
        "zh": "普通堆叠没有 “1 +” 项，每块的导数只有 F'(x)。",
        "en": "A plain stack has no \"1 +\" term, so each block's derivative is just F'(x).",
    },
    "nb.l02.hint_ex3": {
        "zh": "先把块切换到评估模式，再用 jacobian 求导。输入和输出各有 4 × 3 × 3 = 36 个数，把雅可比矩阵整理成 36 × 36 再与单位矩阵比较。",
        "en": "Switch the block to evaluation mode first, then differentiate with jacobian. Input and output have 4 × 3 × 3 = 36 numbers each, so reshape the Jacobian to 36 × 36 before comparing it with the identity matrix.",
    },
    "nb.l02.hint_ex4": {
        "zh": "相加之后还有一次 ReLU；想想 x 中的负数会变成什么。",
        "en": "There is a ReLU after the add; think about what happens to the negative entries of x.",
    },
    "nb.ref.description": {
        "zh": "训练浅层与深层的普通网络和残差网络，记录第 1 课使用的参考训练曲线（JSON）。",
        "en": "Train shallow and deep plain and residual networks and record the reference training curves (JSON) that lesson 01 uses.",
    },
    "nb.ref.help_models": {"zh": "要训练的模型名称（见 list_models()）。", "en": "Names of the models to train (see list_models())."},
    "nb.ref.help_subset": {"zh": "训练子集的图像数（各类别数量相同）。", "en": "Images in the class-balanced training subset."},
    "nb.ref.help_test_subset": {"zh": "每轮评估所用测试子集的图像数。", "en": "Images in the test subset evaluated after each epoch."},
    "nb.ref.help_epochs": {"zh": "训练轮数（epoch，对训练子集的完整遍历次数）。", "en": "Number of epochs (passes over the training subset)."},
    "nb.ref.help_batch_size": {"zh": "每个优化步的图像数。", "en": "Images per optimizer step."},
    "nb.ref.help_lr": {
        "zh": "批大小为 512 时的峰值学习率，按批大小线性缩放。",
        "en": "Peak learning rate for a batch of 512 images, scaled linearly with the batch size.",
    },
    "nb.ref.help_seed": {"zh": "随机种子（子集选择、初始化、数据顺序）。", "en": "Random seed (subset choice, initialisation, data order)."},
    "nb.ref.help_threads": {"zh": "PyTorch 使用的 CPU 线程数（默认：PyTorch 自己的设置）。", "en": "CPU threads for PyTorch (default: PyTorch's own setting)."},
    "nb.ref.help_output": {"zh": "输出 JSON 文件的路径。", "en": "Path of the output JSON file."},
    "nb.ref.help_note": {
        "zh": "写入 JSON 硬件信息的备注，例如“与其他任务共享 CPU”。",
        "en": "Note stored with the hardware information, e.g. \"CPU shared with other jobs\".",
    },
    "nb.ref.progress": {
        "zh": "{model}：最后一轮训练误差 {error:.1f}%，用时 {seconds:.0f} 秒",
        "en": "{model}: training error {error:.1f}% in the last epoch, {seconds:.0f} s",
    },
    "nb.ref.written": {"zh": "已写入 {path}", "en": "Wrote {path}"},
    "nb.l05.rms_line": {
        "zh": "第 {level} 级：阶段特征图 C 的 RMS {stage:.2f}，横向项 L 的 RMS {lateral:.2f}",
        "en": "Level {level}: stage map C has RMS {stage:.2f}, lateral term L has RMS {lateral:.2f}",
    },
    "nb.l05.balanced_lateral": {
        "zh": "横向项 L1（缩放后）",
        "en": "lateral term L1 (rescaled)",
    },
    "nb.l05.balanced_top_down": {
        "zh": "自顶向下项（缩放后）",
        "en": "top-down term (rescaled)",
    },
    "nb.l05.balanced_sum": {
        "zh": "两者之和 M1（缩放后）",
        "en": "their sum M1 (rescaled)",
    },
    "nb.l05.param_line": {
        "zh": "{name}：{count:,} 个参数",
        "en": "{name}: {count:,} parameters",
    },
    "nb.l05.values_line": {
        "zh": "每张图保留的数值个数：FPN 四级合计 {fpn:,}，拼接融合 {concat:,}",
        "en": "Values kept per image: FPN, all four levels, {fpn:,}; concat fusion {concat:,}",
    },
    "nb.l05.upsample_line": {
        "zh": "放大 2 倍得到 {doubled}，按精确尺寸得到 {exact}，layer3 的尺寸是 {target}",
        "en": "Doubling gives {doubled}, the exact size gives {exact}; layer3 is {target}",
    },
    "nb.l05.photo_caption": {
        "zh": "原图",
        "en": "photo",
    },
    "nb.l05.photo_title": {
        "zh": "随机初始化的 fourresnet50：各阶段特征图（上）与 FPN 融合后的特征图（下），颜色为通道平均绝对值",
        "en": "Randomly initialised fourresnet50: stage maps (top) and FPN fused maps (bottom), colour = mean absolute value over channels",
    },
    "nb.l05.norm_line": {
        "zh": "M1 中横向项 L1 的范数 {lateral:.1f}，自顶向下项 Up(M2) 的范数 {top_down:.1f}",
        "en": "In M1 the lateral term L1 has norm {lateral:.1f} and the top-down term Up(M2) has norm {top_down:.1f}",
    },
    "nb.l05.hint_odd_size": {
        "zh": "主干入口的卷积、最大池化、layer2、layer3、layer4 各把边长 H 变成 ⌈H/2⌉，从 65 开始依次算下去。",
        "en": "The stem convolution, the max-pool, layer2, layer3 and layer4 each turn a side H into ceil(H/2); work through them starting from 65.",
    },
    "nb.l05.hint_fpn_params": {
        "zh": "每个横向 1×1 卷积有 c_i·d + d 个参数（c_i 为 256、512、1024、2048），每个 3×3 卷积有 9d² + d 个，两种卷积各有 4 个。",
        "en": "Each lateral 1x1 convolution has c_i*d + d parameters (c_i is 256, 512, 1024, 2048) and each 3x3 convolution 9*d^2 + d; there are 4 of each.",
    },
    "nb.l05.hint_upsample": {
        "zh": "F.interpolate 可以直接指定目标的高和宽（见第3节），这样奇数尺寸也对得上；放大 2 倍只在边长正好相差 2 倍时成立。",
        "en": "F.interpolate can take the target height and width directly (section 3), which also fits odd sizes; doubling only fits when the sides differ by exactly a factor of 2.",
    },
    "nb.env.col_item": {"zh": "检查项", "en": "Check"},
    "nb.env.col_status": {"zh": "状态", "en": "Status"},
    "nb.env.col_value": {"zh": "检测到的值", "en": "Found"},
    "nb.env.col_message": {"zh": "说明", "en": "Message"},
    "nb.env.item_python": {"zh": "Python 版本", "en": "Python version"},
    "nb.env.item_torch": {"zh": "PyTorch 与 torchvision", "en": "PyTorch and torchvision"},
    "nb.env.item_device": {"zh": "计算设备", "en": "Compute device"},
    "nb.env.item_widgets": {"zh": "交互控件（ipywidgets）", "en": "Interactive widgets (ipywidgets)"},
    "nb.env.item_font": {"zh": "中文字体", "en": "Chinese font"},
    "nb.env.item_cifar10": {"zh": "CIFAR-10 数据集", "en": "CIFAR-10 dataset"},
    "nb.env.python_ok": {"zh": "满足要求（至少 {required}）。", "en": "Meets the requirement (at least {required})."},
    "nb.env.python_old": {
        "zh": "Python {version} 太旧：课程需要 Python {required} 或更新版本。请安装新版 Python，再运行 python3 course.py lab。",
        "en": "Python {version} is too old: the course needs Python {required} or newer. Install a newer Python, then run python3 course.py lab.",
    },
    "nb.env.torch_ok": {"zh": "已安装，满足要求。", "en": "Installed and recent enough."},
    "nb.env.torch_missing": {
        "zh": "没有安装 PyTorch。请运行 python3 course.py lab，它会在 .venv 中安装全部依赖。",
        "en": "PyTorch is not installed. Run python3 course.py lab, which installs every dependency into .venv.",
    },
    "nb.env.torch_old": {
        "zh": "PyTorch {version} 太旧：课程需要 {required} 或更新版本。修复：pip install -U torch torchvision",
        "en": "PyTorch {version} is too old: the course needs {required} or newer. Fix: pip install -U torch torchvision",
    },
    "nb.env.torchvision_missing": {
        "zh": "没有安装 torchvision（第 4 课与 torchvision 的 ResNet-50 对比时需要）。修复：pip install torchvision",
        "en": "torchvision is not installed (lesson 04 compares with torchvision's ResNet-50). Fix: pip install torchvision",
    },
    "nb.env.device_cuda": {"zh": "将使用 GPU（CUDA）训练。", "en": "Training will use the GPU (CUDA)."},
    "nb.env.device_mps": {"zh": "将使用 Apple GPU（MPS）训练。", "en": "Training will use the Apple GPU (MPS)."},
    "nb.env.device_cpu": {
        "zh": "没有可用的 GPU，将在 CPU 上运行：快速设置下每课都能运行，完整设置下第 7 课的训练会慢很多。",
        "en": "No GPU available, so everything runs on the CPU: every lesson runs in the quick setting, but lesson 07's full training is much slower.",
    },
    "nb.env.widgets_ok": {
        "zh": "内核端与 JupyterLab 前端的控件版本匹配。（如果 JupyterLab 是从另一个环境启动的，请在那个环境中也检查 jupyterlab_widgets 的版本。）",
        "en": "The kernel and JupyterLab front-end widget versions match. (If JupyterLab was started from another environment, check jupyterlab_widgets there too.)",
    },
    "nb.env.widgets_missing": {
        "zh": "没有安装 ipywidgets，交互控件（第 6–8 课）无法使用。修复：{fix}",
        "en": "ipywidgets is not installed, so the interactive widgets (lessons 06-08) will not work. Fix: {fix}",
    },
    "nb.env.widgets_frontend_missing": {
        "zh": "当前环境中没有 jupyterlab_widgets（JupyterLab 的控件管理器）。如果在 JupyterLab 中打开课程，控件会显示为 “Error displaying widget”。修复：{fix}，然后重启 JupyterLab。",
        "en": "jupyterlab_widgets (JupyterLab's widget manager) is not in this environment. In JupyterLab the widgets would show \"Error displaying widget\". Fix: {fix}, then restart JupyterLab.",
    },
    "nb.env.widgets_kernel_old": {
        "zh": "ipywidgets {version} 太旧：课程的控件需要 ipywidgets 8。修复：{fix}，然后重启 JupyterLab 并刷新浏览器页面。",
        "en": "ipywidgets {version} is too old: the course's widgets need ipywidgets 8. Fix: {fix}, then restart JupyterLab and reload the browser page.",
    },
    "nb.env.widgets_mismatch": {
        "zh": "主版本不匹配：内核端是 ipywidgets {kernel}，JupyterLab 前端的控件管理器是 jupyterlab_widgets {frontend}。ipywidgets {kernel_major}.x 需要 jupyterlab_widgets {expected_major}.x，而不是 {frontend_major}.x；两端的通信协议不同，控件会显示为 “Error displaying widget” 或 “Failed to load model class”。修复：在运行 JupyterLab 的环境中执行 {fix}（或安装相互匹配的版本，例如 ipywidgets 8 配 jupyterlab_widgets 3），然后重启 JupyterLab 并刷新浏览器页面。",
        "en": "Major-version mismatch: the kernel has ipywidgets {kernel}, JupyterLab's front-end widget manager is jupyterlab_widgets {frontend}. ipywidgets {kernel_major}.x needs jupyterlab_widgets {expected_major}.x, not {frontend_major}.x; the two sides speak different protocol versions, so widgets show \"Error displaying widget\" or \"Failed to load model class\". Fix: run {fix} in the environment that runs JupyterLab (or install matching versions, e.g. ipywidgets 8 with jupyterlab_widgets 3), then restart JupyterLab and reload the browser page.",
    },
    "nb.env.widgets_minor": {
        "zh": "主版本一致，但 ipywidgets 声明需要 {requirement}；控件多半能用，个别控件可能显示不正常。修复：{fix}",
        "en": "The major versions match, but ipywidgets declares {requirement}; widgets will most likely work, though some may not display correctly. Fix: {fix}",
    },
    "nb.env.font_ok": {"zh": "图中的中文标签可以正常显示。", "en": "Chinese labels in plots will render."},
    "nb.env.font_missing": {
        "zh": "没有找到中文字体，图中的标签将改用英文。修复：pip install -U mplfonts，或把环境变量 FOURRESNET_CJK_FONT 设为一个中文字体文件（.otf/.ttf）的路径。",
        "en": "No Chinese font found, so plot labels fall back to English. Fix: pip install -U mplfonts, or set FOURRESNET_CJK_FONT to the path of a CJK font file (.otf/.ttf).",
    },
    "nb.env.cifar_archive_ok": {
        "zh": "使用 {env} 指向的图像文件夹归档（image-folder archive）。",
        "en": "Using the image-folder archive that {env} points to.",
    },
    "nb.env.cifar_archive_missing": {
        "zh": "{env} 指向的 {path} 不存在。请把它改成 CIFAR-10 图像文件夹归档（train/<类别>/*.jpg、test/<类别>/*.jpg 的 .zip/.tar）的正确路径，或取消这个环境变量以使用官方版本。",
        "en": "{path}, which {env} points to, does not exist. Set it to the correct path of a CIFAR-10 image-folder archive (.zip/.tar with train/<class>/*.jpg and test/<class>/*.jpg), or unset it to use the official copy.",
    },
    "nb.env.cifar_official_ok": {
        "zh": "数据文件夹中有官方的 CIFAR-10 Python 版本。",
        "en": "The official CIFAR-10 Python batches are in the data folder.",
    },
    "nb.env.cifar_tarball_ok": {
        "zh": "数据文件夹中有官方的 cifar-10-python.tar.gz，第一次使用时会解压（不需要联网）。",
        "en": "The official cifar-10-python.tar.gz is in the data folder; it is extracted on first use (no network needed).",
    },
    "nb.env.cifar_missing": {
        "zh": "还没有 CIFAR-10。第 7、8 课第一次用到时会从官方网站下载（约 170 MB）到 {folder}。不能联网时：把 {archive} 复制到 {folder}，或把环境变量 {env} 设为一个图像文件夹归档的路径。",
        "en": "CIFAR-10 is not here yet. Lessons 07 and 08 download it (about 170 MB) into {folder} on first use. Offline: copy {archive} into {folder}, or set the environment variable {env} to the path of an image-folder archive.",
    },
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
    "render.description": {
        "zh": "执行课程笔记本（notebook）并把结果写成 HTML。",
        "en": "Execute the course notebooks and write the results as HTML.",
    },
    "render.help_notebooks": {
        "zh": "要渲染的笔记本路径；省略时渲染 notebooks/ 下的全部课程。",
        "en": "Notebook paths to render; all lessons in notebooks/ when omitted.",
    },
    "render.help_output": {
        "zh": "HTML 输出文件夹（默认 build/html）。",
        "en": "Output folder for the HTML files (default build/html).",
    },
    "render.help_quick": {
        "zh": "使用快速设置（与测试相同的小规模运行）。",
        "en": "Use the quick setting (the small runs the tests use).",
    },
    "render.help_timeout": {
        "zh": "单个单元格的最长执行时间，单位：秒。",
        "en": "Maximum execution time of one cell, in seconds.",
    },
    "render.notebook_missing": {
        "zh": "找不到笔记本：{path}。请检查路径，或省略参数以渲染全部课程。",
        "en": "Notebook not found: {path}. Check the path, or omit it to render every lesson.",
    },
    "render.progress": {"zh": "正在执行 {path} …", "en": "Executing {path} …"},
    "render.written": {"zh": "已写入 {path}", "en": "Wrote {path}"},
}


def _check_language(value: str) -> str:
    value = value.strip().lower()
    if value.startswith("zh"):
        value = "zh"
    elif value.startswith("en"):
        value = "en"
    if value not in LANGUAGES:
        # Format with the explicitly set language (or the default), not get_language():
        # an invalid FOURRESNET_LANG would otherwise send get_language() back here.
        template = MESSAGES["common.language_invalid"][_language or DEFAULT_LANGUAGE]
        raise ValueError(template.format(value=value, choices=", ".join(LANGUAGES)))
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
