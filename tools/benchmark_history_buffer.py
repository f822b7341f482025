"""Time one update of a logged scalar's history: mmengine's HistoryBuffer
(``np.append``, a copy of the history) against mmlt's GrowingHistoryBuffer,
at several history lengths (the iteration a run has reached).

Example (the table in docs/throughput.md)::

    python tools/benchmark_history_buffer.py --lengths 100 10000 100000
"""

import argparse
import time

from mmengine.logging import HistoryBuffer

from mmlt.engine.growing_history import GrowingHistoryBuffer


def update_seconds(buffer, updates: int, repeats: int) -> float:
    """The fastest of ``repeats`` mean times of ``updates`` updates."""
    best = float('inf')
    for _ in range(repeats):
        start = time.perf_counter()
        for _update in range(updates):
            buffer.update(0.5, 1)
        best = min(best, (time.perf_counter() - start) / updates)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument(
        '--lengths', type=int, nargs='+', default=[100, 10_000, 100_000]
    )
    parser.add_argument('--updates', type=int, default=200)
    parser.add_argument('--repeats', type=int, default=5)
    args = parser.parse_args()
    if min(args.lengths) < 1 or args.updates < 1 or args.repeats < 1:
        parser.error('--lengths, --updates and --repeats must be >= 1')
    print(
        '| history length | HistoryBuffer (µs an update) | '
        'GrowingHistoryBuffer | ratio |'
    )
    print('|---|---|---|---|')
    for length in args.lengths:
        history = ([0.5] * length, [1] * length)
        # the histories grow while timed: at most updates x repeats values
        plain = update_seconds(
            HistoryBuffer(*history), args.updates, args.repeats
        )
        grown = update_seconds(
            GrowingHistoryBuffer(*history), args.updates, args.repeats
        )
        print(
            f'| {length:,} | {plain * 1e6:.2f} | {grown * 1e6:.2f} | '
            f'{plain / grown:.1f}x |'
        )


if __name__ == '__main__':
    main()
