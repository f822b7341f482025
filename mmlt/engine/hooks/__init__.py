from .class_counts_hook import SetClassCountsHook
from .classifier_retraining_hook import ClassifierRetrainingHook
from .drw_hook import DRWHook

__all__ = ['ClassifierRetrainingHook', 'DRWHook', 'SetClassCountsHook']
