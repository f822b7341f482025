"""CPUThreadsHook keeps torch's threads on an idle machine and, on a busy
one, the faster of 1 and torch's (on a simulated 2-core machine); and
LogFilterHook drops exactly mmengine's FileClient notices from a log."""

import logging
from types import SimpleNamespace

import pytest
import torch
import torch.nn as nn

from mmlt.engine.hooks import CPUThreadsHook, LogFilterHook
from mmlt.engine.hooks import cpu_threads_hook as module
from mmlt.engine.hooks.cpu_threads_hook import others_load


def test_others_load_leaves_out_this_process():
    # 1 s: the machine busy for 1.5 core-seconds, 1.0 of them ours
    assert others_load((0.0, 0.0, 0.0), (1.0, 1.5, 1.0)) == pytest.approx(0.5)


class Machine:
    """A 2-core machine: other processes keep ``others`` cores busy; an
    iteration takes ``cost[threads]`` seconds. Stands in for the hook's
    clock and cpu_times."""

    def __init__(self, others, cost):
        self.others, self.cost = others, cost
        self.t = self.busy = self.own = 0.0
        self.iters = {1: 0, 2: 0}

    def clock(self):
        return self.t

    def cpu_times(self):
        return self.t, self.busy, self.own

    def train(self, hook, run, iters):
        for i in range(iters):
            hook.before_train_iter(run, i)
            threads = torch.get_num_threads()
            seconds = self.cost[threads]
            self.t += seconds
            self.own += seconds * threads
            self.busy += seconds * (threads + self.others)
            self.iters[threads] += 1
            hook.after_train_iter(run, i)


@pytest.fixture
def machine(monkeypatch):
    monkeypatch.delenv('OMP_NUM_THREADS', raising=False)
    start = torch.get_num_threads()
    torch.set_num_threads(2)
    m = Machine(others=0.0, cost={1: 0.12, 2: 0.09})
    monkeypatch.setattr(module, 'clock', m.clock)
    monkeypatch.setattr(module, 'cpu_times', m.cpu_times)
    yield m
    torch.set_num_threads(start)


def runner(model=None, deterministic=False):
    logger = logging.getLogger('test_cpu_threads_hook')
    return SimpleNamespace(
        model=model or nn.Linear(2, 2),
        logger=logger,
        _randomness_cfg=dict(seed=0, deterministic=deterministic),
    )


def start(hook, run=None):
    run = run or runner()
    hook.before_train(run)
    return run


def test_an_idle_machine_keeps_torchs_threads(machine):
    hook = CPUThreadsHook()
    machine.train(hook, start(hook), 1600)
    assert machine.iters == {1: 0, 2: 1600}


def test_a_busy_machine_where_one_thread_is_faster(machine):
    # one other training: 2 threads wait on each other, 10x slower
    machine.others, machine.cost = 1.0, {1: 0.12, 2: 1.2}
    hook = CPUThreadsHook()
    machine.train(hook, start(hook), 1600)
    assert torch.get_num_threads() == 1
    # 2 threads: the first iteration, then one iteration a trial (twice as
    # slow ends it), in 6 trials (intervals 50, 100, ..., 800)
    assert machine.iters[2] <= 8


def test_a_busy_machine_where_two_threads_are_faster(machine):
    # many other processes: 2 threads get twice the CPU share
    machine.others, machine.cost = 5.0, {1: 0.4, 2: 0.2}
    hook = CPUThreadsHook()
    machine.train(hook, start(hook), 1600)
    assert torch.get_num_threads() == 2
    # 6 trials in 1600 iterations (intervals 50, 100, ..., 800), of 3
    # iterations each: 1 thread is slower, but not twice as slow
    assert machine.iters[1] <= 18


def test_back_to_torchs_threads_when_the_load_goes(machine):
    machine.others, machine.cost = 1.0, {1: 0.12, 2: 1.2}
    hook = CPUThreadsHook()
    run = start(hook)
    machine.train(hook, run, 100)
    assert torch.get_num_threads() == 1
    machine.others, machine.cost = 0.0, {1: 0.12, 2: 0.09}
    machine.train(hook, run, 400)
    assert torch.get_num_threads() == 2


def test_nothing_changes_for_a_model_on_a_gpu(machine):
    class OnGPU(nn.Module):
        def parameters(self):
            yield torch.empty(0, device='meta')

    machine.others, machine.cost = 1.0, {1: 0.12, 2: 1.2}
    hook = CPUThreadsHook()
    machine.train(hook, start(hook, runner(OnGPU())), 200)
    assert machine.iters[1] == 0


def test_a_thread_count_set_by_hand_or_determinism_stays(machine, monkeypatch):
    machine.others, machine.cost = 1.0, {1: 0.12, 2: 1.2}
    hook = CPUThreadsHook()
    machine.train(hook, start(hook, runner(deterministic=True)), 100)
    monkeypatch.setenv('OMP_NUM_THREADS', '2')
    hook = CPUThreadsHook()
    machine.train(hook, start(hook), 100)
    assert machine.iters[1] == 0


@pytest.mark.parametrize(
    'kwargs',
    [
        dict(min_busy=-1),
        dict(trial_iters=0),
        dict(interval=0),
    ],
)
def test_cpu_threads_hook_checks_its_arguments(kwargs):
    with pytest.raises(ValueError, match=next(iter(kwargs))):
        CPUThreadsHook(**kwargs)


def test_log_filter_drops_only_the_known_notices(caplog):
    logger = logging.getLogger('test_log_filter_hook')
    hook = LogFilterHook()
    hook.before_run(SimpleNamespace(logger=logger))
    with caplog.at_level(logging.INFO, logger=logger.name):
        logger.warning('"FileClient" will be deprecated in future. Please')
        logger.warning('"HardDiskBackend" is the alias of "LocalBackend" x')
        logger.warning('DRWHook: drw_epoch=80 >= max_epochs=2')
    assert [r.getMessage() for r in caplog.records] == [
        'DRWHook: drw_epoch=80 >= max_epochs=2'
    ]
    hook.after_run(SimpleNamespace(logger=logger))
    assert hook.filter not in logger.filters
