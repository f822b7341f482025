"""The bad-input catalogue: malformed configs, files and tensors each get an
error that names the problem; nothing trains on wrong data silently."""

import pickle

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.runner.checkpoint import CheckpointLoader
from mmpretrain.registry import DATA_SAMPLERS, DATASETS, HOOKS, MODELS

from mmlt.checkpoint import CheckpointError
from mmlt.class_counts import recorded_counts
from mmlt.datasets.mnist_lt import check_mnist_table

from conftest import REPO
from runner_utils import mnist_cfg, run

COUNTS = [50, 20, 5]


def loss(type, **kwargs):
    return MODELS.build(dict(type=type, class_counts=COUNTS, **kwargs))


def call_loss(type, logits, label, **kwargs):
    return lambda: loss(type, **kwargs)(logits, label)


def cifar(root, **kwargs):
    return lambda: DATASETS.build(
        dict(type='CIFAR10LT', data_root=str(root), **kwargs)
    )


class Labelled:
    def __init__(self, labels):
        self.labels = labels

    def get_gt_labels(self):
        return np.asarray(self.labels)


def sampler(type, labels=(0, 0, 1, 2), **kwargs):
    return lambda: DATA_SAMPLERS.build(
        dict(type=type, dataset=Labelled(list(labels)), seed=0, **kwargs)
    )


L3 = torch.randn(4, 3)
Y = torch.tensor([0, 1, 2, 0])

# (what is wrong, the call, the error, what its message must say)
CASES = [
    # datasets
    (
        'MNIST-LT split',
        lambda: DATASETS.build(dict(type='MNISTLT', split='valid')),
        ValueError,
        'split must be one of',
    ),
    (
        'imb_factor 0',
        lambda: DATASETS.build(dict(type='MNISTLT', imb_factor=0)),
        ValueError,
        'imb_factor',
    ),
    (
        'imb_factor above 1',
        lambda: DATASETS.build(dict(type='MNISTLT', imb_factor=1.5)),
        ValueError,
        'imb_factor',
    ),
    (
        'unknown imb_type',
        lambda: DATASETS.build(dict(type='MNISTLT', imb_type='linear')),
        ValueError,
        'imb_type',
    ),
    (
        'CIFAR without data_root',
        lambda: DATASETS.build(dict(type='CIFAR10LT')),
        ValueError,
        'data_root is required',
    ),
    (
        'CIFAR missing folder',
        'missing_root',
        FileNotFoundError,
        'has no cifar-10-batches-py/ folder.*set download=True on the '
        r'dataset.*train_dataloader\.dataset\.download=True',
    ),
    (
        'CIFAR not the official files',
        'checksum',
        ValueError,
        'fails its md5 check',
    ),
    (
        'CIFAR corrupted pickle',
        'corrupted',
        ValueError,
        'is not a CIFAR pickle',
    ),
    (
        'CIFAR training label out of range',
        'label_range',
        ValueError,
        r'label 10 is outside \[0, 10\)',
    ),
    (
        'CIFAR test label out of range',
        'test_label_range',
        ValueError,
        r'label 12 is outside \[0, 10\)',
    ),
    (
        'CAM set missing',
        lambda: DATASETS.build(
            dict(type='CAMAugmentedDataset', data_file='/nonexistent.npz')
        ),
        FileNotFoundError,
        'generate_cam_set.py',
    ),
    (
        'CAM set with float labels',
        'cam_float_labels',
        ValueError,
        r'cam.npz: gt_label is float64; labels must be integers',
    ),
    ('empty list file', 'empty_list', ValueError, 'lists no images'),
    (
        'malformed list file',
        'malformed_list',
        ValueError,
        'line 2: expected "relative/path label"',
    ),
    # losses
    (
        'LDAM max_m 0',
        lambda: loss('LDAMLoss', max_m=0.0),
        ValueError,
        'max_m must be > 0',
    ),
    (
        'LDAM scale below 0',
        lambda: loss('LDAMLoss', s=-1.0),
        ValueError,
        's must be > 0',
    ),
    (
        'focal gamma below 0',
        lambda: loss('SoftmaxFocalLoss', gamma=-1.0),
        ValueError,
        'gamma must be >= 0',
    ),
    (
        'sigmoid focal alpha above 1',
        lambda: loss('WeightedSigmoidFocalLoss', alpha=1.5),
        ValueError,
        'alpha must be in',
    ),
    (
        'unknown weighting',
        lambda: loss('WeightedCrossEntropyLoss', weighting='log'),
        ValueError,
        'weighting must be one of',
    ),
    (
        'beta 1',
        lambda: loss(
            'WeightedCrossEntropyLoss', weighting='class_balanced', beta=1.0
        ),
        ValueError,
        r'beta must be in \[0, 1\)',
    ),
    (
        'negative class weight',
        lambda: MODELS.build(
            dict(type='WeightedCrossEntropyLoss', class_weight=[1, -1, 1])
        ),
        ValueError,
        'finite values >= 0',
    ),
    (
        'class weights of the wrong length',
        lambda: loss('WeightedCrossEntropyLoss', class_weight=[1.0, 2.0]),
        ValueError,
        'class_counts has 3 classes but the class weights have 2',
    ),
    (
        'weights and weighting both',
        lambda: loss(
            'WeightedCrossEntropyLoss',
            class_weight=[1, 1, 1],
            weighting='inverse',
        ),
        ValueError,
        'not both',
    ),
    (
        'GHM-C bins 0',
        lambda: loss('GHMCLoss', bins=0),
        ValueError,
        'bins must be an int >= 1',
    ),
    (
        'GHM-C momentum 1',
        lambda: loss('GHMCLoss', momentum=1.0),
        ValueError,
        r'momentum must be in \[0, 1\)',
    ),
    (
        'logit adjustment tau below 0',
        lambda: loss('LogitAdjustedLoss', tau=-0.5),
        ValueError,
        'tau must be >= 0',
    ),
    (
        'Balanced Softmax given a tau',
        lambda: loss('BalancedSoftmaxLoss', tau=2.0),
        ValueError,
        'tau = 1',
    ),
    (
        'class counts with a zero',
        lambda: MODELS.build(dict(type='LDAMLoss', class_counts=[5, 0, 2])),
        ValueError,
        'class_counts must hold whole counts >= 1',
    ),
    (
        'logits of another class count',
        call_loss('WeightedCrossEntropyLoss', torch.randn(4, 5), Y),
        ValueError,
        'has 3 classes but the logits have 5',
    ),
    (
        'labels of the wrong length',
        call_loss('WeightedCrossEntropyLoss', L3, Y[:3]),
        ValueError,
        r'class indices of shape \(N,\)',
    ),
    (
        'label out of range',
        call_loss('SoftmaxFocalLoss', L3, torch.tensor([0, 1, 3, 0])),
        ValueError,
        r'labels must be in \[0, 3\)',
    ),
    (
        'negative label',
        call_loss('LDAMLoss', L3, torch.tensor([0, -1, 2, 0])),
        ValueError,
        r'labels must be in \[0, 3\)',
    ),
    (
        'nan logits',
        call_loss(
            'WeightedCrossEntropyLoss',
            torch.tensor([[0.0, float('nan'), 1.0]]),
            torch.tensor([0]),
        ),
        FloatingPointError,
        '1 of the 3 logits are nan or inf',
    ),
    (
        'inf logits in a sigmoid loss',
        call_loss(
            'GHMCLoss',
            torch.tensor([[0.0, float('inf'), 1.0]]),
            torch.tensor([0]),
        ),
        FloatingPointError,
        'nan or inf',
    ),
    (
        'soft labels of three classes',
        call_loss('LDAMLoss', L3, torch.full((4, 3), 1 / 3)),
        ValueError,
        'at most two',
    ),
    (
        'LDAM without class counts',
        lambda: MODELS.build(dict(type='LDAMLoss'))(L3, Y),
        RuntimeError,
        'SetClassCountsHook',
    ),
    # heads and classifiers
    (
        'LDAM head of one class',
        lambda: MODELS.build(
            dict(type='LDAMHead', num_classes=1, in_channels=4)
        ),
        ValueError,
        'num_classes must be >= 2',
    ),
    (
        'tau-norm tau below 0',
        lambda: MODELS.build(
            dict(
                type='TauNormLinearClsHead',
                num_classes=3,
                in_channels=4,
                tau=-1.0,
            )
        ),
        ValueError,
        'tau must be >= 0',
    ),
    (
        'manifold mixup at a missing layer',
        'manifold',
        ValueError,
        "mix_layer='backbone.stage9'",
    ),
    (
        'unknown component name',
        lambda: MODELS.build(dict(type='LDAMLos')),
        KeyError,
        'LDAMLos is not in the',
    ),
    # samplers
    (
        'sampler q above 1',
        sampler('ClassBalancedSampler', q=2.0),
        ValueError,
        r'q must be in \[0, 1\]',
    ),
    (
        'sampler num_samples 0',
        sampler('ClassBalancedSampler', num_samples=0),
        ValueError,
        'num_samples must be an int >= 1',
    ),
    (
        'empty class',
        sampler('ClassBalancedSampler', labels=(0, 0, 2)),
        ValueError,
        r'classes \[1\] of 3 are empty',
    ),
    (
        'empty dataset',
        sampler('SquareRootSampler', labels=()),
        ValueError,
        'the dataset is empty',
    ),
    (
        'negative label in a dataset',
        sampler('ClassBalancedSampler', labels=(0, -1)),
        ValueError,
        'labels must be >= 0',
    ),
    # hooks
    (
        'DRW epoch below 0',
        lambda: HOOKS.build(dict(type='DRWHook', drw_epoch=-1)),
        ValueError,
        'drw_epoch must be an int >= 0',
    ),
    (
        'DRW beta 1',
        lambda: HOOKS.build(dict(type='DRWHook', beta=1.0)),
        ValueError,
        r'beta must be in \[0, 1\)',
    ),
    (
        'fine-tune epochs 0',
        lambda: HOOKS.build(dict(type='MixupFinetuneHook', num_last_epochs=0)),
        ValueError,
        'num_last_epochs must be an int >= 1',
    ),
    (
        'retraining nothing',
        lambda: HOOKS.build(
            dict(type='ClassifierRetrainingHook', trainable=[])
        ),
        ValueError,
        'trainable must be a non-empty list',
    ),
    # issue 14: files that loaded silently or failed without a name
    (
        'CIFAR batch with one label too many',
        'cifar_labels_longer',
        ValueError,
        r'data_batch_1: 40 data rows but 41 labels',
    ),
    (
        'CIFAR batch with one label too few',
        'cifar_labels_shorter',
        ValueError,
        r'data_batch_1: 40 data rows but 39 labels',
    ),
    (
        'CIFAR data stored as float64 above 255',
        'cifar_float64',
        ValueError,
        r'data_batch_1: data is float64; a CIFAR batch holds uint8',
    ),
    (
        'CIFAR data stored as images',
        'cifar_hwc',
        ValueError,
        r'data_batch_1: data is stored as images \(40, 32, 32, 3\)',
    ),
    (
        'CIFAR rows of the wrong width',
        'cifar_width',
        ValueError,
        r'data_batch_1: data has shape \(40, 1024\); .* \(N, 3072\)',
    ),
    (
        "CIFAR label '3'",
        'cifar_label_str',
        ValueError,
        r"data_batch_1 \(labels\) row 0: label '3' is a str, not an integer",
    ),
    (
        'CIFAR label 3.7',
        'cifar_label_float',
        ValueError,
        r'data_batch_1 \(labels\) row 0: label 3.7 is a float, not an',
    ),
    (
        'CIFAR test batch cut short',
        'cifar_truncated_test',
        ValueError,
        r'test_batch is not a CIFAR pickle \(cut short',
    ),
    (
        'list file repeating a line',
        'list_duplicate',
        ValueError,
        r'train.txt line 3: img/0.jpg is listed again \(first on line 1\)',
    ),
    (
        'list file giving an image two labels',
        'list_conflict',
        ValueError,
        r'line 2: img/0.jpg is listed with label 1 and on line 1 with label 0',
    ),
    (
        'list file naming a missing image',
        'list_missing_image',
        FileNotFoundError,
        r'train.txt line 2: image .*img/1.jpg does not exist',
    ),
    (
        'list file naming a zero-byte JPEG',
        'list_empty_image',
        FileNotFoundError,
        r'train.txt line 1: image .*img/0.jpg is empty \(0 bytes\)',
    ),
    (
        'zero-byte checkpoint',
        'empty_checkpoint',
        CheckpointError,
        r'checkpoint .*empty.pth is empty \(0 bytes\)',
    ),
    (
        'checkpoint cut short',
        'torn_checkpoint',
        CheckpointError,
        r'checkpoint .*torn.pth cannot be read \(torn',
    ),
    (
        'empty checkpoint path (an empty last_checkpoint)',
        lambda: CheckpointLoader.load_checkpoint(''),
        FileNotFoundError,
        'checkpoint path is empty',
    ),
    (
        'MNIST table of the wrong width',
        lambda: check_mnist_table(np.zeros((5000, 784), np.int64), 'm.csv'),
        ValueError,
        r'm.csv: rows of \(784,\) values; expected 785',
    ),
    (
        'MNIST pixel above 255',
        lambda: check_mnist_table(mnist_table(pixel=300), 'm.csv'),
        ValueError,
        'm.csv row 7: pixel values outside 0-255',
    ),
    (
        'MNIST label 10',
        lambda: check_mnist_table(mnist_table(label=10), 'm.csv'),
        ValueError,
        r'm.csv row 7: label 10 is outside \[0, 10\)',
    ),
    (
        'non-finite check option not a bool',
        lambda: HOOKS.build(
            dict(type='NonFiniteCheckHook', check_parameters='yes')
        ),
        TypeError,
        'check_parameters must be True or False',
    ),
]


def mnist_table(pixel=0, label=None):
    table = np.zeros((5000, 785), np.int64)
    table[:, -1] = np.arange(5000) % 10
    if label is not None:
        table[7, -1] = label
    table[7, 3] = pixel
    return table


def make_cifar(tmp_path, mutate=None):
    from cifar_files import write_cifar

    write_cifar(str(tmp_path), num_classes=10, train_per_class=20)
    folder = tmp_path / 'cifar-10-batches-py'
    if mutate:
        mutate(folder)
    return tmp_path


def set_label(name, value):
    def mutate(folder):
        with open(folder / name, 'rb') as f:
            entry = pickle.load(f)
        entry['labels'][0] = value
        with open(folder / name, 'wb') as f:
            pickle.dump(entry, f)

    return mutate


def file_case(kind, tmp_path):
    """Cases that need files written first."""
    if kind == 'missing_root':
        return cifar(tmp_path / 'nothing_here')
    if kind == 'checksum':
        return cifar(make_cifar(tmp_path))
    if kind == 'corrupted':
        root = make_cifar(
            tmp_path,
            lambda d: (d / 'data_batch_2').write_bytes(b'not a pickle'),
        )
        return cifar(root, verify_checksum=False)
    if kind == 'label_range':
        root = make_cifar(tmp_path, set_label('data_batch_1', 10))
        return cifar(root, verify_checksum=False)
    if kind == 'test_label_range':
        root = make_cifar(tmp_path, set_label('test_batch', 12))
        return cifar(root, split='test', imb_factor=0.1, verify_checksum=False)
    if kind in ('empty_list', 'malformed_list'):
        text = '' if kind == 'empty_list' else 'img/0.jpg 0\nimg/1.jpg\n'
        (tmp_path / 'train.txt').write_text(text)
        return lambda: DATASETS.build(
            dict(
                type='ImageListLT',
                ann_file=str(tmp_path / 'train.txt'),
                num_classes=1000,
            )
        )
    if kind == 'cam_float_labels':
        path = tmp_path / 'cam.npz'
        np.savez(
            path,
            img=np.zeros((3, 4, 4, 1), np.uint8),
            gt_label=np.array([0.0, 1.0, 1.5]),
            generated=np.zeros(3, bool),
            source=np.arange(3),
            classes=np.array(['a', 'b']),
        )
        return lambda: DATASETS.build(
            dict(type='CAMAugmentedDataset', data_file=str(path))
        )
    if kind.startswith('cifar_'):
        return cifar_case(kind, tmp_path)
    if kind.startswith('list_'):
        return list_case(kind, tmp_path)
    if kind in ('empty_checkpoint', 'torn_checkpoint'):
        path = tmp_path / f'{kind.split("_")[0]}.pth'
        torch.save({'state_dict': {'w': torch.zeros(100)}}, path)
        path.write_bytes(path.read_bytes()[: 0 if 'empty' in kind else 300])
        return lambda: CheckpointLoader.load_checkpoint(str(path))
    if kind == 'manifold':
        cfg = Config.fromfile(
            f'{REPO}/configs/mixup/manifold-mixup_resnet8_100e_mnist-lt.py'
        )
        model = dict(cfg.model, mix_layer='backbone.stage9')
        return lambda: MODELS.build(model)
    raise KeyError(kind)


def test_the_catalogue_is_long():
    assert len(CASES) + len(RUNNER_CASES) >= 30


@pytest.mark.parametrize(
    'call,error,match', [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_input_gets_a_clear_error(tmp_path, call, error, match):
    if isinstance(call, str):
        call = file_case(call, tmp_path)
    with pytest.raises(error, match=match) as e:
        call()
    # numbers print plainly, never as numpy's np.int64(12)
    assert 'np.' not in str(e.value)


# whole training runs that must stop before training on wrong data
RUNNER_CASES = [
    (
        'head of another class count than the data',
        dict(model=dict(head=dict(num_classes=7))),
        ValueError,
        'the class counts have 10 classes but the head has num_classes=7',
    ),
    (
        'fine-tuning after mixup without mixup',
        dict(
            custom_hooks=[
                dict(type='MixupFinetuneHook', num_last_epochs=5),
            ]
        ),
        ValueError,
        'found no mixup',
    ),
    (
        'DRS switch after the last epoch',
        dict(
            train_dataloader=dict(
                sampler=dict(
                    _delete_=True, type='DeferredResampler', switch_epoch=9
                )
            )
        ),
        ValueError,
        'max_epochs=2',
    ),
    (
        'stage 2 without a stage-1 checkpoint',
        dict(
            custom_hooks=[
                dict(type='ClassifierRetrainingHook', trainable=['head'])
            ]
        ),
        ValueError,
        'needs the stage-1 checkpoint',
    ),
]


@pytest.mark.parametrize(
    'options,error,match',
    [c[1:] for c in RUNNER_CASES],
    ids=[c[0] for c in RUNNER_CASES],
)
def test_a_bad_config_stops_before_training(tmp_path, options, error, match):
    cfg = mnist_cfg(tmp_path, max_epochs=2, **options)
    with pytest.raises(error, match=match):
        run(cfg)
    assert not list(tmp_path.glob('epoch_*.pth'))


def edit_batch(name, change):
    def mutate(folder):
        with open(folder / name, 'rb') as f:
            entry = pickle.load(f)
        change(entry)
        with open(folder / name, 'wb') as f:
            pickle.dump(entry, f)

    return mutate


CIFAR_EDITS = {
    'cifar_labels_longer': lambda e: e['labels'].append(0),
    'cifar_labels_shorter': lambda e: e['labels'].pop(),
    'cifar_float64': lambda e: e.update(data=e['data'] * 300.0),
    'cifar_hwc': lambda e: e.update(
        data=e['data'].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
    ),
    'cifar_width': lambda e: e.update(data=e['data'][:, :1024]),
    'cifar_label_str': lambda e: e['labels'].__setitem__(0, '3'),
    'cifar_label_float': lambda e: e['labels'].__setitem__(0, 3.7),
}


def cifar_case(kind, tmp_path):
    if kind == 'cifar_truncated_test':

        def cut(folder):
            data = (folder / 'test_batch').read_bytes()
            (folder / 'test_batch').write_bytes(data[: len(data) // 2])

        root = make_cifar(tmp_path, cut)
        return cifar(root, split='test', imb_factor=0.1, verify_checksum=False)
    root = make_cifar(tmp_path, edit_batch('data_batch_1', CIFAR_EDITS[kind]))
    return cifar(root, verify_checksum=False)


LISTS = {
    'list_duplicate': 'img/0.jpg 0\nimg/1.jpg 1\nimg/0.jpg 0\n',
    'list_conflict': 'img/0.jpg 0\nimg/0.jpg 1\n',
    'list_missing_image': 'img/0.jpg 0\nimg/1.jpg 1\n',
    'list_empty_image': 'img/0.jpg 0\n',
}


def image_list(tmp_path, text, images=(), **options):
    """An ImageListLT over ``text``, with ``images`` written (a byte each,
    but an empty one for a name ending in 'empty')."""
    (tmp_path / 'img').mkdir(exist_ok=True)
    for name in images:
        (tmp_path / 'img' / name).write_bytes(b'' if 'empty' in name else b'x')
    (tmp_path / 'train.txt').write_bytes(text.encode('utf-8'))
    return lambda: DATASETS.build(
        dict(
            type='ImageListLT',
            data_root=str(tmp_path),
            ann_file='train.txt',
            num_classes=3,
            **options,
        )
    )


def list_case(kind, tmp_path):
    images = {'list_missing_image': ['0.jpg']}.get(kind, ['0.jpg', '1.jpg'])
    if kind == 'list_empty_image':
        images = []
        (tmp_path / 'img').mkdir()
        (tmp_path / 'img' / '0.jpg').write_bytes(b'')
    return image_list(tmp_path, LISTS[kind], images)


def test_a_list_file_with_a_byte_order_mark_reads_its_first_line(tmp_path):
    dataset = image_list(
        tmp_path, '\ufeffimg/0.jpg 2\nimg/1.jpg 0\n', ['0.jpg', '1.jpg']
    )()
    assert dataset.get_data_info(0)['img_path'] == str(
        tmp_path / 'img' / '0.jpg'
    )
    assert list(dataset.get_gt_labels()) == [2, 0]


def test_allow_duplicates_counts_every_line(tmp_path):
    text = 'img/0.jpg 0\nimg/1.jpg 1\nimg/0.jpg 0\n'
    dataset = image_list(
        tmp_path, text, ['0.jpg', '1.jpg'], allow_duplicates=True
    )()
    assert len(dataset) == 3
    assert recorded_counts(dataset) == [2, 1, 0]
