from .class_counts_hook import SetClassCountsHook
from .drw_hook import DRWHook

__all__ = ['DRWHook', 'SetClassCountsHook']
