"""Lets ``torch.load(weights_only=True)`` read mmengine Runner checkpoints.

Since torch 2.6 ``torch.load`` refuses any global that is not allow-listed,
and mmengine 0.10.7 (which calls it without ``weights_only``) writes
checkpoints holding its ``HistoryBuffer`` logs and numpy arrays and scalars,
so ``--resume`` and ``load_from`` fail. Rather than turning the check off,
this allows exactly the globals those checkpoints reference. A file that
asks for anything else is still refused by torch. For a trusted legacy file
that needs more, torch's own opt-out is ``TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1``.
"""

import pickle
from typing import Any

import numpy as np
import torch
from mmengine.logging import HistoryBuffer


def history_buffer_attribute(obj: Any, name: str) -> Any:
    """Stand-in for ``getattr`` while unpickling.

    Pickle refers to ``HistoryBuffer.min`` (a statistics method kept in the
    buffer's state) as ``getattr(HistoryBuffer, 'min')``; nothing else in an
    mmengine checkpoint calls ``getattr``, so nothing else is resolved.
    """
    if (
        obj is HistoryBuffer
        and not name.startswith('_')
        and callable(vars(HistoryBuffer).get(name))
    ):
        return getattr(obj, name)
    raise pickle.UnpicklingError(
        f'mmlt: the checkpoint asks for getattr({obj!r}, {name!r}); only '
        'the statistics methods of mmengine HistoryBuffer are allowed. Set '
        'TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1 only for a file you trust.'
    )


def allow_mmengine_checkpoints() -> None:
    """Adds the globals of mmengine checkpoints to torch's allow-list."""
    multiarray = np._core.multiarray
    allowed = [
        HistoryBuffer,
        (history_buffer_attribute, 'builtins.getattr'),
        np.ndarray,
        np.dtype,
    ]
    # numpy 2 pickles these from numpy._core, numpy 1 from numpy.core.
    for package in ('numpy._core', 'numpy.core'):
        allowed += [
            (multiarray._reconstruct, f'{package}.multiarray._reconstruct'),
            (multiarray.scalar, f'{package}.multiarray.scalar'),
        ]
    # numpy >= 1.25 may name an array's dtype by its class.
    allowed += [type(np.dtype(code)) for code in '?bBhHiIlLqQefdgFDG']
    torch.serialization.add_safe_globals(allowed)
