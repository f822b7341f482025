"""Trains mmlt recipes over several seeds and writes a markdown table.

Each run is a separate process (a fresh mmengine Runner) that trains the
config, tests the final model on the test split and reports top-1,
many/medium/few-shot accuracy, each class's accuracy (the table lists the
rarest classes') and the training time. A seed sets both the training
randomness and the long-tailed subset that is drawn. Each run leaves its
final checkpoint and its ``result.json`` in ``WORK_DIR/RECIPE/seedN/``; with
``--resume`` a run whose ``result.json`` is there is read, not run again, so
a table can be built over several sessions.

A recipe is a config, or ``STAGE1+STAGE2`` for two-stage training (e.g.
decoupled cRT): stage 2 starts from stage 1's final checkpoint, and its
training time is what the table reports. A config without ``train_cfg``
(e.g. τ-norm) is only tested, from the stage-1 checkpoint; so is every
stage 2 with ``--test-only``, for a post-hoc method whose config trains
exactly as its stage 1 does (post-hoc logit adjustment after CE: its
training is CE's, so testing CE's checkpoints is the same measurement).
A stage 2 that trains on a ``CAMAugmentedDataset`` (CAM-based re-sampling)
gets the CAM set that ``tools/generate_cam_set.py`` writes from the stage-1
model and that seed's training subset.

A row is named after its (stage-2) config's file name, which is also its
model-index name (configs/README.md).

Examples (the MNIST-LT table in docs/results.md; cRT after CE)::

    python tools/benchmark.py configs/ce_mnist_lt.py configs/ldam_mnist_lt.py \
        --seeds 0 1 2 --out docs/results_mnist_lt.md
    cd configs && python ../tools/benchmark.py \
        ce/ce_resnet8_100e_mnist-lt.py+decoupling/crt_resnet8_10e_mnist-lt.py \
        --seeds 0 1 2
"""

import argparse
import inspect
import json
import os.path as osp
import subprocess
import sys
import time
from typing import Optional

import numpy as np

KEYS = ('top1', 'many', 'medium', 'few')
#: OpenSetFMeasure's results, on a test split with unknown images
OPEN_SET_KEYS = ('f_measure', 'known_top1', 'rejected_unknown')
PER_CLASS_FILE = 'per_class.npz'


def export_per_class(evaluator, out_file: str):
    """Points every ``LongTailAccuracy`` of an evaluator config (a dict or a
    list of them) at ``out_file``; returns the evaluator."""
    is_list = isinstance(evaluator, (list, tuple))
    metrics = evaluator if is_list else [evaluator]
    found = False
    for metric in metrics:
        if metric.get('type', '').split('.')[-1] == 'LongTailAccuracy':
            metric['out_file'] = out_file
            found = True
    if not found:
        raise SystemExit(
            'the test evaluator has no LongTailAccuracy, so no per-class '
            f'accuracy to report: {evaluator}'
        )
    return evaluator


def run_one(
    config: str,
    seed: int,
    work_dir: str,
    load_from: Optional[str] = None,
    cam_set: Optional[str] = None,
    test_only: bool = False,
    amp: bool = False,
    batch_path: Optional[bool] = None,
) -> dict:
    """Trains (unless the config has no ``train_cfg`` or ``test_only``) and
    tests one config with one seed; returns the test metrics, the training
    time and the wall time of training and testing together. ``batch_path``
    True or False overrides the config's data path (its ``batch_path``)."""
    from mmengine.config import Config
    from mmpretrain.registry import DATASETS

    from mmlt.engine.runner import build_runner

    cfg = Config.fromfile(config)
    cfg.work_dir = work_dir
    cfg.randomness = dict(seed=seed, deterministic=False)
    if load_from:
        cfg.load_from = load_from
    if amp:  # what `mim train --amp` sets
        cfg.optim_wrapper.type = 'AmpOptimWrapper'
        cfg.optim_wrapper.setdefault('loss_scale', 'dynamic')
    if cfg.get('train_dataloader'):
        # the data set itself, inside any wrapper (TensorBatchDataset)
        train_set = cfg.train_dataloader.dataset
        while isinstance(train_set.get('dataset'), dict):
            train_set = train_set.dataset
        if cam_set:
            train_set.data_file = cam_set
        # Only the training split's subset depends on the seed.
        dataset_cls = DATASETS.get(train_set.type)
        if 'seed' in inspect.signature(dataset_cls).parameters:
            train_set.seed = seed
    cfg.default_hooks.checkpoint = dict(type='CheckpointHook', interval=-1)
    per_class_file = osp.join(work_dir, PER_CLASS_FILE)
    cfg.test_evaluator = export_per_class(cfg.test_evaluator, per_class_file)
    if batch_path is not None:
        cfg.batch_path = batch_path
    if cfg.get('batch_path'):
        from mmlt.datasets import to_batch_path

        # here, for a config whose runner is not mmlt's
        cfg = to_batch_path(cfg)
    # as mim train builds it: a stage 2's checkpoint must fit its model
    runner = build_runner(cfg)
    start = time.time()
    if cfg.get('train_cfg') and not test_only:
        runner.train()
    train_time = time.time() - start
    metrics = runner.test()
    result = {k.split('/')[-1]: float(v) for k, v in metrics.items()}
    result['train_time'] = train_time
    result['wall_time'] = time.time() - start
    with np.load(per_class_file) as exported:
        result['per_class'] = [
            100.0 * float(a) for a in exported['per_class_accuracy']
        ]
        result['class_counts'] = exported['class_counts'].tolist()
        result['classes'] = exported['classes'].tolist()
    return result


def run_in_subprocess(
    config: str,
    seed: int,
    work_dir: str,
    load_from: Optional[str] = None,
    cam_set: Optional[str] = None,
    resume: bool = False,
    test_only: bool = False,
    amp: bool = False,
    batch_path: Optional[bool] = None,
) -> dict:
    """:func:`run_one` in a fresh process (a fresh Runner and registry);
    writes its result to ``work_dir/result.json``, and with ``resume``
    reads it from there instead when it exists."""
    result_file = osp.join(work_dir, 'result.json')
    if resume and osp.isfile(result_file):
        with open(result_file) as f:
            return json.load(f)
    cmd = [
        sys.executable,
        __file__,
        config,
        '--single',
        '--seeds',
        str(seed),
        '--work-dir',
        work_dir,
    ]
    if load_from:
        cmd += ['--load-from', load_from]
    if cam_set:
        cmd += ['--cam-set', cam_set]
    if test_only:
        cmd += ['--test-only']
    if amp:
        cmd += ['--amp']
    if batch_path is not None:
        cmd += ['--batch-path' if batch_path else '--per-sample']
    out = subprocess.run(cmd, capture_output=True, text=True)
    line = [s for s in out.stdout.splitlines() if s.startswith('MMLT_RESULT ')]
    if out.returncode or not line:
        sys.stderr.write(out.stdout[-3000:] + out.stderr[-3000:])
        raise SystemExit(f'{config} seed {seed} failed')
    result = json.loads(line[-1][len('MMLT_RESULT ') :])
    with open(result_file, 'w') as f:
        json.dump(result, f)
    return result


def recipe_name(config: str) -> str:
    return osp.splitext(osp.basename(config))[0]


def run_recipe(
    recipe: str,
    seed: int,
    work_root: str,
    resume: bool = False,
    test_only: bool = False,
    amp: bool = False,
    batch_path: Optional[bool] = None,
) -> dict:
    """One seed of a recipe: a config, or ``STAGE1+STAGE2``, whose stage 2
    starts from stage 1's final checkpoint (trained first unless a run of
    STAGE1 with this seed left one in the work directory)."""
    stage1, _, stage2 = recipe.rpartition('+')
    work_dir = osp.join(work_root, recipe_name(stage2), f'seed{seed}')
    if not stage1:
        return run_in_subprocess(
            stage2,
            seed,
            work_dir,
            resume=resume,
            amp=amp,
            batch_path=batch_path,
        )
    stage1_dir = osp.join(work_root, recipe_name(stage1), f'seed{seed}')
    last = osp.join(stage1_dir, 'last_checkpoint')
    if not osp.isfile(last):
        run_in_subprocess(
            stage1, seed, stage1_dir, amp=amp, batch_path=batch_path
        )
    with open(last) as f:
        checkpoint = f.read().strip()
    cam_set = None
    generation = cam_generation(stage2)
    if generation is not None:
        # one set per stage-1 run and generation settings
        tag = '_'.join(generation.get('transforms', ['all']))
        cam_set = osp.join(stage1_dir, f'cam_set_{tag}.npz')
        if not osp.isfile(cam_set):
            generate_cam_set(stage1, checkpoint, seed, cam_set, generation)
    return run_in_subprocess(
        stage2,
        seed,
        work_dir,
        load_from=checkpoint,
        cam_set=cam_set,
        resume=resume,
        test_only=test_only,
        amp=amp,
        batch_path=batch_path,
    )


def cam_generation(config: str) -> Optional[dict]:
    """None unless ``config`` trains on a CAM set; then its
    ``cam_generation`` settings (e.g. ``transforms``), {} by default."""
    from mmengine.config import Config

    cfg = Config.fromfile(config)
    train = cfg.get('train_dataloader') or {}
    if train.get('dataset', {}).get('type') != 'CAMAugmentedDataset':
        return None
    return dict(cfg.get('cam_generation') or {})


def generate_cam_set(
    stage1: str, checkpoint: str, seed: int, out_file: str, generation: dict
) -> None:
    """Runs tools/generate_cam_set.py on stage 1's model and its training
    subset for ``seed``."""
    from mmengine.config import Config
    from mmpretrain.registry import DATASETS

    import mmlt  # noqa: F401  registers the datasets

    cmd = [
        sys.executable,
        osp.join(osp.dirname(osp.abspath(__file__)), 'generate_cam_set.py'),
        stage1,
        checkpoint,
        '--out',
        out_file,
        '--seed',
        str(seed),
    ]
    if 'transforms' in generation:
        cmd += ['--transforms', *generation['transforms']]
    train_set = Config.fromfile(stage1).train_dataloader.dataset
    if 'seed' in inspect.signature(DATASETS.get(train_set.type)).parameters:
        cmd += ['--cfg-options', f'train_dataloader.dataset.seed={seed}']
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode:
        sys.stderr.write(out.stdout[-3000:] + out.stderr[-3000:])
        raise SystemExit(f'generating the CAM set of {stage1} failed')


def mean_std(values) -> str:
    values = np.asarray(values, dtype=float)
    return f'{values.mean():.2f} ± {values.std(ddof=0):.2f}'


def rarest_classes_table(rows, rarest: int) -> str:
    """Mean ± std accuracy of the ``rarest`` classes with the fewest
    training images (the counts of the first run), one row a recipe."""
    first = rows[0][1][0]
    counts = np.asarray(first['class_counts'])
    order = np.argsort(counts, kind='stable')[:rarest][::-1]
    header = '| recipe | ' + ' | '.join(
        f'{first["classes"][i]} ({counts[i]})' for i in order
    )
    lines = [header + ' |', '|---' * (len(order) + 1) + '|']
    for name, results in rows:
        lines.append(
            f'| {name} | '
            + ' | '.join(
                mean_std([r['per_class'][i] for r in results]) for i in order
            )
            + ' |'
        )
    return '\n'.join(lines) + '\n'


def open_set_table(rows) -> str:
    """Mean ± std of the open-set metrics of the recipes that report
    them (``OpenSetFMeasure``); '' when none does."""
    lines = [
        f'| {name} | '
        + ' | '.join(mean_std([r[k] for r in results]) for k in OPEN_SET_KEYS)
        + ' |'
        for name, results in rows
        if all(k in results[0] for k in OPEN_SET_KEYS)
    ]
    if not lines:
        return ''
    header = (
        '| recipe | open-set F-measure | known top-1 with rejection '
        '| unknown rejected |\n|---|---|---|---|\n'
    )
    return header + '\n'.join(lines) + '\n'


def on_batch_path(recipe: str, batch_path: Optional[bool]) -> bool:
    """Whether a recipe's (last stage's) runs are on the batch path."""
    if batch_path is not None:
        return batch_path
    from mmengine.config import Config

    return bool(Config.fromfile(recipe.rpartition('+')[2]).get('batch_path'))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('configs', nargs='+')
    parser.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    parser.add_argument('--out', help='markdown file for the table')
    parser.add_argument('--work-dir', default='work_dirs/benchmark')
    parser.add_argument(
        '--rarest',
        type=int,
        default=3,
        help='how many of the rarest classes the per-class table lists',
    )
    parser.add_argument(
        '--resume',
        action='store_true',
        help="read a run's result.json from the work directory when it "
        'is there instead of running it again',
    )
    parser.add_argument(
        '--single', action='store_true', help=argparse.SUPPRESS
    )
    parser.add_argument('--load-from', help=argparse.SUPPRESS)
    parser.add_argument('--cam-set', help=argparse.SUPPRESS)
    parser.add_argument(
        '--test-only',
        action='store_true',
        help='only test the stage 2 of every STAGE1+STAGE2 recipe on its '
        'stage-1 checkpoint (post-hoc methods)',
    )
    parser.add_argument(
        '--amp',
        action='store_true',
        help='train with mixed precision, as `mim train --amp` (on a CPU: '
        'bf16 autocast where the CPU has native bf16); rows are named '
        '"NAME (amp)"',
    )
    path = parser.add_mutually_exclusive_group()
    path.add_argument(
        '--batch-path',
        action='store_const',
        const=True,
        dest='batch_path',
        help='train and test on the batch-level data path '
        '(mmlt.datasets.to_batch_path), whatever the configs say; rows are '
        'named "NAME (batch)", as are those of a config with batch_path',
    )
    path.add_argument(
        '--per-sample',
        action='store_const',
        const=False,
        dest='batch_path',
        help='train and test on the per-sample pipeline, whatever the '
        'configs say (batch_path=False)',
    )
    args = parser.parse_args()

    if args.single:
        result = run_one(
            args.configs[0],
            args.seeds[0],
            args.work_dir,
            load_from=args.load_from,
            cam_set=args.cam_set,
            test_only=args.test_only,
            amp=args.amp,
            batch_path=args.batch_path,
        )
        print('MMLT_RESULT ' + json.dumps(result))
        return

    rows = []
    total = len(args.configs) * len(args.seeds)
    done = 0
    start = time.time()
    for recipe in args.configs:
        # a two-stage row is named after its stage 2, with or without
        # folders in the paths
        name = recipe_name(recipe.rpartition('+')[2])
        name += ' (amp)' if args.amp else ''
        name += ' (batch)' if on_batch_path(recipe, args.batch_path) else ''
        results = []
        for seed in args.seeds:
            results.append(
                run_recipe(
                    recipe,
                    seed,
                    args.work_dir,
                    resume=args.resume,
                    test_only=args.test_only,
                    amp=args.amp,
                    batch_path=args.batch_path,
                )
            )
            done += 1
            r = results[-1]
            left = (time.time() - start) / done * (total - done)
            # a run on one shot group's classes (LFME's experts) has
            # only that group
            groups = ''.join(
                f' {key} {r[key]:.2f}'
                for key in KEYS[1:] + OPEN_SET_KEYS
                if key in r
            )
            print(
                f'[{done}/{total}] {name} seed {seed}: top1 '
                f'{r["top1"]:.2f}{groups} ({r["train_time"]:.0f} s; about '
                f'{left / 60:.0f} min left)',
                flush=True,
            )
        rows.append((name, results))

    header = (
        '| recipe | top-1 | many | medium | few | train time (s) |\n'
        '|---|---|---|---|---|---|\n'
    )
    table = header + ''.join(
        f'| {name} | '
        + ' | '.join(
            mean_std([r[k] for r in results]) if k in results[0] else '—'
            for k in KEYS
        )
        + f' | {np.mean([r["train_time"] for r in results]):.0f} |\n'
        for name, results in rows
    )
    table += (
        f'\nAccuracy (%) of the {args.rarest} classes with the fewest '
        'training images (in brackets):\n\n'
        + rarest_classes_table(rows, args.rarest)
    )
    open_set = open_set_table(rows)
    if open_set:
        table += (
            '\nOpen set (OpenSetFMeasure: below its threshold an image is '
            '"unknown"), %:\n\n' + open_set
        )
    print(table)
    if args.out:
        command = (
            'python tools/benchmark.py '
            + ' '.join(args.configs)
            + ' --seeds '
            + ' '.join(map(str, args.seeds))
            + (' --test-only' if args.test_only else '')
            + (' --amp' if args.amp else '')
            + {None: '', True: ' --batch-path', False: ' --per-sample'}[
                args.batch_path
            ]
        )
        with open(args.out, 'w') as f:
            f.write(
                f'Produced by `{command}`; mean ± std over seeds '
                f'{args.seeds}, test accuracy in %.\n\n' + table
            )


if __name__ == '__main__':
    main()
