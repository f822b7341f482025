"""Each re-weighting loss equals its paper's formula, written out here in
float64 numpy, in value and gradient; DRW and class counts reach them."""

import numpy as np
import pytest
import torch
from mmengine.hooks import Hook
from mmpretrain.registry import HOOKS, MODELS

from mmlt.class_counts import (
    class_balanced_weights,
    cost_sensitive_weights,
    inverse_frequency_weights,
    log_prior,
)

from runner_utils import mnist_cfg, run

COUNTS = [500, 300, 120, 60, 30, 9, 2]


def log_softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


def ce_formula(z, y, w=None):
    nll = -log_softmax(z)[np.arange(len(y)), y]
    w = np.ones(z.shape[1]) if w is None else w
    return (w[y] * nll).sum() / w[y].sum()


def focal_formula(z, y, gamma, alpha=None):
    log_p = log_softmax(z)[np.arange(len(y)), y]
    alpha = np.ones(z.shape[1]) if alpha is None else alpha
    return np.mean(-alpha[y] * (1 - np.exp(log_p)) ** gamma * log_p)


def sigmoid_focal_formula(z, y, gamma, alpha=None, w=None):
    t = np.eye(z.shape[1])[y]
    p = 1 / (1 + np.exp(-z))
    p_t = t * p + (1 - t) * (1 - p)
    bce = -(t * np.log(p) + (1 - t) * np.log(1 - p))
    a = 1.0 if alpha is None else t * alpha + (1 - t) * (1 - alpha)
    w = np.ones(z.shape[1]) if w is None else w
    return (w[y][:, None] * a * (1 - p_t) ** gamma * bce).sum() / len(y)


def la_formula(z, y, tau, w=None):
    prior = np.asarray(COUNTS, dtype=np.float64) / sum(COUNTS)
    return ce_formula(z + tau * np.log(prior), y, w)


def check(loss_cfg, formula, rng_seed=0):
    rng = np.random.default_rng(rng_seed)
    z = rng.normal(0, 3, (48, len(COUNTS)))
    y = rng.integers(0, len(COUNTS), 48)
    loss = MODELS.build(loss_cfg)
    zt = torch.tensor(z, requires_grad=True)
    value = loss(zt, torch.tensor(y))
    value.backward()
    assert value.item() == pytest.approx(formula(z, y), abs=1e-6, rel=1e-6)
    eps = 1e-6
    for idx in [(0, 0), (5, y[5]), (17, 6), (47, y[47])]:
        zp, zm = z.copy(), z.copy()
        zp[idx] += eps
        zm[idx] -= eps
        numeric = (formula(zp, y) - formula(zm, y)) / (2 * eps)
        assert zt.grad[idx].item() == pytest.approx(numeric, abs=1e-6)


def cb(beta=0.9999):
    return class_balanced_weights(COUNTS, beta).double().numpy()


def test_weighting_schemes():
    n = np.asarray(COUNTS, dtype=np.float64)
    inv = (1 / n) / (1 / n).sum() * len(n)
    sqrt = n**-0.5 / (n**-0.5).sum() * len(n)
    np.testing.assert_allclose(inverse_frequency_weights(COUNTS), inv, 1e-6)
    np.testing.assert_allclose(
        inverse_frequency_weights(COUNTS, 0.5), sqrt, 1e-6
    )
    np.testing.assert_allclose(cost_sensitive_weights(COUNTS), 2 / n, 1e-6)


@pytest.mark.parametrize(
    'weighting,weights',
    [
        ('none', lambda: None),
        ('class_balanced', cb),
        ('cost_sensitive', lambda: 2 / np.asarray(COUNTS, float)),
        (
            'sqrt_inverse',
            lambda: inverse_frequency_weights(COUNTS, 0.5).double().numpy(),
        ),
    ],
)
def test_weighted_cross_entropy(weighting, weights):
    w = weights()
    cfg = dict(
        type='WeightedCrossEntropyLoss',
        class_counts=COUNTS,
        weighting=weighting,
    )
    check(cfg, lambda z, y: ce_formula(z, y, w))


@pytest.mark.parametrize('gamma', [0.0, 1.0, 2.0])
@pytest.mark.parametrize('weighting', ['none', 'class_balanced'])
def test_softmax_focal(gamma, weighting):
    alpha = cb() if weighting == 'class_balanced' else None
    cfg = dict(
        type='SoftmaxFocalLoss',
        gamma=gamma,
        class_counts=COUNTS,
        weighting=weighting,
    )
    check(cfg, lambda z, y: focal_formula(z, y, gamma, alpha))


@pytest.mark.parametrize('gamma', [0.0, 0.5, 2.0])
@pytest.mark.parametrize('alpha', [None, 0.25])
def test_weighted_sigmoid_focal(gamma, alpha):
    cfg = dict(
        type='WeightedSigmoidFocalLoss',
        gamma=gamma,
        alpha=alpha,
        class_counts=COUNTS,
        weighting='class_balanced',
    )
    check(cfg, lambda z, y: sigmoid_focal_formula(z, y, gamma, alpha, cb()))


def test_focal_with_gamma_0_is_cross_entropy():
    cfg = dict(type='SoftmaxFocalLoss', gamma=0.0)
    check(cfg, lambda z, y: ce_formula(z, y))


@pytest.mark.parametrize('tau', [0.0, 0.5, 1.0, 2.0])
def test_logit_adjusted(tau):
    cfg = dict(type='LogitAdjustedLoss', tau=tau, class_counts=COUNTS)
    check(cfg, lambda z, y: la_formula(z, y, tau))


def test_balanced_softmax_is_tau_1_with_weights():
    cfg = dict(
        type='BalancedSoftmaxLoss',
        class_counts=COUNTS,
        weighting='class_balanced',
    )
    check(cfg, lambda z, y: la_formula(z, y, 1.0, cb()))
    with pytest.raises(ValueError, match='tau = 1'):
        MODELS.build(dict(type='BalancedSoftmaxLoss', tau=2))


@pytest.mark.parametrize(
    'loss_type',
    [
        'WeightedCrossEntropyLoss',
        'SoftmaxFocalLoss',
        'WeightedSigmoidFocalLoss',
        'LogitAdjustedLoss',
        'BalancedSoftmaxLoss',
        'LDAMLoss',
    ],
)
@pytest.mark.parametrize('dtype', [torch.float16, torch.bfloat16])
def test_half_precision_logits_give_finite_losses(loss_type, dtype):
    loss = MODELS.build(dict(type=loss_type, class_counts=COUNTS))
    logits = (torch.randn(16, len(COUNTS)) * 20).to(dtype)
    value = loss(logits, torch.randint(0, len(COUNTS), (16,)))
    assert value.dtype == torch.float32 and torch.isfinite(value)


@pytest.mark.parametrize(
    'cfg,match',
    [
        (dict(type='SoftmaxFocalLoss', gamma=-0.5), 'gamma'),
        (dict(type='WeightedSigmoidFocalLoss', gamma=-1), 'gamma'),
        (dict(type='WeightedSigmoidFocalLoss', alpha=1.5), 'alpha'),
        (dict(type='LogitAdjustedLoss', tau=-1), 'tau'),
        (dict(type='WeightedCrossEntropyLoss', beta=1.0), 'beta'),
        (dict(type='SoftmaxFocalLoss', beta=-0.1), 'beta'),
        (
            dict(type='WeightedCrossEntropyLoss', weighting='median'),
            'weighting',
        ),
        (
            dict(
                type='WeightedCrossEntropyLoss',
                class_weight=[1, 2],
                weighting='inverse',
            ),
            'either class_weight or a weighting',
        ),
        (
            dict(
                type='SoftmaxFocalLoss',
                class_weight=[1, 2, 3],
                class_counts=[5, 4],
            ),
            'class weights have 3',
        ),
        (
            dict(type='WeightedCrossEntropyLoss', class_weight=[1, -2]),
            'weight',
        ),
        (dict(type='LogitAdjustedLoss', class_counts=[5, 0]), 'whole'),
    ],
)
def test_bad_arguments(cfg, match):
    with pytest.raises(ValueError, match=match):
        MODELS.build(cfg)


def test_missing_counts_and_class_mismatch():
    with pytest.raises(RuntimeError, match='SetClassCountsHook'):
        MODELS.build(dict(type='LogitAdjustedLoss'))(
            torch.zeros(2, 3), torch.zeros(2, dtype=torch.long)
        )
    # a weighting needs the counts too: no silent plain cross-entropy
    with pytest.raises(RuntimeError, match="weighting='class_balanced'"):
        MODELS.build(
            dict(type='WeightedCrossEntropyLoss', weighting='class_balanced')
        )(torch.zeros(2, 3), torch.zeros(2, dtype=torch.long))
    loss = MODELS.build(dict(type='SoftmaxFocalLoss', class_counts=[5, 3, 1]))
    with pytest.raises(ValueError, match='3 classes but the logits have 4'):
        loss(torch.zeros(2, 4), torch.zeros(2, dtype=torch.long))


@pytest.mark.parametrize(
    'cfg,typo,suggestion',
    [
        (dict(type='SoftmaxFocalLoss', gama=2.0), 'gama', 'gamma'),
        (dict(type='LDAMLoss', max_n=0.5), 'max_n', 'max_m'),
        (
            dict(type='BalancedSoftmaxLoss', weigting='inverse'),
            'weigting',
            'weighting',
        ),
    ],
)
def test_unknown_arguments_name_the_loss_and_the_nearest_name(
    cfg, typo, suggestion
):
    with pytest.raises(TypeError) as info:
        MODELS.build(cfg)
    message = str(info.value)
    assert f"{cfg['type']} got unexpected keyword argument '{typo}'" in (
        message
    )
    assert f"did you mean '{suggestion}'" in message


STATES = {}


@HOOKS.register_module()
class RecordWeightHook(Hook):
    priority = 'LOWEST'

    def before_train_epoch(self, runner):
        loss = runner.model.head.loss_module
        weight = loss.active_class_weight()
        prior = (
            loss.derived('log_prior', log_prior)
            if loss.class_counts is not None and hasattr(loss, 'tau')
            else None
        )
        STATES.setdefault(runner.work_dir, {})[runner.epoch] = (
            None if weight is None else weight.clone(),
            prior,
        )


@pytest.mark.parametrize(
    'loss', [dict(type='SoftmaxFocalLoss'), dict(type='BalancedSoftmaxLoss')]
)
def test_drw_and_class_counts_reach_every_loss(tmp_path, loss):
    mnist_counts = [400, 239, 143, 86, 51, 30, 18, 11, 6, 4]
    cfg = mnist_cfg(
        tmp_path,
        config='ce_mnist_lt.py',
        max_epochs=2,
        model=dict(head=dict(loss=dict(_delete_=True, **loss))),
        custom_hooks=[
            dict(type='DRWHook', drw_epoch=1),
            dict(type='RecordWeightHook'),
        ],
    )
    run(cfg)
    states = STATES[str(tmp_path)]
    assert states[0][0] is None
    torch.testing.assert_close(
        states[1][0], class_balanced_weights(mnist_counts, 0.9999)
    )
    if loss['type'] == 'BalancedSoftmaxLoss':
        prior = torch.tensor(mnist_counts, dtype=torch.float64)
        torch.testing.assert_close(
            states[0][1], (prior / prior.sum()).log().float()
        )
