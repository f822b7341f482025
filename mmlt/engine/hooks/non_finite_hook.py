"""Stops training at the first iteration whose loss or gradient norm is not
finite.

mmlt's own losses raise ``FloatingPointError`` on a non-finite value, but a
recipe on mmpretrain's ``CrossEntropyLoss`` (the CE baselines, every
decoupling stage 1) would log ``loss: nan``, save all-NaN checkpoints and
exit 0. This hook, in mmlt's default runtime, checks after every training
iteration, before any hook that writes a checkpoint.
"""

import math
from typing import List, Optional

import torch
from mmengine.hooks import Hook
from mmengine.optim import AmpOptimWrapper
from mmpretrain.registry import HOOKS

from mmlt.utils import unwrap_model


def non_finite(values: dict) -> dict:
    """The entries of ``values`` (numbers or tensors) that are not finite."""
    bad = {}
    for name, value in values.items():
        if isinstance(value, torch.Tensor) and value.numel() == 1:
            # the loss terms: one number each, read without a new tensor
            value = value.item()
        if isinstance(value, (int, float)):
            if not math.isfinite(value):
                bad[name] = float(value)
            continue
        tensor = torch.as_tensor(value, dtype=torch.float64).detach()
        if not bool(torch.isfinite(tensor).all()):
            bad[name] = float(tensor.float().mean())
    return bad


def all_finite(params: List[torch.Tensor]) -> bool:
    """Whether every element of ``params`` (on one device) is finite, from
    one fused norm of each."""
    with torch.no_grad():
        norms = torch._foreach_norm(params)
    if params[0].device.type == 'cpu':
        # nothing to wait for: reading each norm costs less, after a step,
        # than stacking them into one more tensor to test
        return all(math.isfinite(norm.item()) for norm in norms)
    return bool(torch.isfinite(torch.stack(norms)).all())  # one device sync


def scaler_skips(optim_wrapper) -> bool:
    """Whether an infinite gradient norm is an overflow that the wrapper's
    loss scaler skips (fp16 AMP), not a step that happened: mmlt's CPU bf16
    wrapper has a disabled scaler, whose steps all happen."""
    scaler = getattr(optim_wrapper, 'loss_scaler', None)
    return isinstance(optim_wrapper, AmpOptimWrapper) and (
        scaler is None or scaler.is_enabled()
    )


@HOOKS.register_module()
class NonFiniteCheckHook(Hook):
    """Raises ``FloatingPointError`` at the first training iteration whose
    loss terms, gradient norm or parameters are not finite.

    The loss terms are what the model's ``train_step`` returns (``loss``,
    ``loss_cls``, ...); the gradient norm is the one the optimizer wrapper
    logs when it clips gradients (``train/grad_norm``; not under fp16 AMP,
    whose loss scaler skips the steps that overflow; under mmlt's bf16 AMP
    on a CPU it is). Without clipping the
    gradients are gone by the end of the iteration, so the parameters they
    moved are checked instead: a non-finite gradient leaves them
    non-finite.

    The trainable parameters are listed once an epoch, at its first
    iteration (after every hook's ``before_train`` and
    ``before_train_epoch``, where mmlt's hooks freeze what they freeze):
    walking the model's modules at every step made this check take 0.33-
    0.58 ms of MNIST-LT's 18-36 ms iterations on a CPU, listing them once
    an epoch 0.14-0.22 ms (``docs/throughput.md``).

    Args:
        check_parameters (bool): also check the model's parameters after
            every step (one fused norm, one device sync). Defaults to True.
    """

    # before CheckpointHook (VERY_LOW) and LoggerHook (BELOW_NORMAL)
    priority = 'VERY_HIGH'

    def __init__(self, check_parameters: bool = True) -> None:
        if not isinstance(check_parameters, bool):
            raise TypeError(
                'NonFiniteCheckHook: check_parameters must be True or False, '
                f'got {check_parameters!r}'
            )
        self.check_parameters = check_parameters
        self._model = self._params = None

    def before_train_epoch(self, runner) -> None:
        self._params = None  # listed again at the epoch's first iteration

    def trainable_parameters(self, runner) -> List[torch.Tensor]:
        model = unwrap_model(runner.model)
        if self._params is None or self._model is not model:
            self._model = model
            self._params = [p for p in model.parameters() if p.requires_grad]
        return self._params

    def after_train_iter(
        self,
        runner,
        batch_idx: int,
        data_batch=None,
        outputs: Optional[dict] = None,
    ) -> None:
        bad = non_finite(dict(outputs or {}))
        hub = runner.message_hub
        if 'train/grad_norm' in hub.log_scalars and not scaler_skips(
            runner.optim_wrapper
        ):
            bad.update(
                non_finite(
                    {'grad_norm': hub.get_scalar('train/grad_norm').current()}
                )
            )
        if not bad and self.check_parameters:
            params = self.trainable_parameters(runner)
            if params and not all_finite(params):
                bad['parameters'] = float('nan')
        if bad:
            terms = ', '.join(f'{k}={v}' for k, v in bad.items())
            raise FloatingPointError(
                f'non-finite values at training iteration {runner.iter + 1} '
                f'(epoch {runner.epoch + 1}, batch {batch_idx}): {terms}. '
                'Training stops before any checkpoint of this iteration is '
                'written; lower the learning rate or clip gradients '
                '(optim_wrapper.clip_grad).'
            )
