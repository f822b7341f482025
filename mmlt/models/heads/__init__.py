from .ldam_head import LDAMHead
from .logit_adjusted_head import LogitAdjustedLinearClsHead

__all__ = ['LDAMHead', 'LogitAdjustedLinearClsHead']
