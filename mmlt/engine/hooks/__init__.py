from .class_counts_hook import SetClassCountsHook
from .classifier_retraining_hook import ClassifierRetrainingHook
from .drw_hook import DRWHook
from .epoch_seed_hook import EpochSeedHook, epoch_seed, seed_worker_by_epoch
from .max_norm_hook import MaxNormHook, project_max_norm_
from .mixup_finetune_hook import MixupFinetuneHook
from .non_finite_hook import NonFiniteCheckHook

__all__ = [
    'ClassifierRetrainingHook',
    'DRWHook',
    'EpochSeedHook',
    'MaxNormHook',
    'MixupFinetuneHook',
    'NonFiniteCheckHook',
    'SetClassCountsHook',
    'epoch_seed',
    'project_max_norm_',
    'seed_worker_by_epoch',
]
