"""fourresnet_lib: the helper library of the fourresnet course on residual networks."""

from fourresnet_lib.i18n import get_language, set_language, t
from fourresnet_lib.models.registry import create_model, list_models

__all__ = ["create_model", "list_models", "get_language", "set_language", "t"]
__version__ = "0.1.0"
