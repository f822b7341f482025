from .amp_optim_wrapper import AmpOptimWrapper
from .cpu_bf16 import bf16_slowdown, native_cpu_bf16

__all__ = ['AmpOptimWrapper', 'bf16_slowdown', 'native_cpu_bf16']
