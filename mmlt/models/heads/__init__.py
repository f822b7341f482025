from .bbn_head import BBNHead
from .feature_norm_head import FeatureNormLinearClsHead
from .ldam_head import LDAMHead
from .logit_adjusted_head import LogitAdjustedLinearClsHead
from .lws_head import LWSLinearClsHead
from .multi_expert_head import MultiExpertClsHead
from .tau_norm_head import TauNormLinearClsHead, tau_normalised_weight

__all__ = [
    'BBNHead',
    'FeatureNormLinearClsHead',
    'LDAMHead',
    'LWSLinearClsHead',
    'LogitAdjustedLinearClsHead',
    'MultiExpertClsHead',
    'TauNormLinearClsHead',
    'tau_normalised_weight',
]
