"""What the sigmoid losses (sigmoid focal loss, GHM-C) share: per-logit
pieces, and an autograd base for a loss that computes its own gradient.

Both losses treat each of the C logits of an image as a binary problem, so
they cost at least one logarithm per logit, where softmax cross-entropy
takes one per image. torch's ``softplus``, ``logsigmoid`` and
``binary_cross_entropy_with_logits`` compute it with an element-wise
``log1p`` that runs about ten times slower on the CPU than ``log`` (measured
with torch 2.14: 2.5 ms against 0.2 ms for 512 x 1,000 float32 logits on two
cores), so the losses build their binary cross-entropy from these pieces.
"""

from typing import Optional, Tuple

import torch
from torch.autograd.function import once_differentiable


def sigmoid_and_softplus(
    x: torch.Tensor,
    p_out: Optional[torch.Tensor] = None,
    q_out: Optional[torch.Tensor] = None,
    softplus_out: Optional[torch.Tensor] = None,
) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """``sigmoid(x)``, ``sigmoid(-x)`` and ``softplus(x)``.

    ``softplus(x) = -log sigmoid(-x)`` is each logit's binary cross-entropy
    against target 0. ``sigmoid(-x)`` is computed, not taken as
    ``1 - sigmoid(x)``, which would lose its digits where ``sigmoid(x)`` is
    near 1.

    Args:
        x (torch.Tensor): Logits, any shape, float32 or float64.
        p_out, q_out, softplus_out (torch.Tensor, optional): Buffers of
            ``x``'s shape to write the results into.

    Returns:
        tuple: ``p``, ``q = 1 - p`` and ``softplus(x)``, each the shape of
        ``x``. ``softplus(x)`` is within about ``eps`` of the exact value
        below 1 and within a relative ``eps`` above (``eps`` of the dtype:
        1.2e-7 for float32).
    """
    p = torch.sigmoid(x, out=p_out)
    # Raising q to the smallest normal number where it underflows (x > 87
    # in float32) changes it by less than 1.2e-38 and keeps -log q finite.
    q = torch.neg(x, out=q_out).sigmoid_()
    q.clamp_(min=torch.finfo(x.dtype).tiny)
    softplus = torch.log(q, out=softplus_out).neg_()
    # -log q is within the rounding of q (6e-8 in float32) of softplus(x),
    # but at the two ends, where the lower bounds softplus(x) >= x and
    # softplus(x) = -log(1 - p) >= p are exact to the last bit instead:
    # where q is clamped (x > 87), and where q rounds to 1 (p < 6e-8, where
    # -log q would be 0).
    torch.maximum(softplus, x, out=softplus)
    return p, q, torch.maximum(softplus, p, out=softplus)


class LossWithKeptGradient(torch.autograd.Function):
    """Base of a loss whose forward pass computes its gradient with respect
    to the logits (its first input) and keeps it with :meth:`keep`; the
    backward pass only scales it, in place (autograd then refuses a second
    backward through the same graph)."""

    @staticmethod
    def keep(ctx, grad: torch.Tensor, logits: torch.Tensor) -> None:
        ctx.save_for_backward(grad)
        ctx.logits_dtype = logits.dtype

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_output):
        (grad,) = ctx.saved_tensors
        grad = grad.mul_(grad_output.to(grad.dtype))
        # one gradient per input of forward: the logits' and Nones
        others = (None,) * (len(ctx.needs_input_grad) - 1)
        return (grad.to(ctx.logits_dtype), *others)
