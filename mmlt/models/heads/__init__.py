from .bbn_head import BBNHead
from .expert_router_head import (
    ExpertRouterClsHead,
    routed_expert_counts,
    routed_prediction,
    router_logits,
)
from .feature_norm_head import FeatureNormLinearClsHead
from .ldam_head import LDAMHead
from .logit_adjusted_head import LogitAdjustedLinearClsHead
from .lws_head import LWSLinearClsHead
from .meta_embedding_head import (
    MetaEmbeddingHead,
    cosnorm_logits,
    meta_embedding,
)
from .multi_expert_head import MultiExpertClsHead
from .tau_norm_head import TauNormLinearClsHead, tau_normalised_weight

__all__ = [
    'BBNHead',
    'ExpertRouterClsHead',
    'FeatureNormLinearClsHead',
    'LDAMHead',
    'LWSLinearClsHead',
    'MetaEmbeddingHead',
    'LogitAdjustedLinearClsHead',
    'MultiExpertClsHead',
    'TauNormLinearClsHead',
    'cosnorm_logits',
    'meta_embedding',
    'routed_expert_counts',
    'routed_prediction',
    'router_logits',
    'tau_normalised_weight',
]
