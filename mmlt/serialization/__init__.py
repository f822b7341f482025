"""Reading pickled files (checkpoints, CIFAR batches) without running their
code: a restricted unpickler, checking stand-ins for the globals such files
name, and readers that check every size before memory is spent."""

from .bounded_read import SizeError, read_gzip
from .restricted_unpickler import PickleRefused, Vocabulary, restricted_load
from .short_repr import short_repr
from .torch_file import CheckpointError, load_torch_file

__all__ = [
    'CheckpointError',
    'PickleRefused',
    'SizeError',
    'Vocabulary',
    'load_torch_file',
    'read_gzip',
    'restricted_load',
    'short_repr',
]
