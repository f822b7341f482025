"""Stops training at the first iteration whose loss or gradient norm is not
finite.

mmlt's own losses raise ``FloatingPointError`` on a non-finite value, but a
recipe on mmpretrain's ``CrossEntropyLoss`` (the CE baselines, every
decoupling stage 1) would log ``loss: nan``, save all-NaN checkpoints and
exit 0. This hook, in mmlt's default runtime, checks after every training
iteration, before any hook that writes a checkpoint.
"""

from typing import Optional

import torch
from mmengine.hooks import Hook
from mmengine.optim import AmpOptimWrapper
from mmpretrain.registry import HOOKS

from mmlt.utils import unwrap_model


def non_finite(values: dict) -> dict:
    """The entries of ``values`` (numbers or tensors) that are not finite."""
    bad = {}
    for name, value in values.items():
        tensor = torch.as_tensor(value, dtype=torch.float64).detach()
        if not bool(torch.isfinite(tensor).all()):
            bad[name] = float(tensor.float().mean())
    return bad


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
            params = [
                p.detach()
                for p in unwrap_model(runner.model).parameters()
                if p.requires_grad
            ]
            if params:
                norms = torch.stack(torch._foreach_norm(params))
                if not bool(torch.isfinite(norms).all()):
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
