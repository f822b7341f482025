"""Torch's CPU threads sized to the cores other processes leave free.

torch runs an operator on as many threads as the machine has physical
cores. When another process keeps some of them busy, its OpenMP threads
wait on each other at every operator and training slows down many times
over: on 2 shared cores, 10 MNIST-LT epochs took 122 s with 2 threads
against 12 s with ``OMP_NUM_THREADS=1``, while on idle cores 2 threads are
the faster. This hook measures, before training (or testing) and after
every training epoch, how much CPU time other processes took (from
``/proc/stat``, less this process's own) and sets ``torch.set_num_threads``
to the cores left free, never above the number torch started with (so
``OMP_NUM_THREADS`` still caps it). It does nothing for a model on a GPU or
where ``/proc/stat`` is absent.
"""

import math
import os
import time
from typing import Optional, Tuple

import torch
from mmengine.hooks import Hook
from mmpretrain.registry import HOOKS

from ...utils import unwrap_model

PROC_STAT = '/proc/stat'


def cpu_times() -> Optional[Tuple[float, float, float]]:
    """(wall, machine busy, own) seconds, or None without ``/proc/stat``:
    CPU time summed over all cores since boot, and this process's."""
    try:
        with open(PROC_STAT) as f:
            fields = [int(x) for x in f.readline().split()[1:9]]
    except (OSError, ValueError):
        return None
    # user nice system idle iowait irq softirq steal, in clock ticks
    busy = sum(fields) - fields[3] - fields[4]
    ticks = os.sysconf('SC_CLK_TCK')
    return time.monotonic(), busy / ticks, time.process_time()


def free_cores(
    start: Tuple[float, float, float], end: Tuple[float, float, float]
) -> float:
    """Cores other processes left free between two :func:`cpu_times`."""
    wall = max(end[0] - start[0], 1e-6)
    others = max((end[1] - start[1]) - (end[2] - start[2]), 0.0) / wall
    return (os.cpu_count() or 1) - others


def threads_for(free: float, max_threads: int, min_free: float) -> int:
    """A thread for every core at least ``min_free`` free, in
    [1, ``max_threads``]."""
    return max(1, min(max_threads, math.floor(free + 1 - min_free)))


@HOOKS.register_module()
class CPUThreadsHook(Hook):
    """Sets torch's intra-op threads to the free cores on CPU runs.

    Args:
        min_free (float): How much of a core (in (0, 1]) other processes
            must leave free for it to get a thread. Defaults to 0.7.
        probe_s (float): Seconds to measure before training or testing.
            Defaults to 0.2.
    """

    priority = 'VERY_HIGH'

    def __init__(self, min_free: float = 0.7, probe_s: float = 0.2) -> None:
        if not 0 < min_free <= 1:
            raise ValueError(f'min_free must be in (0, 1], got {min_free}')
        if probe_s < 0:
            raise ValueError(f'probe_s must be >= 0, got {probe_s}')
        self.min_free = min_free
        self.probe_s = probe_s
        self.max_threads = None
        self.last = None

    def _active(self, runner) -> bool:
        if self.max_threads is None:
            params = unwrap_model(runner.model).parameters()
            on_cpu = all(p.device.type == 'cpu' for p in params)
            self.max_threads = torch.get_num_threads()
            if not on_cpu or self.max_threads == 1 or cpu_times() is None:
                self.max_threads = 0  # nothing to do in this run
        return self.max_threads > 0

    def _probe(self, runner) -> None:
        if not self._active(runner):
            return
        start = cpu_times()
        time.sleep(self.probe_s)
        self.last = start
        self._adjust(runner)

    def _adjust(self, runner) -> None:
        now = cpu_times()
        free = free_cores(self.last, now)
        self.last = now
        threads = threads_for(free, self.max_threads, self.min_free)
        if threads != torch.get_num_threads():
            torch.set_num_threads(threads)
            runner.logger.info(
                f'CPUThreadsHook: {free:.1f} of {os.cpu_count()} cores free '
                f'of other processes: torch uses {threads} thread(s) '
                f'(at most {self.max_threads})'
            )

    def before_train(self, runner) -> None:
        self._probe(runner)

    def after_train_epoch(self, runner) -> None:
        if self._active(runner):
            self._adjust(runner)

    def before_test(self, runner) -> None:
        self._probe(runner)
