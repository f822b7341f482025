"""Training on a CPU without faulting the same memory in at every step.

glibc's ``malloc`` serves a large block (above a threshold that it raises
up to 32 MiB as blocks are freed) with a fresh ``mmap`` and gives it back
to the system when it is freed, and trims the top of its heap when more
than twice that is free. A training step allocates and frees the same
activations every iteration (under bf16 autocast also the weights' bf16
copies), so each step faults their pages in again and the kernel zeroes
them, which slowed a ResNet-8 step through the Runner by up to a fifth
(``docs/throughput.md``). jemalloc and
tcmalloc, which PyTorch's CPU guides recommend preloading, keep freed
memory too; this is the same effect without a preload.

The cost is that the process keeps its peak memory until it exits instead
of returning the freed part, which a training run reaches every step
anyway.
"""

import ctypes
import ctypes.util

from mmengine.device import get_device
from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmpretrain.registry import HOOKS

# mallopt's parameters (glibc's malloc.h)
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
#: blocks up to this size come from the heap, not from a fresh mmap
MMAP_THRESHOLD = 1 << 30
#: the heap's free top is given back only above this
TRIM_THRESHOLD = (1 << 31) - 1  # the largest C int mallopt takes


def keep_freed_memory() -> bool:
    """Tells glibc's allocator to keep freed memory in the process for the
    next allocation (no ``mmap`` below 1 GiB, no trimming below 2 GiB).

    Returns:
        bool: Whether it took effect: False where the C library is not
        glibc (no ``mallopt``), which is then left as it is.
    """
    try:
        libc = ctypes.CDLL(ctypes.util.find_library('c'))
        mallopt = libc.mallopt
    except (OSError, AttributeError, TypeError):
        return False
    # mallopt returns 1 on success
    return bool(
        mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)
        and mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD)
    )


@HOOKS.register_module()
class CPUAllocatorHook(Hook):
    """On a CPU, keeps freed memory in the process from the start of a run
    (:func:`keep_freed_memory`); on a GPU it does nothing.

    Args:
        keep_freed_memory (bool): False leaves glibc's defaults. Defaults
            to True.
    """

    priority = 'VERY_HIGH'

    def __init__(self, keep_freed_memory: bool = True) -> None:
        if not isinstance(keep_freed_memory, bool):
            raise TypeError(
                'CPUAllocatorHook: keep_freed_memory must be True or False, '
                f'got {keep_freed_memory!r}'
            )
        self.keep = keep_freed_memory

    def before_run(self, runner) -> None:
        if not self.keep or get_device() != 'cpu':
            return
        if keep_freed_memory():
            print_log(
                'CPUAllocatorHook: glibc keeps freed memory for reuse '
                '(default_hooks.cpu_allocator.keep_freed_memory=False '
                'leaves its defaults)',
                logger='current',
            )
