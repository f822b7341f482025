"""Training throughput: an mmlt config through mmengine's Runner against a
minimal plain PyTorch loop, on the same model, data and augmentation.

Both train the model of ``--config`` (built by mmpretrain, so the same
modules) on the config's training set with its batch size: the Runner runs
the config as it is (its pipeline, data preprocessor, loss, optimizer and
hooks; validation, checkpoints and logging turned off); the plain loop runs
a ``torch.utils.data.DataLoader`` over the same in-memory images, the same
random crop (zero padding, then a random window, in numpy as mmcv does),
the same normalisation, ``F.cross_entropy`` and the same SGD settings. After
``--warmup`` epochs, ``--epochs`` epochs are timed; the two alternate
``--repeats`` times and the fastest of each is reported, in images per
second, with their ratio.

Example (the figures in docs/throughput.md)::

    python tools/benchmark_throughput.py --config configs/ce_mnist_lt.py
"""

import argparse
import time

import numpy as np
import torch
import torch.nn.functional as F
from mmengine.config import Config
from mmengine.hooks import Hook
from mmengine.runner import Runner
from mmpretrain.registry import DATASETS, MODELS


class EpochTimer(Hook):
    """Wall time of the training epochs after the warm-up."""

    def __init__(self, warmup: int) -> None:
        self.warmup = warmup
        self.start = self.end = None

    def before_train_epoch(self, runner) -> None:
        if runner.epoch == self.warmup:
            self.start = time.perf_counter()

    def after_train_epoch(self, runner) -> None:
        self.end = time.perf_counter()


def runner_throughput(cfg: Config, epochs: int, warmup: int, work_dir: str):
    cfg = cfg.copy()
    cfg.work_dir = work_dir
    cfg.train_cfg.max_epochs = warmup + epochs
    cfg.val_cfg = cfg.val_dataloader = cfg.val_evaluator = None
    cfg.test_cfg = cfg.test_dataloader = cfg.test_evaluator = None
    cfg.default_hooks.checkpoint = None
    cfg.default_hooks.logger = dict(type='LoggerHook', interval=10**6)
    cfg.param_scheduler = None
    cfg.log_level = 'WARNING'
    runner = Runner.from_cfg(cfg)
    timer = EpochTimer(warmup)
    runner.register_hook(timer, priority='VERY_LOW')
    runner.train()
    images = epochs * len(runner.train_dataloader.dataset)
    return images / (timer.end - timer.start)


class CroppedImages(torch.utils.data.Dataset):
    """The config's training images with its random crop, done as mmcv's
    ``RandomCrop(crop_size, padding)`` does it (zero padding, then a window
    at a random offset, with numpy's generator)."""

    def __init__(self, images, labels, crop: int, padding: int) -> None:
        self.images, self.labels = images, labels
        self.crop, self.padding = crop, padding

    def __len__(self) -> int:
        return len(self.images)

    def __getitem__(self, i):
        p = self.padding
        img = np.pad(self.images[i], ((p, p), (p, p), (0, 0)))
        y, x = np.random.randint(0, img.shape[0] - self.crop + 1, 2)
        img = img[y : y + self.crop, x : x + self.crop]
        chw = torch.from_numpy(np.ascontiguousarray(img.transpose(2, 0, 1)))
        return chw, self.labels[i]


def plain_throughput(cfg: Config, epochs: int, warmup: int) -> float:
    dataset_cfg = cfg.train_dataloader.dataset.copy()
    crop = next(t for t in dataset_cfg.pipeline if t.type == 'RandomCrop')
    dataset_cfg.pipeline = []
    source = DATASETS.build(dataset_cfg)
    infos = [source.get_data_info(i) for i in range(len(source))]
    data = CroppedImages(
        [info['img'] for info in infos],
        [info['gt_label'] for info in infos],
        crop.crop_size,
        crop.get('padding', 0),
    )
    loader = torch.utils.data.DataLoader(
        data, batch_size=cfg.train_dataloader.batch_size, shuffle=True
    )
    model = MODELS.build(cfg.model)
    model.train()
    optim = cfg.optim_wrapper.optimizer
    sgd = torch.optim.SGD(
        model.parameters(),
        lr=optim.lr,
        momentum=optim.momentum,
        weight_decay=optim.weight_decay,
    )
    mean = torch.tensor(cfg.data_preprocessor['mean']).view(1, -1, 1, 1)
    std = torch.tensor(cfg.data_preprocessor['std']).view(1, -1, 1, 1)
    start = None
    for epoch in range(warmup + epochs):
        if epoch == warmup:
            start = time.perf_counter()
        for images, labels in loader:
            inputs = (images.float() - mean) / std
            logits = model.head(model.neck(model.backbone(inputs)))
            loss = F.cross_entropy(logits, labels)
            sgd.zero_grad()
            loss.backward()
            sgd.step()
    return epochs * len(data) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--config', default='configs/ce_mnist_lt.py')
    parser.add_argument('--epochs', type=int, default=5)
    parser.add_argument('--warmup', type=int, default=1)
    parser.add_argument('--repeats', type=int, default=3)
    parser.add_argument('--work-dir', default='work_dirs/throughput')
    args = parser.parse_args()

    cfg = Config.fromfile(args.config)
    from mmengine.registry import init_default_scope

    init_default_scope('mmpretrain')
    import mmlt  # noqa: F401  registers mmlt's components

    runner, plain = [], []
    for _ in range(args.repeats):
        plain.append(plain_throughput(cfg, args.epochs, args.warmup))
        runner.append(
            runner_throughput(cfg, args.epochs, args.warmup, args.work_dir)
        )
        print(
            f'plain {plain[-1]:.0f} img/s, runner {runner[-1]:.0f} img/s',
            flush=True,
        )
    best_plain, best_runner = max(plain), max(runner)
    print(
        f'\n| loop | images/s |\n|---|---|\n'
        f'| plain PyTorch | {best_plain:.0f} |\n'
        f'| mmengine Runner ({args.config}) | {best_runner:.0f} |\n\n'
        f'Runner / plain: {best_runner / best_plain:.3f} '
        f'(best of {args.repeats}, {args.epochs} epochs after '
        f'{args.warmup} of warm-up, torch threads '
        f'{torch.get_num_threads()})'
    )


if __name__ == '__main__':
    main()
