"""A real mmengine Runner training run of LDAM-DRW with a class-balanced
sampler on MNIST-LT in 2 CPU processes (gloo, DDP).

mmengine's pytorch launcher calls ``torch.cuda.set_device``, so each process
initialises gloo itself; the Runner then finds the process group and wraps
the model in DDP with ``device_ids=None`` (a CPU module)."""

import json

import numpy as np
import torch
import torch.multiprocessing as mp
from mmengine.hooks import Hook
from mmpretrain.registry import HOOKS

from runner_utils import free_port, init_gloo, mnist_cfg, run

SAMPLER_SEED = 123


@HOOKS.register_module()
class RecordRankHook(Hook):
    """Writes what this rank trained on, epoch by epoch, and with which
    class weights."""

    def before_train_epoch(self, runner):
        self.indices, self.weights = [], []

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        self.indices += [s.sample_idx for s in data_batch['data_samples']]
        if batch_idx == 0:
            loss = runner.model.module.head.loss_module
            w = loss.active_class_weight()
            self.weights = None if w is None else w.tolist()

    def after_train_epoch(self, runner):
        path = f'{runner.work_dir}/rank{runner.rank}_epoch{runner.epoch}.json'
        with open(path, 'w') as f:
            json.dump(dict(indices=self.indices, weights=self.weights), f)


def _train(rank, world_size, port, work_dir):
    init_gloo(rank, world_size, port)
    try:
        cfg = mnist_cfg(
            work_dir,
            config='ldam_mnist_lt.py',
            max_epochs=3,
            validate=True,
            launcher='pytorch',
            model_wrapper_cfg=dict(
                type='MMDistributedDataParallel',
                device_ids=None,
                broadcast_buffers=False,
            ),
            train_dataloader=dict(
                sampler=dict(
                    _delete_=True,
                    type='ClassBalancedSampler',
                    seed=SAMPLER_SEED,
                )
            ),
            custom_hooks=[
                dict(type='DRWHook', drw_epoch=2),
                dict(type='RecordRankHook'),
            ],
        )
        runner = run(cfg)
        params = runner.model.module.named_parameters()
        checksum = float(sum(p.double().sum() for _, p in params))
        # BN statistics are per rank (mmengine's broadcast_buffers=False):
        # test rank 0's checkpoint on both ranks
        torch.distributed.barrier()
        runner.load_checkpoint(f'{work_dir}/epoch_3.pth')
        metrics = runner.test()
        with open(f'{work_dir}/rank{rank}_result.json', 'w') as f:
            json.dump(dict(metrics=metrics, checksum=checksum), f)
    finally:
        torch.distributed.destroy_process_group()


def test_ldam_drw_trains_in_two_gloo_processes(tmp_path):
    mp.spawn(_train, args=(2, free_port(), str(tmp_path)), nprocs=2)

    def load(name):
        with open(tmp_path / name) as f:
            return json.load(f)

    from mmpretrain.registry import DATA_SAMPLERS

    from mmlt.datasets import MNISTLT

    dataset = MNISTLT(split='train')
    for epoch in range(3):
        ranks = [load(f'rank{r}_epoch{epoch}.json') for r in range(2)]
        # ranks take alternate positions of one class-balanced epoch:
        # disjoint shards that together are what one process would draw
        sampler = DATA_SAMPLERS.build(
            dict(
                type='ClassBalancedSampler', seed=SAMPLER_SEED, dataset=dataset
            )
        )
        sampler.set_epoch(epoch)
        whole = list(sampler)
        assert len(ranks[0]['indices']) == len(ranks[1]['indices']) == 494
        interleaved = np.stack([r['indices'] for r in ranks], 1).ravel()
        assert interleaved[: len(whole)].tolist() == whole
        # DRW switches on every rank at the same epoch
        for r in ranks:
            assert (r['weights'] is None) == (epoch < 2)
        assert ranks[0]['weights'] == ranks[1]['weights']

    results = [load(f'rank{r}_result.json') for r in range(2)]
    # DDP keeps the replicas' parameters equal
    assert results[0]['checksum'] == results[1]['checksum']
    # the metric is over all 1,000 test images, gathered from both ranks
    # (each rank holds 500): the same on both, and what one process
    # computes with the final weights
    assert results[0]['metrics'] == results[1]['metrics']
    cfg = mnist_cfg(
        tmp_path / 'single',
        config='ldam_mnist_lt.py',
        validate=True,
        load_from=str(tmp_path / 'epoch_3.pth'),
    )
    from mmengine.runner import Runner

    single = Runner.from_cfg(cfg).test()
    assert single['lt/top1'] == results[0]['metrics']['lt/top1']
    assert single['lt/few'] == results[0]['metrics']['lt/few']
