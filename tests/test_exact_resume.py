"""A run killed after epoch k and resumed with --resume ends with the same
weights and metrics as an uninterrupted one: before and after a DRW or DRS
switch (RIDE's experts too) or a loss's start epoch, inside the
fine-tuning after mixup, and with SEQL's per-step draws; on the batch path
the MNIST-LT configs take, and per sample (with and without loader
workers)."""

import numpy as np
import pytest
import torch

from runner_utils import mnist_cfg, run

DRW_AT_EPOCH_2 = dict(
    custom_hooks=[
        dict(type='SetClassCountsHook'),
        dict(type='DRWHook', drw_epoch=2),
    ]
)
RECIPES = {
    # (config, options, the epochs to resume after)
    'ldam_drw': ('ldam_mnist_lt.py', DRW_AT_EPOCH_2, (1, 3)),
    # the same per sample: the crops drawn by numpy in the pipeline
    'ldam_drw_per_sample': (
        'ldam_mnist_lt.py',
        dict(DRW_AT_EPOCH_2, batch_path=False),
        (1, 3),
    ),
    'ce_drs': (
        'ldam_drw/ce-drs_resnet8_100e_mnist-lt.py',
        dict(
            train_dataloader=dict(
                sampler=dict(type='DeferredResampler', switch_epoch=2)
            )
        ),
        (1, 3),
    ),
    'mixup_finetune': (
        'mixup/mixup-ft_resnet8_100e_mnist-lt.py',
        dict(
            custom_hooks=[
                dict(type='SetClassCountsHook'),
                dict(type='MixupFinetuneHook', num_last_epochs=2),
            ]
        ),
        (1, 3),
    ),
    # RIDE's experts, DRW switching the weights and diversity temperatures
    'ride_drw': (
        'ride/ride_resnet8_100e_mnist-lt.py',
        dict(custom_hooks=[dict(type='DRWHook', drw_epoch=2)]),
        (1, 3),
    ),
    # per-step masks seeded by (seed, epoch, iteration): TrainStepHook
    'seql': ('seql/seql_resnet8_100e_mnist-lt.py', {}, (2,)),
    # plain cross-entropy until epoch 2, told the epoch by TrainStepHook
    'ib_deferred': (
        'ib_loss/ib_resnet8_100e_mnist-lt.py',
        dict(model=dict(head=dict(loss=dict(start_epoch=2)))),
        (1, 3),
    ),
}


def train(work_dir, config, options, epoch_seeds=True, **resume):
    cfg = mnist_cfg(
        work_dir,
        config=config,
        max_epochs=4,
        validate=True,
        randomness=dict(seed=7, deterministic=True),
        **options,
        **resume,
    )
    if not epoch_seeds:
        cfg.default_hooks.pop('epoch_seed')
    runner = run(cfg)
    state = {k: v.clone() for k, v in runner.model.state_dict().items()}
    return state, runner.test()


@pytest.mark.parametrize('name', list(RECIPES))
def test_resumed_runs_end_as_the_uninterrupted_one(tmp_path, name):
    config, options, resume_after = RECIPES[name]
    full = tmp_path / 'full'
    weights, metrics = train(full, config, options)
    for epoch in resume_after:
        resumed_weights, resumed_metrics = train(
            tmp_path / f'resumed_{epoch}',
            config,
            options,
            resume=True,
            load_from=str(full / f'epoch_{epoch}.pth'),
        )
        assert resumed_metrics == metrics
        assert resumed_weights.keys() == weights.keys()
        for key, value in weights.items():
            assert torch.equal(resumed_weights[key], value), key


def test_resume_is_exact_with_data_loading_workers(tmp_path):
    # workers load per sample: the batch path runs none
    config, options, _ = RECIPES['ldam_drw_per_sample']
    options = dict(
        options,
        train_dataloader=dict(
            num_workers=2,
            persistent_workers=False,
            worker_init_fn=dict(type='seed_worker_by_epoch'),
        ),
    )
    full = tmp_path / 'full'
    weights, metrics = train(full, config, options)
    resumed, resumed_metrics = train(
        tmp_path / 'resumed',
        config,
        options,
        resume=True,
        load_from=str(full / 'epoch_2.pth'),
    )
    assert resumed_metrics == metrics
    assert all(torch.equal(resumed[k], weights[k]) for k in weights)


def test_workers_draw_other_numbers_every_epoch():
    from torch.utils.data import DataLoader, Dataset

    from mmlt.engine.hooks import seed_worker_by_epoch

    class Draws(Dataset):
        def __len__(self):
            return 4

        def __getitem__(self, i):
            return np.random.randint(1 << 30)

    loader = DataLoader(
        Draws(), num_workers=2, worker_init_fn=seed_worker_by_epoch
    )
    torch.manual_seed(0)
    first = [int(x) for x in loader]
    second = [int(x) for x in loader]
    torch.manual_seed(0)
    again = [int(x) for x in loader]
    assert first != second and first == again


def test_without_epoch_seeds_a_resumed_run_would_draw_other_crops(tmp_path):
    """The check above can fail: mmengine alone restarts the generators from
    the seed on --resume, and the weights then differ."""
    config, options, _ = RECIPES['ldam_drw']
    full = tmp_path / 'full'
    weights, _ = train(full, config, options, epoch_seeds=False)
    resumed, _ = train(
        tmp_path / 'resumed',
        config,
        options,
        epoch_seeds=False,
        resume=True,
        load_from=str(full / 'epoch_2.pth'),
    )
    assert any(not torch.equal(resumed[k], weights[k]) for k in weights)


@pytest.mark.parametrize('accelerator', [False, True])
def test_seed_torch_draws_as_torch_manual_seed(monkeypatch, accelerator):
    """Without an accelerator ``seed_torch`` seeds the CPU generator alone;
    with one it is ``torch.manual_seed``, which seeds the devices too."""
    from mmlt.engine.hooks.epoch_seed_hook import seed_torch

    torch.manual_seed(7)
    expected = torch.rand(5)
    monkeypatch.setattr(torch.accelerator, 'is_available', lambda: accelerator)
    seeded = []
    real_manual_seed = torch.manual_seed
    monkeypatch.setattr(
        torch, 'manual_seed', lambda s: seeded.append(s) or real_manual_seed(s)
    )
    torch.rand(3)
    seed_torch(7)
    assert torch.equal(torch.rand(5), expected)
    assert seeded == ([7] if accelerator else [])
