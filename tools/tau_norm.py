"""Sweeps tau of τ-normalisation on the validation split; reports the best.

τ-normalisation (Kang et al., ICLR 2020) predicts with ``w_j / ||w_j|| **
tau``; the paper picks tau on a validation split. This loads a stage-1
checkpoint into the config's model with its head made a
``TauNormLinearClsHead``, evaluates every tau on the config's
``val_dataloader`` and prints a markdown table and the best tau. Test with
it afterwards: ``mim test mmpretrain CONFIG --checkpoint CKPT
--cfg-options model.head.tau=BEST``.

Example::

    python tools/tau_norm.py configs/decoupling/tau-norm_resnet8_mnist-lt.py \\
        work_dirs/ce_mnist_lt/epoch_100.pth
"""

import argparse
import os.path as osp
import tempfile

import numpy as np
from mmengine.config import Config, DictAction

from mmlt.engine.runner import build_runner


def sweep(config: str, checkpoint: str, taus, work_dir: str, options=None):
    """``{tau: metrics}`` on the validation split."""
    cfg = Config.fromfile(config)
    if options:
        cfg.merge_from_dict(options)
    if cfg.get('val_dataloader') is None:
        raise ValueError(f'{config} has no val_dataloader to choose tau on')
    cfg.model.head.type = 'TauNormLinearClsHead'
    cfg.load_from = checkpoint
    cfg.work_dir = work_dir
    # the config's Runner: the checkpoint must fit the τ-norm model
    runner = build_runner(cfg)
    results = {}
    for tau in taus:
        runner.model.head.tau = float(tau)
        results[float(tau)] = runner.val()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config')
    parser.add_argument('checkpoint')
    parser.add_argument(
        '--taus',
        type=float,
        nargs='+',
        default=np.round(np.arange(0, 2.01, 0.1), 2).tolist(),
    )
    parser.add_argument('--metric', default='lt/top1')
    parser.add_argument('--work-dir')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    args = parser.parse_args()
    if not osp.isfile(args.checkpoint):
        raise SystemExit(f'checkpoint not found: {args.checkpoint}')
    if any(t < 0 for t in args.taus):
        raise SystemExit(f'--taus must be >= 0, got {args.taus}')
    with tempfile.TemporaryDirectory() as tmp:
        results = sweep(
            args.config,
            args.checkpoint,
            args.taus,
            args.work_dir or tmp,
            args.cfg_options,
        )
    keys = list(next(iter(results.values())))
    if args.metric not in keys:
        raise SystemExit(f'--metric {args.metric} is not among {keys}')
    print('| tau | ' + ' | '.join(keys) + ' |')
    print('|---' * (len(keys) + 1) + '|')
    for tau, metrics in results.items():
        cells = ' | '.join(f'{metrics[k]:.2f}' for k in keys)
        print(f'| {tau:g} | {cells} |')
    best = max(results, key=lambda t: results[t][args.metric])
    print(
        f'best tau: {best:g} ({args.metric} {results[best][args.metric]:.2f})'
    )


if __name__ == '__main__':
    main()
