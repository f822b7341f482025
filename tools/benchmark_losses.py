"""Times forward + backward of every mmlt loss against F.cross_entropy.

On the same logits and labels, at (batch 512, 1,000 classes) and (batch 256,
8,142 classes, iNaturalist 2018's), with long-tailed class counts (exp
profile, ratio 100). Prints a markdown table: the fastest of the repeats in
milliseconds, the losses taking turns, and the ratio to cross-entropy.

On the CPU, glibc's allocator gives large freed blocks back to the system
and faults their pages in again on the next allocation, at a cost that
depends on what ran before; ``--keep-memory`` turns that off, as jemalloc or
tcmalloc would, to measure the losses' own work.

Example::

    python tools/benchmark_losses.py
    python tools/benchmark_losses.py --keep-memory
    python tools/benchmark_losses.py --device cuda --repeats 200
"""

import argparse
import time

import torch
import torch.nn.functional as F
from mmpretrain.registry import MODELS

import mmlt  # noqa: F401  registers the losses
from mmlt.datasets import long_tail_counts
from mmlt.engine.hooks import keep_freed_memory

SIZES = ((512, 1000), (256, 8142))
LOSSES = {
    'WeightedCrossEntropyLoss (class_balanced)': dict(
        type='WeightedCrossEntropyLoss', weighting='class_balanced'
    ),
    'SoftmaxFocalLoss (gamma 1, class_balanced)': dict(
        type='SoftmaxFocalLoss', gamma=1.0, weighting='class_balanced'
    ),
    'WeightedSigmoidFocalLoss (gamma 2, class_balanced)': dict(
        type='WeightedSigmoidFocalLoss', gamma=2.0, weighting='class_balanced'
    ),
    'BalancedSoftmaxLoss': dict(type='BalancedSoftmaxLoss'),
    'LogitAdjustedLoss (tau 1.5, cost_sensitive)': dict(
        type='LogitAdjustedLoss', tau=1.5, weighting='cost_sensitive'
    ),
    'LDAMLoss': dict(type='LDAMLoss'),
    'GHMCLoss (bins 10, momentum 0.75)': dict(
        type='GHMCLoss', bins=10, momentum=0.75
    ),
}


def time_all(fns, logits, target, repeats, device) -> dict:
    """Fastest forward + backward of each function, in ms.

    The functions take turns, a few steps each per round, so that anything
    else on the machine slows them alike; the first steps of a turn, which
    pay for memory the previous function gave back, are not counted. The
    minimum over the rounds is the time a step takes when nothing
    interferes.
    """

    def step(fn):
        logits.grad = None
        fn(logits, target).backward()
        if device.startswith('cuda'):
            torch.cuda.synchronize()

    for fn in fns.values():
        for _ in range(3):
            step(fn)
    times = {name: [] for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            step(fn)
            step(fn)
            start = time.perf_counter()
            step(fn)
            times[name].append(1000 * (time.perf_counter() - start))
    return {name: min(t) for name, t in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--repeats', type=int, default=100)
    parser.add_argument(
        '--keep-memory',
        action='store_true',
        help="keep freed memory in glibc's allocator "
        '(mmlt.engine.hooks.keep_freed_memory)',
    )
    args = parser.parse_args()
    if args.keep_memory and not keep_freed_memory():
        raise SystemExit('mallopt failed: is this glibc?')
    torch.manual_seed(0)
    print(
        f'device: {args.device}, torch {torch.__version__}, '
        f'threads {torch.get_num_threads()}, '
        f'keep memory: {args.keep_memory}'
    )
    header = (
        '| loss | '
        + ' | '.join(f'B={b}, C={c}: ms (× CE)' for b, c in SIZES)
        + ' |'
    )
    rows = {name: [] for name in ['F.cross_entropy', *LOSSES]}
    for batch, classes in SIZES:
        counts = long_tail_counts(1000, classes, 'exp', 0.01)
        logits = torch.randn(batch, classes, device=args.device)
        logits = (logits / 3).requires_grad_()
        target = torch.randint(0, classes, (batch,), device=args.device)
        fns = {'F.cross_entropy': F.cross_entropy}
        for name, cfg in LOSSES.items():
            fns[name] = MODELS.build(dict(cfg, class_counts=counts)).to(
                args.device
            )
        ms = time_all(fns, logits, target, args.repeats, args.device)
        ce = ms['F.cross_entropy']
        for name in fns:
            rows[name].append(f'{ms[name]:.3f} ({ms[name] / ce:.2f})')
    print(header)
    print('|---' * (len(SIZES) + 1) + '|')
    for name, cells in rows.items():
        print(f'| {name} | ' + ' | '.join(cells) + ' |')


if __name__ == '__main__':
    main()
