import os.path as osp
import pickle

import numpy as np
import pytest
from mmpretrain.registry import DATASETS

from mmlt.class_counts import METAINFO_KEY, dataset_counts
from mmlt.datasets import (
    CIFAR10LT,
    CIFAR100LT,
    MNISTLT,
    long_tail_counts,
    reference_subset_indices,
)
from mmlt.datasets.mnist_lt import load_mnist_5k

from cifar_files import write_cifar


def test_cifar10_lt_selects_reference_subset(tmp_path):
    labels = write_cifar(str(tmp_path), 10, train_per_class=40)
    ds = CIFAR10LT(
        data_root=str(tmp_path), imb_factor=0.1, seed=3, verify_checksum=False
    )
    counts = long_tail_counts(40, 10, 'exp', 0.1)
    assert ds.class_counts == counts
    assert counts[0] == 40 and counts[-1] == 4
    keep = reference_subset_indices(labels, counts, seed=3)
    assert [d['gt_label'] for d in ds] == labels[keep].tolist()
    # the images are the selected ones, in the selected order
    with open(
        osp.join(tmp_path, 'cifar-10-batches-py', 'data_batch_1'), 'rb'
    ) as f:
        first_file = pickle.load(f)
    first_in_file = next(
        i for i, k in enumerate(keep) if k < len(first_file['labels'])
    )
    expected = (
        first_file['data'][keep[first_in_file]]
        .reshape(3, 32, 32)
        .transpose(1, 2, 0)
    )
    np.testing.assert_array_equal(ds[first_in_file]['img'], expected)


@pytest.mark.parametrize('num_classes', [10, 100])
def test_a_cifar_lt_val_split_is_held_out_of_the_training_images(
    tmp_path, num_classes
):
    labels = write_cifar(str(tmp_path), num_classes, train_per_class=40)

    def split(name, **options):
        return DATASETS.build(
            dict(
                type=f'CIFAR{num_classes}LT',
                data_root=str(tmp_path),
                split=name,
                imb_factor=0.1,
                seed=3,
                verify_checksum=False,
                **options,
            )
        )

    train, val = split('train'), split('val', val_per_class=30)
    counts = long_tail_counts(40, num_classes, 'exp', 0.1)
    keep = reference_subset_indices(labels, counts, seed=3)
    left = np.setdiff1d(np.arange(len(labels)), keep)
    # each class's first 30 left-out images in file order (the largest
    # class keeps all 40: none), never a training image
    expected = np.concatenate(
        [left[labels[left] == c][:30] for c in range(num_classes)]
    )
    assert [d['gt_label'] for d in val] == labels[expected].tolist()
    assert np.bincount(labels[expected], minlength=num_classes)[0] == 0
    images = {bytes(np.asarray(d['img'])) for d in train}
    assert not images & {bytes(np.asarray(d['img'])) for d in val}
    # it records the training counts, and its split is 'val'
    assert val.class_counts == train.class_counts == counts
    assert val.split == 'val' and train.split == 'train'
    assert len(split('test')) == 5 * num_classes
    with pytest.raises(ValueError, match='split must be one of'):
        split('valid')
    # the split LFME's CIFAR-LT student measures its expert weights on
    from mmengine.config import Config

    from conftest import REPO

    student = Config.fromfile(
        osp.join(
            REPO, f'configs/lfme/lfme_resnet32_200e_cifar{num_classes}-lt.py'
        )
    )
    measured = student.custom_hooks[0].val_dataloader.dataset
    assert measured.split == 'val'
    # on the generated files' scale (40 a class: ratio 10)
    measured.update(
        data_root=str(tmp_path), verify_checksum=False, imb_factor=0.1, seed=3
    )
    labels = DATASETS.build(measured).get_gt_labels()
    assert labels.tolist() == split('val').get_gt_labels().tolist()


def test_full_size_cifar100_lt_through_the_dataset(tmp_path):
    write_cifar(str(tmp_path), 100, train_per_class=500, test_per_class=1)
    ds = DATASETS.build(
        dict(type='CIFAR100LT', data_root=str(tmp_path), verify_checksum=False)
    )
    assert len(ds) == 10847
    assert ds.class_counts[0] == 500 and ds.class_counts[-1] == 5
    groups = ds.shot_groups()
    assert (
        groups.count('many') + groups.count('medium') + groups.count('few')
        == 100
        and groups[0] == 'many'
        and groups[-1] == 'few'
    )


def test_test_split_stays_whole_and_knows_train_profile(cifar10_root):
    ds = CIFAR10LT(
        data_root=cifar10_root,
        split='test',
        imb_factor=0.1,
        verify_checksum=False,
    )
    assert len(ds) == 50
    assert np.bincount(ds.get_gt_labels()).tolist() == [5] * 10
    assert ds.metainfo[METAINFO_KEY] == long_tail_counts(20, 10, 'exp', 0.1)


def test_step_profile(cifar100_root):
    ds = CIFAR100LT(
        data_root=cifar100_root,
        imb_type='step',
        imb_factor=0.1,
        verify_checksum=False,
    )
    assert ds.class_counts == [20] * 50 + [2] * 50
    assert len(ds) == 1100


def test_checksum_is_verified_by_default(cifar10_root):
    with pytest.raises(ValueError, match='md5.*verify_checksum=False'):
        CIFAR10LT(data_root=cifar10_root)


def test_missing_data_root(tmp_path):
    with pytest.raises(FileNotFoundError, match='cifar-100-python'):
        CIFAR100LT(data_root=str(tmp_path / 'nowhere'))
    with pytest.raises(ValueError, match='data_root is required'):
        CIFAR10LT()


def test_missing_folder_names_download_and_download_fetches(
    tmp_path, monkeypatch
):
    # the error's advice, download=True, must really fetch the archive
    root = tmp_path / 'empty'
    with pytest.raises(FileNotFoundError, match='download=True'):
        CIFAR10LT(data_root=str(root))
    fetched = []

    def fake_download(url, download_root, filename=None, md5=None):
        # stands in for the network: the extracted official layout
        fetched.append((url, osp.normpath(download_root), filename, md5))
        write_cifar(download_root, 10, train_per_class=20)

    monkeypatch.setattr(
        'mmlt.datasets.cifar_lt.download_and_extract_archive', fake_download
    )
    ds = CIFAR10LT(
        data_root=str(root),
        imb_factor=0.1,
        download=True,
        verify_checksum=False,
    )
    assert fetched == [
        (CIFAR10LT.url, str(root), CIFAR10LT.filename, CIFAR10LT.tgz_md5)
    ]
    assert len(ds) == sum(long_tail_counts(20, 10, 'exp', 0.1))


@pytest.mark.parametrize('imb_factor', [0, 1.01, -1])
def test_cifar_bad_imb_factor(cifar10_root, imb_factor):
    with pytest.raises(ValueError, match='imb_factor'):
        CIFAR10LT(
            data_root=cifar10_root,
            imb_factor=imb_factor,
            verify_checksum=False,
        )


def test_cifar_class_left_empty(cifar10_root):
    # 20 images a class at ratio 100: the tail classes get int(0.2) = 0
    with pytest.raises(ValueError, match='0 images'):
        CIFAR10LT(
            data_root=cifar10_root, imb_factor=0.01, verify_checksum=False
        )


def test_mnist_lt_real_digits():
    images, labels = load_mnist_5k()
    assert images.shape == (5000, 28, 28) and images.dtype == np.uint8
    assert np.bincount(labels).tolist() == [500] * 10
    train, test = MNISTLT(), MNISTLT(split='test')
    assert train.class_counts == [
        400,
        239,
        143,
        86,
        51,
        30,
        18,
        11,
        6,
        4,
    ]
    assert len(train) == 988 and len(test) == 1000
    assert np.bincount(test.get_gt_labels()).tolist() == [100] * 10
    assert test.metainfo[METAINFO_KEY] == train.class_counts
    assert train[0]['img'].shape == (28, 28, 1)
    # no training image is a test image
    train_imgs = {d['img'].tobytes() for d in train}
    assert not train_imgs & {d['img'].tobytes() for d in test}
    assert train.shot_groups() == ['many'] * 3 + ['medium'] * 3 + ['few'] * 4


def test_mnist_lt_seed_changes_subset_not_test_split():
    a, b = MNISTLT(seed=0), MNISTLT(seed=1)
    assert a.class_counts == b.class_counts
    assert [d['img'].tobytes() for d in a] != [d['img'].tobytes() for d in b]
    ta, tb = MNISTLT(split='test', seed=0), MNISTLT(split='test', seed=1)
    assert [d['img'].tobytes() for d in ta] == [d['img'].tobytes() for d in tb]


def test_mnist_lt_bad_input():
    with pytest.raises(ValueError, match='imb_factor'):
        MNISTLT(imb_factor=2)
    with pytest.raises(ValueError, match='split'):
        MNISTLT(split='valid')
    with pytest.raises(ValueError, match='0 images'):
        MNISTLT(imb_factor=0.001)


class LabelledDataset:
    """A dataset that only knows its labels, like mmpretrain's."""

    def __init__(self, labels, classes):
        self.labels, self.metainfo = labels, {'classes': classes}

    def get_gt_labels(self):
        return np.asarray(self.labels)


class Wrapper:
    def __init__(self, dataset):
        self.dataset = dataset


def test_dataset_counts_of_other_datasets(cifar10_root):
    plain = LabelledDataset([0, 0, 2, 0, 2], classes=('a', 'b', 'c', 'd'))
    assert dataset_counts(plain) == [3, 0, 2, 0]
    assert dataset_counts(Wrapper(plain)) == [3, 0, 2, 0]
    lt = CIFAR10LT(
        data_root=cifar10_root, imb_factor=0.1, verify_checksum=False
    )
    assert dataset_counts(lt) == lt.class_counts
    with pytest.raises(TypeError, match='give the class counts'):
        dataset_counts(object())
