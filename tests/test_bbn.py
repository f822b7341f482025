"""BBN (Zhou et al., CVPR 2020): the reversed sampler draws class j with
probability ∝ 1/n_j, pairs reach the two branches, the loss and the test
output mix the branches as the paper does, α follows its schedule across
--resume, two gloo processes train, and bad input is refused by name."""

import importlib.util
import json
import math
import os.path as osp

import numpy as np
import pytest
import torch
import torch.multiprocessing as mp
import torch.nn.functional as F
from labelled_set import LabelledSet
from mmengine.hooks import Hook
from mmpretrain.registry import DATA_SAMPLERS, HOOKS, MODELS
from mmpretrain.structures import DataSample

from mmlt.datasets import long_tail_counts
from mmlt.datasets.samplers import reversed_probabilities
from mmlt.engine.hooks import cumulative_alpha

from runner_utils import REPO, build, free_port, init_gloo, mnist_cfg

COUNTS = long_tail_counts(500, 10, 'exp', 0.01)  # 500 ... 5
CONFIG = 'bbn/bbn_resnet8_100e_mnist-lt.py'


def sampler(type, dataset=None, **kwargs):
    return DATA_SAMPLERS.build(
        dict(type=type, seed=3, **kwargs),
        default_args=dict(dataset=dataset or LabelledSet(COUNTS)),
    )


def assert_frequencies(labels, counts, num_draws):
    """Class frequencies of the draws within 5 binomial standard
    deviations of ``(1 / n_j) / sum_i (1 / n_i)``."""
    expected = (1 / np.asarray(counts)) / (1 / np.asarray(counts)).sum()
    observed = np.bincount(labels, minlength=len(counts)) / num_draws
    sd = np.sqrt(expected * (1 - expected) / num_draws)
    assert np.all(np.abs(observed - expected) <= 5 * sd), (observed, expected)


def test_reversed_probabilities_are_n_max_over_n_j_normalised():
    p = reversed_probabilities([400, 100, 4])
    np.testing.assert_allclose(p, np.array([1, 4, 100]) / 105)


def test_reversed_sampler_draws_classes_inversely_to_their_counts():
    s = sampler('ReversedSampler', num_samples=100_000)
    s.set_epoch(1)
    indices = np.fromiter(s, dtype=np.int64)
    assert len(indices) == 100_000
    assert_frequencies(s.dataset.labels[indices], COUNTS, len(indices))
    # within a class, images are drawn uniformly: every one of the rarest
    # class's 5 images about 1/5 of its draws
    rare = indices[s.dataset.labels[indices] == 9]
    shares = np.unique(rare, return_counts=True)[1] / len(rare)
    assert len(shares) == COUNTS[-1] and np.all(np.abs(shares - 0.2) < 0.03)


def test_pairs_are_a_shuffle_and_a_reversed_draw():
    s = sampler('BilateralBranchSampler')
    s.set_epoch(2)
    flat = np.fromiter(s, dtype=np.int64)
    assert len(flat) == len(s) == 2 * sum(COUNTS)
    conventional, rebalancing = flat[0::2], flat[1::2]
    # the conventional branch sees every image once an epoch
    assert sorted(conventional) == list(range(sum(COUNTS)))
    # the reversed draws are no shuffle: tail images come back many times
    assert len(set(rebalancing)) < 0.5 * len(rebalancing)
    # the same (seed, epoch) gives the same pairs, another epoch others
    assert list(s) == flat.tolist()
    s.set_epoch(3)
    assert list(s) != flat.tolist()


def test_pair_frequencies_at_inaturalist_size():
    """8,142 classes, 437,513 images (an exp profile down to 2 a class, as
    tools/benchmark_samplers.py builds them): one epoch's reversed draws
    follow 1/n_j (a chi-square over all classes) and the conventional ones
    are the dataset once."""
    spec = importlib.util.spec_from_file_location(
        'benchmark_samplers', osp.join(REPO, 'tools', 'benchmark_samplers.py')
    )
    benchmark = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(benchmark)
    dataset = benchmark.Labels(437_513, 8142)
    counts = dataset.counts
    s = sampler('BilateralBranchSampler', dataset)
    s.set_epoch(0)
    flat = np.fromiter(s, dtype=np.int64)
    n = len(dataset)
    assert len(flat) == 2 * n
    assert np.array_equal(np.sort(flat[0::2]), np.arange(n))
    drawn = np.bincount(dataset.labels[flat[1::2]], minlength=len(counts))
    expected = n * reversed_probabilities(counts)
    chi2 = ((drawn - expected) ** 2 / expected).sum() / (len(counts) - 1)
    assert 0.9 < chi2 < 1.1, chi2
    # the rarest tenth of the classes gets its share of the draws
    tail = slice(-len(counts) // 10, None)
    share, want = drawn[tail].sum() / n, expected[tail].sum() / n
    assert abs(share - want) < 5 * math.sqrt(want * (1 - want) / n)


def test_ranks_take_whole_pairs(monkeypatch):
    import mmlt.datasets.samplers.long_tail_sampler as base

    whole = list(sampler('BilateralBranchSampler', num_samples=301))
    pairs = [tuple(whole[i : i + 2]) for i in range(0, len(whole), 2)]
    padded = pairs + pairs[:1]
    for rank in range(2):
        monkeypatch.setattr(base, 'get_dist_info', lambda r=rank: (r, 2))
        shard = list(sampler('BilateralBranchSampler', num_samples=301))
        assert len(shard) == 2 * 151
        mine = [tuple(shard[i : i + 2]) for i in range(0, len(shard), 2)]
        assert mine == padded[rank::2]


@pytest.mark.parametrize('type', ['ReversedSampler', 'BilateralBranchSampler'])
def test_a_class_without_images_is_refused(type):
    dataset = LabelledSet([30, 0, 10], num_classes=3)
    with pytest.raises(ValueError, match=rf'{type}.*classes \[1\] of 3'):
        sampler(type, dataset)


def test_alpha_schedules():
    assert [cumulative_alpha('parabolic_decay', t, 4) for t in range(4)] == [
        1.0,
        1 - 1 / 16,
        1 - 4 / 16,
        1 - 9 / 16,
    ]
    assert cumulative_alpha('linear_decay', 1, 4) == 0.75
    assert cumulative_alpha('parabolic_increment', 2, 4) == 0.25
    assert cumulative_alpha('equal', 3, 4) == 0.5
    assert cumulative_alpha('cosine_decay', 2, 4) == pytest.approx(
        math.cos(math.pi / 4)
    )


def test_bad_schedule_name_lists_the_valid_ones():
    with pytest.raises(
        ValueError,
        match=r'schedule must be one of \[.*'
        r"'parabolic_decay'.*got 'parabolic'",
    ):
        HOOKS.build(dict(type='CumulativeLearningHook', schedule='parabolic'))
    with pytest.raises(ValueError, match='epoch must be in'):
        cumulative_alpha('parabolic_decay', 4, 4)


def tiny_bbn(**kwargs):
    model = MODELS.build(
        dict(
            type='BBNClassifier',
            backbone=dict(type='CifarResNet', depth=14, in_channels=1),
            neck=dict(type='GlobalAveragePooling'),
            head=dict(type='BBNHead', num_classes=5, in_channels=64),
            **kwargs,
        )
    )
    model.init_weights()
    return model


def samples(labels):
    return [DataSample().set_gt_label(int(y)) for y in labels]


def test_branches_share_all_but_the_last_block():
    model = tiny_bbn()
    # ResNet-14: 2 blocks a stage; the last stage keeps 1, each branch 1
    assert len(model.backbone.stages[2]) == 1
    conventional, rebalancing = model.backbone.bbn_branches
    assert len(conventional) == len(rebalancing) == 1
    # two branches with weights of their own
    w_c, w_r = conventional[0].conv1.weight, rebalancing[0].conv1.weight
    assert w_c.shape == w_r.shape and not torch.equal(w_c, w_r)
    names = [n for n, _ in model.named_parameters()]
    assert not any(n.startswith('backbone.stages.2.1') for n in names)


def test_test_output_is_the_equal_weight_mix_of_the_branches():
    torch.manual_seed(0)
    model = tiny_bbn().eval()
    x = torch.randn(6, 1, 28, 28)
    with torch.no_grad():
        scores = torch.stack([s.pred_score for s in model.predict(x)])
        # each branch by hand: shared backbone, its block, pooling, its fc
        shared = model.backbone(x)[-1]
        z = []
        for branch, fc in zip(
            model.backbone.bbn_branches,
            (model.head.fc_conventional, model.head.fc_rebalancing),
        ):
            z.append(fc(branch(shared).mean(dim=(2, 3))))
    torch.testing.assert_close(scores, F.softmax(0.5 * z[0] + 0.5 * z[1], 1))
    # and it differs from either branch alone
    assert not torch.allclose(scores, F.softmax(z[0], 1), atol=1e-4)
    assert not torch.allclose(scores, F.softmax(z[1], 1), atol=1e-4)


@pytest.mark.parametrize('alpha', [1.0, 0.7, 0.0])
def test_training_loss_is_alpha_mixed(alpha):
    torch.manual_seed(0)
    model = tiny_bbn()
    model.alpha = alpha
    x = torch.randn(8, 1, 28, 28)
    y = torch.tensor([0, 4, 1, 4, 2, 3, 0, 3])  # pairs: (0,4) (1,4) ...
    loss = model.loss(x, samples(y))['loss']
    # the paper's formula, with each half through its branch
    model_c = model.branch_features(x[0::2], 0)
    model_r = model.branch_features(x[1::2], 1)
    z = alpha * model.head.fc_conventional(model_c) + (
        1 - alpha
    ) * model.head.fc_rebalancing(model_r)
    want = alpha * F.cross_entropy(z, y[0::2]) + (1 - alpha) * F.cross_entropy(
        z, y[1::2]
    )
    torch.testing.assert_close(loss, want)


def test_bad_model_input_is_refused():
    model = tiny_bbn()
    x = torch.randn(4, 1, 28, 28)
    with pytest.raises(ValueError, match='CumulativeLearningHook'):
        model.loss(x, samples([0, 1, 2, 3]))
    model.alpha = 0.5
    with pytest.raises(ValueError, match='even'):
        model.loss(x[:3], samples([0, 1, 2]))
    with pytest.raises(ValueError, match='branch_blocks'):
        tiny_bbn(branch_blocks=3)
    with pytest.raises(ValueError, match='last_stage'):
        tiny_bbn(last_stage='stages.9')
    with pytest.raises(ValueError, match='BBNHead'):
        MODELS.build(
            dict(
                type='BBNClassifier',
                backbone=dict(type='CifarResNet', depth=8),
                head=dict(type='LinearClsHead', num_classes=5, in_channels=64),
            )
        )


class RecordAlpha(Hook):
    """α as the model has it in each training epoch's first iteration."""

    def __init__(self):
        self.alphas = {}

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        if batch_idx == 0:
            self.alphas[runner.epoch] = runner.model.alpha


def train(work_dir, **options):
    cfg = mnist_cfg(
        work_dir,
        config=CONFIG,
        max_epochs=4,
        randomness=dict(seed=7, deterministic=True),
        # 64 pairs an epoch: 1 iteration
        train_dataloader=dict(sampler=dict(num_samples=64)),
        **options,
    )
    runner = build(cfg)
    recorder = RecordAlpha()
    runner.register_hook(recorder, priority='LOW')
    runner.train()
    state = {k: v.clone() for k, v in runner.model.state_dict().items()}
    return recorder.alphas, state


def test_alpha_follows_the_schedule_across_resume(tmp_path):
    full_alphas, full_state = train(tmp_path / 'full')
    assert full_alphas == {t: 1 - (t / 4) ** 2 for t in range(4)}
    alphas, state = train(
        tmp_path / 'resumed',
        resume=True,
        load_from=str(tmp_path / 'full' / 'epoch_2.pth'),
    )
    assert alphas == {t: full_alphas[t] for t in (2, 3)}
    for key, value in full_state.items():
        assert torch.equal(state[key], value), key


def test_a_run_without_the_pair_sampler_is_refused(tmp_path):
    cfg = mnist_cfg(tmp_path, config=CONFIG, max_epochs=1)
    cfg.train_dataloader.sampler = dict(type='DefaultSampler', shuffle=True)
    with pytest.raises(ValueError, match='BilateralBranchSampler'):
        build(cfg).train()
    cfg = mnist_cfg(tmp_path / 'odd', config=CONFIG, max_epochs=1)
    cfg.train_dataloader.batch_size = 63
    with pytest.raises(ValueError, match='batch_size must be even'):
        build(cfg).train()
    # alpha is a function of the epoch: no iteration-based loop
    cfg = mnist_cfg(tmp_path / 'iters', config=CONFIG, max_epochs=1)
    cfg.train_cfg = dict(by_epoch=False, max_iters=2)
    cfg.param_scheduler = None
    with pytest.raises(ValueError, match='epoch-based'):
        build(cfg).train()


def _train_rank(rank, world_size, port, work_dir):
    init_gloo(rank, world_size, port)
    try:
        cfg = mnist_cfg(
            work_dir,
            config=CONFIG,
            max_epochs=2,
            launcher='pytorch',
            model_wrapper_cfg=dict(
                type='MMDistributedDataParallel',
                device_ids=None,
                broadcast_buffers=False,
            ),
            train_dataloader=dict(sampler=dict(num_samples=256, seed=5)),
        )
        runner = build(cfg)
        runner.train()
        model = runner.model.module
        checksum = float(sum(p.double().sum() for p in model.parameters()))
        out = dict(
            alpha=model.alpha,
            checksum=checksum,
            iters=runner.iter,
            loss=float(runner.message_hub.get_scalar('train/loss').current()),
        )
        with open(f'{work_dir}/rank{rank}.json', 'w') as f:
            json.dump(out, f)
    finally:
        torch.distributed.destroy_process_group()


def test_bbn_trains_in_two_gloo_processes(tmp_path):
    mp.spawn(_train_rank, args=(2, free_port(), str(tmp_path)), nprocs=2)
    ranks = []
    for rank in range(2):
        with open(tmp_path / f'rank{rank}.json') as f:
            ranks.append(json.load(f))
    # 256 pairs an epoch, 128 a rank, 64 a batch: 2 iterations an epoch
    assert [r['iters'] for r in ranks] == [4, 4]
    assert [r['alpha'] for r in ranks] == [0.75, 0.75]
    assert all(np.isfinite(r['loss']) for r in ranks)
    # DDP keeps the ranks' weights equal
    assert ranks[0]['checksum'] == pytest.approx(ranks[1]['checksum'])
