"""Builds small, quick mmengine Runners from mmlt's MNIST-LT configs."""

import os
import os.path as osp
import socket
import uuid

import torch
from mmengine.config import Config

from mmlt.engine.runner import build_runner

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))


def mnist_cfg(
    work_dir,
    config='ldam_mnist_lt.py',
    max_epochs=4,
    validate=False,
    **options,
):
    cfg = Config.fromfile(osp.join(REPO, 'configs', config))
    cfg.work_dir = str(work_dir)
    cfg.experiment_name = f'test_{uuid.uuid4().hex[:8]}'
    cfg.default_hooks.checkpoint = dict(type='CheckpointHook', interval=1)
    cfg.default_hooks.logger = dict(type='LoggerHook', interval=100)
    # the tests compare runs bit for bit: no thread count that changes with
    # the machine's load (CPUThreadsHook, tested on its own)
    cfg.default_hooks.pop('cpu_threads', None)
    if not validate:
        cfg.val_cfg = cfg.val_dataloader = cfg.val_evaluator = None
    if cfg.train_cfg is not None:  # a τ-norm config only tests
        cfg.train_cfg.max_epochs = max_epochs
        if validate:
            cfg.train_cfg.val_interval = max_epochs
    cfg.merge_from_dict(options)
    return cfg


def distilled_cfg(work_dir, student, teacher, checkpoint, **teacher_options):
    """A one-epoch MNIST-LT run of the ``student`` config (a
    ``DistillationClassifier``) with the ``teacher`` config (both paths
    under configs/) and the teacher's ``checkpoint``."""
    return mnist_cfg(
        work_dir,
        config=student,
        max_epochs=1,
        model=dict(
            teacher=dict(
                config=osp.join(REPO, 'configs', teacher),
                checkpoint=checkpoint,
                **teacher_options,
            )
        ),
    )


LFME_SHOTS = ('many', 'medium', 'few')
LFME_EXPERT = 'lfme/lfme-expert-{}_resnet8_100e_mnist-lt.py'
LFME_STUDENT = 'lfme/lfme_resnet8_100e_mnist-lt.py'


def lfme_student_cfg(work_dir, experts, max_epochs=1, **options):
    """A short MNIST-LT run of the LFME student config, distilled from the
    ``experts`` checkpoints (shot -> path) of the LFME expert configs."""
    return mnist_cfg(
        work_dir,
        config=LFME_STUDENT,
        max_epochs=max_epochs,
        model=dict(
            experts=[
                dict(
                    shot=shot,
                    config=osp.join(REPO, 'configs', LFME_EXPERT.format(shot)),
                    checkpoint=experts[shot],
                )
                for shot in LFME_SHOTS
            ]
        ),
        **options,
    )


def train_lfme_experts(root) -> dict:
    """Each shot group's MNIST-LT expert, one epoch, in ``root / shot``:
    {shot: checkpoint}."""
    experts = {}
    for shot in LFME_SHOTS:
        work_dir = root / shot
        build(
            mnist_cfg(work_dir, config=LFME_EXPERT.format(shot), max_epochs=1)
        ).train()
        experts[shot] = str(work_dir / 'epoch_1.pth')
    return experts


def build(cfg):
    """The Runner ``mim train`` builds: the config's ``runner_type``."""
    return build_runner(cfg)


def run(cfg):
    runner = build(cfg)
    runner.train()
    return runner


def assert_resumes_exactly(make_cfg, tmp_path, seed=7) -> None:
    """A 2-epoch run of ``make_cfg(work_dir)`` and the same run resumed
    from its epoch-1 checkpoint end with equal weights."""

    def weights(work_dir, **options):
        cfg = make_cfg(work_dir)
        cfg.train_cfg.max_epochs = 2
        cfg.randomness = dict(seed=seed, deterministic=True)
        cfg.merge_from_dict(options)
        runner = run(cfg)
        return {k: v.clone() for k, v in runner.model.state_dict().items()}

    full = weights(tmp_path / 'full')
    resumed = weights(
        tmp_path / 'resumed',
        resume=True,
        load_from=str(tmp_path / 'full' / 'epoch_1.pth'),
    )
    assert resumed.keys() == full.keys()
    for key, value in full.items():
        assert torch.equal(resumed[key], value), key


def free_port() -> int:
    """A TCP port on the loopback that nothing listens on now, for a gloo
    process group."""
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def init_gloo(rank: int, world_size: int, port: int) -> None:
    """Joins this process to a CPU (gloo) process group on the loopback, as
    mmengine's pytorch launcher would with a GPU (it calls
    ``torch.cuda.set_device``, so CPU tests initialise gloo themselves)."""
    os.environ.update(
        MASTER_ADDR='127.0.0.1',
        MASTER_PORT=str(port),
        RANK=str(rank),
        LOCAL_RANK=str(rank),
        WORLD_SIZE=str(world_size),
    )
    torch.distributed.init_process_group(
        'gloo', rank=rank, world_size=world_size
    )
    torch.set_num_threads(1)
