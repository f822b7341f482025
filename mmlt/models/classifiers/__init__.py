from .manifold_mixup_classifier import (
    ManifoldMixupClassifier,
    mix_batch,
    target_scores,
)

__all__ = ['ManifoldMixupClassifier', 'mix_batch', 'target_scores']
