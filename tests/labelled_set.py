"""A stand-in dataset for sampler tests: labels and metainfo only."""

import numpy as np


class LabelledSet:
    """The part of a dataset the samplers read: labels and metainfo."""

    def __init__(self, counts, num_classes=None):
        self.labels = np.repeat(np.arange(len(counts)), counts)
        # shuffled, so that class order is not index order
        np.random.default_rng(7).shuffle(self.labels)
        classes = [f'c{i}' for i in range(num_classes or len(counts))]
        self.metainfo = dict(classes=classes)

    def __len__(self):
        return len(self.labels)

    def get_gt_labels(self):
        return self.labels
