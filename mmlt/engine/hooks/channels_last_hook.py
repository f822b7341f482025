"""Convolutions in channels-last layout on a CPU.

oneDNN, which runs torch's convolutions on a CPU, has faster kernels for
images stored channels last (N, H, W, C in memory) than for torch's
default (N, C, H, W). A convolution takes the channels-last path when its
weight, or its input, is stored that way, and passes the layout on to its
output, so converting the model's 4-D weights is enough: the first
convolution reorders the input batch, and the rest of the network stays
channels last. On a 2-core Xeon with AMX, torch 2.14.1, that made the
Runner 5-12% faster on the ResNet-8 recipes of MNIST-LT and
Fashion-MNIST-LT and 19-23% faster on CIFAR's ResNet-32, in fp32 and
bf16, and the quick start's whole recipe 13% (fp32) and 17% (bf16)
shorter (``docs/throughput.md``).

A layout is not a value: the weights, activations and gradients are the
default layout's up to float32 rounding, but the kernels round
differently. Against a float64 computation, a convolution is off by about
2e-7 in both layouts, BatchNorm by 1.5e-6 channels last and 4e-8 in the
default layout. A network at initialisation amplifies that in its first
layers' gradients: on MNIST-LT's ResNet-8 they were off by up to 7.6e-3
(relative norm) channels last, 1e-4 in the default layout
(``tests/test_channels_last_hook.py`` checks both). So a run is not
bit-identical to one in the default layout, as with another thread count;
the 3-seed accuracy of MNIST-LT recipes with and without this hook ties
(``docs/results.md``).

On a GPU the hook does nothing unless asked (``devices``): mmlt has not
measured channels last there.
"""

from typing import Sequence

import torch
from mmengine.hooks import Hook
from mmpretrain.registry import HOOKS

from ...utils import unwrap_model

DEVICE_TYPES = ('cpu', 'cuda', 'npu', 'mlu', 'musa', 'mps', 'xpu')


@HOOKS.register_module()
class ChannelsLastHook(Hook):
    """Stores the model's 4-D weights channels last, on the devices named.

    The model is converted before each training, validation and test loop
    (after mmengine has initialised or loaded its weights; converting twice
    is a no-op). A checkpoint gets its model weights back in the default
    layout, so it loads anywhere as any other checkpoint does.

    Args:
        devices (Sequence[str]): The device types (``'cpu'``, ``'cuda'``,
            ...) on which a model is converted; ``[]`` for none (a default
            hook cannot be set to None). Defaults to ``('cpu',)``.
    """

    priority = 'VERY_HIGH'

    def __init__(self, devices: Sequence[str] = ('cpu',)) -> None:
        if not isinstance(devices, (list, tuple)) or not all(
            d in DEVICE_TYPES for d in devices
        ):
            raise ValueError(
                'ChannelsLastHook: devices must be a list of device types '
                f'from {DEVICE_TYPES}, got {devices!r}'
            )
        self.devices = tuple(devices)

    def _convert(self, runner) -> None:
        model = unwrap_model(runner.model)
        param = next(model.parameters(), None)
        if param is not None and param.device.type in self.devices:
            model.to(memory_format=torch.channels_last)

    def before_train(self, runner) -> None:
        self._convert(runner)

    def before_val(self, runner) -> None:
        self._convert(runner)

    def before_test(self, runner) -> None:
        self._convert(runner)

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        state = checkpoint.get('state_dict')
        if state is not None:
            for name, value in state.items():
                if isinstance(value, torch.Tensor):
                    state[name] = value.contiguous()
