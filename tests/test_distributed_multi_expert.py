"""RIDE's router stage and a distilled RIDE student in 2 CPU processes
(gloo, DDP): the replicas stay equal, the routers' usage metric is
gathered over both ranks, and the frozen teacher stays outside DDP."""

import json

import torch
import torch.multiprocessing as mp
from mmengine.runner import Runner

from runner_utils import build, free_port, init_gloo, mnist_cfg, run

DDP = dict(
    type='MMDistributedDataParallel',
    device_ids=None,
    broadcast_buffers=False,
    find_unused_parameters=True,
)


def _train(rank, world_size, port, work_dir, config, options):
    init_gloo(rank, world_size, port)
    try:
        cfg = mnist_cfg(
            work_dir,
            config=config,
            max_epochs=1,
            launcher='pytorch',
            model_wrapper_cfg=DDP,
            **json.loads(options),
        )
        runner = run(cfg)
        params = runner.model.module.named_parameters()
        checksum = float(sum(p.detach().double().sum() for _, p in params))
        torch.distributed.barrier()
        runner.load_checkpoint(f'{work_dir}/epoch_1.pth')
        metrics = runner.test()
        with open(f'{work_dir}/rank{rank}_result.json', 'w') as f:
            json.dump(dict(metrics=metrics, checksum=checksum), f)
    finally:
        torch.distributed.destroy_process_group()


def two_ranks(tmp_path, config, **options):
    work_dir = str(tmp_path / 'ddp')
    mp.spawn(
        _train,
        args=(2, free_port(), work_dir, config, json.dumps(options)),
        nprocs=2,
    )
    results = []
    for r in range(2):
        with open(f'{work_dir}/rank{r}_result.json') as f:
            results.append(json.load(f))
    assert results[0]['checksum'] == results[1]['checksum']
    assert results[0]['metrics'] == results[1]['metrics']
    # what one process scores with the same checkpoint
    others = {k: v for k, v in options.items() if k != 'load_from'}
    single = mnist_cfg(
        tmp_path / 'single',
        config=config,
        load_from=f'{work_dir}/epoch_1.pth',
        **others,
    )
    return results[0]['metrics'], Runner.from_cfg(single).test()


def stage1_checkpoint(tmp_path, config, experts=3):
    cfg = mnist_cfg(tmp_path / f's1_{experts}', config=config, max_epochs=1)
    build(cfg).train()
    return str(tmp_path / f's1_{experts}' / 'epoch_1.pth')


def test_the_router_stage_in_two_processes(tmp_path):
    checkpoint = stage1_checkpoint(
        tmp_path, 'ride/ride_resnet8_100e_mnist-lt.py'
    )
    ddp, single = two_ranks(
        tmp_path,
        'ride/ride-router_resnet8_5e_mnist-lt.py',
        load_from=checkpoint,
    )
    for key in ('lt/top1', 'routing/experts_per_sample', 'routing/share_1'):
        assert ddp[key] == single[key], key


def test_a_distilled_student_in_two_processes(tmp_path):
    teacher = stage1_checkpoint(
        tmp_path, 'ride/ride-6experts_resnet8_100e_mnist-lt.py', experts=6
    )
    ddp, single = two_ranks(
        tmp_path,
        'ride/ride-distill_resnet8_100e_mnist-lt.py',
        model=dict(teacher=dict(checkpoint=teacher)),
    )
    assert ddp['lt/top1'] == single['lt/top1']
