"""mmlt allows what mmengine checkpoints hold, and nothing more."""

import os
import pickle

import numpy as np
import pytest
import torch
from mmengine.logging import HistoryBuffer


class RunsCode:
    def __reduce__(self):
        return (os.system, ('echo unsafe',))


class ReachesThroughGetattr:
    def __reduce__(self):
        return (getattr, (np.ndarray, 'tofile'))


class ReachesPrivateAttribute:
    def __reduce__(self):
        return (getattr, (HistoryBuffer, '__init__'))


@pytest.mark.parametrize(
    'payload', [RunsCode(), ReachesThroughGetattr(), ReachesPrivateAttribute()]
)
def test_crafted_pickles_are_refused(tmp_path, payload):
    path = tmp_path / 'crafted.pth'
    torch.save({'state_dict': {}, 'x': payload}, path)
    with pytest.raises(pickle.UnpicklingError):
        torch.load(path)


def test_history_buffers_and_numpy_values_load(tmp_path):
    buf = HistoryBuffer()
    buf.update(0.5)
    buf.update(0.25)
    buf._statistics_methods = dict(buf._statistics_methods)
    path = tmp_path / 'ok.pth'
    torch.save(
        {
            'buf': buf,
            'eta': np.float64(3.5),
            'arr': np.arange(6, dtype=np.int32).reshape(2, 3),
        },
        path,
    )
    loaded = torch.load(path)
    assert loaded['buf'].mean() == pytest.approx(0.375)
    assert loaded['eta'] == 3.5 and loaded['arr'].sum() == 15
