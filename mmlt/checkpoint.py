"""mmengine's checkpoint loader for local files, read by mmlt's own rules.

mmengine 0.10.7 loads checkpoints with ``torch.load``, whose unpickler
(``weights_only=True`` since torch 2.6) refuses the ``HistoryBuffer`` logs
and numpy values mmengine writes, and allows ``bytearray(n)`` and
``_rebuild_device_tensor_from_cpu_tensor`` over stride-0 views, which
allocate any size from a few bytes; its size checks depend on the file's
format. ``import mmlt`` registers :func:`load_from_local` as mmengine's
loader for local paths (the Runner's ``load_from``/``--resume``, ``mim
test``, ``load_checkpoint`` and mmlt's tools all use it). It never calls
``torch.load``: :func:`mmlt.serialization.load_torch_file` reads zip and
legacy files with mmlt's restricted unpickler, where a pickle may call only
checking stand-ins (:mod:`mmlt.serialization`), and every size is checked
before memory is spent.

For ``torch.load`` called directly, the numpy and ``HistoryBuffer``
stand-ins are also added to torch's own allow-list. For a trusted file that
needs more, ``TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1`` makes
:func:`load_from_local` use ``torch.load(weights_only=False)``, as torch's
own opt-out does.
"""

import os
import os.path as osp
import warnings
from typing import Any, Optional

import torch
from mmengine.runner.checkpoint import CheckpointLoader

from .serialization.mmengine_values import mmengine_vocabulary
from .serialization.numpy_values import LoadedArray, numpy_vocabulary
from .serialization.torch_file import CheckpointError, load_torch_file

__all__ = [
    'CheckpointError',
    'LoadedArray',
    'allow_mmengine_checkpoints',
    'load_from_local',
]

TRUST_VARIABLE = 'TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD'


def allow_mmengine_checkpoints() -> None:
    """Registers :func:`load_from_local` with mmengine, and the stand-ins with
    ``torch.load``'s allow-list."""
    allowed = []
    for part in (numpy_vocabulary(), mmengine_vocabulary()):
        for (module, name), stand_in in part.globals.items():
            # torch has its own _codecs, copyreg and object, maps Python 2's
            # names itself and reads no qualified names
            ours = module.startswith(('numpy', 'mmengine')) or (
                module == 'builtins' and name in ('getattr', 'bytes')
            )
            if ours and '.' not in name:
                allowed.append((stand_in, f'{module}.{name}'))
    torch.serialization.add_safe_globals(allowed)
    CheckpointLoader.register_scheme(
        prefixes='', loader=load_from_local, force=True
    )


def trusts_every_file() -> bool:
    return os.environ.get(TRUST_VARIABLE, '0').lower() in (
        '1',
        'y',
        'yes',
        'true',
    )


def load_from_local(filename: str, map_location: Optional[Any] = None) -> Any:
    """A local checkpoint, read by mmlt's rules, with errors naming the file.

    mmengine's loader for local paths: a missing, empty, torn or refused file
    raises :class:`CheckpointError` (or ``FileNotFoundError``) saying which
    file and why. The name is mmengine's convention: ``CheckpointLoader``
    logs ``Loads checkpoint by {backend} backend`` with the loader's name
    past its first 10 characters (``load_from_``).

    Args:
        filename (str): path of the checkpoint.
        map_location: as for ``torch.load``.
    """
    path = osp.expanduser(str(filename))
    if not path:
        raise FileNotFoundError('checkpoint path is empty')
    if not osp.isfile(path):
        raise FileNotFoundError(f'checkpoint {path} does not exist')
    if os.path.getsize(path) == 0:
        raise CheckpointError(
            f'checkpoint {path} is empty (0 bytes); was its run killed while '
            'saving it?'
        )
    if trusts_every_file():
        warnings.warn(
            f'{TRUST_VARIABLE} is set: {path} is loaded with '
            'torch.load(weights_only=False), which runs any code the file '
            'holds',
            stacklevel=2,
        )
        return torch.load(path, map_location=map_location, weights_only=False)
    return load_torch_file(path, map_location)
