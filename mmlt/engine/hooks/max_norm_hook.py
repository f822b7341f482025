"""MaxNorm: per-class weight norms held inside a ball by projection.

`Long-Tailed Recognition via Weight Balancing
<https://arxiv.org/abs/2203.14197>`_ (Alshammari et al., CVPR 2022): in
stage 2 the classifier is re-trained with weight decay and a MaxNorm
constraint ``||w_j||_2 <= delta`` on every class's weight vector, enforced
by projected gradient descent: after each optimizer step, a row whose norm
exceeds ``delta`` is scaled back onto the ball; the others are not touched.
"""

import math
from typing import Dict, Optional, Sequence

import torch
from mmengine.hooks import Hook
from mmpretrain.registry import HOOKS

from mmlt.utils import unwrap_model

#: Where a checkpoint keeps the resolved thresholds (``meta`` section).
CHECKPOINT_KEY = 'max_norm_thresholds'


@torch.no_grad()
def project_max_norm_(weight: torch.Tensor, threshold: float) -> torch.Tensor:
    """Scales, in place, each row of ``weight`` whose L2 norm exceeds
    ``threshold`` onto the sphere of that radius; returns ``weight``.

    Rows inside the ball are multiplied by exactly 1 (bit-identical); a
    projected row's norm is the threshold up to float rounding (a
    relative 1e-7 in float32 is typical).

    Args:
        weight (torch.Tensor): Shape (C, D), a row per class.
        threshold (float): The radius, > 0.
    """
    norms = weight.norm(dim=1, keepdim=True)
    # a zero row gives inf here, clamped to 1
    scale = (threshold / norms).clamp(max=1.0)
    return weight.mul_(scale.to(weight.dtype))


@HOOKS.register_module()
class MaxNormHook(Hook):
    """Projects named classifier weights onto ``||w_j|| <= threshold`` after
    every training iteration (so after every optimizer step).

    Only the named parameters change, and only their rows outside the
    ball. Each must be a 2-d (classes, features) weight that trains.

    ``relative=True`` is the weight-balancing release's reading of the
    threshold: at the start of training the radius is set to
    ``min_j ||w_j|| + threshold * (max_j ||w_j|| - min_j ||w_j||)`` of the
    weights then (the stage-1 classifier in stage 2), so ``threshold`` is in
    (0, 1]. The resolved radii are saved in every checkpoint, so that a
    resumed run keeps them.

    Args:
        params (Sequence[str]): Names of the parameters to constrain,
            relative to the model. Defaults to ``('head.fc.weight',)``
            (mmpretrain's ``LinearClsHead``).
        threshold (float): The radius (> 0), or with ``relative`` the
            fraction of the norm range, in (0, 1]. Defaults to 0.1.
        relative (bool): Read ``threshold`` relative to the norms at the
            start of training. Defaults to False.
    """

    priority = 'ABOVE_NORMAL'

    def __init__(
        self,
        params: Sequence[str] = ('head.fc.weight',),
        threshold: float = 0.1,
        relative: bool = False,
    ) -> None:
        if isinstance(params, str) or not params:
            raise ValueError(
                'MaxNormHook: params must be a non-empty list of parameter '
                f'names, got {params!r}'
            )
        self.params = tuple(params)
        if not isinstance(threshold, (int, float)) or isinstance(
            threshold, bool
        ):
            raise TypeError(
                f'MaxNormHook: threshold must be a number, got {threshold!r}'
            )
        high = 1.0 if relative else math.inf
        if not (0 < threshold <= high) or math.isinf(threshold):
            valid = '(0, 1] (relative=True)' if relative else '(0, inf)'
            raise ValueError(
                f'MaxNormHook: threshold must be in {valid}, got {threshold}'
            )
        self.threshold = float(threshold)
        self.relative = relative
        self.thresholds: Dict[str, float] = {}
        self._loaded: Optional[Dict[str, float]] = None
        self._weights: Dict[str, torch.nn.Parameter] = {}

    def _resolve(self, model) -> Dict[str, torch.nn.Parameter]:
        named = dict(model.named_parameters())
        weights = {}
        for name in self.params:
            if name not in named:
                near = [n for n in named if n.endswith('.weight')][-5:]
                raise ValueError(
                    f"MaxNormHook: params names '{name}', which the model "
                    f'does not have (its last weights: {near})'
                )
            param = named[name]
            if param.dim() != 2:
                raise ValueError(
                    f"MaxNormHook: params names '{name}' of shape "
                    f'{tuple(param.shape)}; MaxNorm needs a 2-d (classes, '
                    'features) weight'
                )
            if not param.requires_grad:
                raise ValueError(
                    f"MaxNormHook: params names '{name}', which is frozen "
                    '(requires_grad=False): the projection would change a '
                    'parameter that does not train'
                )
            weights[name] = param
        return weights

    def before_train(self, runner) -> None:
        self._weights = self._resolve(unwrap_model(runner.model))
        resumed = runner.iter > 0 and self._loaded is not None
        if resumed and set(self._loaded) == set(self.params):
            self.thresholds = dict(self._loaded)
        elif self.relative:
            self.thresholds = {}
            for name, weight in self._weights.items():
                norms = weight.detach().norm(dim=1)
                low, high = norms.min().item(), norms.max().item()
                radius = low + self.threshold * (high - low)
                if not radius > 0:
                    raise ValueError(
                        f"MaxNormHook: '{name}' has all-zero rows at the "
                        'start of training, so a relative threshold gives '
                        'radius 0; give an absolute threshold'
                    )
                self.thresholds[name] = radius
        else:
            self.thresholds = {n: self.threshold for n in self.params}
        runner.logger.info(
            'MaxNormHook: class weight norms capped at '
            + ', '.join(f'{n} <= {t:.6g}' for n, t in self.thresholds.items())
        )

    def after_train_iter(
        self, runner, batch_idx, data_batch=None, outputs=None
    ) -> None:
        for name, weight in self._weights.items():
            project_max_norm_(weight.data, self.thresholds[name])

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        checkpoint.setdefault('meta', {})[CHECKPOINT_KEY] = dict(
            self.thresholds
        )

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        saved = (checkpoint.get('meta') or {}).get(CHECKPOINT_KEY)
        self._loaded = (
            {str(k): float(v) for k, v in saved.items()} if saved else None
        )
