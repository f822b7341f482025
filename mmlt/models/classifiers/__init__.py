from .bbn_classifier import BBNClassifier
from .manifold_mixup_classifier import (
    ManifoldMixupClassifier,
    mix_batch,
    target_scores,
)

__all__ = [
    'BBNClassifier',
    'ManifoldMixupClassifier',
    'mix_batch',
    'target_scores',
]
