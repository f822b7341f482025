import os.path as osp

import pytest
import torch
from mmengine.runner import Runner
from mmpretrain.registry import MODELS

from runner_utils import mnist_cfg, run

COUNTS = [400, 100, 20, 5]


def head(**kwargs):
    return MODELS.build(
        dict(
            type='LogitAdjustedLinearClsHead',
            num_classes=4,
            in_channels=8,
            **kwargs,
        )
    )


@pytest.mark.parametrize('tau', [0.0, 0.5, 1.0])
def test_predictions_subtract_tau_log_prior(tau):
    h = head(posthoc_tau=tau, class_counts=COUNTS)
    feats = (torch.randn(5, 8),)
    logits = h(feats)
    prior = torch.tensor(COUNTS, dtype=torch.float64)
    expected = torch.softmax(
        logits - tau * (prior / prior.sum()).log().float(), dim=1
    )
    got = torch.stack([s.pred_score for s in h.predict(feats)])
    torch.testing.assert_close(got, expected)
    # training is plain cross-entropy on the unadjusted logits
    assert h.loss(feats, _samples([0, 1, 2, 3, 0]))['loss'].item() == (
        pytest.approx(
            torch.nn.functional.cross_entropy(
                logits, torch.tensor([0, 1, 2, 3, 0])
            ).item(),
            rel=1e-6,
        )
    )


def _samples(labels):
    from mmpretrain.structures import DataSample

    return [DataSample().set_gt_label(y) for y in labels]


def test_bad_input():
    with pytest.raises(ValueError, match='posthoc_tau'):
        head(posthoc_tau=-1)
    with pytest.raises(ValueError, match='num_classes=4'):
        head(class_counts=[5, 4, 3])
    with pytest.raises(RuntimeError, match='SetClassCountsHook'):
        head().predict((torch.randn(2, 8),))


def test_test_only_run_takes_counts_from_the_test_split(tmp_path):
    model = dict(
        head=dict(
            _delete_=True,
            type='LogitAdjustedLinearClsHead',
            num_classes=10,
            in_channels=64,
            posthoc_tau=1.0,
        )
    )
    run(
        mnist_cfg(
            tmp_path / 'train',
            config='ce_mnist_lt.py',
            max_epochs=1,
            model=model,
        )
    )
    cfg = mnist_cfg(
        tmp_path / 'test',
        config='ce_mnist_lt.py',
        validate=True,
        model=model,
        load_from=osp.join(tmp_path, 'train', 'epoch_1.pth'),
    )
    runner = Runner.from_cfg(cfg)
    metrics = runner.test()
    assert runner.model.head.class_counts == [
        400,
        239,
        143,
        86,
        51,
        30,
        18,
        11,
        6,
        4,
    ]
    assert {'lt/top1', 'lt/few'} <= set(metrics)
