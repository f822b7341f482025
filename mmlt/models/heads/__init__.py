from .bbn_head import BBNHead
from .ldam_head import LDAMHead
from .logit_adjusted_head import LogitAdjustedLinearClsHead
from .lws_head import LWSLinearClsHead
from .tau_norm_head import TauNormLinearClsHead, tau_normalised_weight

__all__ = [
    'BBNHead',
    'LDAMHead',
    'LWSLinearClsHead',
    'LogitAdjustedLinearClsHead',
    'TauNormLinearClsHead',
    'tau_normalised_weight',
]
