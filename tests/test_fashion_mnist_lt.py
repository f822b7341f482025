"""Fashion-MNIST-LT: the idx reading (on small files written here, gzipped
and raw, and every way they can be broken), the LDAM-DRW reference subset
on the real files, and a few iterations of training through the Runner."""

import gzip
import os
import os.path as osp

import numpy as np
import pytest
from mmengine.config import Config

from mmlt.class_counts import recorded_counts, shot_groups
from mmlt.datasets import FashionMNISTLT
from mmlt.datasets import fashion_mnist_lt as fm

from runner_utils import REPO, mnist_cfg, run

NAMES = {
    'train_images': 'train-images-idx3-ubyte',
    'train_labels': 'train-labels-idx1-ubyte',
    'test_images': 't10k-images-idx3-ubyte',
    'test_labels': 't10k-labels-idx1-ubyte',
}


def idx_bytes(array: np.ndarray, magic=None) -> bytes:
    """An array of unsigned bytes in the idx format."""
    array = np.asarray(array, dtype=np.uint8)
    if magic is None:
        magic = 0x0800 | array.ndim
    header = magic.to_bytes(4, 'big') + b''.join(
        n.to_bytes(4, 'big') for n in array.shape
    )
    return header + array.tobytes()


def write_file(root, key, data: bytes, gz: bool) -> str:
    path = osp.join(root, NAMES[key] + ('.gz' if gz else ''))
    if gz:
        with gzip.open(path, 'wb') as f:
            f.write(data)
    else:
        with open(path, 'wb') as f:
            f.write(data)
    return path


def small_set(per_class=20, test_per_class=3, seed=0):
    """Images and labels of a small balanced set, labels shuffled."""
    rng = np.random.RandomState(seed)
    arrays = {}
    for split, n in (('train', per_class), ('test', test_per_class)):
        labels = rng.permutation(np.repeat(np.arange(10), n))
        arrays[f'{split}_labels'] = labels
        arrays[f'{split}_images'] = rng.randint(0, 256, (len(labels), 28, 28))
    return arrays


def write_set(root, arrays, gz=True) -> str:
    os.makedirs(root, exist_ok=True)
    for key, array in arrays.items():
        write_file(root, key, idx_bytes(array), gz)
    return str(root)


def reference_subset(labels, counts, seed):
    """The LDAM-DRW reference's IMBALANCECIFAR10 selection, written out:
    the global generator seeded once, then, class by class, a shuffle of
    that class's indices, the first n kept."""
    state = np.random.get_state()
    try:
        np.random.seed(seed)
        kept = []
        for cls, n in enumerate(counts):
            idx = np.where(labels == cls)[0]
            np.random.shuffle(idx)
            kept.extend(idx[:n])
    finally:
        np.random.set_state(state)
    return np.asarray(kept)


def reference_counts(n_max, imb_type, imb_factor, num_classes=10):
    if imb_type == 'exp':
        return [
            int(n_max * imb_factor ** (i / (num_classes - 1.0)))
            for i in range(num_classes)
        ]
    half = num_classes // 2
    return [int(n_max)] * half + [int(n_max * imb_factor)] * half


@pytest.mark.parametrize('gz', [True, False], ids=['gz', 'raw'])
def test_small_files_load_as_the_reference_selects(tmp_path, gz):
    arrays = small_set()
    root = write_set(tmp_path, arrays, gz)
    train = FashionMNISTLT(data_root=root, imb_factor=0.1, seed=3)
    counts = reference_counts(20, 'exp', 0.1)
    assert counts == [20, 15, 11, 9, 7, 5, 4, 3, 2, 2]
    assert recorded_counts(train) == counts
    keep = reference_subset(arrays['train_labels'], counts, seed=3)
    assert len(train) == len(keep) == sum(counts)
    for i, j in enumerate(keep):
        info = train.get_data_info(i)
        assert info['gt_label'] == arrays['train_labels'][j]
        assert info['img'].shape == (28, 28, 1)
        assert np.array_equal(info['img'][..., 0], arrays['train_images'][j])
    test = FashionMNISTLT(data_root=root, split='test', imb_factor=0.1)
    assert len(test) == 30
    assert recorded_counts(test) == counts
    assert [test.get_data_info(i)['gt_label'] for i in range(30)] == list(
        arrays['test_labels']
    )
    assert test.metainfo['classes'][9] == 'Ankle boot'


def test_gz_and_raw_files_mix(tmp_path):
    arrays = small_set()
    root = write_set(tmp_path, arrays, gz=True)
    os.remove(osp.join(root, NAMES['train_labels'] + '.gz'))
    write_file(root, 'train_labels', idx_bytes(arrays['train_labels']), False)
    assert len(FashionMNISTLT(data_root=root, imb_factor=1.0)) == 200


def test_missing_folder_says_how_to_install(tmp_path):
    root = str(tmp_path / 'nowhere')
    with pytest.raises(FileNotFoundError) as e:
        FashionMNISTLT(data_root=root)
    assert root in str(e.value)
    assert 'apt-get install dataset-fashion-mnist' in str(e.value)
    assert 'train-images-idx3-ubyte.gz' in str(e.value)


@pytest.mark.parametrize('key', sorted(NAMES))
def test_missing_file_is_named(tmp_path, key):
    root = write_set(tmp_path, small_set())
    os.remove(osp.join(root, NAMES[key] + '.gz'))
    split = key.split('_')[0]
    with pytest.raises(FileNotFoundError) as e:
        FashionMNISTLT(data_root=root, split=split)
    assert osp.join(root, NAMES[key]) in str(e.value)
    assert 'apt-get install dataset-fashion-mnist' in str(e.value)


def test_default_data_root(monkeypatch, tmp_path):
    monkeypatch.setattr(fm, 'DEBIAN_ROOT', str(tmp_path))
    assert fm.default_data_root() == str(tmp_path)
    monkeypatch.setattr(fm, 'DEBIAN_ROOT', str(tmp_path / 'absent'))
    assert fm.default_data_root() == osp.join('data', 'fashion-mnist')
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FileNotFoundError, match='data/fashion-mnist'):
        FashionMNISTLT()
    write_set(tmp_path / 'data' / 'fashion-mnist', small_set())
    assert len(FashionMNISTLT(imb_factor=0.1)) == 78


@pytest.mark.parametrize('gz', [True, False], ids=['gz', 'raw'])
@pytest.mark.parametrize(
    'key,magic',
    [('train_images', 0x0801), ('train_labels', 0x0803), ('test_images', 0)],
)
def test_wrong_magic_number_is_named(tmp_path, gz, key, magic):
    arrays = small_set()
    root = write_set(tmp_path, arrays, gz)
    path = write_file(root, key, idx_bytes(arrays[key], magic), gz)
    split = key.split('_')[0]
    with pytest.raises(ValueError, match='magic number') as e:
        FashionMNISTLT(data_root=root, split=split)
    assert path in str(e.value)


@pytest.mark.parametrize('gz', [True, False], ids=['gz', 'raw'])
@pytest.mark.parametrize('keep', [2, 10, 1000])
def test_truncated_file_is_named(tmp_path, gz, keep):
    arrays = small_set()
    root = write_set(tmp_path, arrays, gz)
    data = idx_bytes(arrays['train_images'])[:keep]
    path = write_file(root, 'train_images', data, gz)
    with pytest.raises(ValueError, match='truncated') as e:
        FashionMNISTLT(data_root=root)
    assert path in str(e.value)


def test_cut_gzip_stream_is_named(tmp_path):
    arrays = small_set()
    root = write_set(tmp_path, arrays)
    path = osp.join(root, NAMES['train_images'] + '.gz')
    with open(path, 'rb') as f:
        data = f.read()
    with open(path, 'wb') as f:
        f.write(data[: len(data) // 2])
    with pytest.raises(ValueError, match='gzip') as e:
        FashionMNISTLT(data_root=root)
    assert path in str(e.value)
    with open(path, 'wb') as f:
        f.write(b'not gzip at all')
    with pytest.raises(ValueError, match='gzip') as e:
        FashionMNISTLT(data_root=root)
    assert path in str(e.value)


def test_trailing_bytes_are_refused(tmp_path):
    arrays = small_set()
    root = write_set(tmp_path, arrays)
    data = idx_bytes(arrays['test_labels']) + b'\0'
    path = write_file(root, 'test_labels', data, True)
    with pytest.raises(ValueError, match='too long') as e:
        FashionMNISTLT(data_root=root, split='test')
    assert path in str(e.value)


@pytest.mark.parametrize('split', ['train', 'test'])
def test_image_label_count_mismatch_names_both_files(tmp_path, split):
    arrays = small_set()
    root = write_set(tmp_path, arrays)
    key = f'{split}_images'
    write_file(root, key, idx_bytes(arrays[key][:-1]), True)
    with pytest.raises(ValueError, match='images but') as e:
        FashionMNISTLT(data_root=root, split=split)
    assert osp.join(root, NAMES[key] + '.gz') in str(e.value)
    assert osp.join(root, NAMES[f'{split}_labels'] + '.gz') in str(e.value)


@pytest.mark.parametrize('split', ['train', 'test'])
@pytest.mark.parametrize('bad', [10, 255])
def test_label_outside_range_is_named(tmp_path, split, bad):
    arrays = small_set()
    labels = arrays[f'{split}_labels'].copy()
    labels[7] = bad
    arrays[f'{split}_labels'] = labels
    root = write_set(tmp_path, arrays)
    with pytest.raises(ValueError, match=r'outside \[0, 10\)') as e:
        FashionMNISTLT(data_root=root, split=split)
    assert NAMES[f'{split}_labels'] in str(e.value)
    assert f'label {bad} of image 7' in str(e.value)


def test_test_split_checks_the_training_labels_too(tmp_path):
    arrays = small_set()
    arrays['train_labels'] = arrays['train_labels'].copy()
    arrays['train_labels'][0] = 12
    root = write_set(tmp_path, arrays)
    with pytest.raises(ValueError, match='train-labels-idx1-ubyte.gz'):
        FashionMNISTLT(data_root=root, split='test')


def test_too_few_images_of_a_class_names_the_file(tmp_path):
    arrays = small_set()
    labels = arrays['train_labels'].copy()
    labels[labels == 3] = 0  # class 3 has none left; n_max stays 20
    arrays['train_labels'] = labels
    root = write_set(tmp_path, arrays)
    with pytest.raises(ValueError, match='class 3 has 0 images') as e:
        FashionMNISTLT(data_root=root, imb_factor=0.1)
    assert NAMES['train_labels'] in str(e.value)


def test_bad_arguments():
    with pytest.raises(ValueError, match='split'):
        FashionMNISTLT(split='valid')
    with pytest.raises(ValueError, match='imb_factor'):
        FashionMNISTLT(imb_factor=0)
    with pytest.raises(ValueError, match='imb_type'):
        FashionMNISTLT(imb_type='linear')


# --- the real files (Debian's dataset-fashion-mnist) -----------------------

BASE = osp.join(REPO, 'configs', '_base_', 'datasets', 'fashion_mnist_lt.py')
INSTALL = (
    f'Fashion-MNIST is not installed in {fm.DEBIAN_ROOT}: '
    'apt-get install dataset-fashion-mnist'
)


@pytest.fixture(scope='module')
def real_root():
    root = fm.DEBIAN_ROOT
    names = [n + '.gz' for n in NAMES.values()]
    if not all(osp.isfile(osp.join(root, n)) for n in names):
        if os.environ.get('CI') == 'true':
            pytest.fail(
                f'{INSTALL} (.ci/run installs it; under CI the '
                'real-data tests must run)'
            )
        pytest.skip(INSTALL)
    return root


@pytest.fixture(scope='module')
def real_train_labels(real_root):
    # read independently of mmlt's reader: an 8-byte header, then labels
    path = osp.join(real_root, NAMES['train_labels'] + '.gz')
    with gzip.open(path, 'rb') as f:
        return np.frombuffer(f.read(), np.uint8, offset=8).astype(np.int64)


@pytest.fixture(scope='module')
def real_train_images(real_root):
    path = osp.join(real_root, NAMES['train_images'] + '.gz')
    with gzip.open(path, 'rb') as f:
        images = np.frombuffer(f.read(), np.uint8, offset=16)
    return images.reshape(60000, 28, 28)


@pytest.mark.parametrize(
    'imb_type,imb_factor,seed',
    [('exp', 0.01, 0), ('exp', 0.01, 1), ('exp', 0.1, 0), ('step', 0.01, 0)],
)
def test_real_subset_is_the_reference_generators(
    real_root, real_train_labels, real_train_images, imb_type, imb_factor, seed
):
    labels = real_train_labels
    assert len(labels) == 60000
    assert np.bincount(labels).tolist() == [6000] * 10
    counts = reference_counts(6000, imb_type, imb_factor)
    if (imb_type, imb_factor) == ('exp', 0.01):
        assert counts == [6000, 3596, 2156, 1292, 774, 464, 278, 166, 100, 60]
        assert sum(counts) == 14886
    dataset = FashionMNISTLT(
        data_root=real_root,
        imb_type=imb_type,
        imb_factor=imb_factor,
        seed=seed,
        serialize_data=False,
    )
    assert recorded_counts(dataset) == counts
    keep = reference_subset(labels, counts, seed)
    got = np.array([d['gt_label'] for d in dataset.data_list])
    assert len(dataset) == len(keep) == sum(counts)
    assert np.array_equal(got, labels[keep])
    assert np.bincount(got, minlength=10).tolist() == counts
    # index for index: the images are the reference's, in its order
    got_images = np.stack([d['img'][..., 0] for d in dataset.data_list])
    assert np.array_equal(got_images, real_train_images[keep])


def test_real_test_split_is_whole(real_root):
    test = FashionMNISTLT(data_root=real_root, split='test')
    assert len(test) == 10000
    assert np.bincount(test.get_gt_labels()).tolist() == [1000] * 10
    counts = recorded_counts(test)
    assert counts[-1] == 60
    # the thresholds of configs/_base_/datasets/fashion_mnist_lt.py
    evaluator = Config.fromfile(BASE).test_evaluator
    groups = shot_groups(counts, evaluator.many_thr, evaluator.few_thr)
    assert groups == ['many'] * 4 + ['medium'] * 3 + ['few'] * 3


def test_trains_and_evaluates_on_the_real_files(tmp_path, real_root):
    cfg = mnist_cfg(tmp_path, config='ce/ce_resnet8_15e_fashion-mnist-lt.py')
    cfg.train_cfg = dict(type='IterBasedTrainLoop', max_iters=20)
    cfg.param_scheduler = []
    cfg.default_hooks.checkpoint = None
    cfg.train_dataloader.dataset.data_root = real_root
    # the first 2,000 test images (the file mixes the classes: 188 to 219
    # a class); an int, as a list would slow the config's dump down
    cfg.test_dataloader.dataset.update(data_root=real_root, indices=2000)
    runner = run(cfg)
    assert runner.iter == 20
    assert len(runner.train_dataloader.dataset) == 14886
    metrics = runner.test()
    groups = [metrics[f'lt/{g}'] for g in ('many', 'medium', 'few')]
    # every group holds classes under the config's thresholds (1000, 200)
    assert all(0 <= a <= 100 for a in groups)
    # 20 steps on 6000 ... 60 images a class learn the head classes first
    assert metrics['lt/many'] > metrics['lt/few']
    assert metrics['lt/top1'] > 10
