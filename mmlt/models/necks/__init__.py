from .modulated_attention_neck import (
    ModulatedAttentionNeck,
    modulated_attention,
)

__all__ = ['ModulatedAttentionNeck', 'modulated_attention']
