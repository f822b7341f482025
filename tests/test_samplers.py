"""The long-tail samplers draw the class frequencies their papers define,
deterministically per (seed, epoch), and shard like DefaultSampler."""

import numpy as np
import pytest
from labelled_set import LabelledSet
from mmengine.hooks import Hook
from mmpretrain.registry import DATA_SAMPLERS, HOOKS

from mmlt.class_counts import CountsConsumer, record_counts
from mmlt.datasets import long_tail_counts

from runner_utils import free_port, mnist_cfg, run

COUNTS = long_tail_counts(500, 10, 'exp', 0.01)  # 500 ... 5, 1,000+ images


def build(type, counts=COUNTS, **kwargs):
    return DATA_SAMPLERS.build(
        dict(type=type, seed=3, **kwargs),
        default_args=dict(dataset=LabelledSet(counts)),
    )


def class_frequencies(sampler, epoch=0):
    sampler.set_epoch(epoch)
    labels = sampler.dataset.labels[np.fromiter(sampler, dtype=np.int64)]
    return np.bincount(labels, minlength=len(COUNTS)) / len(labels)


def assert_frequencies(observed, expected, n):
    # each within 5 binomial standard deviations
    sd = np.sqrt(expected * (1 - expected) / n)
    assert np.all(np.abs(observed - expected) <= 5 * sd + 1e-12), (
        observed,
        expected,
    )


@pytest.mark.parametrize('q', [0.0, 0.5])
def test_class_frequencies_follow_n_to_the_q(q):
    sampler = build('ClassBalancedSampler', q=q, num_samples=40000)
    n = np.asarray(COUNTS, dtype=float)
    assert_frequencies(class_frequencies(sampler), n**q / (n**q).sum(), 40000)


def test_square_root_sampler_is_q_one_half():
    a = build('SquareRootSampler')
    b = build('ClassBalancedSampler', q=0.5)
    assert list(a) == list(b)


def test_q_1_is_a_plain_shuffle_and_epochs_differ():
    sampler = build('ClassBalancedSampler', q=1.0)
    first = list(sampler)
    assert sorted(first) == list(range(sum(COUNTS)))
    sampler.set_epoch(1)
    assert list(sampler) != first


def test_same_seed_and_epoch_give_the_same_indices():
    a, b = build('ClassBalancedSampler'), build('ClassBalancedSampler')
    a.set_epoch(4)
    b.set_epoch(4)
    assert list(a) == list(b)
    b.set_epoch(5)
    assert list(a) != list(b)


def test_images_within_a_class_are_drawn_uniformly():
    sampler = build('ClassBalancedSampler', num_samples=60000)
    indices = np.fromiter(sampler, dtype=np.int64)
    labels = sampler.dataset.labels
    rare = np.flatnonzero(labels == 9)  # 5 images
    hits = np.bincount(np.searchsorted(rare, indices[labels[indices] == 9]))
    assert len(hits) == len(rare)
    assert_frequencies(hits / hits.sum(), np.full(5, 0.2), hits.sum())


def test_progressive_interpolates_over_the_epochs():
    sampler = build(
        'ProgressivelyBalancedSampler', num_epochs=10, num_samples=40000
    )
    n = np.asarray(COUNTS, dtype=float)
    instance, balanced = n / n.sum(), np.full(len(n), 1 / len(n))
    np.testing.assert_allclose(sampler.probabilities(0), instance)
    np.testing.assert_allclose(
        sampler.probabilities(4), 0.6 * instance + 0.4 * balanced
    )
    np.testing.assert_allclose(sampler.probabilities(10), balanced)
    np.testing.assert_allclose(sampler.probabilities(25), balanced)
    assert_frequencies(
        class_frequencies(sampler, 5), 0.5 * (instance + balanced), 40000
    )


def test_deferred_resampler_switches_at_its_epoch_also_when_resumed():
    sampler = build('DeferredResampler', switch_epoch=3, num_samples=30000)
    sampler.set_epoch(2)
    before = np.fromiter(sampler, dtype=np.int64)
    # plain sampling: whole shuffles of the dataset
    assert np.all(
        np.bincount(before[: sum(COUNTS)], minlength=sum(COUNTS)) == 1
    )
    assert_frequencies(class_frequencies(sampler, 3), np.full(10, 0.1), 30000)
    # a run resumed at epoch 3: a new sampler, set to the epoch
    resumed = build('DeferredResampler', switch_epoch=3, num_samples=30000)
    resumed.set_epoch(3)
    sampler.set_epoch(3)
    assert list(resumed) == list(sampler)


def test_over_and_under_sampling_balance_every_class():
    over = build('RandomOverSampler')
    indices = np.fromiter(over, dtype=np.int64)
    labels = over.dataset.labels
    assert len(indices) == 10 * 500
    assert np.all(np.bincount(labels[indices]) == 500)
    assert set(indices) == set(range(sum(COUNTS)))  # every image is in

    under = build('RandomUnderSampler')
    indices = np.fromiter(under, dtype=np.int64)
    assert len(indices) == 10 * 5 and len(set(indices)) == 50
    assert np.all(np.bincount(labels[indices]) == 5)
    under.set_epoch(1)
    assert set(under) != set(indices)  # a fresh draw of the head classes


def test_ranks_take_disjoint_interleaved_shards(monkeypatch):
    import mmlt.datasets.samplers.long_tail_sampler as base

    whole = list(build('ClassBalancedSampler', num_samples=1001))
    shards = []
    for rank in range(3):
        monkeypatch.setattr(base, 'get_dist_info', lambda r=rank: (r, 3))
        shard = build('ClassBalancedSampler', num_samples=1001)
        assert len(shard) == 334
        shards.append(list(shard))
    # rank r has positions r, r + 3, ... of the (padded) epoch
    padded = whole + whole[:1]
    for rank, shard in enumerate(shards):
        assert shard == padded[rank::3]


@pytest.mark.parametrize(
    'type,kwargs,match',
    [
        ('ClassBalancedSampler', dict(q=-0.1), 'q must be in'),
        ('ClassBalancedSampler', dict(q=1.5), 'q must be in'),
        ('ClassBalancedSampler', dict(num_samples=0), 'num_samples'),
        ('DeferredResampler', dict(switch_epoch=-1), 'switch_epoch'),
        ('DeferredResampler', dict(switch_epoch=2, q=1.0), 'never'),
        ('ProgressivelyBalancedSampler', dict(num_epochs=0), 'num_epochs'),
        ('SquareRootSampler', dict(q=0.2), 'q = 0.5'),
    ],
)
def test_bad_arguments(type, kwargs, match):
    with pytest.raises(ValueError, match=match):
        build(type, **kwargs)


@pytest.mark.parametrize(
    'type,kwargs',
    [
        ('ClassBalancedSampler', {}),
        ('ClassBalancedSampler', dict(q=0.5)),
        ('ProgressivelyBalancedSampler', dict(num_epochs=5)),
        ('DeferredResampler', dict(switch_epoch=1)),
        ('RandomOverSampler', {}),
        ('RandomUnderSampler', {}),
        ('ClassAwareSampler', {}),
    ],
)
def test_a_class_without_samples_is_refused(type, kwargs):
    dataset = LabelledSet([30, 0, 10], num_classes=3)
    with pytest.raises(ValueError, match=r'classes \[1\] of 3 are empty'):
        DATA_SAMPLERS.build(dict(type=type, seed=0, dataset=dataset, **kwargs))
    # plain sampling does not need every class
    DATA_SAMPLERS.build(
        dict(type='ClassBalancedSampler', q=1.0, seed=0, dataset=dataset)
    )


def _rank_shard(rank, world_size, port, out_dir):
    import torch.distributed as dist

    dist.init_process_group(
        'gloo',
        init_method=f'tcp://127.0.0.1:{port}',
        rank=rank,
        world_size=world_size,
    )
    try:
        for type, kwargs in (
            ('ClassBalancedSampler', dict(q=1.0)),
            ('ClassBalancedSampler', dict(num_samples=20000)),
        ):
            sampler = build(type, **kwargs)
            sampler.set_epoch(2)
            np.save(
                f'{out_dir}/{type}_{kwargs.get("q", 0)}_{rank}.npy',
                list(sampler),
            )
    finally:
        dist.destroy_process_group()


def test_two_gloo_processes_split_the_epoch(tmp_path):
    import torch.multiprocessing as mp

    mp.spawn(_rank_shard, args=(2, free_port(), str(tmp_path)), nprocs=2)

    def shards(name):
        return [np.load(tmp_path / f'{name}_{r}.npy') for r in range(2)]

    # plain shuffle: disjoint shards of equal length covering the dataset
    a, b = shards('ClassBalancedSampler_1.0')
    n = sum(COUNTS)
    assert len(a) == len(b) == -(-n // 2)
    assert set(a) | set(b) == set(range(n))
    assert len(set(a) & set(b)) <= 1  # only the padding repeats an index
    # class-balanced: each rank's half of the epoch is balanced
    labels = LabelledSet(COUNTS).labels
    for shard in shards('ClassBalancedSampler_0'):
        assert len(shard) == 10000
        freq = np.bincount(labels[shard], minlength=10) / len(shard)
        assert_frequencies(freq, np.full(10, 0.1), len(shard))


SEEN = {}


@HOOKS.register_module()
class RecordBatchLabelsHook(Hook):
    """Records the labels each training epoch is fed."""

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        labels = [int(s.gt_label) for s in data_batch['data_samples']]
        SEEN.setdefault(runner.work_dir, {}).setdefault(
            runner.epoch, []
        ).extend(labels)


def drs_cfg(work_dir, **options):
    return mnist_cfg(
        work_dir,
        config='ldam_drw/ce-drs_resnet8_100e_mnist-lt.py',
        max_epochs=3,
        train_dataloader=dict(
            sampler=dict(type='DeferredResampler', switch_epoch=1)
        ),
        custom_hooks=[dict(type='RecordBatchLabelsHook')],
        **options,
    )


def test_deferred_resampling_in_a_runner_and_after_resume(tmp_path):
    full = tmp_path / 'full'
    run(drs_cfg(full))
    seen = SEEN[str(full)]
    counts = np.bincount(seen[0], minlength=10)
    # epoch 0: the plain MNIST-LT training set, each image once
    assert counts.tolist() == [400, 239, 143, 86, 51, 30, 18, 11, 6, 4]
    for epoch in (1, 2):  # re-sampled: about 98.8 images a class
        counts = np.bincount(seen[epoch], minlength=10)
        assert counts.sum() == 988 and counts.min() > 60, counts
    resumed = tmp_path / 'resumed'
    run(drs_cfg(resumed, resume=True, load_from=str(full / 'epoch_2.pth')))
    assert SEEN[str(resumed)] == {2: seen[2]}


@pytest.mark.parametrize(
    'sampler',
    [
        dict(type='DeferredResampler', switch_epoch=3),
        dict(type='ProgressivelyBalancedSampler', num_epochs=4),
    ],
    ids=lambda s: s['type'],
)
def test_a_schedule_past_max_epochs_is_refused(tmp_path, sampler):
    cfg = mnist_cfg(
        tmp_path,
        config='ce_mnist_lt.py',
        max_epochs=3,
        train_dataloader=dict(sampler=dict(_delete_=True, **sampler)),
    )
    with pytest.raises(ValueError, match='max_epochs=3'):
        run(cfg)


@pytest.mark.parametrize(
    'type', ['ClassBalancedSampler', 'ReversedSampler', 'RandomOverSampler']
)
def test_a_sampler_is_a_counts_consumer_of_its_data_sets_counts(type):
    sampler = build(type)
    assert isinstance(sampler, CountsConsumer)
    assert sampler.class_counts == list(COUNTS)
    sampler.set_class_counts(list(COUNTS))  # the same counts: accepted
    other = list(COUNTS[::-1])
    with pytest.raises(ValueError, match=f'{type} draws from a training set'):
        sampler.set_class_counts(other)


def test_counts_recorded_other_than_the_labels_are_refused():
    dataset = LabelledSet(COUNTS)
    record_counts(dataset.metainfo, [n + 1 for n in COUNTS])
    with pytest.raises(ValueError, match='LabelledSet records training'):
        DATA_SAMPLERS.build(
            dict(type='ClassBalancedSampler'),
            default_args=dict(dataset=dataset),
        )
    # recorded counts that are the labels' are what the sampler draws by
    record_counts(dataset.metainfo, COUNTS)
    sampler = DATA_SAMPLERS.build(
        dict(type='ClassBalancedSampler'), default_args=dict(dataset=dataset)
    )
    assert sampler.class_counts == list(COUNTS)


def test_the_counts_hook_checks_the_training_sampler(tmp_path):
    # the hook's explicit counts are not the data set's: the sampler, drawing
    # from the data set, refuses them before the first step
    explicit = [50, 40, 30, 20, 10, 9, 8, 7, 6, 5]
    cfg = mnist_cfg(
        tmp_path,
        config='resampling/cb-sampling_resnet8_100e_mnist-lt.py',
        max_epochs=1,
        default_hooks=dict(
            class_counts=dict(type='SetClassCountsHook', class_counts=explicit)
        ),
    )
    with pytest.raises(ValueError, match='ClassBalancedSampler draws from'):
        run(cfg)
