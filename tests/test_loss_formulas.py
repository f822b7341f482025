"""Every loss's fused fast path equals its plain autograd formula, in value
and gradient, with and without class weights and mixup's row masses, on
the CPU and (where there is one) on a GPU, and under autocast."""

import pytest
import torch

from mmlt.class_counts import class_balanced_weights, log_prior
from mmlt.models.losses import (
    autograd_row_loss,
    class_temperatures,
    ghmc_loss,
    ghmc_loss_plain,
    ldam_loss,
    ldam_loss_plain,
    ldam_margins,
    logit_adjusted_cross_entropy,
    logit_adjusted_cross_entropy_plain,
    softmax_focal_loss,
    softmax_focal_loss_plain,
    softmax_target_loss,
    vs_loss,
    vs_loss_plain,
    weighted_cross_entropy,
    weighted_cross_entropy_plain,
    weighted_sigmoid_focal_loss,
    weighted_sigmoid_focal_loss_plain,
)

from conftest import DEVICE_DTYPES, DEVICES, UNIT_ROUNDOFF

COUNTS = [500, 300, 120, 60, 30, 9, 2]
C = len(COUNTS)

# name: (fast path, plain formula, settings)
LOSSES = {
    'ce': (weighted_cross_entropy, weighted_cross_entropy_plain, {}),
    'focal': (
        softmax_focal_loss,
        softmax_focal_loss_plain,
        dict(gamma=1.5),
    ),
    'logit_adjusted': (
        logit_adjusted_cross_entropy,
        logit_adjusted_cross_entropy_plain,
        dict(log_prior=log_prior(COUNTS).double(), tau=1.3),
    ),
    'ldam': (
        ldam_loss,
        ldam_loss_plain,
        dict(margins=ldam_margins(COUNTS, 0.5).double(), s=30.0),
    ),
    'sigmoid_focal': (
        weighted_sigmoid_focal_loss,
        weighted_sigmoid_focal_loss_plain,
        dict(gamma=2.0, alpha=0.25),
    ),
    'ghmc': (ghmc_loss, ghmc_loss_plain, dict(bins=10)),
    # a scale per class: the fused step's per-class branch
    'vs': (
        vs_loss,
        vs_loss_plain,
        dict(
            temperatures=class_temperatures(COUNTS, 0.3).double(),
            log_prior=log_prior(COUNTS).double(),
            tau=1.2,
        ),
    ),
}


def _inputs(seed: int, cosine: bool, device: str = 'cpu'):
    g = torch.Generator().manual_seed(seed)
    z = torch.randn(48, C, generator=g, dtype=torch.float64) * 3
    if cosine:
        z = torch.tanh(z)
    y = torch.randint(0, C, (48,), generator=g)
    mass = torch.rand(48, generator=g, dtype=torch.float64)
    return z.to(device), y.to(device), mass.to(device)


def _settings(name, weighted, with_mass, mass, dtype, device):
    """The loss's settings (class weights and row masses as asked) as
    ``dtype`` tensors on ``device``."""
    extra = dict(LOSSES[name][2])
    if weighted:
        extra['class_weight'] = class_balanced_weights(COUNTS, 0.999)
    if with_mass:
        extra['sample_weight'] = mass
    return {
        k: v.to(device, dtype) if torch.is_tensor(v) else v
        for k, v in extra.items()
    }


@pytest.mark.parametrize('device', DEVICES)
@pytest.mark.parametrize('name', sorted(LOSSES))
@pytest.mark.parametrize('weighted', [False, True])
@pytest.mark.parametrize('with_mass', [False, True])
def test_fast_path_equals_the_plain_formula(name, weighted, with_mass, device):
    fast, plain, _ = LOSSES[name]
    z, y, mass = _inputs(len(name), name == 'ldam', device)
    extra = _settings(name, weighted, with_mass, mass, torch.float64, device)
    grads = []
    values = []
    for fn in (fast, plain):
        x = z.clone().requires_grad_()
        value = fn(x, y, **extra)
        value.backward()
        values.append(value.item())
        grads.append(x.grad)
    assert values[0] == pytest.approx(values[1], rel=1e-9, abs=1e-12)
    torch.testing.assert_close(grads[0], grads[1], rtol=1e-7, atol=1e-10)


@pytest.mark.parametrize('device,dtype', DEVICE_DTYPES)
@pytest.mark.parametrize('name', sorted(LOSSES))
@pytest.mark.parametrize('weighted', [False, True])
@pytest.mark.parametrize('with_mass', [False, True])
def test_under_autocast_the_fast_path_keeps_float32_maths(
    name, weighted, with_mass, device, dtype
):
    """Half-precision logits (what a model's last layer gives under
    autocast: bf16 on a CPU, bf16 or fp16 on a GPU) into the fast path
    under ``torch.autocast``, against the plain formula in float64 on the
    same values. The loss is float32 and within float32's rounding (rel
    1e-5) of the exact value: no step of it runs in half precision. Its
    gradient comes back in the logits' dtype, so it is within that dtype's
    rounding (rel 2**-8 for bf16, 2**-11 for fp16) of the exact one."""
    fast, plain, _ = LOSSES[name]
    z, y, mass = _inputs(len(name), name == 'ldam', device)
    z = z.to(dtype)
    extra = _settings(name, weighted, with_mass, mass, torch.float32, device)
    x = z.clone().requires_grad_()
    with torch.autocast(device, dtype=dtype):
        value = fast(x, y, **extra)
    value.backward()
    exact = z.double().requires_grad_()
    expected = plain(
        exact,
        y,
        **{
            k: v.double() if torch.is_tensor(v) else v
            for k, v in extra.items()
        },
    )
    expected.backward()
    assert value.dtype == torch.float32
    assert value.item() == pytest.approx(expected.item(), rel=1e-5)
    assert x.grad.dtype == dtype
    scale = exact.grad.abs().max().item()
    rounding = UNIT_ROUNDOFF[dtype]
    torch.testing.assert_close(
        x.grad.double(), exact.grad, rtol=rounding, atol=rounding * scale
    )


def test_ghmc_statistics_under_bf16_autocast_are_float32s():
    """GHM-C's moving average of the bin counts, a float32 buffer, gets
    the same update from bf16 logits under autocast as from the same
    values in float32 without it: the gradient norms are binned in
    float32."""
    from mmlt.models.losses import GHMCLoss

    z, y, _ = _inputs(seed=3, cosine=False)
    z = z.to(torch.bfloat16)
    averages = []
    for autocast in (True, False):
        loss = GHMCLoss(bins=10, momentum=0.75, class_counts=COUNTS)
        loss.train()
        logits = z if autocast else z.float()
        for _ in range(3):
            with torch.autocast('cpu', torch.bfloat16, enabled=autocast):
                loss(logits, y)
        assert loss.bin_avg.dtype == torch.float32
        averages.append(loss.bin_avg.clone())
    assert averages[0].sum() > 0
    assert torch.equal(averages[0], averages[1])


def test_a_plainly_written_loss_gets_the_fused_step():
    """The focal loss written as a plain formula of log p_y, its gradient
    left to autograd on (N,) tensors, equals the hand-derived fast path."""
    z, y, _ = _inputs(seed=3, cosine=False)
    gamma = 2.0

    def focal(log_p):
        return -((1 - log_p.exp()) ** gamma * log_p).mean()

    mine = z.clone().requires_grad_()
    value = softmax_target_loss(mine, y, autograd_row_loss(focal))
    value.backward()
    ref = z.clone().requires_grad_()
    expected = softmax_focal_loss(ref, y, gamma=gamma)
    expected.backward()
    assert value.item() == pytest.approx(expected.item(), rel=1e-12)
    torch.testing.assert_close(mine.grad, ref.grad, rtol=1e-10, atol=1e-12)
