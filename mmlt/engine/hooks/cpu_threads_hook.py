"""Torch's CPU threads chosen by timing training on a busy machine.

torch runs an operator on as many threads as the machine has physical
cores. Whether that is fast depends on the other processes: on 2 cores
with one other training, the threads wait on each other at every operator
and 10 MNIST-LT epochs took 122 s against 12 s with ``OMP_NUM_THREADS=1``;
on idle cores 2 threads were the faster (9 s), and with many other
processes 2 threads get more of the CPU than one. No rule of thumb covers
all three, so the hook measures:

- while other processes leave the cores free (``/proc/stat``, less this
  process's own CPU time), torch keeps the threads it started with, and
  nothing else happens;
- while they do not, it times a few training iterations on each of 1 and
  the starting number of threads and keeps the faster, trying again
  after 50 iterations, then 100, 200, ... while the choice holds (back to
  50 when it changes). A trial that is clearly slower stops after one
  iteration.

Changing the thread count changes how torch splits its sums, so a run
whose threads changed is not bit-identical to one whose threads did not
(gradients differ in the last bits). The hook therefore does nothing when
``OMP_NUM_THREADS`` is set (the user chose a count), with
``randomness=dict(deterministic=True)``, for a model on a GPU, or where
``/proc/stat`` is absent.
"""

import os
import time
from collections import deque
from typing import Optional, Tuple

import numpy as np
import torch
from mmengine.hooks import Hook
from mmpretrain.registry import HOOKS

from ...utils import unwrap_model

PROC_STAT = '/proc/stat'
#: Times an iteration (a module attribute, so that tests can replace it).
clock = time.perf_counter


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


def others_load(
    start: Tuple[float, float, float], end: Tuple[float, float, float]
) -> float:
    """Cores other processes kept busy between two :func:`cpu_times`."""
    wall = max(end[0] - start[0], 1e-6)
    return max((end[1] - start[1]) - (end[2] - start[2]), 0.0) / wall


@HOOKS.register_module()
class CPUThreadsHook(Hook):
    """Picks torch's intra-op threads by timing, on a busy CPU machine.

    Args:
        min_busy (float): Cores other processes must keep busy for the
            hook to time the choices. Defaults to 0.3.
        trial_iters (int): Iterations timed for each choice. Defaults to 3.
        interval (int): Iterations before the first new trial; doubles
            while the choice holds. Defaults to 50.
    """

    priority = 'VERY_HIGH'

    def __init__(
        self,
        min_busy: float = 0.3,
        trial_iters: int = 3,
        interval: int = 50,
    ) -> None:
        if min_busy < 0:
            raise ValueError(f'min_busy must be >= 0, got {min_busy}')
        for name, value in (
            ('trial_iters', trial_iters),
            ('interval', interval),
        ):
            if not isinstance(value, int) or value < 1:
                raise ValueError(f'{name} must be an int >= 1, got {value}')
        self.min_busy = min_busy
        self.trial_iters = trial_iters
        self.base_interval = interval
        self.max_threads = 0

    def before_train(self, runner) -> None:
        params = unwrap_model(runner.model).parameters()
        on_cpu = all(p.device.type == 'cpu' for p in params)
        randomness = getattr(runner, '_randomness_cfg', None) or {}
        # a thread count the user set, or bit-exact repeats, stay as they are
        fixed = bool(os.environ.get('OMP_NUM_THREADS')) or randomness.get(
            'deterministic', False
        )
        self.max_threads = torch.get_num_threads()
        self.last = cpu_times()
        if not on_cpu or fixed or self.max_threads == 1 or self.last is None:
            self.max_threads = 0  # nothing to do in this run
            return
        self.recent = deque(maxlen=self.trial_iters)
        self.interval = self.base_interval
        self.trial = []  # threads still to try in this trial
        self.timed = {}  # threads -> seconds an iteration, this trial
        self.next_check = 0
        self.chosen = None  # the first check follows the first iteration

    def before_train_iter(self, runner, batch_idx, data_batch=None) -> None:
        self.start = clock()

    def after_train_iter(
        self, runner, batch_idx, data_batch=None, outputs=None
    ) -> None:
        if not self.max_threads:
            return
        seconds = clock() - self.start
        threads = torch.get_num_threads()
        self.recent.append(seconds)
        if self.trial:
            self._trial_step(runner, threads)
        elif self.next_check <= 0:
            self._check(runner, threads)
        self.next_check -= 1

    def _check(self, runner, threads: int) -> None:
        now = cpu_times()
        busy = others_load(self.last, now)
        self.last = now
        if busy < self.min_busy and threads == self.max_threads:
            self.next_check = self.interval
            return
        self.timed = {}
        if self.chosen is None:  # the first check: no timing yet
            self.trial = sorted({1, self.max_threads})
        else:  # the last iterations timed the current choice
            self.timed[threads] = float(np.median(self.recent))
            self.trial = [n for n in (1, self.max_threads) if n != threads]
        if busy < self.min_busy:  # idle again: back to torch's choice
            self.trial = [self.max_threads]
        torch.set_num_threads(self.trial[0])
        self.recent.clear()

    def _trial_step(self, runner, threads: int) -> None:
        best = min(self.timed.values(), default=np.inf)
        done = len(self.recent) >= self.trial_iters
        # one iteration is enough to drop a choice twice as slow
        if done or self.recent[-1] > 2 * best:
            self.timed[threads] = float(np.median(self.recent))
            self.trial.pop(0)
            self.recent.clear()
        if self.trial:
            torch.set_num_threads(self.trial[0])
            return
        # the fastest; the most threads unless it is 5 % slower
        fastest = min(self.timed.values())
        choice = max(n for n, s in self.timed.items() if s <= 1.05 * fastest)
        held = choice == self.chosen
        self.interval = self.interval * 2 if held else self.base_interval
        self.next_check = self.interval
        self.chosen = choice
        torch.set_num_threads(choice)
        timings = ', '.join(
            f'{n} thread(s) {1000 * s:.0f} ms' for n, s in self.timed.items()
        )
        runner.logger.info(
            f'CPUThreadsHook: other processes keep the CPU busy; an '
            f'iteration took {timings}: using {choice} thread(s), timing '
            f'again in {self.interval} iterations'
        )
