"""``--amp`` on a CPU: mmengine's ``AmpOptimWrapper`` with bf16 autocast.

mmengine's ``AmpOptimWrapper`` asserts a GPU (or NPU, MLU, MUSA), so
``mim train ... --amp`` fails on a CPU, although ``torch.autocast`` runs
there in bfloat16. This subclass is registered under the same name in
mmpretrain's registry, where mmpretrain's ``tools/train.py --amp``
(``optim_wrapper.type = 'AmpOptimWrapper'``) finds it first under
``default_scope = 'mmpretrain'``. On a GPU it is mmengine's wrapper,
unchanged (fp16 with loss scaling, or bf16). On a CPU:

- the forward pass and the loss run under ``torch.autocast('cpu',
  dtype=torch.bfloat16)``: convolutions and matrix products in bf16;
  parameters, BatchNorm's statistics, the optimizer state and gradients
  stay float32, and mmlt's losses compute in float32 from bf16 logits;
  validation and testing (no optimizer, so no autocast) and the metrics
  run in float32;
- no loss scaling: bf16 has float32's exponent range, so gradients do not
  underflow as fp16's do; ``loss_scale`` (which ``--amp`` sets) is accepted
  and ignored, and the checkpoint has no scaler state;
- on a CPU without native bf16 (:func:`native_cpu_bf16`), bf16 is emulated
  and slower than fp32: with ``cpu_bf16='auto'`` (the default) the run
  trains in float32 and the log says so, with the slowdown it measured at
  start-up; ``cpu_bf16='always'`` autocasts anyway.
"""

from contextlib import contextmanager
from typing import Optional, Union

import torch
import torch.nn as nn
from mmengine.device import get_device
from mmengine.logging import print_log
from mmengine.optim import AmpOptimWrapper as MMEngineAmpOptimWrapper
from mmengine.optim import OptimWrapper
from mmpretrain.registry import OPTIM_WRAPPERS

from . import cpu_bf16

CPU_CHOICES = ('auto', 'always')


@OPTIM_WRAPPERS.register_module(name='AmpOptimWrapper')
class AmpOptimWrapper(MMEngineAmpOptimWrapper):
    """mmengine's ``AmpOptimWrapper`` on a GPU; bf16 autocast on a CPU.

    Args:
        loss_scale: As mmengine's; ignored on a CPU (bf16 needs none).
        dtype (str or torch.dtype, optional): As mmengine's on a GPU. On a
            CPU: None or 'bfloat16' (the default), or 'float32' (no
            autocast); float16 is refused there (emulated, and it would
            need loss scaling).
        cpu_bf16 (str): On a CPU without native bf16: 'auto' trains in
            float32 with a warning, 'always' autocasts anyway. Defaults to
            'auto'.
        **kwargs: As mmengine's (``optimizer``, ``clip_grad``, ...).
    """

    def __init__(
        self,
        loss_scale: Union[str, float, dict] = 'dynamic',
        dtype: Optional[Union[str, torch.dtype]] = None,
        cpu_bf16: str = 'auto',
        **kwargs,
    ) -> None:
        if cpu_bf16 not in CPU_CHOICES:
            raise ValueError(
                f'AmpOptimWrapper: cpu_bf16 must be one of {CPU_CHOICES}, '
                f'got {cpu_bf16!r}'
            )
        self.on_cpu = get_device() == 'cpu'
        if not self.on_cpu:
            super().__init__(loss_scale=loss_scale, dtype=dtype, **kwargs)
            return
        OptimWrapper.__init__(self, **kwargs)
        self._scale_update_param = None
        # a scaler that does nothing: backward() and step() are mmengine's
        self.loss_scaler = torch.amp.GradScaler('cpu', enabled=False)
        self.cast_dtype = cpu_dtype(dtype)
        self.autocast = self.cast_dtype == torch.bfloat16 and (
            cpu_bf16_chosen(cpu_bf16)
        )

    @contextmanager
    def optim_context(self, model: nn.Module):
        if not self.on_cpu:
            with super().optim_context(model):
                yield
            return
        with (
            OptimWrapper.optim_context(self, model),
            torch.autocast('cpu', dtype=torch.bfloat16, enabled=self.autocast),
        ):
            yield


def cpu_dtype(dtype: Optional[Union[str, torch.dtype]]) -> torch.dtype:
    """The autocast dtype on a CPU: bf16 (the default) or float32."""
    if isinstance(dtype, str):
        dtype = getattr(torch, dtype, dtype)
    if dtype is None:
        return torch.bfloat16
    if dtype not in (torch.bfloat16, torch.float32):
        raise ValueError(
            f"AmpOptimWrapper: on a CPU dtype must be 'bfloat16' (or "
            f"'float32', no autocast), got {dtype}: float16 is emulated on "
            'CPUs and would need loss scaling'
        )
    return dtype


def cpu_bf16_chosen(choice: str) -> bool:
    """Whether to autocast on this CPU; logs why when it does not, or when
    it autocasts without native bf16."""
    if cpu_bf16.native_cpu_bf16():
        print_log(
            'AmpOptimWrapper: bf16 autocast on the CPU (native bf16)',
            logger='current',
        )
        return True
    slowdown = cpu_bf16.bf16_slowdown()
    what = (
        f'this CPU has no native bf16 (no avx512_bf16, amx_bf16 or bf16 '
        f'flag): a bf16 convolution took {slowdown:.1f}x its fp32 time here'
    )
    if choice == 'always':
        print_log(
            f"AmpOptimWrapper: {what}; autocasting anyway (cpu_bf16='always')",
            logger='current',
            level=30,
        )
        return True
    print_log(
        f'AmpOptimWrapper: {what}, so --amp trains in float32 instead. '
        "Set optim_wrapper.cpu_bf16='always' to autocast anyway.",
        logger='current',
        level=30,
    )
    return False
