"""Mixup with mmlt: mixed targets in every loss, manifold mixup at its
layer, and the fine-tuning hook's switch (also after a resume)."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from mmengine.config import Config
from mmengine.hooks import Hook
from mmpretrain.registry import HOOKS, MODELS
from mmpretrain.structures import DataSample

from mmlt.models import ldam_margins, mix_batch
from mmlt.models.losses import expand_mixed_target, split_mixed_target

from runner_utils import mnist_cfg, run

COUNTS = [400, 200, 90, 40, 15, 6]
C = len(COUNTS)


def log_softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


def nll(z, y):
    return -log_softmax(z)[np.arange(len(y)), y]


def ldam_rows(z, y):
    margins = ldam_margins(COUNTS, 0.5).double().numpy()
    return nll(30 * (z - margins[y][:, None] * np.eye(C)[y]), y)


def balanced_softmax_rows(z, y):
    prior = np.asarray(COUNTS, float) / sum(COUNTS)
    return nll(z + np.log(prior), y)


def focal_rows(z, y, gamma=2.0):
    log_p = -nll(z, y)
    return -((1 - np.exp(log_p)) ** gamma) * log_p


def sigmoid_focal_rows(z, y, gamma=2.0):
    t = np.eye(C)[y]
    p = 1 / (1 + np.exp(-z))
    p_t = t * p + (1 - t) * (1 - p)
    return (-((1 - p_t) ** gamma) * np.log(p_t)).sum(axis=1)


def class_balanced():
    from mmlt.class_counts import class_balanced_weights

    return class_balanced_weights(COUNTS, 0.9999).double().numpy()


# (loss config, loss of each row for its class, class weights, whether the
# mean is weighted by the weights (cross-entropy's) or divided by N)
CASES = {
    'weighted_ce': (
        dict(type='WeightedCrossEntropyLoss', weighting='class_balanced'),
        nll,
        class_balanced,
        True,
    ),
    'ldam_drw': (
        dict(type='LDAMLoss', class_weight=[1, 2, 3, 4, 5, 6]),
        ldam_rows,
        lambda: np.arange(1.0, C + 1),
        True,
    ),
    'balanced_softmax': (
        dict(type='BalancedSoftmaxLoss'),
        balanced_softmax_rows,
        lambda: np.ones(C),
        True,
    ),
    'cb_softmax_focal': (
        dict(type='SoftmaxFocalLoss', gamma=2.0, weighting='class_balanced'),
        focal_rows,
        class_balanced,
        False,
    ),
    'cb_sigmoid_focal': (
        dict(
            type='WeightedSigmoidFocalLoss',
            gamma=2.0,
            weighting='class_balanced',
        ),
        sigmoid_focal_rows,
        class_balanced,
        False,
    ),
}


def mixture_formula(z, a, b, lam, rows, w, weighted_mean):
    """sum_i lam_i w_a L(z_i, a_i) + (1 - lam_i) w_b L(z_i, b_i), over the
    summed masses (times weights) or over N."""
    total = lam * w[a] * rows(z, a) + (1 - lam) * w[b] * rows(z, b)
    den = (lam * w[a] + (1 - lam) * w[b]).sum() if weighted_mean else len(z)
    return total.sum() / den


def mixed_batch(seed, n=40):
    rng = np.random.default_rng(seed)
    z = rng.uniform(-1, 1, (n, C)) * 3
    a = rng.integers(0, C, n)
    b = rng.integers(0, C, n)
    b[:5] = a[:5]  # a row mixed with its own class is one-hot
    lam = rng.uniform(0, 1, n)
    lam[5:8] = 1.0  # and so is a row with lambda = 1
    scores = lam[:, None] * np.eye(C)[a] + (1 - lam[:, None]) * np.eye(C)[b]
    return z, a, b, lam, scores


@pytest.mark.parametrize('name', list(CASES))
def test_mixed_targets_give_the_mass_weighted_loss_of_both_classes(name):
    cfg, rows, weights, weighted_mean = CASES[name]
    z, a, b, lam, scores = mixed_batch(0)
    loss = MODELS.build(dict(cfg, class_counts=COUNTS))
    w = weights()

    def formula(z):
        return mixture_formula(z, a, b, lam, rows, w, weighted_mean)

    zt = torch.tensor(z, requires_grad=True)
    value = loss(zt, torch.tensor(scores))
    value.backward()
    assert value.item() == pytest.approx(formula(z), rel=1e-6, abs=1e-7)
    eps = 1e-6
    for idx in [(0, 0), (9, a[9]), (13, b[13]), (39, 5)]:
        zp, zm = z.copy(), z.copy()
        zp[idx] += eps
        zm[idx] -= eps
        numeric = (formula(zp) - formula(zm)) / (2 * eps)
        assert zt.grad[idx].item() == pytest.approx(numeric, abs=1e-6)


@pytest.mark.parametrize('name', list(CASES))
def test_one_hot_scores_equal_class_indices(name):
    cfg = dict(CASES[name][0], class_counts=COUNTS)
    z, a, *_ = mixed_batch(1)
    loss = MODELS.build(cfg)
    by_index = loss(torch.tensor(z), torch.tensor(a))
    by_score = loss(torch.tensor(z), F.one_hot(torch.tensor(a), C))
    assert by_score.item() == pytest.approx(by_index.item(), rel=1e-12)


def test_ghmc_counts_each_mixed_logit_by_its_mass():
    z, a, b, lam, scores = mixed_batch(2)
    bins = 5
    # every (row, class of the row) pair is a set of C logits of mass m
    logits = np.concatenate([z, z])
    t = np.eye(C)[np.concatenate([a, b])]
    m = np.repeat(np.concatenate([lam, 1 - lam])[:, None], C, axis=1)
    g = np.abs(1 / (1 + np.exp(-logits)) - t)
    index = np.minimum((g * bins).astype(int), bins - 1)
    counts = np.bincount(index.ravel(), m.ravel(), minlength=bins)
    filled = (counts > 0).sum()
    w_ghm = 1 / (counts[index] * filled)
    bce = (
        np.maximum(logits, 0) - logits * t + np.log1p(np.exp(-np.abs(logits)))
    )
    expected = (m * w_ghm * bce).sum()
    loss = MODELS.build(dict(type='GHMCLoss', bins=bins))
    value = loss(torch.tensor(z), torch.tensor(scores))
    assert value.item() == pytest.approx(expected, rel=1e-9)


def test_mixed_targets_keep_total_label_mass_one():
    inputs = torch.randn(16, 3, 8, 8)
    scores = F.one_hot(torch.randint(0, C, (16,)), C).float()
    index = torch.randperm(16)
    for lam in (0.0, 0.3, 0.5, 1.0):
        mixed = mix_batch(scores, lam, index)
        assert torch.allclose(mixed.sum(dim=1), torch.ones(16))
        assert torch.allclose(
            mix_batch(inputs, lam, index),
            lam * inputs + (1 - lam) * inputs[index],
            atol=1e-6,
        )
        classes, mass = split_mixed_target(mixed)
        assert torch.allclose(mass.sum(dim=1), torch.ones(16))


def test_mixed_target_pairs_are_stacked_rows():
    z = torch.randn(4, C)
    scores = torch.zeros(4, C)
    scores[torch.arange(4), torch.tensor([0, 1, 2, 3])] = 0.7
    scores[torch.arange(4), torch.tensor([5, 4, 2, 0])] += 0.3
    logits, target, mass = expand_mixed_target(z, scores)
    assert torch.equal(logits, torch.cat([z, z]))
    assert target[:4].tolist() == [0, 1, 2, 3]
    assert target[[4, 5, 7]].tolist() == [5, 4, 0]
    # row 2 is one class with all the mass: its second row weighs nothing
    assert mass.tolist() == pytest.approx([0.7, 0.7, 1, 0.7, 0.3, 0.3, 0, 0.3])
    one_hot = F.one_hot(torch.tensor([3, 1, 0, 2]), C).float()
    logits, target, mass = expand_mixed_target(z, one_hot)
    assert logits is z and target.tolist() == [3, 1, 0, 2] and mass is None


@pytest.mark.parametrize(
    'scores,match',
    [
        (torch.full((2, C), 1.0 / C), 'at most two'),
        (torch.eye(C)[:2] * 0.5, 'sum to 1'),
        (torch.eye(C)[:2] - 0.1, '>= 0'),
        (torch.tensor([[float('nan')] + [0.0] * (C - 1)] * 2), 'finite'),
    ],
)
def test_targets_that_are_not_a_two_class_mixture_are_refused(scores, match):
    loss = MODELS.build(dict(type='WeightedCrossEntropyLoss'))
    with pytest.raises(ValueError, match=match):
        loss(torch.randn(2, C), scores)


def test_a_target_of_the_wrong_shape_is_refused():
    loss = MODELS.build(dict(type='WeightedCrossEntropyLoss'))
    with pytest.raises(ValueError, match=r'\(N,\) or mixed scores'):
        loss(torch.randn(2, C), torch.zeros(2, C + 1))


def manifold_model(mix_layer='backbone.stages.1', **kwargs):
    cfg = Config.fromfile(
        'configs/mixup/manifold-mixup_resnet8_100e_mnist-lt.py'
    )
    model = dict(cfg.model, mix_layer=mix_layer, **kwargs)
    return MODELS.build(model)


def samples(labels):
    return [DataSample().set_gt_label(int(y)) for y in labels]


def test_manifold_mixup_mixes_the_configured_layer_in_training_only():
    torch.manual_seed(0)
    model = manifold_model('backbone.stages.1').eval()  # fixed BN stats
    inputs = torch.randn(6, 1, 28, 28)
    labels = torch.tensor([0, 1, 2, 3, 4, 5])
    seen = {}
    stages = model.backbone.stages
    stages[0].register_forward_hook(
        lambda m, args, out: seen.update(stage0_out=out.clone())
    )
    stages[2].register_forward_hook(
        lambda m, args, out: seen.update(stage2_in=args[0].clone())
    )
    model.extract_feat(inputs)
    stage0_plain = seen['stage0_out']
    stage1_plain = seen['stage2_in']

    torch.manual_seed(1)
    data_samples = samples(labels)
    model.loss(inputs, data_samples)
    torch.manual_seed(1)
    lam = torch.distributions.Beta(1.0, 1.0).sample().item()
    index = torch.randperm(6)
    assert 0 < lam < 1
    # stage 0 is untouched; what stage 2 gets is stage 1's output, mixed
    assert torch.allclose(seen['stage0_out'], stage0_plain)
    assert torch.allclose(
        seen['stage2_in'], mix_batch(stage1_plain, lam, index), atol=1e-6
    )
    assert not torch.allclose(seen['stage2_in'], stage1_plain, atol=1e-3)
    # and the labels are mixed alike
    scores = torch.stack([s.gt_score for s in data_samples])
    one_hot = F.one_hot(labels, 10).float()
    assert torch.allclose(scores, mix_batch(one_hot, lam, index))

    # prediction, and training with mixup off, run the plain network
    model.predict(inputs)
    assert torch.allclose(seen['stage2_in'], stage1_plain)
    model.mixup = False
    out = model.loss(inputs, samples(labels))
    assert torch.allclose(seen['stage2_in'], stage1_plain)
    assert torch.isfinite(out['loss'])


def test_manifold_mixup_checkpoints_are_image_classifier_checkpoints():
    cfg = Config.fromfile(
        'configs/mixup/manifold-mixup_resnet8_100e_mnist-lt.py'
    )
    plain = dict(cfg.model, type='ImageClassifier')
    del plain['mix_layer'], plain['alpha']
    keys = MODELS.build(plain).state_dict().keys()
    assert manifold_model().state_dict().keys() == keys


def test_manifold_mixup_names_a_missing_layer():
    with pytest.raises(ValueError, match="mix_layer='backbone.layer9'"):
        manifold_model('backbone.layer9')
    with pytest.raises(ValueError, match='alpha must be > 0'):
        manifold_model(alpha=0.0)


MIXING = {}


@HOOKS.register_module()
class RecordMixingHook(Hook):
    """Records, for each training epoch, whether the batches are mixed."""

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        pre = runner.model.data_preprocessor
        mixing = MIXING.setdefault(runner.work_dir, {})
        mixing.setdefault(runner.epoch, set()).add(
            (pre.batch_augments is not None, pre.to_onehot)
        )


def mixup_ft_cfg(work_dir, **options):
    return mnist_cfg(
        work_dir,
        config='mixup/mixup-ft_resnet8_100e_mnist-lt.py',
        max_epochs=4,
        custom_hooks=[
            dict(type='MixupFinetuneHook', num_last_epochs=2),
            dict(type='RecordMixingHook'),
        ],
        **options,
    )


def test_finetune_hook_switches_at_its_epoch_also_after_resume(tmp_path):
    full = tmp_path / 'full'
    run(mixup_ft_cfg(full))
    on, off = {(True, True)}, {(False, False)}
    assert MIXING[str(full)] == {0: on, 1: on, 2: off, 3: off}
    for epoch in (1, 2, 3):
        resumed = tmp_path / f'resumed_{epoch}'
        checkpoint = full / f'epoch_{epoch}.pth'
        run(mixup_ft_cfg(resumed, resume=True, load_from=str(checkpoint)))
        expected = {e: on if e < 2 else off for e in range(epoch, 4)}
        assert MIXING[str(resumed)] == expected


def test_finetune_hook_needs_mixup_and_a_mixing_epoch(tmp_path):
    cfg = mixup_ft_cfg(tmp_path / 'a', model=dict(train_cfg=None))
    with pytest.raises(ValueError, match='found no mixup'):
        run(cfg)
    cfg = mixup_ft_cfg(tmp_path / 'b')
    cfg.custom_hooks[0]['num_last_epochs'] = 4
    with pytest.raises(ValueError, match='max_epochs=4'):
        run(cfg)
