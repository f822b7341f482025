"""CPUAllocatorHook: on a CPU, glibc keeps freed memory for the next
allocation instead of giving it back and faulting it in again."""

import subprocess
import sys
import textwrap

import pytest

from mmlt.engine.hooks import CPUAllocatorHook, cpu_allocator_hook

from runner_utils import build, mnist_cfg

# A 256 MiB tensor filled, then freed: how much of it the process still
# holds (VmRSS), with glibc's defaults and after keep_freed_memory().
RSS_AFTER_FREE = textwrap.dedent(
    """
    import torch
    from mmlt.engine.hooks import keep_freed_memory

    def rss_mib():
        with open('/proc/self/status') as f:
            line = next(s for s in f if s.startswith('VmRSS:'))
        return int(line.split()[1]) / 1024

    def held_after_free():
        before = rss_mib()
        block = torch.ones(64 << 20)  # 256 MiB of float32
        del block
        return rss_mib() - before

    print('default', held_after_free())
    assert keep_freed_memory()
    print('kept', held_after_free())
    """
)


@pytest.mark.skipif(
    not sys.platform.startswith('linux'), reason='glibc and /proc'
)
def test_freed_memory_stays_in_the_process_once_kept():
    out = subprocess.run(
        [sys.executable, '-c', RSS_AFTER_FREE],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    held = dict(line.split() for line in out.stdout.splitlines())
    # glibc's default gives a freed block that large back at once
    assert float(held['default']) < 64
    assert float(held['kept']) > 200


def test_the_default_runtime_keeps_freed_memory_on_a_cpu(
    tmp_path, monkeypatch
):
    calls = []
    monkeypatch.setattr(
        cpu_allocator_hook, 'keep_freed_memory', lambda: calls.append(1)
    )
    runner = build(mnist_cfg(tmp_path, max_epochs=1))
    assert any(isinstance(h, CPUAllocatorHook) for h in runner.hooks)
    runner.call_hook('before_run')
    runner.release_work_dir()
    assert calls == [1]
    calls.clear()
    off = mnist_cfg(tmp_path / 'off', max_epochs=1)
    off.default_hooks.cpu_allocator.keep_freed_memory = False
    runner = build(off)
    runner.call_hook('before_run')
    runner.release_work_dir()
    assert calls == []


def test_a_setting_that_is_not_a_bool_is_refused():
    with pytest.raises(TypeError, match='keep_freed_memory must be True'):
        CPUAllocatorHook(keep_freed_memory='yes')
