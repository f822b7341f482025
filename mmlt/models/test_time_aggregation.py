"""SADE's test-time self-supervised aggregation of the experts.

`Self-Supervised Aggregation of Diverse Experts for Test-Agnostic
Long-Tailed Recognition <https://arxiv.org/abs/2107.09249>`_ (Zhang et al.,
NeurIPS 2022), as the official ``test_training_cifar.py``
(Vanint/SADE-AgnosticLT) does it: the trained network is frozen (BatchNorm
on its running statistics) and only a raw weight per expert is learned,
``w = softmax(v)``, ``v`` starting at ``1/E`` each. Each unlabeled test
image is augmented twice; the experts' logits of each view are summed with
the weights, ``a = sum_e w_e z_e``, and the loss is minus the cosine
similarity of ``softmax(a)`` of the two views, averaged over the batch:
the weights that make the ensemble's prediction most stable. SGD (lr 0.1,
momentum 0.9, Nesterov, weight decay 5e-4 on ``v``), batch 128, at most 5
passes over the test images, stopping after a pass where a weight rounded
to 2 decimals is below 0.05. It is transductive: it reads the very test
images it is then scored on.

The views are the official ones (crop with 4 pixels of padding, colour
jitter 0.4 / 0.4 / 0.4 / 0.1 with probability 0.8, greyscale with
probability 0.2, Gaussian blur of σ in [0.1, 2] with probability 0.2,
horizontal flip), made with torchvision's tensor transforms; the blur's
kernel is 13 pixels (PIL's blur, which the official code uses, takes σ
alone).
"""

from typing import Callable, Optional

import torch
import torch.nn.functional as F

#: The official schedule and optimiser of the weights (CIFAR configs).
EPOCHS = 5
BATCH_SIZE = 128
LR = 0.1
MOMENTUM = 0.9
WEIGHT_DECAY = 5e-4
STOP_BELOW = 0.05


def sade_views(size: int, padding: int = 4) -> Callable:
    """The official test-time augmentation of one uint8 image (C, H, W)."""
    from torchvision.transforms import v2

    return v2.Compose(
        [
            v2.RandomCrop(size, padding=padding),
            v2.RandomApply([v2.ColorJitter(0.4, 0.4, 0.4, 0.1)], p=0.8),
            v2.RandomGrayscale(p=0.2),
            v2.RandomApply([v2.GaussianBlur(13, sigma=(0.1, 2.0))], p=0.2),
            v2.RandomHorizontalFlip(),
        ]
    )


def stability_loss(
    weights: torch.Tensor, logits_a: torch.Tensor, logits_b: torch.Tensor
) -> torch.Tensor:
    """``-mean cos(softmax(sum_e w_e z_e))`` over two views.

    Args:
        weights (torch.Tensor): ``w``, shape (E,).
        logits_a, logits_b (torch.Tensor): The experts' (scaled) logits of
            each view, shape (E, N, C).
    """
    p_a = torch.einsum('e,enc->nc', weights, logits_a).softmax(dim=1)
    p_b = torch.einsum('e,enc->nc', weights, logits_b).softmax(dim=1)
    return -F.cosine_similarity(p_a, p_b, dim=1, eps=1e-6).mean()


def learn_expert_weights(
    expert_logits: Callable[[torch.Tensor], torch.Tensor],
    images: torch.Tensor,
    num_experts: int,
    augment: Optional[Callable] = None,
    *,
    epochs: int = EPOCHS,
    batch_size: int = BATCH_SIZE,
    lr: float = LR,
    momentum: float = MOMENTUM,
    weight_decay: float = WEIGHT_DECAY,
    stop_below: float = STOP_BELOW,
    seed: int = 0,
) -> torch.Tensor:
    """The aggregation weights ``w`` (module docstring), shape (E,).

    Args:
        expert_logits (callable): uint8 images (B, C, H, W) -> the
            experts' logits (E, B, classes) of the frozen model.
        images (torch.Tensor): The unlabeled test images, uint8
            (N, C, H, W).
        num_experts (int): E.
        augment (callable, optional): One image's random view; defaults to
            :func:`sade_views` of the images' size.
        epochs, batch_size, lr, momentum, weight_decay, stop_below: The
            schedule; the official values by default.
        seed (int): Seeds the order and the views.
    """
    if images.dtype != torch.uint8 or images.dim() != 4:
        raise ValueError(
            'learn_expert_weights takes uint8 images (N, C, H, W), got '
            f'{images.dtype} {tuple(images.shape)}'
        )
    augment = augment or sade_views(images.size(-1))
    raw = torch.full((num_experts,), 1.0 / num_experts, requires_grad=True)
    optimizer = torch.optim.SGD(
        [raw],
        lr=lr,
        momentum=momentum,
        nesterov=momentum > 0,
        weight_decay=weight_decay,
    )
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        for _ in range(epochs):
            for index in torch.randperm(len(images)).split(batch_size):
                batch = images[index]
                views = [
                    torch.stack([augment(img) for img in batch])
                    for _ in range(2)
                ]
                with torch.no_grad():
                    logits = [expert_logits(v).float() for v in views]
                loss = stability_loss(raw.softmax(dim=0), *logits)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
            weights = raw.detach().softmax(dim=0)
            if (weights.mul(100).round() / 100 < stop_below).any():
                break
    return raw.detach().softmax(dim=0)
