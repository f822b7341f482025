"""The hooks that read a whole split (``ClassCentroidsHook``, OLTR;
``LFMEHook``, LFME) in a real Runner in 2 CPU processes (gloo, DDP): every
rank reads the whole split in order, so the centroids and the schedules
must be the same on both ranks, and the centroids those of one process."""

import json

import torch
import torch.multiprocessing as mp
from mmengine.hooks import Hook
from mmpretrain.registry import HOOKS

from runner_utils import (
    build,
    free_port,
    init_gloo,
    lfme_student_cfg,
    mnist_cfg,
    train_lfme_experts,
)

STAGE1 = 'ce/ce_resnet8_100e_mnist-lt.py'
OLTR = 'oltr/oltr_resnet8_60e_mnist-lt.py'
DDP = dict(
    launcher='pytorch',
    model_wrapper_cfg=dict(type='MMDistributedDataParallel', device_ids=None),
)


@HOOKS.register_module()
class RecordScheduleHook(Hook):
    """Writes, at each epoch's first step, the centroids (OLTR) or the
    expert and instance weights (LFME) this rank trains with."""

    priority = 'LOWEST'

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        if batch_idx:
            return
        model = getattr(runner.model, 'module', runner.model)
        if hasattr(model, 'expert_weights'):
            record = dict(
                expert_weights=model.expert_weights,
                instance_weights=model.initial_instance_weights.tolist(),
            )
        else:
            record = dict(centroids=model.head.centroids.tolist())
        path = f'{runner.work_dir}/rank{runner.rank}_epoch{runner.epoch}.json'
        with open(path, 'w') as f:
            json.dump(record, f)


def oltr_cfg(work_dir, checkpoint, **options):
    cfg = mnist_cfg(
        work_dir, config=OLTR, max_epochs=1, load_from=checkpoint, **options
    )
    cfg.custom_hooks.append(dict(type='RecordScheduleHook'))
    return cfg


def lfme_cfg(work_dir, experts, **options):
    cfg = lfme_student_cfg(work_dir, experts, max_epochs=2, **options)
    cfg.custom_hooks.append(dict(type='RecordScheduleHook'))
    return cfg


def _train(rank, world_size, port, method, work_dir, checkpoints):
    init_gloo(rank, world_size, port)
    if method == 'lfme-skewed':
        # a rank whose measure of the student differs (as its own batch
        # norms' statistics can make it): the schedule must still be one
        from mmlt.engine.hooks import LFMEHook

        LFMEHook._student_accuracies = lambda self, model: [100.0 * rank] * 3
    try:
        make = oltr_cfg if method == 'oltr' else lfme_cfg
        if method == 'lfme-skewed':
            work_dir = f'{work_dir}/skewed'
        build(make(work_dir, checkpoints, **DDP)).train()
    finally:
        torch.distributed.destroy_process_group()


def read(work_dir, rank, epoch):
    with open(f'{work_dir}/rank{rank}_epoch{epoch}.json') as f:
        return json.load(f)


def train_on_two_ranks(method, work_dir, checkpoints):
    mp.spawn(
        _train,
        args=(2, free_port(), method, str(work_dir), checkpoints),
        nprocs=2,
        join=True,
    )


def test_oltr_centroids_are_one_process_class_means_on_every_rank(tmp_path):
    build(mnist_cfg(tmp_path / 's1', config=STAGE1, max_epochs=1)).train()
    stage1 = str(tmp_path / 's1' / 'epoch_1.pth')
    build(oltr_cfg(tmp_path / 'one', stage1)).train()
    train_on_two_ranks('oltr', tmp_path / 'two', stage1)
    single = torch.tensor(read(tmp_path / 'one', 0, 0)['centroids'])
    for rank in (0, 1):
        centroids = torch.tensor(read(tmp_path / 'two', rank, 0)['centroids'])
        torch.testing.assert_close(centroids, single)


def test_lfme_schedules_agree_across_ranks(tmp_path):
    experts = train_lfme_experts(tmp_path)
    build(lfme_cfg(tmp_path / 'one', experts)).train()
    train_on_two_ranks('lfme', tmp_path / 'two', experts)
    single = read(tmp_path / 'one', 0, 0)
    for epoch in (0, 1):
        ranks = [read(tmp_path / 'two', rank, epoch) for rank in (0, 1)]
        assert ranks[0] == ranks[1], f'epoch {epoch + 1}'
    # before any step the whole-split measures are one process's
    assert ranks[0]['instance_weights'] == single['instance_weights']
    assert read(tmp_path / 'two', 0, 0) == single
    train_on_two_ranks('lfme-skewed', tmp_path / 'two', experts)
    skewed = [read(tmp_path / 'two/skewed', rank, 1) for rank in (0, 1)]
    # rank 0's student at 0 % keeps every expert at full weight
    assert skewed[0] == skewed[1]
    assert skewed[1]['expert_weights'] == [1.0, 1.0, 1.0]
