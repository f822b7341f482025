"""Figures for long-tailed training and test results.

Subcommands (each writes a PNG, and with ``--vis-backends`` also hands the
image to mmengine's visualizer backends, e.g. TensorBoard or W&B):

- ``class-distribution CONFIG``: the training set's images per class, on a
  log scale, coloured by shot group;
- ``per-class CONFIG RESULT``: each class's test accuracy against its
  training images, from a ``mim test ... --out RESULT.pkl`` dump;
- ``reliability RESULT``: the reliability diagram and ECE (15 bins);
- ``compare CONFIG RESULT_A RESULT_B``: B's per-class accuracy minus A's;
- ``classifier-norms CONFIG CKPT [CKPT ...]``: each checkpoint's per-class
  classifier weight norms (``--param``, ``head.fc.weight`` by default),
  also printed, classes sorted by training images, with the largest over
  the smallest norm (what τ-norm and weight balancing act on); the
  classes are named by the training set's ``metainfo['classes']``.

Example (CKPT: a trained checkpoint, e.g. a zoo file or your run's
``epoch_100.pth``; a dump is about 36 MB for MNIST-LT, so keep it under
``work_dirs/``)::

    mim test mmpretrain configs/ldam_mnist_lt.py --checkpoint CKPT \\
        --out work_dirs/analysis/ldam.pkl
    python tools/analysis_tools/plot_long_tail.py per-class \\
        configs/ldam_mnist_lt.py work_dirs/analysis/ldam.pkl \\
        --out work_dirs/analysis/per_class.png
"""

import argparse
import os
import os.path as osp
from typing import Optional

import mmengine
import numpy as np
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from PIL import Image


def training_set(config: str):
    """A config's training set, without its pipeline."""
    from mmpretrain.registry import DATASETS

    cfg = Config.fromfile(config)
    dataset_cfg = cfg.train_dataloader.dataset.copy()
    dataset_cfg.pipeline = []
    return DATASETS.build(dataset_cfg)


def training_counts(config: str) -> list:
    """The training class counts of a config's training set."""
    from mmlt.class_counts import dataset_counts

    return dataset_counts(training_set(config))


def class_names(dataset, num_classes: int) -> Optional[list]:
    """The dataset's ``metainfo['classes']``, or None where it has none
    (or not one a class) and the figure falls back to class indices."""
    classes = getattr(dataset, 'metainfo', {}).get('classes')
    if classes is None or len(classes) != num_classes:
        return None
    return list(classes)


def load_results(path: str):
    """Predicted scores (N, C) and true labels (N,) of a ``--out`` dump."""
    results = mmengine.load(path)
    if not results or 'pred_score' not in results[0]:
        raise ValueError(
            f'{path} is not a mim test --out dump with predicted scores'
        )
    scores = torch.stack([torch.as_tensor(r['pred_score']) for r in results])
    labels = torch.cat(
        [torch.as_tensor(r['gt_label']).view(-1) for r in results]
    )
    return scores.float().numpy(), labels.numpy()


def classifier_norms(
    checkpoint: str, param: str, num_classes: int
) -> np.ndarray:
    """The (C,) L2 norms of the rows of ``param`` in a checkpoint."""
    from mmengine.runner import CheckpointLoader

    def is_classifier(v) -> bool:
        return torch.is_tensor(v) and v.dim() == 2 and len(v) == num_classes

    loaded = CheckpointLoader.load_checkpoint(checkpoint, map_location='cpu')
    state = loaded.get('state_dict', loaded)
    weight = state.get(param)
    if not is_classifier(weight):
        candidates = [k for k, v in state.items() if is_classifier(v)]
        raise ValueError(
            f'{checkpoint}: param {param!r} is not a ({num_classes}, D) '
            f'classifier weight; the ones it has: {candidates}'
        )
    return weight.float().norm(dim=1).numpy()


def class_accuracy(path: str, num_classes: int) -> np.ndarray:
    from mmlt.evaluation import per_class_accuracy

    scores, labels = load_results(path)
    if scores.shape[1] != num_classes:
        raise ValueError(
            f'{path} has {scores.shape[1]} classes, the training set '
            f'{num_classes}'
        )
    return per_class_accuracy(scores.argmax(1), labels, num_classes)


def make_figure(args):
    from mmlt import visualization as vis
    from mmlt.evaluation import expected_calibration_error, reliability_bins

    if args.command == 'class-distribution':
        return vis.plot_class_distribution(training_counts(args.config))
    if args.command == 'per-class':
        counts = training_counts(args.config)
        accuracy = class_accuracy(args.result, len(counts))
        return vis.plot_accuracy_vs_frequency(counts, accuracy)
    if args.command == 'reliability':
        scores, labels = load_results(args.result)
        confidence = scores.max(1)
        correct = scores.argmax(1) == labels
        table = reliability_bins(confidence, correct, args.bins)
        ece = expected_calibration_error(confidence, correct, args.bins)
        return vis.plot_reliability(table, ece)
    if args.command == 'classifier-norms':
        from mmlt.class_counts import dataset_counts

        dataset = training_set(args.config)
        counts = dataset_counts(dataset)
        names = args.names or args.checkpoints
        if len(names) != len(args.checkpoints):
            raise ValueError(
                f'--names gives {len(names)} names for '
                f'{len(args.checkpoints)} checkpoints'
            )
        if len(set(names)) != len(names):
            # one legend entry a model: a repeated name would hide a line
            raise ValueError(f'--names repeats a name: {names}')
        norms = {}
        order = vis.class_order(counts)
        print('classes by training images:', [counts[i] for i in order])
        for name, checkpoint in zip(names, args.checkpoints):
            norm = classifier_norms(checkpoint, args.param, len(counts))
            norms[name] = norm
            spread = vis.largest_over_smallest(norm)
            listed = ' '.join(f'{x:.3f}' for x in norm[order])
            print(f'{name}: max / min {spread:.2f}; norms {listed}')
        return vis.plot_classifier_norms(
            counts, norms, class_names(dataset, len(counts))
        )
    counts = training_counts(args.config)
    a = class_accuracy(args.result_a, len(counts))
    b = class_accuracy(args.result_b, len(counts))
    return vis.plot_comparison(counts, a, b, args.names)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    sub = parser.add_subparsers(dest='command', required=True)
    dist = sub.add_parser('class-distribution')
    dist.add_argument('config')
    per_class = sub.add_parser('per-class')
    per_class.add_argument('config')
    per_class.add_argument('result')
    reliability = sub.add_parser('reliability')
    reliability.add_argument('result')
    reliability.add_argument('--bins', type=int, default=15)
    compare = sub.add_parser('compare')
    compare.add_argument('config')
    compare.add_argument('result_a')
    compare.add_argument('result_b')
    compare.add_argument('--names', nargs=2, default=['A', 'B'])
    norms = sub.add_parser('classifier-norms')
    norms.add_argument('config')
    norms.add_argument('checkpoints', nargs='+')
    norms.add_argument(
        '--names', nargs='+', help='one legend name per checkpoint'
    )
    norms.add_argument('--param', default='head.fc.weight')
    for p in (dist, per_class, reliability, compare, norms):
        p.add_argument('--out', required=True, help='the PNG file')
        p.add_argument(
            '--vis-backends',
            nargs='+',
            default=[],
            help='mmengine visualizer backends to add the image to, e.g. '
            'LocalVisBackend TensorboardVisBackend',
        )
        p.add_argument('--save-dir', default='work_dirs/plots')
    args = parser.parse_args()

    init_default_scope('mmpretrain')
    import mmlt  # noqa: F401  registers mmlt's datasets
    from mmlt.visualization import figure_to_rgb

    image = figure_to_rgb(make_figure(args))
    os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
    Image.fromarray(image).save(args.out)
    print(f'wrote {args.out}')
    if args.vis_backends:
        from mmengine.visualization import Visualizer

        visualizer = Visualizer(
            name=f'mmlt_plot_{os.getpid()}',
            vis_backends=[dict(type=b) for b in args.vis_backends],
            save_dir=args.save_dir,
        )
        visualizer.add_image(args.command, image)
        print(f'added to {", ".join(args.vis_backends)} in {args.save_dir}')


if __name__ == '__main__':
    main()
