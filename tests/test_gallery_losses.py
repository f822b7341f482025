"""Bag of Tricks' gallery losses against oracles written from their official
code: VS and CDT (orparask/VS-Loss, BagofTricks-LT), label-aware smoothing
(dvlab-research/MiSLAS), softmax equalization (BagofTricks-LT) and the
influence-balanced loss (pseulki/IB-Loss). Each oracle is the official
expression in float64 torch; value and gradient, with and without class
weights, plain labels and mixed ones (the mass-weighted mean)."""

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from mmengine.hooks import Hook
from mmpretrain.registry import HOOKS, MODELS

from mmlt.class_counts import inverse_frequency_weights
from mmlt.models.losses import (
    influence_balanced_loss,
    label_aware_smoothing,
    label_aware_smoothing_loss,
    softmax_eql_loss,
)
from mmlt.train_step import step_seed

from runner_utils import mnist_cfg, run

COUNTS = [500, 300, 120, 60, 30, 9, 2]
C = len(COUNTS)
N = 40


def inputs(seed=0, scale=3.0):
    g = torch.Generator().manual_seed(seed)
    z = torch.randn(N, C, generator=g, dtype=torch.float64) * scale
    y = torch.randint(0, C, (N,), generator=g)
    return z, y


def class_weight():
    return torch.linspace(0.5, 2.0, C, dtype=torch.float64)


def value_and_grad(fn, *tensors):
    leaves = [t.clone().requires_grad_() for t in tensors]
    value = fn(*leaves)
    grads = torch.autograd.grad(value, leaves)
    return value.detach(), grads


def assert_same(mine, oracle, *tensors, rtol=1e-10):
    """Value and gradients within ``rtol``: 1e-10 where both sides have
    float64 constants, 1e-6 through a module (its constants derived from
    the counts are float32)."""
    value, grads = value_and_grad(mine, *tensors)
    expected, expected_grads = value_and_grad(oracle, *tensors)
    assert value.item() == pytest.approx(expected.item(), rel=rtol)
    for got, want in zip(grads, expected_grads):
        scale = want.abs().max().item()
        torch.testing.assert_close(
            got, want, rtol=10 * rtol, atol=10 * rtol * scale
        )


def mixed(y, seed=1):
    """Scores mixing each label with another class, and the pair."""
    g = torch.Generator().manual_seed(seed)
    other = (y + torch.randint(1, C, y.shape, generator=g)) % C
    lam = torch.rand(y.shape, generator=g, dtype=torch.float64) * 0.8 + 0.1
    scores = lam[:, None] * F.one_hot(y, C) + (1 - lam[:, None]) * F.one_hot(
        other, C
    )
    return scores, other, lam


def pair_mean(row_loss, lam, y, other, w=None):
    """The mass-weighted mean mmlt's losses take over mixed labels:
    ``sum_i (lam_i w_a l_a + (1 - lam_i) w_b l_b) / sum (lam_i w_a + ...)``
    with ``w = 1`` without class weights."""
    w = torch.ones(C, dtype=torch.float64) if w is None else w
    la, lb = row_loss(y), row_loss(other)
    num = (lam * w[y] * la + (1 - lam) * w[other] * lb).sum()
    return num / (lam * w[y] + (1 - lam) * w[other]).sum()


# ---------------------------------------------------------------- VS, CDT


def vs_official(z, y, gamma, tau, weight=None):
    """orparask/VS-Loss class_imbalance/losses.py, VSLoss."""
    n = np.array(COUNTS, dtype=np.float64)
    temp = (1.0 / n) ** gamma
    temp = temp / temp.min()
    iota = tau * np.log(n / n.sum())
    out = z / torch.from_numpy(temp) + torch.from_numpy(iota)
    return F.cross_entropy(out, y, weight=weight)


@pytest.mark.parametrize('gamma,tau', [(0.3, 1.0), (0.2, 1.2), (0.0, 0.7)])
@pytest.mark.parametrize('weighted', [False, True])
def test_vs_loss_is_the_official_formula(gamma, tau, weighted):
    z, y = inputs()
    w = class_weight() if weighted else None
    loss = MODELS.build(
        dict(
            type='VSLoss',
            gamma=gamma,
            tau=tau,
            class_counts=COUNTS,
            class_weight=None if w is None else w.tolist(),
        )
    )
    assert_same(
        lambda x: loss(x, y),
        lambda x: vs_official(x, y, gamma, tau, w),
        z,
        rtol=1e-6,
    )


def test_cdt_is_vs_with_tau_0_and_logit_adjustment_vs_with_gamma_0():
    z, y = inputs(2)
    cdt = MODELS.build(dict(type='CDTLoss', gamma=0.2, class_counts=COUNTS))
    vs_cdt = MODELS.build(
        dict(type='VSLoss', gamma=0.2, tau=0.0, class_counts=COUNTS)
    )
    assert cdt(z, y).item() == pytest.approx(vs_cdt(z, y).item(), rel=1e-12)
    # Bag of Tricks' CDT: cross-entropy of z / (n_max / n) ** gamma
    a = (max(COUNTS) / torch.tensor(COUNTS, dtype=torch.float64)) ** 0.2
    assert cdt(z, y).item() == pytest.approx(
        F.cross_entropy(z / a, y).item(), rel=1e-6
    )
    la = MODELS.build(
        dict(type='LogitAdjustedLoss', tau=1.3, class_counts=COUNTS)
    )
    vs_la = MODELS.build(
        dict(type='VSLoss', gamma=0.0, tau=1.3, class_counts=COUNTS)
    )
    assert_same(lambda x: vs_la(x, y), lambda x: la(x, y), z)


def test_vs_loss_over_mixed_labels_is_the_pair_mean():
    z, y = inputs(3)
    scores, other, lam = mixed(y)
    w = class_weight()
    loss = MODELS.build(
        dict(type='VSLoss', class_counts=COUNTS, class_weight=w.tolist())
    )

    n = torch.tensor(COUNTS, dtype=torch.float64)

    def rows(x):
        adjusted = x / (n.max() / n) ** 0.3 + torch.log(n / n.sum())
        return lambda t: F.cross_entropy(adjusted, t, reduction='none')

    assert_same(
        lambda x: loss(x, scores),
        lambda x: pair_mean(rows(x), lam, y, other, w),
        z,
        rtol=1e-6,
    )


def test_deferred_cdt_is_cross_entropy_until_its_epoch():
    z, y = inputs(4)
    loss = MODELS.build(
        dict(type='CDTLoss', start_epoch=3, class_counts=COUNTS)
    )
    with pytest.raises(RuntimeError, match='TrainStepHook'):
        loss(z, y)
    loss.set_train_step(0, 2, 500)
    assert loss(z, y).item() == pytest.approx(
        F.cross_entropy(z, y).item(), rel=1e-12
    )
    loss.set_train_step(0, 3, 501)
    a = (max(COUNTS) / torch.tensor(COUNTS, dtype=torch.float64)) ** 0.2
    assert loss(z, y).item() == pytest.approx(
        F.cross_entropy(z / a, y).item(), rel=1e-6
    )
    # DRW's weights apply before the start as after it
    drw = torch.rand(C, dtype=torch.float64) + 0.5
    loss.set_class_weight(drw, source='DRWHook')
    loss.set_train_step(0, 0, 0)
    assert loss(z, y).item() == pytest.approx(
        F.cross_entropy(z, y, weight=drw.float().double()).item(), rel=1e-6
    )


# ---------------------------------------------------------------- LAS


def las_official_smoothing(head, tail, shape, power=None):
    """dvlab-research/MiSLAS methods.py, LabelAwareSmoothing.__init__."""
    n = np.array(COUNTS, dtype=np.float64)
    n_1, n_k = n.max(), n.min()
    if shape == 'concave':
        return tail + (head - tail) * np.sin(
            (n - n_k) * np.pi / (2 * (n_1 - n_k))
        )
    if shape == 'linear':
        return tail + (head - tail) * (n - n_k) / (n_1 - n_k)
    if shape == 'convex':
        return head + (head - tail) * np.sin(
            1.5 * np.pi + (n - n_k) * np.pi / (2 * (n_1 - n_k))
        )
    return tail + (head - tail) * np.power((n - n_k) / (n_1 - n_k), power)


def las_official(z, y, smooth):
    """MiSLAS LabelAwareSmoothing.forward."""
    smoothing = smooth[y]
    logprobs = F.log_softmax(z, dim=-1)
    nll = -logprobs.gather(dim=-1, index=y.unsqueeze(1)).squeeze(1)
    return ((1.0 - smoothing) * nll - smoothing * logprobs.mean(dim=-1)).mean()


@pytest.mark.parametrize(
    'shape,power',
    [('concave', None), ('linear', None), ('convex', None), ('exp', 2.0)],
)
def test_label_aware_smoothing_is_the_official_formula(shape, power):
    official = las_official_smoothing(0.4, 0.1, shape, power)
    eps = label_aware_smoothing(COUNTS, 0.4, 0.1, shape, power)
    np.testing.assert_allclose(eps.numpy(), official, rtol=1e-6, atol=1e-7)
    assert eps[0] == pytest.approx(0.4) and eps[-1] == pytest.approx(0.1)
    z, y = inputs(5)
    loss = MODELS.build(
        dict(
            type='LabelAwareSmoothingLoss',
            smooth_head=0.4,
            smooth_tail=0.1,
            shape=shape,
            power=power,
            class_counts=COUNTS,
        )
    )
    smooth = eps.double()
    assert_same(lambda x: loss(x, y), lambda x: las_official(x, y, smooth), z)


def test_label_aware_smoothing_weighted_and_mixed():
    z, y = inputs(6)
    smooth = label_aware_smoothing(COUNTS, 0.3, 0.0).double()
    w = class_weight()

    def rows(x):
        def row(t):
            log_p = F.log_softmax(x, dim=1)
            eps = smooth[t]
            nll = -log_p.gather(1, t[:, None]).squeeze(1)
            return (1 - eps) * nll - eps * log_p.mean(dim=1)

        return row

    assert_same(
        lambda x: label_aware_smoothing_loss(
            x, y, smoothing=smooth, class_weight=w
        ),
        lambda x: (w[y] * rows(x)(y)).sum() / w[y].sum(),
        z,
    )
    scores, other, lam = mixed(y)
    loss = MODELS.build(
        dict(
            type='LabelAwareSmoothingLoss',
            smooth_head=0.3,
            smooth_tail=0.0,
            class_counts=COUNTS,
        )
    )
    assert_same(
        lambda x: loss(x, scores),
        lambda x: pair_mean(rows(x), lam, y, other),
        z,
        rtol=1e-6,
    )


def test_equal_smoothing_is_mmpretrains_label_smoothing():
    """ε_head = ε_tail is plain label smoothing: mmpretrain's
    LabelSmoothLoss in its 'original' mode, (1 - ε) onehot + ε / C."""
    z, y = inputs(7)
    las = MODELS.build(
        dict(
            type='LabelAwareSmoothingLoss',
            smooth_head=0.2,
            smooth_tail=0.2,
            class_counts=COUNTS,
        )
    )
    ls = MODELS.build(
        dict(
            type='LabelSmoothLoss',
            label_smooth_val=0.2,
            mode='original',
            num_classes=C,
        )
    )
    assert_same(lambda x: las(x, y), lambda x: ls(x, y), z, rtol=1e-6)
    # a balanced set: every class is the largest, eps = smooth_head
    assert label_aware_smoothing([5, 5, 5], 0.3, 0.1).tolist() == (
        pytest.approx([0.3] * 3)
    )


# ---------------------------------------------------------------- SEQL


def seql_official(z, y, threshold, draws):
    """BagofTricks-LT equalization_loss.py, SEQL.forward, with its
    Bernoulli draws given."""
    n = torch.tensor(COUNTS, dtype=torch.float64)
    t_lambda = (n / n.sum()) < threshold
    onehot = F.one_hot(y, C).double()
    w = 1 - draws.double() * t_lambda.double() * (1 - onehot)
    p = torch.exp(z) / (w * torch.exp(z)).sum(dim=1, keepdim=True)
    return F.nll_loss(torch.log(p), y)


@pytest.mark.parametrize('threshold', [0.05, 0.005])
def test_softmax_eql_is_the_official_formula(threshold):
    z, y = inputs(8)
    g = torch.Generator().manual_seed(0)
    draws = torch.rand(N, C, generator=g) < 0.9
    n = torch.tensor(COUNTS, dtype=torch.float64)
    rare = n / n.sum() < threshold
    assert_same(
        lambda x: softmax_eql_loss(x, y, rare=rare, draws=draws.clone()),
        lambda x: seql_official(x, y, threshold, draws),
        z,
    )
    w = class_weight()
    dropped = draws & rare & (F.one_hot(y, C) == 0)

    def row(x):
        log_p = F.log_softmax(x.masked_fill(dropped, -math.inf), 1)
        return -log_p.gather(1, y[:, None]).squeeze(1)

    assert_same(
        lambda x: softmax_eql_loss(
            x, y, rare=rare, draws=draws.clone(), class_weight=w
        ),
        lambda x: (w[y] * row(x)).sum() / w[y].sum(),
        z,
    )


def test_softmax_eql_over_mixed_labels_is_the_pair_mean():
    """gamma = 1 drops every rare negative: each class of a mixed row is
    the official formula's loss with its own class kept."""
    z, y = inputs(15)
    scores, other, lam = mixed(y)
    rare = torch.tensor(COUNTS) / sum(COUNTS) < 0.05
    w = class_weight()
    loss = MODELS.build(
        dict(
            type='SoftmaxEQLLoss',
            threshold=0.05,
            gamma=1.0,
            class_counts=COUNTS,
            class_weight=w.tolist(),
        )
    )
    loss.set_train_step(0, 0, 0)

    def rows(x):
        def row(t):
            dropped = rare & (F.one_hot(t, C) == 0)
            log_p = F.log_softmax(x.masked_fill(dropped, -math.inf), 1)
            return -log_p.gather(1, t[:, None]).squeeze(1)

        return row

    assert_same(
        lambda x: loss(x, scores),
        lambda x: pair_mean(rows(x), lam, y, other, w),
        z,
        rtol=1e-6,
    )


def test_softmax_eql_drops_as_gamma_says_and_keeps_the_target():
    z, y = inputs(9)
    y[:5] = C - 1  # rare targets keep their own logit
    base = dict(type='SoftmaxEQLLoss', threshold=0.05, class_counts=COUNTS)
    never = MODELS.build(dict(base, gamma=0.0))
    always = MODELS.build(dict(base, gamma=1.0))
    for loss in (never, always):
        loss.set_train_step(0, 0, 0)
    assert never(z, y).item() == pytest.approx(
        F.cross_entropy(z, y).item(), rel=1e-12
    )
    rare = torch.tensor(COUNTS) / sum(COUNTS) < 0.05
    draws = torch.ones(N, C, dtype=torch.bool)
    assert always(z, y).item() == pytest.approx(
        seql_official(z, y, 0.05, draws).item(), rel=1e-12
    )
    assert rare.sum() == 3


def test_softmax_eql_is_stable_and_its_masks_follow_the_step():
    z, y = inputs(10, scale=400.0)  # the port's exp() overflows here
    draws = torch.rand(N, C) < 0.9
    rare = torch.tensor(COUNTS) / sum(COUNTS) < 0.05
    assert not torch.isfinite(seql_official(z, y, 0.05, draws))
    assert torch.isfinite(softmax_eql_loss(z, y, rare=rare, draws=draws))
    loss = MODELS.build(dict(type='SoftmaxEQLLoss', class_counts=COUNTS))
    with pytest.raises(RuntimeError, match='TrainStepHook'):
        loss(z, y)
    z, y = inputs(11)
    values = {}
    for step in [(0, 1, 7), (0, 1, 8), (1, 1, 7), (0, 1, 7)]:
        loss.set_train_step(*step)
        values.setdefault(step, []).append(loss(z, y).item())
    assert values[(0, 1, 7)][0] == values[(0, 1, 7)][1]
    assert len({v[0] for v in values.values()}) == 3
    # the draws are the generator's, seeded from the step alone
    g = torch.Generator().manual_seed(step_seed(0, 1, 7))
    draws = torch.rand(N, C, generator=g) < loss.gamma
    rare = torch.tensor(COUNTS) / sum(COUNTS) < loss.threshold
    assert values[(0, 1, 7)][0] == pytest.approx(
        softmax_eql_loss(z, y, rare=rare, draws=draws).item(), rel=1e-6
    )


# ---------------------------------------------------------------- IB


def ib_official(z, y, features, alpha=1000.0, weight=None):
    """pseulki/IB-Loss losses.py, IBLoss.forward (features: (N, 1))."""
    grads = torch.sum(torch.abs(F.softmax(z, dim=1) - F.one_hot(y, C)), 1)
    ib = grads * features.reshape(-1)
    ib = alpha / (ib + 0.001)
    ce = F.cross_entropy(z, y, reduction='none', weight=weight)
    return (ce * ib).mean()


@pytest.mark.parametrize('weighted', [False, True])
def test_influence_balanced_loss_is_the_official_formula(weighted):
    z, y = inputs(12)
    h_norm = torch.rand(N, dtype=torch.float64) * 20 + 0.1
    w = inverse_frequency_weights(COUNTS).double() if weighted else None
    assert_same(
        lambda x, h: influence_balanced_loss(
            x, y, h, alpha=1000.0, class_weight=w
        ),
        lambda x, h: ib_official(x, y, h[:, None], weight=w),
        z,
        h_norm,
    )
    # the module's default weights are the official IBReweight
    loss = MODELS.build(
        dict(type='InfluenceBalancedLoss', class_counts=COUNTS)
    )
    ib_reweight = 1.0 / np.array(COUNTS)
    ib_reweight = ib_reweight / ib_reweight.sum() * C
    w = torch.from_numpy(ib_reweight)
    assert_same(
        lambda x, h: loss(x, y, feature_norm=h),
        lambda x, h: ib_official(x, y, h[:, None], weight=w),
        z,
        h_norm,
        rtol=1e-6,
    )


def test_influence_balanced_loss_mixed_and_deferred():
    z, y = inputs(13)
    h_norm = torch.rand(N, dtype=torch.float64) * 20 + 0.1
    scores, other, lam = mixed(y)
    loss = MODELS.build(
        dict(
            type='InfluenceBalancedLoss',
            class_counts=COUNTS,
            weighting='none',
            start_epoch=2,
        )
    )

    def rows(x, h):
        def row(t):
            g = (F.softmax(x, 1) - F.one_hot(t, C)).abs().sum(1)
            return F.cross_entropy(x, t, reduction='none') * (
                1000.0 / (g * h + 1e-3)
            )

        return row

    loss.set_train_step(0, 2, 0)
    # the mass-weighted mean, over a mixed row's two classes
    assert_same(
        lambda x, h: loss(x, scores, feature_norm=h),
        lambda x, h: (
            (lam * rows(x, h)(y) + (1 - lam) * rows(x, h)(other)).sum() / N
        ),
        z,
        h_norm,
        rtol=1e-6,
    )
    loss.set_train_step(0, 1, 0)
    assert loss(z, y, feature_norm=h_norm).item() == pytest.approx(
        F.cross_entropy(z, y).item(), rel=1e-12
    )
    with pytest.raises(ValueError, match='FeatureNormLinearClsHead'):
        loss(z, y)
    with pytest.raises(ValueError, match='feature_norm must have shape'):
        loss(z, y, feature_norm=h_norm[:, None])


def test_the_feature_norm_head_hands_the_l1_norm_to_ib_only():
    from mmpretrain.structures import DataSample

    torch.manual_seed(0)
    head = MODELS.build(
        dict(
            type='FeatureNormLinearClsHead',
            num_classes=C,
            in_channels=6,
            loss=dict(
                type='InfluenceBalancedLoss', class_counts=COUNTS, alpha=3.0
            ),
        )
    )
    feats = (torch.randn(8, 6).relu().requires_grad_(),)
    labels = torch.randint(0, C, (8,))
    samples = [DataSample().set_gt_label(int(t)) for t in labels]
    value = head.loss(feats, samples)['loss']
    expected = influence_balanced_loss(
        head.fc(feats[0]),
        labels,
        feats[0].abs().sum(1),
        alpha=3.0,
        class_weight=inverse_frequency_weights(COUNTS),
    )
    assert value.item() == pytest.approx(expected.item(), rel=1e-6)
    (grad,) = torch.autograd.grad(value, feats)
    assert grad.abs().sum() > 0
    # another loss in the same head: what LinearClsHead gives it
    plain = MODELS.build(
        dict(
            type='FeatureNormLinearClsHead',
            num_classes=C,
            in_channels=6,
            loss=dict(type='CrossEntropyLoss'),
        )
    )
    value = plain.loss(feats, samples)['loss']
    assert value.item() == pytest.approx(
        F.cross_entropy(plain.fc(feats[0]), labels).item(), rel=1e-6
    )
    # IB behind mmpretrain's own head says which head to use
    other = MODELS.build(
        dict(
            type='LinearClsHead',
            num_classes=C,
            in_channels=6,
            loss=dict(type='InfluenceBalancedLoss', class_counts=COUNTS),
        )
    )
    with pytest.raises(ValueError, match='FeatureNormLinearClsHead'):
        other.loss(feats, samples)


# ------------------------------------------------------ every loss in bf16


GALLERY = {
    'VSLoss': dict(gamma=0.3, tau=1.0),
    'CDTLoss': dict(gamma=0.2),
    'LabelAwareSmoothingLoss': dict(smooth_head=0.4, smooth_tail=0.1),
    'SoftmaxEQLLoss': dict(threshold=0.05, gamma=0.0),
    'InfluenceBalancedLoss': dict(alpha=1000.0),
}


@pytest.mark.parametrize('name', sorted(GALLERY))
def test_under_bf16_autocast_the_maths_stay_float32(name):
    """As tests/test_loss_formulas.py: bf16 logits under CPU autocast give
    a float32 loss within float32 rounding (rel 1e-5) of the float64 value
    of the same loss on the same bf16 values."""
    z, y = inputs(14)
    zb = z.to(torch.bfloat16)
    h_norm = torch.rand(N) * 20 + 0.1
    loss = MODELS.build(dict(type=name, class_counts=COUNTS, **GALLERY[name]))
    extra = (
        dict(feature_norm=h_norm) if name == 'InfluenceBalancedLoss' else {}
    )
    if hasattr(loss, 'set_train_step'):
        loss.set_train_step(0, 0, 0)
    with torch.autocast('cpu', dtype=torch.bfloat16):
        value = loss(zb, y, **extra)
    extra64 = {k: v.double() for k, v in extra.items()}
    expected = loss(zb.double(), y, **extra64)
    assert value.dtype == torch.float32
    assert value.item() == pytest.approx(expected.item(), rel=1e-5)


@pytest.mark.parametrize(
    'cfg,match',
    [
        (dict(type='VSLoss', gamma=-0.1), 'gamma must be >= 0'),
        (dict(type='VSLoss', tau=-1.0), 'tau must be >= 0'),
        (dict(type='CDTLoss', gamma=-0.2), 'gamma must be >= 0'),
        (dict(type='CDTLoss', tau=1.0), 'CDTLoss has tau = 0'),
        (dict(type='CDTLoss', start_epoch=-1), 'start_epoch'),
        (dict(type='CDTLoss', start_epoch=1.5), 'start_epoch'),
        (dict(type='SoftmaxEQLLoss', threshold=0.0), 'threshold'),
        (dict(type='SoftmaxEQLLoss', threshold=1.0), 'threshold'),
        (dict(type='SoftmaxEQLLoss', gamma=1.5), 'gamma'),
        (dict(type='LabelAwareSmoothingLoss', smooth_head=1.0), 'smooth_head'),
        (
            dict(type='LabelAwareSmoothingLoss', smooth_tail=-0.1),
            'smooth_tail',
        ),
        (dict(type='LabelAwareSmoothingLoss', shape='cubic'), 'shape'),
        (dict(type='LabelAwareSmoothingLoss', shape='exp'), 'power'),
        (
            dict(type='LabelAwareSmoothingLoss', shape='linear', power=2.0),
            'power',
        ),
        (dict(type='InfluenceBalancedLoss', alpha=0.0), 'alpha'),
        (
            dict(
                type='InfluenceBalancedLoss',
                weighting='inverse',
                class_weight=[1.0, 2.0],
            ),
            'either class_weight or a weighting',
        ),
    ],
)
def test_bad_arguments(cfg, match):
    with pytest.raises(ValueError, match=match):
        MODELS.build(cfg)


def test_a_step_must_be_whole_numbers():
    loss = MODELS.build(dict(type='SoftmaxEQLLoss', class_counts=COUNTS))
    with pytest.raises(ValueError, match='epoch must be an int >= 0'):
        loss.set_train_step(0, -1, 0)
    with pytest.raises(ValueError, match='iteration must be an int >= 0'):
        loss.set_train_step(0, 0, 0.5)


# ------------------------------------------------------ in mmlt's Runner

STEPS = []


@HOOKS.register_module()
class RecordLossStepHook(Hook):
    priority = 'LOWEST'

    def after_train_iter(
        self, runner, batch_idx, data_batch=None, outputs=None
    ):
        loss = runner.model.head.loss_module
        STEPS.append(
            (
                runner.epoch,
                runner.iter,
                loss.train_step.epoch,
                loss.train_step.iteration,
                loss.started,
            )
        )


def test_train_step_hook_tells_the_loss_its_epoch_and_iteration(tmp_path):
    """mmlt's default runtime has TrainStepHook: a deferred CDT loss in a
    Runner knows each step's epoch and iteration, and starts at its epoch."""
    STEPS.clear()
    cfg = mnist_cfg(
        tmp_path,
        config='cdt/cdt-drw_resnet8_100e_mnist-lt.py',
        max_epochs=2,
        model=dict(head=dict(loss=dict(start_epoch=1))),
        custom_hooks=[dict(type='RecordLossStepHook')],
    )
    run(cfg)
    assert STEPS and {s[0] for s in STEPS} == {0, 1}
    for epoch, iteration, told_epoch, told_iteration, started in STEPS:
        assert (told_epoch, told_iteration) == (epoch, iteration)
        assert started == (epoch >= 1)
