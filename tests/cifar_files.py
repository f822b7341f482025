"""Writes small CIFAR-format folders (the layout and pickles of the
official python versions) so tests can load them with verify_checksum=False.
"""

import os
import os.path as osp
import pickle

import numpy as np

LAYOUT = {
    10: (
        'cifar-10-batches-py',
        'labels',
        [f'data_batch_{i}' for i in range(1, 6)],
        ['test_batch'],
    ),
    100: ('cifar-100-python', 'fine_labels', ['train'], ['test']),
}


def write_split(folder, names, label_key, labels, rng):
    parts = np.array_split(np.arange(len(labels)), len(names))
    for name, part in zip(names, parts):
        data = rng.integers(0, 256, (len(part), 3072), dtype=np.uint8)
        entry = {'data': data, label_key: [int(labels[i]) for i in part]}
        with open(osp.join(folder, name), 'wb') as f:
            pickle.dump(entry, f)


def write_cifar(
    root, num_classes=10, train_per_class=20, test_per_class=5, seed=0
):
    """Returns the training labels, in file order (classes interleaved)."""
    folder_name, label_key, train_names, test_names = LAYOUT[num_classes]
    folder = osp.join(root, folder_name)
    os.makedirs(folder, exist_ok=True)
    rng = np.random.default_rng(seed)
    train = rng.permutation(np.repeat(np.arange(num_classes), train_per_class))
    test = rng.permutation(np.repeat(np.arange(num_classes), test_per_class))
    write_split(folder, train_names, label_key, train, rng)
    write_split(folder, test_names, label_key, test, rng)
    return train
