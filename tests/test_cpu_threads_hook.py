"""CPUThreadsHook gives torch a thread for each core other processes leave
free, between 1 and the threads torch started with; LogFilterHook drops
exactly mmengine's FileClient notices from a run's log."""

import logging
from types import SimpleNamespace

import pytest
import torch
import torch.nn as nn

from mmlt.engine.hooks import CPUThreadsHook, LogFilterHook
from mmlt.engine.hooks import cpu_threads_hook as module
from mmlt.engine.hooks.cpu_threads_hook import free_cores, threads_for


def test_threads_for_counts_cores_mostly_free():
    assert threads_for(2.0, 2, 0.7) == 2
    assert threads_for(1.75, 2, 0.7) == 2
    assert threads_for(1.6, 2, 0.7) == 1
    assert threads_for(0.0, 2, 0.7) == 1  # never below one
    assert threads_for(15.9, 8, 0.7) == 8  # never above torch's start


def test_free_cores_leave_out_this_process(monkeypatch):
    monkeypatch.setattr(module.os, 'cpu_count', lambda: 2)
    # 1 s: the machine busy for 1.5 core-seconds, 1.0 of them ours
    assert free_cores((0.0, 0.0, 0.0), (1.0, 1.5, 1.0)) == pytest.approx(1.5)


class Clock:
    """cpu_times() of a 2-core machine whose other processes use
    ``others`` cores while this one uses ``own``."""

    def __init__(self):
        self.t, self.busy, self.own = 0.0, 0.0, 0.0
        self.others, self.own_rate = 0.0, 0.0

    def __call__(self):
        return self.t, self.busy, self.own

    def run(self, seconds):
        self.t += seconds
        self.own += self.own_rate * seconds
        self.busy += (self.others + self.own_rate) * seconds


@pytest.fixture
def two_threads(monkeypatch):
    start = torch.get_num_threads()
    torch.set_num_threads(2)
    monkeypatch.setattr(module.os, 'cpu_count', lambda: 2)
    clock = Clock()
    monkeypatch.setattr(module, 'cpu_times', clock)
    monkeypatch.setattr(module.time, 'sleep', clock.run)
    yield clock
    torch.set_num_threads(start)


def runner(model=None):
    logger = logging.getLogger('test_cpu_threads_hook')
    return SimpleNamespace(model=model or nn.Linear(2, 2), logger=logger)


def test_threads_follow_the_other_processes(two_threads):
    hook, run = CPUThreadsHook(), runner()
    two_threads.others = 1.0  # another training on one core
    hook.before_train(run)
    assert torch.get_num_threads() == 1
    two_threads.own_rate = 1.0
    two_threads.run(5.0)
    hook.after_train_epoch(run)
    assert torch.get_num_threads() == 1
    two_threads.others = 0.05  # it finished
    two_threads.run(5.0)
    hook.after_train_epoch(run)
    assert torch.get_num_threads() == 2


def test_an_idle_machine_keeps_torchs_threads(two_threads):
    hook = CPUThreadsHook()
    two_threads.others = 0.1
    hook.before_test(runner())
    assert torch.get_num_threads() == 2


def test_nothing_changes_for_a_model_on_a_gpu(two_threads):
    class OnGPU(nn.Module):
        def parameters(self):
            yield torch.empty(0, device='meta')

    two_threads.others = 2.0
    CPUThreadsHook().before_train(runner(OnGPU()))
    assert torch.get_num_threads() == 2


@pytest.mark.parametrize('kwargs', [dict(min_free=0), dict(probe_s=-1)])
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
