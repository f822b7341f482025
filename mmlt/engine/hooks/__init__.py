from .class_counts_hook import SetClassCountsHook
from .classifier_retraining_hook import ClassifierRetrainingHook
from .drw_hook import DRWHook
from .epoch_seed_hook import EpochSeedHook, epoch_seed, seed_worker_by_epoch
from .mixup_finetune_hook import MixupFinetuneHook

__all__ = [
    'ClassifierRetrainingHook',
    'DRWHook',
    'EpochSeedHook',
    'MixupFinetuneHook',
    'SetClassCountsHook',
    'epoch_seed',
    'seed_worker_by_epoch',
]
