"""Chinese text in matplotlib figures, and the language used for plot labels.

matplotlib's bundled DejaVu Sans has no CJK glyphs, so Chinese titles render as empty
boxes with "Glyph ... missing from font" warnings on a fresh machine. The mplfonts
package ships Noto Sans CJK SC as a plain .otf file; :func:`setup_fonts` registers that
file with matplotlib and lists it after DejaVu Sans, so Latin text and digits keep
DejaVu's shapes and matplotlib falls back to Noto for each CJK glyph (per-glyph font
fallback exists since matplotlib 3.6). ``mplfonts.use_font`` alone is not used because it
looks the font up by family name, which did not find the file on a fresh install.

When no CJK font is found, plots switch to English labels with one warning.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import matplotlib
from matplotlib import font_manager

from fourresnet_lib.i18n import get_language, t

LATIN_FONT = "DejaVu Sans"
# File names inside mplfonts/fonts/, best first; the sans-serif face suits plot labels.
CJK_FONT_FILES = (
    "NotoSansCJKsc-Regular.otf",
    "SourceHanSansSC-Regular.otf",
    "NotoSansMonoCJKsc-Regular.otf",
    "SimHei.ttf",
)

_cjk_family: str | None = None
_setup_done = False


def find_cjk_font_file() -> Path | None:
    """Return the path of a CJK font file: $FOURRESNET_CJK_FONT, else one inside mplfonts."""
    override = os.environ.get("FOURRESNET_CJK_FONT")
    if override:
        path = Path(override).expanduser()
        return path if path.is_file() else None
    try:
        import mplfonts
    except ImportError:
        return None
    font_dir = Path(mplfonts.__file__).resolve().parent / "fonts"
    for name in CJK_FONT_FILES:
        path = font_dir / name
        if path.is_file():
            return path
    return None


def setup_fonts(force: bool = False) -> str | None:
    """Register the CJK font with matplotlib and set the font rcParams.

    Returns the CJK family name, or None when no CJK font was found; in that case
    :func:`plot_language` returns "en". Safe to call many times: the work is done once
    unless ``force`` is true (for example after matplotlib.rcdefaults()).
    """
    global _cjk_family, _setup_done
    if _setup_done and not force:
        return _cjk_family
    _setup_done = True

    path = find_cjk_font_file()
    family = None
    if path is not None:
        try:
            font_manager.fontManager.addfont(str(path))
            family = font_manager.FontProperties(fname=str(path)).get_name()
        except (OSError, RuntimeError, ValueError) as error:
            warnings.warn(t("viz.font_load_failed", path=str(path), error=error), stacklevel=2)
            family = None
    _cjk_family = family

    if family is None:
        warnings.warn(t("viz.font_missing"), stacklevel=2)
        sans = [LATIN_FONT]
    else:
        sans = [LATIN_FONT, family]
    current = [name for name in matplotlib.rcParams["font.sans-serif"] if name not in sans]
    # matplotlib resolves the generic "sans-serif" entry to a single font, so per-glyph
    # fallback needs the concrete family names in font.family itself.
    matplotlib.rcParams["font.family"] = sans
    matplotlib.rcParams["font.sans-serif"] = sans + current
    # Tick labels then use the ASCII hyphen-minus, which every font has, instead of
    # U+2212, so negative numbers render whichever font ends up drawing them.
    matplotlib.rcParams["axes.unicode_minus"] = False
    return family


def cjk_available() -> bool:
    """Return True when a CJK font is registered for plots."""
    setup_fonts()
    return _cjk_family is not None


def plot_language() -> str:
    """Return the language for plot text: the course language, or "en" without a CJK font."""
    language = get_language()
    if language == "zh" and not cjk_available():
        return "en"
    return language


def plot_text(key: str, **fields: object) -> str:
    """Return the message ``key`` in :func:`plot_language`, formatted with ``fields``."""
    return t(key, language=plot_language(), **fields)
