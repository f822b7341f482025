from .backbones import *  # noqa: F401,F403
from .batch_augments import *  # noqa: F401,F403
from .class_activation_map import (  # noqa: F401
    class_activation_maps,
    foreground_masks,
    head_class_weights,
)
from .classifiers import *  # noqa: F401,F403
from .data_preprocessors import *  # noqa: F401,F403
from .heads import *  # noqa: F401,F403
from .losses import *  # noqa: F401,F403
from .necks import *  # noqa: F401,F403
