import os.path as osp

import pytest
import torch
from mmengine.hooks import Hook
from mmpretrain.registry import HOOKS

from mmlt.models import class_balanced_weights

from runner_utils import mnist_cfg, run

MNIST_COUNTS = [400, 239, 143, 86, 51, 30, 18, 11, 6, 4]
RECORDS = {}


@HOOKS.register_module()
class RecordLossStateHook(Hook):
    """Records the LDAM loss's counts and class weight at each epoch."""

    priority = 'LOWEST'

    def before_train_epoch(self, runner):
        loss = runner.model.head.loss_module
        weight = (
            None if loss.class_weight is None else loss.class_weight.clone()
        )
        RECORDS.setdefault(runner.work_dir, []).append(
            (runner.epoch, loss.class_counts, weight)
        )


def drw_cfg(work_dir, **options):
    return mnist_cfg(
        work_dir,
        custom_hooks=[
            dict(type='DRWHook', drw_epoch=2, beta=0.9999),
            dict(type='RecordLossStateHook'),
        ],
        **options,
    )


def weights_by_epoch(work_dir):
    return {e: w for e, _, w in RECORDS[str(work_dir)]}


def test_drw_switches_at_its_epoch_and_survives_resume(tmp_path):
    cb = class_balanced_weights(MNIST_COUNTS, 0.9999)
    full = tmp_path / 'full'
    run(drw_cfg(full))
    weights = weights_by_epoch(full)
    assert sorted(weights) == [0, 1, 2, 3]
    assert weights[0] is None and weights[1] is None
    torch.testing.assert_close(weights[2], cb)
    torch.testing.assert_close(weights[3], cb)
    assert RECORDS[str(full)][0][1] == MNIST_COUNTS

    # resumed before the switch (after epoch index 0) and after it
    for ckpt, first in (('epoch_1.pth', 1), ('epoch_3.pth', 3)):
        resumed = tmp_path / f'resume_{first}'
        run(drw_cfg(resumed, resume=True, load_from=str(full / ckpt)))
        got = weights_by_epoch(resumed)
        assert sorted(got) == list(range(first, 4))
        for epoch, w in got.items():
            if epoch < 2:
                assert w is None
            else:
                torch.testing.assert_close(w, cb)


def test_explicit_counts_win_over_the_dataset(tmp_path):
    explicit = [50, 40, 30, 20, 10, 9, 8, 7, 6, 5]
    cfg = mnist_cfg(
        tmp_path,
        max_epochs=1,
        model=dict(head=dict(loss=dict(cls_num_list=explicit))),
        custom_hooks=[
            dict(type='RecordLossStateHook'),
        ],
    )
    run(cfg)
    assert RECORDS[str(tmp_path)][0][1] == explicit


def test_counts_of_the_wrong_length_are_refused(tmp_path):
    cfg = mnist_cfg(
        tmp_path,
        max_epochs=1,
        # the runtime's default hook, given counts of the wrong length
        default_hooks=dict(
            class_counts=dict(type='SetClassCountsHook', class_counts=[5, 4])
        ),
    )
    with pytest.raises(
        ValueError, match='2 classes but the head has num_classes=10'
    ):
        run(cfg)


def test_drw_hook_bad_arguments():
    from mmlt.engine import DRWHook

    with pytest.raises(ValueError, match='beta'):
        DRWHook(beta=1.5)
    with pytest.raises(ValueError, match='drw_epoch'):
        DRWHook(drw_epoch=-1)


def test_drw_needs_a_weighted_loss(tmp_path):
    cfg = mnist_cfg(
        tmp_path,
        config='ce_mnist_lt.py',
        max_epochs=1,
        custom_hooks=[dict(type='DRWHook', drw_epoch=0)],
    )
    with pytest.raises(ValueError, match='no loss with per-class weights'):
        run(cfg)


def test_checkpoints_load_with_weights_only(tmp_path):
    run(mnist_cfg(tmp_path, max_epochs=1))
    ckpt = torch.load(osp.join(tmp_path, 'epoch_1.pth'), weights_only=True)
    assert ckpt['meta']['epoch'] == 1
    assert 'train/lr' in ckpt['message_hub']['log_scalars']
    # load_from (weights only, no resume) through the Runner as well
    cfg = mnist_cfg(
        tmp_path / 'ft',
        max_epochs=1,
        load_from=osp.join(tmp_path, 'epoch_1.pth'),
    )
    run(cfg)
