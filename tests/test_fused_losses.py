"""The fused loss steps: exact against plain autograd in float64, at extreme
logits, in half precision, and safe for the caller's tensors."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from mmpretrain.registry import MODELS

from mmlt.models.losses import softmax_target_loss, weighted_nll
from mmlt.models.losses.sigmoid_parts import sigmoid_and_softplus

COUNTS = [400, 150, 60, 20, 7, 3]


def reference(z, y, scale=1.0, bias=None, margin=None, weight=None):
    """Cross-entropy of the adjusted logits by plain autograd."""
    a = scale * z
    if bias is not None:
        a = a + bias
    if margin is not None:
        a = a - margin[:, None] * F.one_hot(y, z.size(1))
    return F.cross_entropy(a, y, weight=weight)


@pytest.mark.parametrize(
    'scale,use_bias,use_margin,use_weight',
    [
        (1.0, False, False, False),
        (1.0, False, False, True),
        (1.0, True, False, True),
        (30.0, False, True, False),
        (30.0, False, True, True),
        (2.5, True, True, False),
    ],
)
def test_softmax_target_loss_equals_autograd(
    scale, use_bias, use_margin, use_weight
):
    g = torch.Generator().manual_seed(0)
    z = torch.randn(40, 6, generator=g, dtype=torch.float64)
    y = torch.randint(0, 6, (40,), generator=g)
    bias = (
        torch.randn(6, generator=g, dtype=torch.float64) if use_bias else None
    )
    margin = torch.rand(40, generator=g, dtype=torch.float64) * 15
    margin = margin if use_margin else None
    weight = torch.rand(6, generator=g, dtype=torch.float64) + 0.1
    weight = weight if use_weight else None

    mine = z.clone().requires_grad_()
    value = softmax_target_loss(
        mine,
        y,
        weighted_nll(y, weight),
        scale=scale,
        class_bias=bias,
        target_margin=margin,
    )
    value.backward()
    ref_z = z.clone().requires_grad_()
    ref = reference(ref_z, y, scale, bias, margin, weight)
    ref.backward()
    assert value.item() == pytest.approx(ref.item(), rel=1e-12)
    torch.testing.assert_close(mine.grad, ref_z.grad, rtol=1e-10, atol=1e-12)


def test_a_target_far_below_the_others_keeps_an_exact_loss():
    # p_y = exp(-300) underflows float32; the loss must still be 300.
    z = torch.zeros(3, 4)
    z[0, 1] = 300.0
    z[1, 2] = 95.0
    y = torch.tensor([0, 0, 3])
    mine = z.clone().requires_grad_()
    value = softmax_target_loss(mine, y, weighted_nll(y))
    value.backward()
    z64 = z.double().requires_grad_()
    ref = F.cross_entropy(z64, y)
    ref.backward()
    assert torch.isfinite(value)
    assert value.item() == pytest.approx(ref.item(), rel=1e-6)
    torch.testing.assert_close(mine.grad.double(), z64.grad, atol=1e-7, rtol=0)


@pytest.mark.parametrize(
    'cfg',
    [
        dict(type='WeightedCrossEntropyLoss'),
        dict(type='LDAMLoss'),
        dict(type='BalancedSoftmaxLoss'),
        dict(type='SoftmaxFocalLoss', gamma=2.0),
        dict(type='WeightedSigmoidFocalLoss'),
        dict(type='GHMCLoss', bins=10, momentum=0.75),
    ],
    ids=lambda c: c['type'],
)
def test_losses_leave_the_logits_alone_and_refuse_a_second_backward(cfg):
    loss = MODELS.build(dict(cfg, class_counts=COUNTS))
    z = (torch.randn(16, 6) / 2).requires_grad_()
    before = z.detach().clone()
    y = torch.randint(0, 6, (16,))
    value = loss(z, y)
    value.backward(retain_graph=True)
    assert torch.equal(z.detach(), before)
    assert torch.isfinite(z.grad).all() and z.grad.abs().sum() > 0
    # the kept tensor became the gradient: a second backward would be wrong
    with pytest.raises(RuntimeError, match='inplace'):
        value.backward()


@pytest.mark.parametrize('dtype', [torch.float16, torch.bfloat16])
def test_half_precision_gradients_come_back_in_the_logits_dtype(dtype):
    loss = MODELS.build(dict(type='LDAMLoss', class_counts=COUNTS))
    z = (torch.rand(16, 6) * 2 - 1).to(dtype).requires_grad_()
    y = torch.randint(0, 6, (16,))
    value = loss(z, y)
    value.backward()
    assert value.dtype == torch.float32
    assert z.grad.dtype == dtype and torch.isfinite(z.grad).all()


def test_sigmoid_and_softplus_match_float64_over_the_whole_range():
    x = torch.cat(
        [
            torch.linspace(-120, 120, 20001),
            torch.tensor([-1e-6, 0.0, 1e-6, 87.0, 87.5, 88.7, 95.0, 300.0]),
        ]
    )
    p, q, softplus = sigmoid_and_softplus(x)
    exact = F.softplus(x.double(), threshold=1000)
    assert torch.isfinite(softplus).all()
    error = (softplus.double() - exact).abs()
    # within float32's eps absolutely below 1, relatively above
    eps = torch.finfo(torch.float32).eps
    assert (error <= eps * torch.clamp(exact, min=1.0)).all()
    torch.testing.assert_close(p.double(), torch.sigmoid(x.double()))
    torch.testing.assert_close(
        q.double(), torch.sigmoid(-x.double()), atol=2e-38, rtol=1.3e-6
    )


@pytest.mark.parametrize(
    'cfg',
    [
        dict(type='WeightedSigmoidFocalLoss', gamma=2.0, alpha=0.25),
        dict(type='GHMCLoss', bins=10),
    ],
    ids=lambda c: c['type'],
)
def test_sigmoid_losses_at_extreme_logits_match_float64(cfg):
    # Confident mistakes (x = +-95) and confident successes, in float32.
    z = torch.tensor(
        [
            [95.0, -3.0, 0.5, -95.0, 2.0, 0.0],
            [-95.0, 12.0, -20.0, 4.0, -0.1, 30.0],
            [0.3, -0.3, 95.0, -60.0, 8.0, -8.0],
        ]
    )
    y = torch.tensor([3, 1, 0])
    loss = MODELS.build(dict(cfg, class_weight=[1, 2, 1, 3, 1, 1]))
    z32 = z.clone().requires_grad_()
    value = loss(z32, y)
    value.backward()
    z64 = z.double().requires_grad_()
    ref = loss(z64, y)
    ref.backward()
    assert torch.isfinite(value) and torch.isfinite(z32.grad).all()
    assert value.item() == pytest.approx(ref.item(), rel=1e-6)
    np.testing.assert_allclose(
        z32.grad.double(), z64.grad, rtol=1e-5, atol=1e-9
    )
