"""The feature-cloud loss (mmlt's reading of LEAP): the angle shift, the
running angle statistics, the spread the tail classes take from the head
classes, the loss by hand, and a Runner on MNIST-LT."""

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from mmpretrain.registry import MODELS

from mmlt.models.losses import feature_cloud_loss, shifted_cosine, tail_spread

from runner_utils import assert_resumes_exactly, build, mnist_cfg

CONFIG = 'feature_cloud/feature-cloud_resnet8_100e_mnist-lt.py'
COUNTS = [500, 200, 50, 10]


def make_loss(**options):
    cfg = dict(
        type='FeatureCloudLoss',
        num_classes=4,
        head_thr=100,
        class_counts=COUNTS,
    )
    return MODELS.build(dict(cfg, **options))


def test_the_shifted_cosine_is_the_cosine_of_the_shifted_angle():
    cosine = torch.linspace(-0.99, 0.99, 21, dtype=torch.float64)
    shift = torch.linspace(-0.5, 0.5, 21, dtype=torch.float64)
    torch.testing.assert_close(
        shifted_cosine(cosine, shift), torch.cos(torch.arccos(cosine) + shift)
    )
    # differentiable where a feature lies on its class centre
    on_centre = torch.ones(2, requires_grad=True)
    shifted_cosine(on_centre, torch.tensor([0.1, -0.1])).sum().backward()
    assert torch.isfinite(on_centre.grad).all()


def test_the_statistics_are_each_class_angles_running_mean_and_variance():
    loss = make_loss(momentum=0.75)
    rng = np.random.default_rng(0)
    batches = []
    for _ in range(2):
        target = torch.tensor([0, 0, 0, 1, 1, 3])
        cosine = torch.tensor(rng.uniform(-1, 1, (6, 4)), dtype=torch.float32)
        loss(cosine, target)
        theta = np.arccos(cosine[torch.arange(6), target].double().numpy())
        batches.append(
            {c: theta[target.numpy() == c] for c in target.unique().tolist()}
        )
    assert loss.seen.tolist() == [True, True, False, True]
    for c in (0, 1, 3):
        first, second = batches[0][c], batches[1][c]
        # a class's first batch sets its statistics, later ones move them
        mean = 0.75 * first.mean() + 0.25 * second.mean()
        var = 0.75 * first.var() + 0.25 * second.var()
        assert loss.angle_mean[c].item() == pytest.approx(mean)
        assert loss.angle_var[c].item() == pytest.approx(var)
    assert loss.angle_var[2] == 0
    # in eval mode nothing moves
    before = loss.angle_var.clone()
    loss.eval()
    loss(torch.rand(3, 4), torch.tensor([2, 2, 0]))
    assert torch.equal(loss.angle_var, before) and not loss.seen[2]


def test_a_tail_class_takes_the_head_classes_spread_by_hand():
    var = torch.tensor([0.04, 0.02, 0.01, 0.05, 0.0], dtype=torch.float64)
    seen = torch.tensor([True, True, True, True, False])
    head = torch.tensor([True, True, False, False, False])
    # the head's variance is 0.03: class 2 gets sqrt(0.02); class 3, wider
    # than the head already, nothing; the unseen class 4 nothing
    expected = [0, 0, math.sqrt(0.02), 0, 0]
    assert tail_spread(var, seen, head).tolist() == pytest.approx(expected)
    # no head class seen yet: no cloud anywhere
    none_seen = seen & ~head
    assert tail_spread(var, none_seen, head).tolist() == [0] * 5


def test_the_loss_is_cross_entropy_of_one_cloud_member_by_hand():
    cosine = torch.tensor([[0.6, 0.2, -0.1], [0.3, 0.8, 0.1]])
    target = torch.tensor([0, 1])
    spread = torch.tensor([0.0, 0.3, 0.0])
    noise = torch.tensor([1.5, -2.0])
    # row 0 (a class without spread) keeps its logits; row 1's target
    # cosine becomes cos(arccos(0.8) - 0.6)
    member = math.cos(math.acos(0.8) - 0.6)
    logits = torch.tensor([[0.6, 0.2, -0.1], [0.3, member, 0.1]])
    expected = F.cross_entropy(16 * logits, target)
    value = feature_cloud_loss(
        cosine, target, spread=spread, noise=noise, s=16
    )
    assert value.item() == pytest.approx(expected.item(), rel=1e-6)


def test_without_spread_it_is_cross_entropy_on_the_scaled_cosines():
    cosine = torch.rand(8, 4) * 2 - 1
    target = torch.tensor([0, 1, 2, 3, 3, 2, 1, 0])
    loss = make_loss(spread_scale=0.0)
    torch.testing.assert_close(
        loss(cosine, target), F.cross_entropy(30 * cosine, target)
    )
    loss = make_loss()
    loss.eval()
    torch.testing.assert_close(
        loss(cosine, target), F.cross_entropy(30 * cosine, target)
    )


@pytest.mark.parametrize(
    'options,match',
    [
        (dict(head_thr=1000), 'makes no class a head class'),
        (dict(head_thr=5), 'makes every class a head class'),
        (dict(momentum=1.0), r'momentum must be in \[0, 1\)'),
        (dict(spread_scale=-1.0), 'spread_scale must be >= 0'),
        (dict(class_counts=[5, 500]), 'num_classes=4 but class_counts has 2'),
    ],
)
def test_bad_settings_are_refused(options, match):
    with pytest.raises(ValueError, match=match):
        make_loss(**options)


def test_it_trains_on_mnist_lt_and_resumes_exactly(tmp_path):
    runner = build(mnist_cfg(tmp_path / 'one', config=CONFIG, max_epochs=1))
    runner.train()
    loss = runner.model.head.loss_module
    assert loss.seen.all() and loss.head.tolist() == [True] * 3 + [False] * 7
    spread = tail_spread(loss.angle_var, loss.seen, loss.head.to(bool))
    assert (spread[:3] == 0).all() and (spread[3:] >= 0).all()
    assert spread.max() > 0
    assert_resumes_exactly(
        lambda work_dir: mnist_cfg(work_dir, config=CONFIG), tmp_path, seed=3
    )
