"""Training throughput: an mmlt config through mmengine's Runner against a
minimal plain PyTorch loop, in fp32 and bf16, per sample and by batch.

For each precision (``--precision fp32 bf16``) and data path (``--path
per-sample batch``) both loops train the model of ``--config`` (built by
mmpretrain, so the same modules, initialised alike) on the config's
training set with its batch size:

- the Runner runs the config as it is (its pipeline, data preprocessor,
  loss, optimizer and hooks; validation, checkpoints and logging off),
  with ``optim_wrapper.type='AmpOptimWrapper'`` for bf16 (what ``--amp``
  sets) and :func:`mmlt.datasets.to_batch_path` for the batch path;
- the plain loop trains in a few lines of torch: per sample, a
  ``DataLoader`` over the in-memory images with the same random crop (and
  flip, if the pipeline has one) in numpy as mmcv does; by batch, the
  images as one uint8 tensor, each batch gathered and cropped with
  mmlt's batch functions; then the same normalisation, ``F.cross_entropy``
  (under ``torch.autocast`` for bf16) and the same SGD settings, with
  the model stored channels last where the config's ``ChannelsLastHook``
  stores the Runner's so (``--cfg-options
  default_hooks.channels_last.devices=[]`` times both in torch's default
  layout).

Both loops run with glibc keeping freed memory (what mmlt's
``CPUAllocatorHook`` sets for every CPU run; ``--allocator default``
leaves glibc's defaults and takes the hook out of the Runner's config).
After ``--warmup`` epochs, ``--epochs`` epochs are timed; the loops
alternate ``--repeats`` times and the fastest of each is reported, in
images per second, with the median and range of the repeats' own
Runner / plain ratios. ``--breakdown`` adds, for each variant, where the
Runner's timed epochs went: its train steps, each hook method, and the
loader with mmengine's loop between iterations (timers, no profiler).
``--interleave`` instead builds one Runner per variant and runs a plain
epoch after each of its epochs: each pair's ratio, a second apart, is
read as median, quartiles and mean with its standard error.
``--recipe`` instead times the whole recipe through the Runner once per
variant (training with the config's validation, then the test), with its
top-1.

Example (the tables in docs/throughput.md)::

    python tools/benchmark_throughput.py --config configs/ce_mnist_lt.py
"""

import argparse
import collections
import copy
import functools
import time
from typing import Protocol

import numpy as np
import torch
import torch.nn.functional as F
from mmengine.config import Config, DictAction
from mmengine.hooks import Hook
from mmengine.runner import Runner
from mmpretrain.registry import MODELS

PRECISIONS = ('fp32', 'bf16')
PATHS = ('per-sample', 'batch')


class EpochTimer(Hook):
    """Wall time of the training epochs after the warm-up, and the part of
    it spent in the model's train steps (data preprocessing, forward,
    backward, optimizer step): the rest is the Runner's own, the loader and
    every hook."""

    def __init__(self, warmup: int) -> None:
        self.warmup = warmup
        self.start = self.end = None
        self.in_steps = 0.0
        self._step_start = None

    def before_train_epoch(self, runner) -> None:
        if runner.epoch == self.warmup:
            self.start = time.perf_counter()

    def after_train_epoch(self, runner) -> None:
        self.end = time.perf_counter()

    def step_starts(self, runner) -> None:
        if self.start is not None:
            self._step_start = time.perf_counter()

    def step_ends(self, runner) -> None:
        if self._step_start is not None:
            self.in_steps += time.perf_counter() - self._step_start
            self._step_start = None


class StepTimer(Protocol):
    """What :class:`StepStart` and :class:`StepEnd` tell when a train step
    starts and ends (:class:`EpochTimer`, :class:`InterleavedPlainEpochs`)."""

    def step_starts(self, runner) -> None: ...

    def step_ends(self, runner) -> None: ...


class StepStart(Hook):
    """Called last before each train step (priority LOWEST)."""

    def __init__(self, timer: StepTimer) -> None:
        self.timer = timer

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        self.timer.step_starts(runner)


class StepEnd(Hook):
    """Called first after each train step (priority HIGHEST)."""

    def __init__(self, timer: StepTimer) -> None:
        self.timer = timer

    def after_train_iter(
        self, runner, batch_idx, data_batch=None, outputs=None
    ):
        self.timer.step_ends(runner)


HOOK_POINTS = (
    'before_train_epoch',
    'before_train_iter',
    'after_train_iter',
    'after_train_epoch',
)


class Breakdown(Hook):
    """Where a Runner's timed epochs go outside its train steps, without a
    profiler: a timer around each hook's training-loop methods, and the
    time between one iteration's last hook (or, for an epoch's first, the
    last hook of the epoch's start) and the next iteration's first: the
    loader fetching the batch, and mmengine's loop. Each timer adds about
    a microsecond a call."""

    def __init__(self, timer: EpochTimer) -> None:
        self.timer = timer
        self.seconds = collections.defaultdict(float)
        self.iterations = 0
        self._iter_end = None

    def attach(self, runner) -> None:
        # its before_train_iter is an iteration's first, IterEnd's hooks
        # the last
        runner.register_hook(self, priority='HIGHEST')
        runner.register_hook(IterEnd(self), priority='LOWEST')
        own = (EpochTimer, StepStart, StepEnd, Breakdown, IterEnd)
        for hook in runner.hooks:
            if isinstance(hook, own):
                continue
            for point in HOOK_POINTS:
                name = f'{type(hook).__name__}.{point}'
                setattr(hook, point, self.timed(name, getattr(hook, point)))

    def timed(self, name: str, method):
        @functools.wraps(method)
        def call(*args, **kwargs):
            if self.timer.start is None:  # the warm-up
                return method(*args, **kwargs)
            start = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                self.seconds[name] += time.perf_counter() - start

        return call

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        if self.timer.start is None:
            return
        self.iterations += 1
        if self._iter_end is not None:
            between = time.perf_counter() - self._iter_end
            self.seconds['loader and loop, between iterations'] += between

    def after_train_epoch(self, runner) -> None:
        self._iter_end = None  # the epoch's hooks are timed on their own

    def iter_ends(self) -> None:
        self._iter_end = time.perf_counter()

    def rows(self, seconds: float, smallest: float = 5e-6) -> list:
        """(part, ms an iteration, % of the timed epochs) for each part
        above ``smallest`` seconds an iteration, the largest first."""
        n = max(self.iterations, 1)
        parts = dict(self.seconds, **{'train steps': self.timer.in_steps})
        return [
            (name, 1e3 * total / n, 100 * total / seconds)
            for name, total in sorted(parts.items(), key=lambda kv: -kv[1])
            if total / n >= smallest
        ]


class IterEnd(Hook):
    """Called last after each train step, and last as an epoch starts
    (priority LOWEST): the loader's first fetch of an epoch counts from
    there."""

    def __init__(self, breakdown: Breakdown) -> None:
        self.breakdown = breakdown

    def before_train_epoch(self, runner) -> None:
        self.breakdown.iter_ends()

    def after_train_iter(
        self, runner, batch_idx, data_batch=None, outputs=None
    ):
        self.breakdown.iter_ends()


def variant(
    cfg: Config, precision: str, path: str, keep_memory: bool = True
) -> Config:
    """``cfg`` in the given precision and on the given data path, without
    mmlt's ``CPUAllocatorHook`` unless ``keep_memory``."""
    from mmlt.datasets import to_batch_path

    # a deep copy: Config.copy() shares the nested dicts with cfg
    cfg = to_batch_path(cfg) if path == 'batch' else copy.deepcopy(cfg)
    # mmlt's Runner would move a config with batch_path=True onto it
    cfg.batch_path = path == 'batch'
    if not keep_memory:
        cfg.default_hooks.pop('cpu_allocator', None)
    if precision == 'bf16':
        cfg.optim_wrapper.type = 'AmpOptimWrapper'
        cfg.optim_wrapper.setdefault('loss_scale', 'dynamic')
    return cfg


def quiet_runner(cfg: Config, work_dir: str, max_epochs: int) -> Runner:
    """A Runner of ``cfg`` (a copy) training ``max_epochs`` epochs without
    validation, checkpoints, the schedule or logging (all but mmengine's
    log at each epoch's end)."""
    cfg = copy.deepcopy(cfg)
    cfg.work_dir = work_dir
    cfg.train_cfg.max_epochs = max_epochs
    cfg.val_cfg = cfg.val_dataloader = cfg.val_evaluator = None
    cfg.test_cfg = cfg.test_dataloader = cfg.test_evaluator = None
    cfg.default_hooks.checkpoint = None
    cfg.default_hooks.logger = dict(type='LoggerHook', interval=10**6)
    cfg.param_scheduler = None
    cfg.log_level = 'WARNING'
    return Runner.from_cfg(cfg)


def time_steps(runner: Runner, timer: StepTimer) -> None:
    """Tells ``timer`` when each of ``runner``'s train steps starts and
    ends."""
    runner.register_hook(StepStart(timer), priority='LOWEST')
    runner.register_hook(StepEnd(timer), priority='HIGHEST')


def runner_throughput(
    cfg: Config, epochs: int, warmup: int, work_dir: str, breakdown=False
):
    """(images/s, share of the time outside the train steps, and with
    ``breakdown`` the :meth:`Breakdown.rows` of the timed epochs)."""
    runner = quiet_runner(cfg, work_dir, warmup + epochs)
    timer = EpochTimer(warmup)
    runner.register_hook(timer, priority='VERY_LOW')
    time_steps(runner, timer)
    parts = Breakdown(timer) if breakdown else None
    if parts:
        parts.attach(runner)
    runner.train()
    images = epochs * len(runner.train_dataloader.dataset)
    seconds = timer.end - timer.start
    rows = parts.rows(seconds) if parts else None
    return images / seconds, 1 - timer.in_steps / seconds, rows


def recipe_run(cfg: Config, work_dir: str):
    """(wall seconds, top-1) of the whole recipe: training with its
    validation, then the test."""
    cfg = copy.deepcopy(cfg)
    cfg.work_dir = work_dir
    cfg.default_hooks.checkpoint = dict(type='CheckpointHook', interval=-1)
    cfg.log_level = 'WARNING'
    start = time.perf_counter()
    runner = Runner.from_cfg(cfg)
    runner.train()
    metrics = runner.test()
    return time.perf_counter() - start, metrics['lt/top1']


class AugmentedImages(torch.utils.data.Dataset):
    """The config's training images with its random crop (and flip), done
    per image as mmcv's ``RandomCrop(crop_size, padding)`` and
    ``RandomFlip`` do it (numpy's generator)."""

    def __init__(self, images, labels, augment: dict) -> None:
        self.images, self.labels = images, labels
        self.crop = augment['crop_size']
        self.padding = augment['padding']
        self.flip_prob = augment['flip_prob']

    def __len__(self) -> int:
        return len(self.images)

    def __getitem__(self, i):
        p = self.padding
        img = np.pad(self.images[i], ((p, p), (p, p), (0, 0)))
        y, x = np.random.randint(0, img.shape[0] - self.crop + 1, 2)
        img = img[y : y + self.crop, x : x + self.crop]
        if self.flip_prob and np.random.rand() < self.flip_prob:
            img = img[:, ::-1]
        chw = torch.from_numpy(np.ascontiguousarray(img.transpose(2, 0, 1)))
        return chw, self.labels[i]


def batches(images, labels, augment: dict, batch_size: int, path: str):
    """One epoch of (uint8 images (B, C, H, W), labels) in random order."""
    if path == 'per-sample':
        loader = torch.utils.data.DataLoader(
            AugmentedImages(images, labels, augment),
            batch_size=batch_size,
            shuffle=True,
        )
        yield from loader
        return
    from mmlt.models.data_preprocessors import (
        random_crop_batch,
        random_flip_batch,
    )

    order = torch.randperm(len(labels))
    for index in order.split(batch_size):
        batch = random_crop_batch(
            images[index], augment['crop_size'], augment['padding']
        )
        yield random_flip_batch(batch, augment['flip_prob']), labels[index]


def converts_to_channels_last(cfg: Config) -> bool:
    """Whether the Runner stores this CPU model channels last (mmlt's
    ``ChannelsLastHook`` among the config's hooks, built to read its
    ``devices``): the plain loop then does too, so that both run the same
    convolution kernels."""
    from mmpretrain.registry import HOOKS

    from mmlt.engine.hooks import ChannelsLastHook

    hooks = [h for h in (cfg.get('default_hooks') or {}).values() if h]
    hooks += list(cfg.get('custom_hooks') or [])
    return any(
        isinstance(h.get('type'), str)
        and HOOKS.get(h['type']) is ChannelsLastHook
        and 'cpu' in HOOKS.build(h).devices
        for h in hooks
    )


class PlainLoop:
    """The plain PyTorch loop: the config's model (built by mmpretrain,
    weights initialised as the Runner initialises them), SGD with the
    config's settings, the training images in memory; :meth:`epoch`
    trains one epoch."""

    def __init__(self, cfg: Config, precision: str, path: str) -> None:
        from mmlt.datasets import TensorBatchDataset
        from mmlt.datasets.batch_path_config import crop_flip_settings

        dataset_cfg = cfg.train_dataloader.dataset
        self.augment = crop_flip_settings(dataset_cfg.pipeline)
        # the images as the batch path holds them: (N, C, H, W) uint8
        source = TensorBatchDataset(dataset_cfg, device='cpu')
        self.images, self.labels = source.images, source.labels
        if path == 'per-sample':
            # each image (H, W, C), as the pipeline's transforms get it
            self.images = self.images.permute(0, 2, 3, 1).numpy()
        self.model = MODELS.build(cfg.model)
        self.model.init_weights()
        self.model.train()
        if converts_to_channels_last(cfg):
            self.model.to(memory_format=torch.channels_last)
        optim = cfg.optim_wrapper.optimizer
        self.sgd = torch.optim.SGD(
            self.model.parameters(),
            lr=optim.lr,
            momentum=optim.momentum,
            weight_decay=optim.weight_decay,
        )
        preprocessor = (
            cfg.model.get('data_preprocessor') or cfg.data_preprocessor
        )
        self.mean = torch.tensor(preprocessor['mean']).view(1, -1, 1, 1)
        self.std = torch.tensor(preprocessor['std']).view(1, -1, 1, 1)
        self.batch_size = cfg.train_dataloader.batch_size
        self.precision, self.path = precision, path

    def epoch(self) -> None:
        model = self.model
        for inputs, targets in batches(
            self.images, self.labels, self.augment, self.batch_size, self.path
        ):
            inputs = (inputs.float() - self.mean) / self.std
            with torch.autocast(
                'cpu',
                dtype=torch.bfloat16,
                enabled=self.precision == 'bf16',
            ):
                logits = model.head(model.neck(model.backbone(inputs)))
                loss = F.cross_entropy(logits.float(), targets)
            self.sgd.zero_grad()
            loss.backward()
            self.sgd.step()


def plain_throughput(
    cfg: Config, epochs: int, warmup: int, precision: str, path: str
) -> float:
    loop = PlainLoop(cfg, precision, path)
    for _ in range(warmup):
        loop.epoch()
    start = time.perf_counter()
    for _ in range(epochs):
        loop.epoch()
    return epochs * len(loop.labels) / (time.perf_counter() - start)


class InterleavedPlainEpochs(Hook):
    """Runs one epoch of the plain loop after each of the Runner's epochs
    (last of its hooks, priority LOWEST) and times both: the Runner's
    epoch from the end of one plain epoch to the start of the next, so
    that everything the Runner does in an epoch counts (its loop, every
    hook, the loader), and the part of it in its train steps
    (:class:`StepStart` and :class:`StepEnd` call :meth:`step_starts`
    and :meth:`step_ends`). Pairs a second apart see the same state of
    the machine, where whole runs a minute apart do not."""

    def __init__(self, loop: PlainLoop, warmup: int) -> None:
        self.loop = loop
        self.warmup = warmup
        #: (Runner's epoch, its train steps, plain epoch) in seconds
        self.pairs = []
        self._plain_end = None
        self._in_steps = 0.0
        self._step_start = None

    def step_starts(self, runner) -> None:
        self._step_start = time.perf_counter()

    def step_ends(self, runner) -> None:
        self._in_steps += time.perf_counter() - self._step_start

    def after_train_epoch(self, runner) -> None:
        start = time.perf_counter()
        self.loop.epoch()
        end = time.perf_counter()
        # runner.epoch is the finished epoch's index here
        if runner.epoch >= self.warmup:
            runner_epoch = start - self._plain_end
            self.pairs.append((runner_epoch, self._in_steps, end - start))
        self._plain_end = end
        self._in_steps = 0.0


def interleaved_pairs(
    cfg: Config,
    runner_cfg: Config,
    epochs: int,
    warmup: int,
    precision: str,
    path: str,
    work_dir: str,
) -> np.ndarray:
    """(pairs, 3): each pair's Runner epoch, the part of it in its train
    steps, and the plain epoch, in seconds; ``epochs`` pairs after
    ``warmup``."""
    runner = quiet_runner(runner_cfg, work_dir, warmup + epochs)
    hook = InterleavedPlainEpochs(PlainLoop(cfg, precision, path), warmup)
    runner.register_hook(hook, priority='LOWEST')
    time_steps(runner, hook)
    runner.train()
    return np.array(hook.pairs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--config', default='configs/ce_mnist_lt.py')
    parser.add_argument(
        '--precision', nargs='+', choices=PRECISIONS, default=['fp32']
    )
    parser.add_argument(
        '--path', nargs='+', choices=PATHS, default=['per-sample']
    )
    parser.add_argument('--epochs', type=int, default=5)
    parser.add_argument('--warmup', type=int, default=1)
    parser.add_argument('--repeats', type=int, default=3)
    parser.add_argument(
        '--recipe',
        action='store_true',
        help='time the whole recipe (training, validation, test) through '
        'the Runner once per variant',
    )
    parser.add_argument(
        '--breakdown',
        action='store_true',
        help="print where each variant's last Runner run spent its timed "
        'epochs: the train steps, each hook method, the loader and loop',
    )
    parser.add_argument(
        '--interleave',
        action='store_true',
        help='one Runner run per variant with a plain epoch after each of '
        "its epochs: the pairs' ratios (median, quartiles, mean and its "
        'standard error) instead of best-of-repeats',
    )
    parser.add_argument('--work-dir', default='work_dirs/throughput')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config settings, as mim train takes them',
    )
    parser.add_argument(
        '--allocator',
        choices=('keep', 'default'),
        default='keep',
        help="'keep': glibc keeps freed memory in both loops, as mmlt's "
        "CPUAllocatorHook sets it; 'default': glibc's defaults, and the "
        'hook taken out of the Runner',
    )
    args = parser.parse_args()
    if args.interleave and args.warmup < 1:
        # a Runner epoch is timed from the end of the plain epoch before it
        parser.error('--interleave needs --warmup 1 or more')

    keep_memory = args.allocator == 'keep'
    if keep_memory:
        from mmlt.engine.hooks import keep_freed_memory

        if not keep_freed_memory():
            raise SystemExit('--allocator keep needs glibc (mallopt)')
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    from mmengine.registry import init_default_scope

    init_default_scope('mmpretrain')
    import mmlt  # noqa: F401  registers mmlt's components

    variants = [(p, d) for p in args.precision for d in args.path]
    note = (
        f'torch threads {torch.get_num_threads()}, allocator {args.allocator}'
    )
    if args.recipe:
        print('| precision | data path | wall time (s) | top-1 |')
        print('|---|---|---|---|')
        for precision, path in variants:
            seconds, top1 = recipe_run(
                variant(cfg, precision, path, keep_memory),
                f'{args.work_dir}/{precision}_{path}',
            )
            print(f'| {precision} | {path} | {seconds:.1f} | {top1:.2f} |')
        print(f'\n({args.config}, {note})')
        return

    if args.interleave:
        print(
            '| precision | data path | pairs | Runner / plain: median | '
            'quartiles | mean ± s.e. | range | Runner outside its steps | '
            "plain epoch / Runner's steps: median |\n"
            '|---|---|---|---|---|---|---|---|---|'
        )
        for precision, path in variants:
            pairs = interleaved_pairs(
                cfg,
                variant(cfg, precision, path, keep_memory),
                args.epochs,
                args.warmup,
                precision,
                path,
                f'{args.work_dir}/{precision}_{path}',
            )
            runner_epoch, in_steps, plain_epoch = pairs.T
            each = plain_epoch / runner_epoch
            low, median, high = np.percentile(each, (25, 50, 75))
            sem = each.std(ddof=1) / np.sqrt(len(each))
            outside = 1 - in_steps.sum() / runner_epoch.sum()
            steps = np.median(plain_epoch / in_steps)
            print(
                f'| {precision} | {path} | {len(each)} | {median:.3f} | '
                f'{low:.3f}-{high:.3f} | {each.mean():.3f} ± {sem:.3f} | '
                f'{each.min():.3f}-{each.max():.3f} | {100 * outside:.1f}% | '
                f'{steps:.3f} |',
                flush=True,
            )
        print(
            f'\n({args.config}; {args.epochs} epoch pairs after '
            f'{args.warmup} of warm-up, {note})'
        )
        return

    best, ratios, breakdowns = {}, {}, {}
    for _ in range(args.repeats):
        for precision, path in variants:
            plain = plain_throughput(
                cfg, args.epochs, args.warmup, precision, path
            )
            runner, outside, rows = runner_throughput(
                variant(cfg, precision, path, keep_memory),
                args.epochs,
                args.warmup,
                f'{args.work_dir}/{precision}_{path}',
                breakdown=args.breakdown,
            )
            if rows:
                breakdowns[(precision, path)] = rows
            print(
                f'{precision} {path}: plain {plain:.0f} img/s, runner '
                f'{runner:.0f} img/s ({100 * outside:.1f}% of its time '
                'outside the train steps: loader and hooks)',
                flush=True,
            )
            old = best.get((precision, path), (0, 0))
            best[(precision, path)] = (max(old[0], plain), max(old[1], runner))
            ratios.setdefault((precision, path), []).append(runner / plain)
    print(
        '\n| precision | data path | plain PyTorch (images/s) | '
        'Runner (images/s) | Runner / plain | per repeat: median | range '
        '|\n|---|---|---|---|---|---|---|'
    )
    for (precision, path), (plain, runner) in best.items():
        # the repeats alternate the loops, so a drift of the machine falls
        # on both within a repeat: its ratio is read beside best-of-each
        each = ratios[(precision, path)]
        print(
            f'| {precision} | {path} | {plain:.0f} | {runner:.0f} | '
            f'{runner / plain:.3f} | {np.median(each):.3f} | '
            f'{min(each):.3f}-{max(each):.3f} |'
        )
    print(
        f'\n({args.config}; best of {args.repeats}, {args.epochs} epochs '
        f'after {args.warmup} of warm-up, {note})'
    )
    for (precision, path), rows in breakdowns.items():
        print(
            f'\nRunner, {precision} {path}, last repeat:\n\n| part | ms an '
            'iteration | % of the timed epochs |\n|---|---|---|'
        )
        for name, ms, share in rows:
            print(f'| {name} | {ms:.3f} | {share:.2f} |')


if __name__ == '__main__':
    main()
