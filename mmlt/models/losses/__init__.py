from .class_weights import class_balanced_weights
from .ldam_loss import LDAMLoss, ldam_loss, ldam_margins

__all__ = ['LDAMLoss', 'class_balanced_weights', 'ldam_loss', 'ldam_margins']
