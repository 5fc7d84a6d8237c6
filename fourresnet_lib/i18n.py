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
