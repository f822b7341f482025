"""Scores checkpoints on SADE's test-agnostic test distributions.

Each checkpoint of ``CONFIG`` is tested (as ``mim test`` does, the
config's data path included) on its test split re-sampled to
forward-LT, uniform and backward-LT class distributions
(:class:`mmlt.datasets.ResampledTestSplit`; SADE's eleven by default:
forward ρ = 50, 25, 10, 5, 2, uniform, backward ρ = 2 ... 50). It prints
one markdown row of top-1, mean ± std over the checkpoints (e.g. one per
seed of ``tools/benchmark.py``), and ``--out`` appends it to a file.

Example (a 3-seed row from tools/benchmark.py's work directory)::

    python tools/test_distributions.py \\
        configs/sade/sade_resnet8_15e_fashion-mnist-lt.py \\
        work_dirs/benchmark/sade_resnet8_15e_fashion-mnist-lt/seed*/epoch_15.pth
"""

import argparse
import copy
import os.path as osp
import tempfile
import uuid

import numpy as np


def parse_distribution(text: str):
    """'forward50', 'uniform' or 'backward10' -> (name, ratio)."""
    for name in ('forward', 'backward'):
        if text.startswith(name) and text[len(name) :].isdigit():
            return name, int(text[len(name) :])
    if text == 'uniform':
        return 'uniform', 1
    raise argparse.ArgumentTypeError(
        f"{text!r}: give forwardN, uniform or backwardN (e.g. 'forward50')"
    )


def distribution_cfg(cfg, distribution: str, ratio: int, checkpoint: str):
    """``cfg`` testing ``checkpoint`` on its test split re-sampled."""
    cfg = copy.deepcopy(cfg)
    cfg.load_from = checkpoint
    # mmengine names a run's logger, message hub and visualizer by its
    # experiment name and the second it starts: runners built within one
    # second would share them
    cfg.experiment_name = f'{distribution}{ratio}_{uuid.uuid4().hex[:8]}'
    loader = cfg.test_dataloader
    loader.dataset = dict(
        type='ResampledTestSplit',
        dataset=loader.dataset,
        distribution=distribution,
        imbalance_ratio=ratio,
    )
    return cfg


def main() -> None:
    from mmlt.datasets import SADE_TEST_DISTRIBUTIONS

    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config')
    parser.add_argument('checkpoints', nargs='+')
    parser.add_argument(
        '--distributions',
        nargs='+',
        type=parse_distribution,
        default=list(SADE_TEST_DISTRIBUTIONS),
        help="e.g. forward50 uniform backward50 (default: SADE's eleven)",
    )
    parser.add_argument('--name', help='the row name (default: the config)')
    parser.add_argument('--out', help='markdown file the row is appended to')
    args = parser.parse_args()

    from mmengine.config import Config

    from mmlt.engine.runner import build_runner
    from mmlt.utils import unwrap_model

    cfg = Config.fromfile(args.config)
    cfg.log_level = 'WARNING'
    top1 = np.zeros((len(args.checkpoints), len(args.distributions)))
    # a multi-expert head's expert weights after each test (learned on
    # that test split by TestTimeAggregationHook, where the config has it)
    weights = {}
    with tempfile.TemporaryDirectory() as work_dir:
        cfg.work_dir = work_dir
        for i, checkpoint in enumerate(args.checkpoints):
            for j, (name, ratio) in enumerate(args.distributions):
                runner = build_runner(
                    distribution_cfg(cfg, name, ratio, checkpoint)
                )
                top1[i, j] = runner.test()['lt/top1']
                head = unwrap_model(runner.model).head
                if hasattr(head, 'expert_weights'):
                    w = head.expert_weights.detach().cpu().numpy()
                    weights.setdefault(j, []).append(w)
    labels = [
        name if name == 'uniform' else f'{name}-{ratio}'
        for name, ratio in args.distributions
    ]
    row_name = args.name or osp.splitext(osp.basename(args.config))[0]
    cells = [f'{m:.2f} ± {s:.2f}' for m, s in zip(top1.mean(0), top1.std(0))]
    table = (
        f'| model | {" | ".join(labels)} |\n'
        f'|---{"|---" * len(labels)}|\n'
        f'| {row_name} | {" | ".join(cells)} |\n'
    )
    learned = any(
        not np.allclose(w, w[0]) for ws in weights.values() for w in ws
    )
    if learned:
        table += '\nExpert weights (mean over the checkpoints):\n\n'
        table += '| test distribution | ' + ' | '.join(
            f'expert {e + 1}' for e in range(len(weights[0][0]))
        )
        table += ' |\n|---' + '|---' * len(weights[0][0]) + '|\n'
        for j, label in enumerate(labels):
            mean = np.mean(weights[j], axis=0)
            table += f'| {label} | ' + ' | '.join(f'{x:.2f}' for x in mean)
            table += ' |\n'
    print(table)
    print(f'({len(args.checkpoints)} checkpoints: {top1.round(2).tolist()})')
    if args.out:
        with open(args.out, 'a') as f:
            f.write(table)


if __name__ == '__main__':
    main()
