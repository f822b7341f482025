from .bbn_classifier import BBNClassifier
from .distillation_classifier import (
    DistillationClassifier,
    classifier_logits,
)
from .frozen_teacher import FrozenTeacher
from .lfme_classifier import LFMEClassifier
from .manifold_mixup_classifier import (
    ManifoldMixupClassifier,
    mix_batch,
    target_scores,
)

__all__ = [
    'BBNClassifier',
    'DistillationClassifier',
    'FrozenTeacher',
    'LFMEClassifier',
    'ManifoldMixupClassifier',
    'classifier_logits',
    'mix_batch',
    'target_scores',
]
