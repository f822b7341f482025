from .ldam_head import LDAMHead

__all__ = ['LDAMHead']
