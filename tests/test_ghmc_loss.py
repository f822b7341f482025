"""GHM-C equals the per-bin definition of methods.md, step after step, and
its moving average survives a save and load."""

import numpy as np
import pytest
import torch

from mmlt.models.losses import GHMCLoss


class LoopGHMC:
    """The definition, bin by bin, in float64 numpy, with its own state."""

    def __init__(self, bins, momentum):
        self.bins, self.momentum = bins, momentum
        self.acc = np.zeros(bins)

    def __call__(self, z, y, class_weight=None):
        t = np.eye(z.shape[1])[y]
        g = np.abs(1 / (1 + np.exp(-z)) - t)
        edges = np.arange(self.bins + 1) / self.bins
        edges[-1] += 1e-6
        w = np.zeros_like(z)
        total = z.size
        filled = 0
        for i in range(self.bins):
            in_bin = (g >= edges[i]) & (g < edges[i + 1])
            count = in_bin.sum()
            if count:
                if self.momentum > 0:
                    self.acc[i] = (
                        self.momentum * self.acc[i]
                        + (1 - self.momentum) * count
                    )
                    w[in_bin] = total / self.acc[i]
                else:
                    w[in_bin] = total / count
                filled += 1
        w /= max(filled, 1)
        if class_weight is not None:
            w = w * class_weight[y][:, None]
        bce = np.maximum(z, 0) - z * t + np.log1p(np.exp(-np.abs(z)))
        return (w * bce).sum() / total


def batch(seed, n=32, c=6):
    rng = np.random.default_rng(seed)
    return rng.normal(0, 2.5, (n, c)), rng.integers(0, c, n)


@pytest.mark.parametrize('bins', [1, 10, 30])
def test_value_and_gradient_without_momentum(bins):
    z, y = batch(0)
    loss = GHMCLoss(bins=bins)
    zt = torch.tensor(z, requires_grad=True)
    value = loss(zt, torch.tensor(y))
    value.backward()
    ref = LoopGHMC(bins, 0.0)
    assert value.item() == pytest.approx(ref(z, y), abs=1e-7, rel=1e-6)
    # the GHM weights are constants of the backward pass
    eps = 1e-7
    for idx in [(0, 0), (3, y[3]), (31, 5)]:
        zp, zm = z.copy(), z.copy()
        zp[idx] += eps
        zm[idx] -= eps
        numeric = (ref(zp, y) - ref(zm, y)) / (2 * eps)
        assert zt.grad[idx].item() == pytest.approx(numeric, abs=1e-6)


def test_moving_average_over_steps_and_across_save_load(tmp_path):
    loss = GHMCLoss(bins=10, momentum=0.75)
    ref = LoopGHMC(10, 0.75)
    for step in range(3):
        z, y = batch(step)
        value = loss(torch.tensor(z), torch.tensor(y)).item()
        assert value == pytest.approx(ref(z, y), rel=1e-6)
    np.testing.assert_allclose(loss.bin_avg.numpy(), ref.acc, rtol=1e-6)

    torch.save({'state_dict': loss.state_dict()}, tmp_path / 'ghmc.pth')
    restored = GHMCLoss(bins=10, momentum=0.75)
    restored.load_state_dict(torch.load(tmp_path / 'ghmc.pth')['state_dict'])
    for step in range(3, 6):
        z, y = batch(step)
        expected = ref(z, y)
        a = loss(torch.tensor(z), torch.tensor(y)).item()
        b = restored(torch.tensor(z), torch.tensor(y)).item()
        assert a == b == pytest.approx(expected, rel=1e-6)
    assert loss.state_dict()['bin_avg'].shape == (10,)


def test_class_weights_scale_each_sample():
    z, y = batch(1)
    w = np.array([0.5, 1, 2, 3, 0.1, 1.5])
    loss = GHMCLoss(bins=10, class_weight=w.tolist())
    value = loss(torch.tensor(z), torch.tensor(y)).item()
    assert value == pytest.approx(LoopGHMC(10, 0)(z, y, w), rel=1e-6)


def test_half_precision_is_finite():
    loss = GHMCLoss(bins=30, momentum=0.75)
    z = (torch.randn(16, 50) * 30).half()
    assert torch.isfinite(loss(z, torch.randint(0, 50, (16,))))


@pytest.mark.parametrize(
    'kwargs,match',
    [
        (dict(bins=0), 'bins'),
        (dict(bins=2.5), 'bins'),
        (dict(momentum=1.0), 'momentum'),
        (dict(momentum=-0.1), 'momentum'),
    ],
)
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        GHMCLoss(**kwargs)
