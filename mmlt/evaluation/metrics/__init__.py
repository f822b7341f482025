from .long_tail_accuracy import LongTailAccuracy, per_class_accuracy

__all__ = ['LongTailAccuracy', 'per_class_accuracy']
