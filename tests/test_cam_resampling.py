"""CAM-based re-sampling: masks from class activation maps, foreground-only
transforms, the CAM set and the samplers' use of its generated images."""

import subprocess
import sys

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmpretrain.registry import DATA_SAMPLERS, MODELS

from mmlt.class_counts import METAINFO_KEY
from mmlt.datasets import CAMAugmentedDataset
from mmlt.datasets.cam_set_builder import build_cam_set
from mmlt.datasets.samplers import GeneratedClassIndex
from mmlt.datasets.transforms import (
    FOREGROUND_TRANSFORMS,
    transform_foreground,
)
from mmlt.models import class_activation_maps, foreground_masks

from conftest import REPO


def digit(rng, size=28):
    """A bright block on a noisy dark background, and its mask."""
    img = rng.integers(0, 40, (size, size, 1), dtype=np.uint8)
    mask = np.zeros((size, size), bool)
    mask[6:18, 9:15] = True
    img[mask] = 230
    return img, mask


@pytest.mark.parametrize('kind', FOREGROUND_TRANSFORMS)
def test_transforms_move_the_foreground_and_leave_the_background(kind):
    rng = np.random.default_rng(0)
    img, mask = digit(rng)
    moved_any = False
    for _ in range(10):
        out, moved = transform_foreground(img, mask, kind, rng)
        assert out.shape == img.shape and out.dtype == np.uint8
        # background pixels that the moved foreground does not cover
        untouched = ~mask & ~moved
        assert untouched.sum() > 0.5 * mask.size
        assert np.array_equal(out[untouched], img[untouched])
        # vacated foreground pixels take the background's mean colour
        vacated = mask & ~moved
        fill = np.round(img[~mask].astype(float).mean())
        assert np.all(out[vacated] == fill)
        # the moved foreground is the bright block, as large as scaled
        assert moved.sum() > 0.4 * mask.sum()
        assert np.median(out[moved]) > 200  # blurred at edges
        moved_any |= not np.array_equal(moved, mask)
    assert moved_any
    if kind == 'flip':
        assert np.array_equal(moved, mask[:, ::-1])
        assert np.array_equal(out[moved], img[:, ::-1][moved])


def test_an_unknown_transform_is_refused():
    rng = np.random.default_rng(0)
    img, mask = digit(rng)
    with pytest.raises(ValueError, match='kind must be one of'):
        transform_foreground(img, mask, 'shear', rng)
    with pytest.raises(ValueError, match='mask'):
        transform_foreground(img, mask[:5], 'flip', rng)


def test_class_activation_maps_are_the_class_weighted_feature_sums():
    feature_map = torch.tensor(
        [[[[1.0, 2.0], [3.0, 4.0]], [[0.0, 1.0], [0.0, -1.0]]]]
    )  # (1, 2, 2, 2)
    weight = torch.tensor([[2.0, -3.0]])
    # 2 * F0 - 3 * F1, by hand
    expected = torch.tensor([[[2.0, 1.0], [6.0, 11.0]]])
    assert torch.equal(class_activation_maps(feature_map, weight), expected)


def test_foreground_masks_threshold_the_true_class_map_at_its_mean():
    cfg = Config.fromfile(f'{REPO}/configs/ce_mnist_lt.py')
    model = MODELS.build(cfg.model).eval()
    inputs = torch.randn(3, 1, 28, 28)
    labels = torch.tensor([0, 4, 9])
    masks = foreground_masks(model, inputs, labels)
    assert masks.shape == (3, 28, 28) and masks.dtype == torch.bool
    with torch.no_grad():
        feats = model.backbone(inputs)[-1]
        w = model.head.fc.weight[labels]
        cams = torch.einsum('nkhw,nk->nhw', feats, w)
        cams = torch.nn.functional.interpolate(
            cams[:, None], size=(28, 28), mode='bilinear'
        )[:, 0]
    for i in range(3):
        assert torch.equal(masks[i], cams[i] > cams[i].mean())
    # the other classes' maps give other masks
    other = foreground_masks(model, inputs, torch.tensor([1, 1, 1]))
    assert not torch.equal(other, masks)


def small_cam_set(tmp_path, counts=(12, 6, 3, 1), per_class=None):
    rng = np.random.default_rng(0)
    labels = np.repeat(np.arange(len(counts)), counts)
    pairs = [digit(rng) for _ in labels]
    images = np.stack([p[0] for p in pairs])
    masks = np.stack([p[1] for p in pairs])
    data = build_cam_set(
        images,
        labels,
        masks,
        [str(c) for c in range(len(counts))],
        per_class,
        rng,
    )
    path = tmp_path / 'cam_set.npz'
    np.savez(path, **data)
    return data, path


def test_the_cam_set_tops_every_class_up_with_generated_images(tmp_path):
    data, path = small_cam_set(tmp_path)
    n = 22
    assert np.array_equal(data['generated'], np.arange(len(data['img'])) >= n)
    # ceil(22 / 4) = 6 a class; the head class keeps its 12
    counts = np.bincount(data['gt_label'])
    assert counts.tolist() == [12, 6, 6, 6]
    made = data['generated']
    assert np.all(
        data['gt_label'][made] == data['gt_label'][data['source']][made]
    )
    assert set(data['kind'][made]) <= set(FOREGROUND_TRANSFORMS)
    # a class's originals are used in turn: class 2's 3 originals once each
    sources = data['source'][made & (data['gt_label'] == 2)]
    assert sorted(sources) == [18, 19, 20]
    dataset = CAMAugmentedDataset(data_file=str(path))
    assert len(dataset) == 30
    assert dataset.metainfo[METAINFO_KEY] == [12, 6, 3, 1]
    assert dataset.generated_flags().sum() == 8


def test_the_cam_set_draws_from_the_transforms_it_is_given(tmp_path):
    rng = np.random.default_rng(0)
    img, mask = digit(rng)
    images, masks = np.stack([img] * 3), np.stack([mask] * 3)
    labels = np.array([0, 0, 1])
    data = build_cam_set(
        images, labels, masks, ['a', 'b'], 4, rng, transforms=['rotate']
    )
    assert data['kind'][data['generated']].tolist() == ['rotate'] * 5
    with pytest.raises(ValueError, match='non-empty subset'):
        build_cam_set(images, labels, masks, ['a', 'b'], transforms=['shear'])


def test_a_bad_cam_set_file_is_refused(tmp_path):
    with pytest.raises(FileNotFoundError, match='generate_cam_set.py'):
        CAMAugmentedDataset(data_file=str(tmp_path / 'missing.npz'))
    np.savez(tmp_path / 'bad.npz', img=np.zeros((2, 4, 4, 1), np.uint8))
    with pytest.raises(ValueError, match='lacks'):
        CAMAugmentedDataset(data_file=str(tmp_path / 'bad.npz'))
    data, _ = small_cam_set(tmp_path)
    data['gt_label'][0] = 7
    np.savez(tmp_path / 'bad_label.npz', **data)
    with pytest.raises(ValueError, match=r'labels must be in \[0, 4\)'):
        CAMAugmentedDataset(data_file=str(tmp_path / 'bad_label.npz'))


def test_draws_take_originals_first_then_generated_images():
    # class 0: originals 0-3; class 1: originals 4, 5, generated 6-9
    labels = np.array([0, 0, 0, 0, 1, 1, 1, 1, 1, 1])
    generated = np.array([0, 0, 0, 0, 0, 0, 1, 1, 1, 1], bool)
    index = GeneratedClassIndex(labels, generated)
    assert index.counts.tolist() == [4, 2]
    rng = np.random.default_rng(0)
    for _ in range(20):
        out = index.draw(np.array([1, 0, 1, 1, 0, 1, 1]), rng)
        ones = out[[0, 2, 3, 5, 6]]
        # class 1's first two draws are its two originals, once each
        assert sorted(ones[:2]) == [4, 5]
        assert np.all(ones[2:] >= 6)
        assert len(set(out[[1, 4]])) == 2 and set(out[[1, 4]]) <= {0, 1, 2, 3}
    # already drawn originals count (the over-sampler's case)
    out = index.draw(np.array([1, 1]), rng, drawn=np.array([4, 2]))
    assert np.all(out >= 6)
    # plain shuffling sees the originals only
    assert sorted(index.shuffle(6, rng)) == [0, 1, 2, 3, 4, 5]


def test_a_class_without_generated_images_repeats_its_originals():
    labels = np.array([0, 0, 1])
    index = GeneratedClassIndex(labels, np.zeros(3, bool))
    out = index.draw(np.array([1, 1, 1]), np.random.default_rng(0))
    assert out.tolist() == [2, 2, 2]


@pytest.mark.parametrize(
    'sampler',
    [
        dict(type='ClassBalancedSampler'),
        dict(type='SquareRootSampler'),
        dict(type='ProgressivelyBalancedSampler', num_epochs=4),
        dict(type='RandomOverSampler'),
    ],
    ids=lambda s: s['type'],
)
def test_samplers_on_a_cam_set_draw_each_original_once_before_generated(
    tmp_path, sampler
):
    data, path = small_cam_set(tmp_path, counts=(40, 12, 4, 2))
    dataset = CAMAugmentedDataset(data_file=str(path))
    sampler = DATA_SAMPLERS.build(dict(sampler, dataset=dataset, seed=0))
    sampler.set_epoch(2)
    indices = np.fromiter(sampler, dtype=np.int64)
    labels, made = data['gt_label'], data['generated']
    for c, n in enumerate([40, 12, 4, 2]):
        drawn = indices[labels[indices] == c]
        originals = drawn[~made[drawn]]
        # no original repeats while the class has generated images
        assert len(set(originals)) == len(originals)
        if len(drawn) > n:
            assert len(originals) == n and made[drawn].sum() == len(drawn) - n
    assert made[indices].any()


def test_generate_cam_set_tool_writes_a_loadable_set_and_a_grid(tmp_path):
    from mmengine.runner import save_checkpoint

    cfg = Config.fromfile(f'{REPO}/configs/ce_mnist_lt.py')
    model = MODELS.build(cfg.model)
    save_checkpoint(model.state_dict(), str(tmp_path / 'model.pth'))
    out = tmp_path / 'sets' / 'mnist.npz'
    proc = subprocess.run(
        [
            sys.executable,
            f'{REPO}/tools/generate_cam_set.py',
            f'{REPO}/configs/ce_mnist_lt.py',
            str(tmp_path / 'model.pth'),
            '--out',
            str(out),
            '--per-class',
            '20',
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    dataset = CAMAugmentedDataset(data_file=str(out))
    # MNIST-LT: 988 originals; classes short of 20 are topped up to 20
    counts = [400, 239, 143, 86, 51, 30, 18, 11, 6, 4]
    assert dataset.metainfo[METAINFO_KEY] == counts
    assert len(dataset) == 988 + 2 + 9 + 14 + 16
    assert '+ 41 generated' in proc.stdout
    from PIL import Image

    grid = Image.open(out.with_suffix('.png'))
    assert grid.size[0] > 3 * 28 and grid.mode == 'RGB'
