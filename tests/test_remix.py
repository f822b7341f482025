"""Remix: the per-sample label rule, the batch augment's mixing, its errors,
and its path from a config to the class counts and the losses."""

from types import SimpleNamespace
from unittest.mock import MagicMock

import numpy as np
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmpretrain.registry import BATCH_AUGMENTS, MODELS
from mmpretrain.structures import DataSample

from mmlt.class_counts import counts_consumers, dataset_counts
from mmlt.engine.hooks import SetClassCountsHook
from mmlt.models import Remix, remix_label_weights
from mmlt.models.losses import WeightedCrossEntropyLoss

from runner_utils import mnist_cfg, run

COUNTS = [900, 300, 100, 40, 10]
C = len(COUNTS)


def weights(lam, a, b, kappa=3.0, tau=0.5):
    counts = torch.tensor(COUNTS)
    return remix_label_weights(
        lam, counts[torch.tensor(a)], counts[torch.tensor(b)], kappa, tau
    ).tolist()


def test_head_with_tail_below_tau_gives_the_label_to_the_tail():
    # 900 / 100 = 9 >= 3 and lam = 0.3 < 0.5: all the mass on class b
    assert weights(0.3, [0], [2]) == [0.0]
    # the boundary ratio 300 / 100 == kappa counts as the head
    assert weights(0.3, [1], [2]) == [0.0]


def test_tail_with_head_below_tau_keeps_the_label_on_the_tail():
    # b = 0 is the head, and its share 1 - lam = 0.2 < 0.5: all on a
    assert weights(0.8, [2], [0]) == [1.0]
    assert weights(0.8, [2], [1]) == [1.0]  # 300 / 100 == kappa


def test_otherwise_the_label_is_mixed_as_the_images():
    lam = 0.3
    # ratios below kappa: 300 / 900, 100 / 40 = 2.5, a class with itself
    assert weights(lam, [1, 2, 3, 3], [0, 3, 2, 3]) == pytest.approx([lam] * 4)
    # ratio >= kappa, but the head's share is not below tau
    assert weights(0.5, [0], [2]) == [0.5]  # lam == tau
    assert weights(0.7, [0], [2]) == pytest.approx([0.7])
    assert weights(0.3, [2], [0]) == pytest.approx([0.3])  # 1 - lam = 0.7
    # a larger kappa makes the same pair an ordinary mixup pair
    assert weights(0.3, [1], [2], kappa=3.5) == pytest.approx([0.3])
    # and tau = 0 never moves the label
    assert weights(0.0, [0], [4], tau=0.0) == [0.0]
    assert weights(0.3, [0], [4], tau=0.0) == pytest.approx([0.3])


def test_the_weights_are_per_sample_within_one_batch():
    lam = 0.3
    a, b = [0, 2, 1, 4], [2, 0, 0, 0]
    w = weights(lam, a, b)
    # head-with-tail, tail-with-head (1 - lam = 0.7 is not < tau), 3:1 with
    # the head mixed in, tail-with-head
    assert w == pytest.approx([0.0, lam, lam, lam])
    w = weights(0.8, [0, 2, 1, 3], [2, 0, 2, 2])
    assert w == pytest.approx([0.8, 1.0, 0.8, 0.8])
    w = weights(0.2, [0, 3, 2, 3], [4, 0, 3, 3])
    assert w == pytest.approx([0.0, 0.2, 0.2, 0.2])
    assert len(set(weights(0.3, [0, 3], [4, 2]))) == 2


def test_weights_keep_the_counts_device_and_are_float32():
    counts = torch.tensor(COUNTS)
    w = remix_label_weights(0.3, counts[[0, 1]], counts[[2, 2]])
    assert w.dtype == torch.float32 and w.device == counts.device


def batch(n=32, seed=0):
    g = torch.Generator().manual_seed(seed)
    inputs = torch.randn(n, 3, 4, 4, generator=g)
    labels = torch.randint(0, C, (n,), generator=g)
    return inputs, labels, F.one_hot(labels, C)


def draw(seed, alpha=1.0):
    np.random.seed(seed)
    torch.manual_seed(seed)
    remix = Remix(alpha=alpha, class_counts=COUNTS)
    inputs, labels, scores = batch()
    mixed_inputs, mixed_scores = remix(inputs, scores)
    # what it drew, drawn again from the same seeds
    np.random.seed(seed)
    torch.manual_seed(seed)
    lam = np.random.beta(alpha, alpha)
    index = torch.randperm(len(labels))
    return inputs, labels, mixed_inputs, mixed_scores, lam, index


@pytest.mark.parametrize('seed', [0, 1, 2, 3])
def test_call_mixes_inputs_by_lam_and_labels_by_the_rule(seed):
    inputs, labels, mixed_inputs, mixed_scores, lam, index = draw(seed)
    assert torch.allclose(
        mixed_inputs, lam * inputs + (1 - lam) * inputs[index]
    )
    assert mixed_scores.dtype == torch.float32
    assert torch.allclose(mixed_scores.sum(dim=1), torch.ones(len(labels)))
    a, b = labels.tolist(), labels[index].tolist()
    w = weights(float(lam), a, b)
    for i in range(len(a)):
        expected = torch.zeros(C)
        expected[a[i]] += w[i]
        expected[b[i]] += 1 - w[i]
        assert torch.allclose(mixed_scores[i], expected), i


def test_one_batch_holds_moved_and_mixed_labels():
    # a seed whose lam is below tau: head rows lose their label, others mix
    inputs, labels, _, mixed_scores, lam, index = draw(0)
    assert lam < 0.5
    a, b = labels, labels[index]
    mass_a = mixed_scores[torch.arange(len(a)), a]
    moved = (a != b) & (mass_a == 0)
    mixed = (a != b) & torch.isclose(mass_a, torch.tensor(lam).float())
    assert moved.any() and mixed.any()
    assert (moved | mixed | (a == b)).all()


@pytest.mark.parametrize(
    'kwargs,match',
    [
        (dict(alpha=0.0), 'alpha must be > 0'),
        (dict(alpha=-1.0), 'alpha must be > 0'),
        (dict(kappa=1.0), 'kappa must be > 1'),
        (dict(kappa=0.5), 'kappa must be > 1'),
        (dict(tau=-0.1), r'tau must be in \[0, 1\]'),
        (dict(tau=1.5), r'tau must be in \[0, 1\]'),
        (dict(class_counts=[10, 0, 3]), 'class_counts must hold whole'),
        (dict(class_counts=[10]), 'class_counts must be a list'),
    ],
)
def test_bad_settings_name_the_parameter(kwargs, match):
    with pytest.raises(ValueError, match=match):
        Remix(**kwargs)


def test_without_counts_it_says_how_to_get_them():
    inputs, _, scores = batch()
    with pytest.raises(RuntimeError, match='class_counts.*SetClassCountsHook'):
        Remix()(inputs, scores)


@pytest.mark.parametrize(
    'scores',
    [
        # label smoothing
        F.one_hot(torch.arange(4) % C, C).float() * 0.9 + 0.1 / C,
        # a mixup before it
        0.6 * torch.eye(C)[:4] + 0.4 * torch.eye(C)[1:5],
        torch.zeros(4, C),
        torch.ones(4, C),
    ],
)
def test_scores_that_are_not_one_hot_are_refused(scores):
    with pytest.raises(ValueError, match='one-hot'):
        Remix(class_counts=COUNTS)(torch.randn(4, 3, 2, 2), scores)


def test_counts_of_another_number_of_classes_are_refused():
    remix = Remix(class_counts=COUNTS + [5])
    with pytest.raises(ValueError, match=r'class_counts has 6 classes.*5\)'):
        remix(torch.randn(4, 3, 2, 2), torch.eye(C)[:4])


def classifier(**remix):
    return MODELS.build(
        dict(
            type='ImageClassifier',
            backbone=dict(type='CifarResNet', depth=8, in_channels=3),
            neck=dict(type='GlobalAveragePooling'),
            head=dict(
                type='LinearClsHead',
                num_classes=C,
                in_channels=64,
                loss=dict(type='WeightedCrossEntropyLoss'),
            ),
            data_preprocessor=dict(
                type='ClsDataPreprocessor',
                num_classes=C,
                batch_augments=dict(
                    augments=[dict(type='Remix', alpha=1.0, **remix)]
                ),
            ),
        )
    )


def test_it_builds_from_the_registry():
    remix = BATCH_AUGMENTS.build(dict(type='Remix', alpha=0.5, kappa=2.0))
    assert isinstance(remix, Remix)
    assert (remix.alpha, remix.kappa, remix.tau) == (0.5, 2.0, 0.5)
    assert remix.class_counts is None


def test_counts_reach_the_remix_of_the_data_preprocessor():
    model = classifier()
    (remix,) = model.data_preprocessor.batch_augments.augments
    assert isinstance(remix, Remix)
    assert remix in counts_consumers(model)
    assert model.head.loss_module in counts_consumers(model)
    runner = SimpleNamespace(
        model=model, train_dataloader=SimpleNamespace(), logger=MagicMock()
    )
    SetClassCountsHook(class_counts=COUNTS).before_train(runner)
    assert remix.class_counts == COUNTS
    # counts given in the config are kept
    given = [5, 4, 3, 2, 1]
    kept = classifier(class_counts=given)
    runner.model = kept
    SetClassCountsHook(class_counts=COUNTS).before_train(runner)
    assert kept.data_preprocessor.batch_augments.augments[0].class_counts == (
        given
    )

    # and the preprocessor mixes a training batch with them
    np.random.seed(0)
    torch.manual_seed(0)
    labels = [0, 2, 4, 1, 3, 0, 0, 2]
    data = dict(
        inputs=[torch.randint(0, 256, (3, 8, 8), dtype=torch.uint8)] * 8,
        data_samples=[DataSample().set_gt_label(y) for y in labels],
    )
    out = model.data_preprocessor(data, training=True)
    scores = torch.stack([s.gt_score for s in out['data_samples']])
    assert torch.allclose(scores.sum(dim=1), torch.ones(8))
    assert torch.isfinite(
        model.loss(out['inputs'], out['data_samples'])['loss']
    )


def test_counts_consumers_without_a_batch_augment():
    assert counts_consumers(nn.Linear(2, 2)) == []
    plain = MODELS.build(dict(type='ClsDataPreprocessor', num_classes=C))
    model = nn.Module()
    model.data_preprocessor = plain
    assert counts_consumers(model) == []
    # a RandomBatchAugment with probs holds None for "no augment"
    pre = MODELS.build(
        dict(
            type='ClsDataPreprocessor',
            num_classes=C,
            batch_augments=dict(
                augments=[dict(type='Mixup', alpha=1.0), dict(type='Remix')],
                probs=[0.3, 0.3],
            ),
        )
    )
    assert pre.batch_augments.augments[-1] is None
    model.data_preprocessor = pre
    assert counts_consumers(model) == [pre.batch_augments.augments[1]]


def log_softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


def test_mmlt_losses_take_its_scores_as_per_row_mixtures():
    _, labels, _, scores, lam, index = draw(0)
    a, b = labels.numpy(), labels[index].numpy()
    w = np.asarray(weights(float(lam), a.tolist(), b.tolist()))
    assert len(set(np.round(w, 6)) - {0.0, 1.0}) >= 1 and (w == 0).any()
    z = np.random.default_rng(0).normal(size=(len(a), C)) * 2
    log_p = log_softmax(z)
    rows = np.arange(len(a))
    expected = -(w * log_p[rows, a] + (1 - w) * log_p[rows, b]).mean()
    loss = WeightedCrossEntropyLoss()(torch.tensor(z), scores)
    assert loss.item() == pytest.approx(expected, rel=1e-6)
    # the batch-mean weight of the Bag of Tricks port is another loss
    bot = -(
        w.mean() * log_p[rows, a].mean()
        + (1 - w.mean()) * log_p[rows, b].mean()
    )
    assert loss.item() != pytest.approx(bot, rel=1e-3)


def test_a_training_run_fills_in_the_counts(tmp_path):
    cfg = mnist_cfg(
        tmp_path,
        config='mixup/mixup_resnet8_100e_mnist-lt.py',
        max_epochs=1,
        model=dict(train_cfg=dict(augments=dict(type='Remix', alpha=1.0))),
    )
    runner = run(cfg)
    pre = runner.model.data_preprocessor
    (remix,) = pre.batch_augments.augments
    assert isinstance(remix, Remix)
    assert remix.class_counts == dataset_counts(
        runner.train_dataloader.dataset
    )


@pytest.mark.skipif(not torch.cuda.is_available(), reason='needs a GPU')
def test_it_mixes_on_the_batch_device():
    inputs, _, scores = batch()
    mixed_inputs, mixed_scores = Remix(class_counts=COUNTS)(
        inputs.cuda(), scores.cuda()
    )
    assert mixed_inputs.is_cuda and mixed_scores.is_cuda
    assert mixed_scores.dtype == torch.float32
