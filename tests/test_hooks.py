import os.path as osp

import pytest
import torch
from mmengine.hooks import Hook
from mmengine.runner import Runner
from mmpretrain.registry import HOOKS

from mmlt.class_counts import class_balanced_weights

from runner_utils import build, mnist_cfg, run

MNIST_COUNTS = [400, 239, 143, 86, 51, 30, 18, 11, 6, 4]
RECORDS = {}


@HOOKS.register_module()
class RecordLossStateHook(Hook):
    """Records the LDAM loss's counts and class weight at each epoch."""

    priority = 'LOWEST'

    def before_train_epoch(self, runner):
        loss = runner.model.head.loss_module
        weight = loss.active_class_weight()
        weight = None if weight is None else weight.clone()
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
        model=dict(head=dict(loss=dict(class_counts=explicit))),
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
    with pytest.raises(
        ValueError, match='no loss whose class weights it can switch'
    ):
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


def test_an_evaluated_split_with_other_counts_stops_the_run(tmp_path):
    """The README's ρ=10 mistake: training on ρ=10 and validating on a
    split that records ρ=100's counts would report ρ=100's shot groups."""
    cfg = mnist_cfg(
        tmp_path,
        max_epochs=1,
        validate=True,
        train_dataloader=dict(dataset=dict(imb_factor=0.1)),
    )
    runner = build(cfg)
    with pytest.raises(ValueError, match='the val split records training'):
        runner.train()
    # before the first iteration, not at the first validation
    assert runner.iter == 0


def test_testing_a_checkpoint_on_a_split_of_another_profile_is_refused(
    tmp_path,
):
    trained = tmp_path / 'train'
    run(mnist_cfg(trained, max_epochs=1))
    ckpt = str(trained / 'epoch_1.pth')

    def test_with(imb_factor):
        cfg = mnist_cfg(tmp_path / f'test_{imb_factor}', load_from=ckpt)
        cfg.test_dataloader.dataset.imb_factor = imb_factor
        return Runner.from_cfg(cfg).test()

    assert 'lt/few' in test_with(0.01)
    with pytest.raises(ValueError, match='the checkpoint was trained on'):
        test_with(0.1)
