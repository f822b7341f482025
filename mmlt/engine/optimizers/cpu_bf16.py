"""Whether this CPU computes bfloat16 natively, and what it costs if not.

x86 CPUs with ``avx512_bf16`` (AMD Zen 4 and later, Intel Cooper Lake) or
AMX (``amx_bf16``, Intel Sapphire Rapids and later), and Arm CPUs with the
``bf16`` extension, run bf16 matrix products natively: about twice the
fp32 rate. Elsewhere oneDNN emulates bf16 through fp32, which is slower
than fp32 itself, so mixed precision would slow training down.
"""

import time
from typing import Optional

import torch
import torch.nn.functional as F

CPUINFO = '/proc/cpuinfo'
NATIVE_FLAGS = ('avx512_bf16', 'amx_bf16', 'bf16')


def cpu_flags() -> Optional[set]:
    """The CPU's feature flags from ``/proc/cpuinfo`` (``flags`` on x86,
    ``Features`` on Arm), or None where there is no such file."""
    try:
        with open(CPUINFO) as f:
            for line in f:
                key, _, value = line.partition(':')
                if key.strip() in ('flags', 'Features'):
                    return set(value.split())
    except OSError:
        return None
    return set()


def native_cpu_bf16() -> bool:
    """Whether this CPU has a native bf16 instruction set (a module-level
    function, so that tests can force the answer)."""
    flags = cpu_flags()
    return bool(flags and flags.intersection(NATIVE_FLAGS))


def bf16_slowdown(repeats: int = 5) -> float:
    """Time of a small convolution's forward and backward under bf16
    autocast over its time in fp32, on this CPU (best of ``repeats``; about
    0.1 s in all)."""
    torch.manual_seed(0)
    x = torch.randn(32, 16, 28, 28)
    w = torch.randn(16, 16, 3, 3, requires_grad=True)

    def best(bf16: bool) -> float:
        times = []
        for _ in range(repeats + 1):
            start = time.perf_counter()
            with torch.autocast('cpu', dtype=torch.bfloat16, enabled=bf16):
                y = F.conv2d(x, w, padding=1)
            y.float().sum().backward()
            times.append(time.perf_counter() - start)
        return min(times[1:])  # the first warms the kernels up

    return best(True) / best(False)
