"""Softmax losses of the target class's probability, in one fused step.

Every softmax loss of mmlt is a sum over the batch of a function of
``log p_y`` alone, where ``p`` is the softmax of the logits after a scale, a
per-class bias and a margin on the target logit:

- cross-entropy (weighted or not): ``-w_y log p_y``;
- softmax focal loss: ``-alpha_y (1 - p_y) ** gamma log p_y``;
- logit adjustment and Balanced Softmax: bias ``tau * log pi_j``;
- LDAM: scale ``s`` and margin ``s * Delta_y`` on the target logit.

Whatever the per-image loss ``f(log p_y)``, its gradient with respect to the
logits is ``scale * f'(log p_y) * (onehot(y) - p)``. So the forward pass
computes ``p`` once (one softmax) and ``f`` and ``f'`` on (N,) tensors, and
the backward pass turns ``p`` into the gradient in place: fewer passes over
the (N, C) logits and fewer (N, C) allocations than torch's cross-entropy
takes, no one-hot or mask, and no autograd graph of small per-image steps,
whose overhead is what separates a loss from cross-entropy at small sizes.
"""

import math
from typing import Callable, Optional, Tuple, Union

import torch
from torch.autograd.function import once_differentiable

from .mixed_target import at_least_float32
from .workspace import Workspace

#: ``f`` of a loss: ``log p_y`` (N,) -> (the loss, ``df / dlog p_y`` (N,)).
RowLoss = Callable[[torch.Tensor], Tuple[torch.Tensor, torch.Tensor]]

# log of the smallest normal number: below it p_y has lost its precision.
_LOG_TINY = {
    dtype: math.log(torch.finfo(dtype).tiny)
    for dtype in (torch.float32, torch.float64)
}


class _SoftmaxTargetLoss(torch.autograd.Function):
    @staticmethod
    def forward(
        ctx,
        logits,
        target,
        row_loss,
        scale,
        class_bias,
        target_margin,
        workspace,
    ):
        # Half-precision logits are computed in float32 (s = 30 times a
        # half-precision logit loses the margins' precision).
        x = at_least_float32(logits)
        # The adjusted logits go into a kept buffer: the probabilities,
        # which become the gradient, are the one fresh (N, C) tensor.
        adjusted = workspace.get('adjusted', x)
        per_class = torch.is_tensor(scale)
        if per_class:
            scale = scale.to(x.dtype)
            x = torch.mul(x, scale, out=adjusted)
            if class_bias is not None:
                x.add_(class_bias.to(x.dtype))
        elif class_bias is not None:
            x = torch.add(class_bias.to(x.dtype), x, alpha=scale, out=adjusted)
        elif scale != 1:
            x = torch.mul(x, scale, out=adjusted)
        rows = torch.arange(x.size(0), device=x.device)
        if target_margin is not None:
            if x is logits:
                x = x.clone() if adjusted is None else adjusted.copy_(x)
            x[rows, target] -= target_margin.to(x.dtype)
        prob = torch.softmax(x, dim=1)
        log_p = prob[rows, target].log()
        # p_y underflows only for a loss above 87 (float32); such rows take
        # log p_y = (x_y - max x) + log(max p) instead, exact since the
        # largest probability is at least 1 / C. Only then: the two
        # reductions would cost a fifth of the whole step.
        underflow = log_p < _LOG_TINY[x.dtype]
        if underflow.any():
            exact = (x[rows, target] - x.amax(dim=1)) + prob.amax(dim=1).log()
            log_p = torch.where(underflow, exact, log_p)
        loss, coef = row_loss(log_p)
        ctx.save_for_backward(prob, target, coef)
        # d adjusted_j / d z_j: one number, or one per class (C,)
        ctx.scale = scale
        ctx.logits_dtype = logits.dtype
        return loss

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_output):
        prob, target, coef = ctx.saved_tensors
        scale = ctx.scale
        per_class = torch.is_tensor(scale)
        coef = coef * grad_output.to(prob.dtype)
        if not per_class:
            coef = coef * scale
        # The probabilities become the gradient in place: no (N, C)
        # allocation. A second backward through the same graph
        # (retain_graph=True) is refused by autograd's check of the saved
        # tensor's version.
        grad = prob.mul_(coef.neg()[:, None])
        grad[torch.arange(grad.size(0), device=grad.device), target] += coef
        if per_class:
            grad.mul_(scale)
        return grad.to(ctx.logits_dtype), None, None, None, None, None, None


def softmax_target_loss(
    logits: torch.Tensor,
    target: torch.Tensor,
    row_loss: RowLoss,
    *,
    scale: Union[float, int, torch.Tensor] = 1.0,
    class_bias: Optional[torch.Tensor] = None,
    target_margin: Optional[torch.Tensor] = None,
    workspace: Optional[Workspace] = None,
) -> torch.Tensor:
    """A loss ``f(log p_y)`` of the softmax of adjusted logits.

    ``p = softmax(scale * logits + class_bias)``, with ``target_margin``
    subtracted from each row's target logit after scaling; ``scale`` is
    one number or one per class (CDT's and VS's ``1 / a_j``).

    Args:
        logits (torch.Tensor): Shape (N, C); half precision is computed in
            float32.
        target (torch.Tensor): Class indices, shape (N,).
        row_loss (callable): ``f``: takes ``log p_y`` (N,) and returns the
            scalar loss and its gradient with respect to ``log p_y`` (N,),
            e.g. :func:`weighted_nll`.
        scale (float | torch.Tensor): Multiplies the logits: a number, or
            a tensor of shape (C,) that scales each class's logit. Defaults
            to 1.
        class_bias (torch.Tensor, optional): Added to every row, shape (C,).
        target_margin (torch.Tensor, optional): Subtracted from each row's
            target logit, shape (N,).
        workspace (Workspace, optional): Buffers kept between calls.

    Returns:
        torch.Tensor: The scalar loss, float32 (float64 for float64
        logits); differentiable with respect to ``logits`` once.
    """
    if logits.ndim != 2 or target.shape != logits.shape[:1]:
        raise ValueError(
            'softmax losses take logits of shape (N, C) and class indices '
            f'of shape (N,), got {tuple(logits.shape)} and '
            f'{tuple(target.shape)}'
        )
    if torch.is_tensor(scale) and scale.shape != logits.shape[1:]:
        raise ValueError(
            f'a per-class scale must have shape ({logits.size(1)},), got '
            f'{tuple(scale.shape)}'
        )
    return _SoftmaxTargetLoss.apply(
        logits,
        target,
        row_loss,
        scale,
        class_bias,
        target_margin,
        workspace or Workspace(),
    )


def weighted_nll(
    target: torch.Tensor,
    class_weight: Optional[torch.Tensor] = None,
    sample_weight: Optional[torch.Tensor] = None,
) -> RowLoss:
    """``f = -sum_i w_{y_i} m_i log p_i / sum_i w_{y_i} m_i``:
    cross-entropy's weighted mean (the plain mean without weights), as a
    ``row_loss``.

    Args:
        target (torch.Tensor): Class indices, shape (N,).
        class_weight (torch.Tensor, optional): Per-class weights, shape (C,).
        sample_weight (torch.Tensor, optional): Per-row masses ``m``, shape
            (N,), e.g. mixup's (see :func:`expand_mixed_target`).
    """

    def row_loss(log_p: torch.Tensor):
        w = row_weights(target, class_weight, sample_weight, log_p.dtype)
        if w is None:
            coef = torch.full_like(log_p, -1.0 / log_p.numel())
        else:
            coef = w / -w.sum()
        return torch.dot(coef, log_p), coef

    return row_loss


def row_weights(
    target: torch.Tensor,
    class_weight: Optional[torch.Tensor],
    sample_weight: Optional[torch.Tensor],
    dtype: torch.dtype,
) -> Optional[torch.Tensor]:
    """``w_{y_i} m_i``, shape (N,), or None when both are None."""
    w = None if class_weight is None else class_weight.to(dtype)[target]
    if sample_weight is not None:
        m = sample_weight.to(dtype)
        w = m if w is None else w * m
    return w


def weighted_mean(
    per_row: torch.Tensor,
    target: torch.Tensor,
    class_weight: Optional[torch.Tensor] = None,
    sample_weight: Optional[torch.Tensor] = None,
) -> torch.Tensor:
    """``sum_i w_{y_i} m_i l_i / sum_i w_{y_i} m_i``, the mean torch's
    weighted ``cross_entropy`` takes (the plain mean without weights).

    Args:
        per_row (torch.Tensor): Per-image losses ``l``, shape (N,).
        target (torch.Tensor): Class indices, shape (N,).
        class_weight (torch.Tensor, optional): Shape (C,).
        sample_weight (torch.Tensor, optional): Per-row masses, shape (N,).
    """
    w = row_weights(target, class_weight, sample_weight, per_row.dtype)
    if w is None:
        return per_row.mean()
    return (w * per_row).sum() / w.sum()


def autograd_row_loss(f: Callable[[torch.Tensor], torch.Tensor]) -> RowLoss:
    """A ``row_loss`` from a plain formula: ``f`` takes ``log p_y`` (N,) and
    returns the scalar loss, in ordinary torch operations; its gradient
    comes from autograd on the (N,) vector.

    This is how a new softmax loss gets the fused (N, C) step without
    deriving ``f'`` by hand: only (N,) tensors go through autograd. A
    hand-written ``f'`` saves that small graph's overhead, which matters
    only when the loss is a large part of a step (``docs/losses.md``).
    """

    def row_loss(log_p: torch.Tensor):
        with torch.enable_grad():
            x = log_p.detach().requires_grad_()
            loss = f(x)
            (grad,) = torch.autograd.grad(loss, x)
        return loss.detach(), grad

    return row_loss
