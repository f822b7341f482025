"""Writes the CAM set of CAM-based re-sampling (Bag of Tricks, Zhang et
al., AAAI 2021) from a stage-1 model.

Each training image's foreground is its true class's activation map above
the map's mean. Every class short of ``--per-class`` images (by default
its share of a class-balanced epoch) is topped up with generated images: an
original with its foreground moved by a random horizontal flip,
translation, rotation or scaling, the background kept. The result is an
``.npz`` file that ``CAMAugmentedDataset`` loads, and a PNG grid of
originals, their foregrounds and generated images for inspection.

Example (the stage 2 of configs/bag_of_tricks/ takes the file)::

    python tools/generate_cam_set.py \
        configs/mixup/mixup-ft_resnet8_100e_mnist-lt.py \
        work_dirs/s1/epoch_100.pth --out work_dirs/cam_sets/mnist_lt.npz
"""

import argparse
import os
import os.path as osp

import numpy as np
import torch
from mmengine.config import Config, DictAction
from mmengine.registry import init_default_scope
from mmengine.utils import ProgressBar
from PIL import Image


def load_images(cfg: Config):
    """The training split's images (N, H, W, C) uint8, labels and class
    names, before any pipeline."""
    from mmpretrain.registry import DATASETS

    dataset_cfg = cfg.train_dataloader.dataset.copy()
    dataset_cfg.pipeline = []
    dataset = DATASETS.build(dataset_cfg)
    infos = [dataset.get_data_info(i) for i in range(len(dataset))]
    if not infos or 'img' not in infos[0]:
        raise ValueError(
            f'{type(dataset).__name__} does not hold its images in memory '
            "('img'): generate_cam_set takes in-memory datasets (MNIST-LT, "
            'CIFAR-LT)'
        )
    images = np.stack([info['img'] for info in infos])
    if images.ndim == 3:
        images = images[..., None]
    labels = np.asarray([info['gt_label'] for info in infos], np.int64)
    return images, labels, dataset.metainfo['classes']


def load_model(cfg: Config, checkpoint: str, device: str):
    """The config's model with the checkpoint's weights, which must fit
    it (a CheckpointMismatchError names each weight that does not)."""
    from mmpretrain.registry import MODELS

    from mmlt.checkpoint_fit import load_fitting_checkpoint, partial_prefixes

    model_cfg = cfg.model.copy()
    if cfg.get('data_preprocessor') is not None:
        model_cfg.setdefault('data_preprocessor', cfg.data_preprocessor)
    model = MODELS.build(model_cfg)
    load_fitting_checkpoint(
        model,
        checkpoint,
        map_location='cpu',
        load_partial=partial_prefixes(cfg.get('load_partial')),
    )
    return model.to(device).eval()


def compute_masks(model, images, labels, batch_size, device) -> np.ndarray:
    from mmlt.models import foreground_masks

    masks = np.empty(images.shape[:3], bool)
    bar = ProgressBar(len(images))
    for start in range(0, len(images), batch_size):
        batch = images[start : start + batch_size]
        inputs = [torch.from_numpy(img).permute(2, 0, 1) for img in batch]
        data = model.data_preprocessor(
            dict(inputs=inputs, data_samples=None), False
        )
        y = torch.from_numpy(labels[start : start + batch_size]).to(device)
        masks[start : start + len(batch)] = (
            foreground_masks(model, data['inputs'], y).cpu().numpy()
        )
        for _ in batch:
            bar.update()
    print()
    return masks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config', help='the stage-1 config')
    parser.add_argument('checkpoint', help='the stage-1 checkpoint')
    parser.add_argument('--out', required=True, help='the .npz file')
    parser.add_argument(
        '--grid', help='PNG inspection grid; defaults to OUT with .png'
    )
    parser.add_argument(
        '--per-class',
        type=int,
        help="images a class is topped up to; defaults to a class's share "
        'of a class-balanced epoch',
    )
    parser.add_argument(
        '--transforms',
        nargs='+',
        default=['flip', 'translate', 'rotate', 'scale'],
        help='the foreground transforms to draw from (default: all)',
    )
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--batch-size', type=int, default=256)
    parser.add_argument('--device', default='cpu')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config settings (e.g. the training subset seed)',
    )
    args = parser.parse_args()

    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    init_default_scope(cfg.get('default_scope', 'mmpretrain'))
    import mmlt  # noqa: F401  registers mmlt's components
    from mmlt.datasets.cam_set_builder import build_cam_set
    from mmlt.visualization.cam_set_grid import cam_set_grid

    images, labels, classes = load_images(cfg)
    model = load_model(cfg, args.checkpoint, args.device)
    print(f'foreground masks of {len(images)} training images')
    masks = compute_masks(model, images, labels, args.batch_size, args.device)
    counts = np.bincount(labels, minlength=len(classes))
    per_class = args.per_class or -(-len(labels) // len(classes))
    to_make = int(np.clip(per_class - counts[counts > 0], 0, None).sum())
    print(f'generating {to_make} images (classes topped up to {per_class})')
    bar = ProgressBar(to_make) if to_make else None
    data = build_cam_set(
        images,
        labels,
        masks,
        classes,
        per_class,
        np.random.default_rng(args.seed),
        progress=bar.update if bar else None,
        transforms=args.transforms,
    )
    print()
    os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
    np.savez(args.out, **data)
    grid_path = args.grid or osp.splitext(args.out)[0] + '.png'
    Image.fromarray(cam_set_grid(data, masks)).save(grid_path)
    made = np.bincount(
        data['gt_label'][data['generated']], minlength=len(classes)
    )
    print(f'wrote {args.out}: {len(labels)} originals {counts.tolist()}')
    print(f'  + {int(made.sum())} generated {made.tolist()}')
    print(f'grid (original | foreground | generated): {grid_path}')


if __name__ == '__main__':
    main()
