from .remix import Remix, remix_label_weights

__all__ = ['Remix', 'remix_label_weights']
