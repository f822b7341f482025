"""mmpretrain's SeesawLoss in mmlt's recipes: it trains with the head's
index labels, counts exactly the labels it is shown (no class counts from
mmlt), keeps that count across --resume, and DRW refuses it."""

import os.path as osp

import pytest
import torch

from mmlt.class_counts import dataset_counts

from runner_utils import mnist_cfg, run

CONFIG = 'seesaw/seesaw_resnet8_100e_mnist-lt.py'


def test_seesaw_counts_the_labels_it_trains_on(tmp_path):
    runner = run(mnist_cfg(tmp_path / 'a', config=CONFIG, max_epochs=1))
    loss = runner.model.head.loss_module
    assert type(loss).__name__ == 'SeesawLoss'
    counts = dataset_counts(runner.train_dataloader.dataset)
    # one epoch of plain sampling shows every image once
    assert loss.cum_samples.tolist() == [float(n) for n in counts]

    # the counts are in the checkpoint, so a resumed run keeps counting
    resumed = mnist_cfg(
        tmp_path / 'b',
        config=CONFIG,
        max_epochs=2,
        resume=True,
        load_from=osp.join(tmp_path / 'a', 'epoch_1.pth'),
    )
    runner = run(resumed)
    assert runner.model.head.loss_module.cum_samples.tolist() == [
        2.0 * n for n in counts
    ]


def test_seesaw_loss_is_finite_with_unseen_classes():
    from mmpretrain.models.losses import SeesawLoss

    loss = SeesawLoss(num_classes=10)
    scores = torch.randn(4, 10, requires_grad=True)
    value = loss(scores, torch.tensor([0, 0, 1, 1]))
    value.backward()
    assert torch.isfinite(value) and torch.isfinite(scores.grad).all()


def test_drw_refuses_seesaw(tmp_path):
    cfg = mnist_cfg(
        tmp_path,
        config=CONFIG,
        max_epochs=1,
        custom_hooks=[dict(type='DRWHook', drw_epoch=0)],
    )
    with pytest.raises(ValueError, match='DRWHook found no loss'):
        run(cfg)
