"""mmlt: long-tailed image classification for mmpretrain.

Importing mmlt registers its datasets, models, hooks and metrics into
mmpretrain's registries and lets ``torch.load`` (``weights_only=True`` since
torch 2.6) read the checkpoints mmengine's Runner writes.
"""

from .checkpoint import allow_mmengine_checkpoints
from .quiet import silence_known_warnings
from .version import __version__

# before mmpretrain's models are imported: mmcv-lite warns on that import
silence_known_warnings()
allow_mmengine_checkpoints()

from . import datasets, engine, evaluation, models  # noqa: E402,F401
from .registry_hints import add_registry_hints  # noqa: E402
from .zoo import register_model_zoo  # noqa: E402

add_registry_hints()
register_model_zoo()

__all__ = ['__version__', 'allow_mmengine_checkpoints', 'register_model_zoo']
