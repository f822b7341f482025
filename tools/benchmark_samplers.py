"""Times one epoch of indices from every mmlt sampler at iNaturalist 2018's
size: 437,513 training images in 8,142 classes, long-tailed (an exp profile
down to 2 images a class).

Prints a markdown table: building the sampler (grouping the labels by
class, once per run) and one epoch's indices (``iter(sampler)``, every
epoch), the fastest of the repeats, in milliseconds, and the epoch length.
Pin it to one core to measure the one-core figure, e.g.::

    taskset -c 0 python tools/benchmark_samplers.py
"""

import argparse
import time

import numpy as np
from mmpretrain.registry import DATA_SAMPLERS

import mmlt  # noqa: F401  registers the samplers
from mmlt.datasets import long_tail_counts

NUM_IMAGES, NUM_CLASSES = 437_513, 8_142
SAMPLERS = {
    'ClassBalancedSampler (q 0)': dict(type='ClassBalancedSampler'),
    'SquareRootSampler': dict(type='SquareRootSampler'),
    'ClassBalancedSampler (q 1, plain shuffle)': dict(
        type='ClassBalancedSampler', q=1.0
    ),
    'ProgressivelyBalancedSampler (epoch 45 of 90)': dict(
        type='ProgressivelyBalancedSampler', num_epochs=90
    ),
    'DeferredResampler (after the switch)': dict(
        type='DeferredResampler', switch_epoch=0
    ),
    'RandomOverSampler': dict(type='RandomOverSampler'),
    'RandomUnderSampler': dict(type='RandomUnderSampler'),
    'ReversedSampler (BBN)': dict(type='ReversedSampler'),
    # two indices a pair: its epoch length is twice the dataset
    'BilateralBranchSampler (BBN pairs)': dict(type='BilateralBranchSampler'),
}


class Labels:
    """A dataset's labels, all a sampler reads."""

    def __init__(self, num_images: int, num_classes: int) -> None:
        # the exp profile from n_max down to 2 with the largest total not
        # above num_images; the head class takes the rest
        def profile(n_max):
            return np.asarray(
                long_tail_counts(n_max, num_classes, 'exp', 2 / n_max)
            )

        low, high = 3, 100_000  # the total grows with n_max: bisect
        while high - low > 1:
            mid = (low + high) // 2
            low, high = (
                (mid, high) if profile(mid).sum() <= num_images else (low, mid)
            )
        counts = profile(low)
        counts[0] += num_images - counts.sum()
        self.counts = counts
        self.labels = np.random.default_rng(0).permutation(
            np.repeat(np.arange(num_classes), counts)
        )
        self.metainfo = {}

    def __len__(self) -> int:
        return len(self.labels)

    def get_gt_labels(self) -> np.ndarray:
        return self.labels


def fastest_ms(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(1000 * (time.perf_counter() - start))
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--images', type=int, default=NUM_IMAGES)
    parser.add_argument('--classes', type=int, default=NUM_CLASSES)
    parser.add_argument('--repeats', type=int, default=10)
    args = parser.parse_args()
    dataset = Labels(args.images, args.classes)
    print(
        f'{len(dataset):,} images in {args.classes:,} classes '
        f'({dataset.counts.max()} .. {dataset.counts.min()} a class)'
    )
    print('| sampler | build (ms) | one epoch (ms) | epoch length |')
    print('|---|---|---|---|')
    for name, cfg in SAMPLERS.items():
        build_ms = fastest_ms(
            lambda cfg=cfg: DATA_SAMPLERS.build(
                dict(cfg, dataset=dataset, seed=0)
            ),
            max(1, args.repeats // 5),
        )
        sampler = DATA_SAMPLERS.build(dict(cfg, dataset=dataset, seed=0))
        sampler.set_epoch(45)
        epoch_ms = fastest_ms(lambda s=sampler: list(s), args.repeats)
        print(
            f'| {name} | {build_ms:.1f} | {epoch_ms:.1f} | {len(sampler):,} |'
        )


if __name__ == '__main__':
    main()
