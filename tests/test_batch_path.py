"""The batch-level data path: a split held as one uint8 tensor, whole
batches gathered at once, the crop and flip run on the batch in the data
preprocessor with the per-sample pipeline's distribution, every sampler,
mixup, CAM sets and ``--resume`` unchanged."""

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmpretrain.registry import DATA_SAMPLERS, DATASETS, MODELS, TRANSFORMS
from mmpretrain.structures import DataSample
from test_cam_resampling import small_cam_set

from mmlt.datasets import (
    TensorBatchDataset,
    tensor_batch_collate,
    to_batch_path,
)
from mmlt.models.data_preprocessors import (
    random_crop_batch,
    random_flip_batch,
)

from conftest import DEVICES, REPO
from runner_utils import build, mnist_cfg, run


@pytest.mark.parametrize(
    'config,piece',
    [
        ('ce/ce_resnet8_15e_fashion-mnist-lt.py', 'fashion_mnist_lt_batch.py'),
        ('ce_mnist_lt.py', 'mnist_lt_batch.py'),
        ('ce_cifar10_lt.py', 'cifar10_lt_batch.py'),
        ('ce_cifar100_lt.py', 'cifar100_lt_batch.py'),
    ],
)
def test_the_batch_pieces_are_to_batch_path_of_the_per_sample_configs(
    config, piece
):
    converted = to_batch_path(Config.fromfile(f'{REPO}/configs/{config}'))
    batched = Config.fromfile(f'{REPO}/configs/_base_/datasets/{piece}')
    for key in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        ours, theirs = converted[key], batched[key]
        assert ours.collate_fn == theirs.collate_fn
        assert ours.num_workers == theirs.num_workers == 0
        assert ours.persistent_workers is theirs.persistent_workers is False
        assert ours.dataset.type == theirs.dataset.type
        assert ours.dataset.dataset == theirs.dataset.dataset
    for name, value in batched.data_preprocessor.items():
        assert converted.model.data_preprocessor[name] == value, name


def counting_image(h=28, w=28):
    """(h, w, 1) uint8 with no zero pixel, its columns counting 1, 2, ...:
    after a crop its zero rows and columns show the window's offset, and
    the order of its columns whether it was flipped."""
    return np.tile(np.arange(1, w + 1, dtype=np.uint8), (h, 1))[..., None]


def crop_and_flip(img, padding=2):
    """(top offset, left offset, flipped) of a crop of
    :func:`counting_image` padded by ``padding``."""
    img = img[..., 0] if img.ndim == 3 else img  # mmcv may drop it
    rows = np.flatnonzero(img.max(axis=1) > 0)
    cols = np.flatnonzero(img.max(axis=0) > 0)

    def offset(kept, size):
        if kept[0] > 0:  # zeros above: the window started in the padding
            return padding - kept[0]
        return padding + (size - 1 - kept[-1])

    flipped = img[rows[0], cols[0]] > img[rows[0], cols[-1]]
    return offset(rows, img.shape[0]), offset(cols, img.shape[1]), flipped


@pytest.mark.parametrize('device', DEVICES)
def test_the_crop_is_numpys_pad_then_slice(device):
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (6, 3, 10, 12), dtype=np.uint8)
    offsets = torch.tensor([[0, 0], [4, 4], [1, 3], [2, 0], [4, 1], [3, 2]])
    got = random_crop_batch(
        torch.from_numpy(images).to(device), 8, 2, offsets.to(device)
    )
    padded = np.pad(images, ((0, 0), (0, 0), (2, 2), (2, 2)))
    for i, (top, left) in enumerate(offsets.tolist()):
        want = padded[i, :, top : top + 8, left : left + 8]
        assert np.array_equal(got[i].cpu().numpy(), want), i
    flips = torch.tensor([True, False, True, False, False, True])
    flipped = random_flip_batch(got, 0.5, flips.to(device))
    for i, flip in enumerate(flips.tolist()):
        want = got[i].flip(-1) if flip else got[i]
        assert torch.equal(flipped[i], want)


@pytest.mark.parametrize('device', DEVICES)
def test_crops_and_flips_follow_the_per_sample_pipelines_distribution(device):
    """The padding a crop shows (top, left) and the flip, drawn 5,000 times
    by mmpretrain's RandomCrop + RandomFlip per image and by the batch
    path (on the CPU, and on CUDA where there is a GPU): every (top, left,
    flip) cell within 5 binomial standard deviations of the other's
    frequency and of the uniform 1 / 50."""
    n = 5000
    img = counting_image()
    pipeline = [
        TRANSFORMS.build(dict(type='RandomCrop', crop_size=28, padding=2)),
        TRANSFORMS.build(dict(type='RandomFlip', prob=0.5)),
    ]
    np.random.seed(0)
    per_sample = []
    for _ in range(n):
        results = dict(img=img.copy())
        for transform in pipeline:
            results = transform(results)
        per_sample.append(crop_and_flip(results['img']))
    torch.manual_seed(0)
    batch = torch.from_numpy(img).permute(2, 0, 1)[None].repeat(n, 1, 1, 1)
    batch = random_flip_batch(random_crop_batch(batch.to(device), 28, 2), 0.5)
    batched = [crop_and_flip(b.permute(1, 2, 0).numpy()) for b in batch.cpu()]
    cells = [(t, lft, f) for t in range(5) for lft in range(5) for f in (0, 1)]
    p = 1 / len(cells)
    sd = np.sqrt(p * (1 - p) / n)
    for cell in cells:
        a = per_sample.count(cell) / n
        b = batched.count(cell) / n
        assert abs(a - p) < 5 * sd and abs(b - p) < 5 * sd, (cell, a, b)
        assert abs(a - b) < 5 * np.sqrt(2) * sd, (cell, a, b)


def test_pixel_values_are_the_per_sample_pipelines(tmp_path):
    """The batch path's training inputs, un-normalised, are crops of the
    data set's own images: every value a pixel of the image or a padding
    zero, the mean over the epoch within 1% of the per-sample pipeline's."""
    cfg = to_batch_path(mnist_cfg(tmp_path, config='ce_mnist_lt.py'))
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    preprocessor = MODELS.build(cfg.data_preprocessor)
    torch.manual_seed(0)
    batch = tensor_batch_collate(dataset.__getitems__(range(len(dataset))))
    out = preprocessor(batch, training=True)['inputs']
    pixels = (out * preprocessor.std + preprocessor.mean).round()
    images = dataset.images.float()
    assert pixels.shape == images.shape
    for i in range(0, len(dataset), 97):
        assert set(pixels[i].unique().tolist()) <= set(
            images[i].unique().tolist() + [0.0]
        ), i
    plain = DATASETS.build(
        dict(cfg.train_dataloader.dataset.dataset, pipeline=[
            dict(type='RandomCrop', crop_size=28, padding=2),
            dict(type='PackInputs'),
        ])
    )  # fmt: skip
    np.random.seed(0)
    means = [plain[i]['inputs'].float().mean() for i in range(len(plain))]
    assert pixels.mean().item() == pytest.approx(np.mean(means), rel=0.01)


SAMPLERS = [
    dict(type='DefaultSampler', shuffle=True),
    dict(type='ClassBalancedSampler'),
    dict(type='SquareRootSampler'),
    dict(type='ProgressivelyBalancedSampler', num_epochs=4),
    dict(type='DeferredResampler', switch_epoch=1),
    dict(type='RandomOverSampler'),
    dict(type='RandomUnderSampler'),
    dict(type='ReversedSampler'),
    dict(type='BilateralBranchSampler'),
    dict(type='ClassAwareSampler'),
]


@pytest.mark.parametrize('sampler', SAMPLERS, ids=lambda s: s['type'])
def test_every_sampler_draws_the_same_indices_through_the_batch_path(sampler):
    plain = DATASETS.build(dict(type='MNISTLT', split='train', pipeline=[]))
    wrapped = TensorBatchDataset(dict(type='MNISTLT', split='train'))
    drawn = []
    for dataset in (plain, wrapped):
        built = DATA_SAMPLERS.build(dict(sampler, dataset=dataset, seed=5))
        built.set_epoch(2)
        drawn.append(list(built))
    assert drawn[0] == drawn[1]
    labels = [int(wrapped[i]['data_samples'].gt_label) for i in drawn[1][:50]]
    assert labels == plain.get_gt_labels()[drawn[0][:50]].tolist()
    # each sample names its index, as PackInputs does (LFME's instance
    # weights are looked up by it)
    batch = tensor_batch_collate(wrapped.__getitems__(drawn[1][:50]))
    assert [s.sample_idx for s in batch['data_samples']] == drawn[1][:50]


def test_a_batchs_samples_equal_packinputs_and_set_gt_label():
    """The batch's DataSamples are built without mmengine's checks
    (label_sample); each equals the checked construction, and each batch's
    are its own: a score or label set on one reaches no other batch."""
    wrapped = TensorBatchDataset(dict(type='MNISTLT', split='train'))
    indices = [5, 0, len(wrapped) - 1, 5]
    samples = tensor_batch_collate(wrapped.__getitems__(indices))[
        'data_samples'
    ]
    for i, sample in zip(indices, samples):
        checked = DataSample(metainfo=dict(sample_idx=i)).set_gt_label(
            int(wrapped.labels[i])
        )
        assert type(sample) is DataSample
        assert vars(sample).keys() == vars(checked).keys()
        assert sample.metainfo == checked.metainfo
        assert sample.keys() == checked.keys()
        assert sample.gt_label.shape == checked.gt_label.shape == (1,)
        assert sample.gt_label.dtype == checked.gt_label.dtype
        assert torch.equal(sample.gt_label, checked.gt_label)
    for bad in (-1, len(wrapped)):
        with pytest.raises(IndexError, match=r'idx must be in \[0, '):
            wrapped[bad]
    label = int(wrapped.labels[5])
    samples[0].set_gt_score(torch.ones(10))  # as a batch augment does
    samples[0].gt_label.fill_(label + 1)
    again = tensor_batch_collate(wrapped.__getitems__([5]))['data_samples']
    assert 'gt_score' not in again[0]
    assert int(again[0].gt_label) == label == int(wrapped.labels[5])


def test_the_images_have_torchs_default_strides_whatever_gathers_them():
    """numpy's strides for one channel, (HW, 1, W, 1), read as channels
    last: a batch indexed from them ran a default-layout model's
    convolutions channels last. torch's own strides pick no kernel."""
    images = TensorBatchDataset(dict(type='MNISTLT', split='train')).images
    assert images.shape[1] == 1
    assert images.stride() == torch.empty(images.shape).stride()
    index = torch.tensor([3, 1, 2])
    for batch in (images[index], images.index_select(0, index)):
        assert batch.stride() == torch.empty(batch.shape).stride()


def test_a_cam_set_goes_through_the_batch_path(tmp_path):
    data, path = small_cam_set(tmp_path, counts=(40, 12, 4, 2))
    dataset = TensorBatchDataset(
        dict(type='CAMAugmentedDataset', data_file=str(path))
    )
    assert np.array_equal(dataset.generated_flags(), data['generated'])
    sampler = DATA_SAMPLERS.build(
        dict(type='ClassBalancedSampler', dataset=dataset, seed=0)
    )
    indices = list(sampler)
    batch = tensor_batch_collate(dataset.__getitems__(indices[:16]))
    want = data['img'][indices[:16]].transpose(0, 3, 1, 2)
    assert np.array_equal(batch['inputs'].numpy(), want)


def test_options_for_the_data_set_reach_it_through_the_wrapper():
    dataset = TensorBatchDataset(
        dict(type='MNISTLT', split='train'), imb_factor=0.1
    )
    assert dataset.class_counts[0] / dataset.class_counts[-1] == (
        pytest.approx(10, rel=0.1)
    )
    assert dataset.images.dtype == torch.uint8
    assert dataset.images.shape[1:] == (1, 28, 28)


RESUME_OPTIONS = dict(
    custom_hooks=[
        dict(type='SetClassCountsHook'),
        dict(type='MixupFinetuneHook', num_last_epochs=1),
    ]
)


def train_batch_path(work_dir, **options):
    cfg = mnist_cfg(
        work_dir,
        config='mixup/mixup-ft_resnet8_100e_mnist-lt.py',
        max_epochs=3,
        validate=True,
        randomness=dict(seed=7, deterministic=True),
        **RESUME_OPTIONS,
    )
    cfg = to_batch_path(cfg)
    cfg.merge_from_dict(options)
    runner = run(cfg)
    state = {k: v.clone() for k, v in runner.model.state_dict().items()}
    return runner, state


def test_mixup_training_resumes_exactly_on_the_batch_path(tmp_path):
    full, weights = train_batch_path(tmp_path / 'full')
    assert isinstance(full.train_dataloader.dataset, TensorBatchDataset)
    finetune = next(
        h for h in full.hooks if type(h).__name__ == 'MixupFinetuneHook'
    )
    assert finetune._batch_augments is not None  # mixup ran, then stopped
    metrics = full.test()
    assert 'lt/top1' in metrics
    resumed, resumed_weights = train_batch_path(
        tmp_path / 'resumed',
        resume=True,
        load_from=str(tmp_path / 'full' / 'epoch_1.pth'),
    )
    assert resumed.test() == metrics
    for key, value in weights.items():
        assert torch.equal(resumed_weights[key], value), key


def test_a_data_set_read_from_files_is_refused(tmp_path):
    (tmp_path / 'list.txt').write_text('a.jpg 0\nb.jpg 1\n')
    with pytest.raises(ValueError, match='no uint8 image array'):
        TensorBatchDataset(
            dict(
                type='ImageListLT',
                ann_file=str(tmp_path / 'list.txt'),
                num_classes=2,
                check_files=False,
            )
        )


def test_the_preprocessor_refuses_a_per_sample_loader_in_training():
    preprocessor = MODELS.build(
        dict(type='CropFlipClsDataPreprocessor', crop_size=28, padding=2)
    )
    per_sample = dict(inputs=[torch.zeros(1, 28, 28, dtype=torch.uint8)])
    with pytest.raises(TypeError, match='tensor_batch_collate'):
        preprocessor(per_sample, training=True)
    with pytest.raises(TypeError, match='collates the batches of a'):
        tensor_batch_collate([dict(inputs=torch.zeros(1))])


@pytest.mark.parametrize(
    'options,match',
    [
        (dict(crop_size=0), 'crop_size must be an int >= 1'),
        (dict(padding=-1), 'padding must be an int >= 0'),
        (dict(flip_prob=1.5), r'flip_prob must be in \[0, 1\]'),
    ],
)
def test_bad_preprocessor_settings_are_refused(options, match):
    with pytest.raises(ValueError, match=match):
        MODELS.build(dict(type='CropFlipClsDataPreprocessor', **options))


def test_a_pipeline_the_batch_path_cannot_run_is_refused():
    cfg = Config.fromfile(f'{REPO}/configs/ce_cifar10_lt.py')
    cfg.train_dataloader.dataset.pipeline.insert(
        0, dict(type='ColorJitter', brightness=0.4)
    )
    with pytest.raises(ValueError, match='the batch path runs no ColorJitter'):
        to_batch_path(cfg)
    cfg = Config.fromfile(f'{REPO}/configs/ce_cifar10_lt.py')
    cfg.test_dataloader.dataset.pipeline.insert(0, dict(type='Resize'))
    with pytest.raises(ValueError, match='no Resize .* on the evaluated'):
        to_batch_path(cfg)


def test_the_ready_label_path_equals_mmpretrains_forward(monkeypatch):
    """With labels already on the device and no batch augment, the data
    preprocessor skips mmpretrain's per-sample label loops; its output is
    what they give."""
    cfg = to_batch_path(Config.fromfile(f'{REPO}/configs/ce_cifar10_lt.py'))
    preprocessor = MODELS.build(cfg.data_preprocessor)
    images = torch.randint(0, 256, (16, 3, 32, 32), dtype=torch.uint8)
    results = []
    for ready in (True, False):
        monkeypatch.setattr(
            type(preprocessor), 'labels_ready', lambda *a, r=ready: r
        )
        samples = [DataSample().set_gt_label(i % 10) for i in range(16)]
        torch.manual_seed(0)
        results.append(
            preprocessor(dict(inputs=images, data_samples=samples), True)
        )
    fast, plain = results
    assert torch.equal(fast['inputs'], plain['inputs'])
    for a, b in zip(fast['data_samples'], plain['data_samples']):
        assert torch.equal(a.gt_label, b.gt_label)
        assert set(a.keys()) == set(b.keys())


def test_batch_path_in_a_config_moves_its_loaders_as_the_runner_is_built(
    tmp_path,
):
    on = build(mnist_cfg(tmp_path / 'on', batch_path=True, validate=True))
    for key in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        assert on.cfg[key].dataset.type == 'TensorBatchDataset', key
        assert on.cfg[key].collate_fn.type == 'tensor_batch_collate', key
    preprocessor = on.model.data_preprocessor
    assert type(preprocessor).__name__ == 'CropFlipClsDataPreprocessor'
    assert (preprocessor.crop_size, preprocessor.padding) == (28, 2)
    on.release_work_dir()
    off = build(mnist_cfg(tmp_path / 'off', batch_path=False))
    assert off.cfg.train_dataloader.dataset.type == 'MNISTLT'
    assert type(off.model.data_preprocessor).__name__ == 'ClsDataPreprocessor'
    off.release_work_dir()


def test_a_batch_path_that_is_not_a_bool_is_refused(tmp_path):
    with pytest.raises(
        TypeError, match="batch_path must be True or False, got 'yes'"
    ):
        build(mnist_cfg(tmp_path, batch_path='yes'))
