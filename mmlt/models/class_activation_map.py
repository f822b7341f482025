"""Class activation maps and the foreground masks CAM-based re-sampling
takes from them.

`Learning Deep Features for Discriminative Localization
<https://arxiv.org/abs/1512.04150>`_ (Zhou et al., CVPR 2016): for a
network ending in global average pooling and a linear classifier, the map
of class ``c`` is ``sum_k w_ck F_k(x, y)`` over the last feature maps
``F``. `Bag of Tricks for Long-Tailed Visual Recognition
<https://ojs.aaai.org/index.php/AAAI/article/view/16458>`_ (Zhang et al.,
AAAI 2021) takes the map of each image's true class, upsampled to the
image, and calls foreground what lies above its mean.
"""

import torch
import torch.nn.functional as F


def head_class_weights(head) -> torch.Tensor:
    """The classifier's class vectors, shape (C, K).

    A linear head's ``fc.weight`` (mmpretrain's ``LinearClsHead`` and
    mmlt's heads built on it) or a cosine head's ``weight`` (``LDAMHead``).
    A positive per-class scale, a per-class bias or a per-image scale of the
    features (τ-norm, LWS, the cosine head's normalisation) moves a map
    and its mean alike, so the foreground does not depend on them.
    """
    fc = getattr(head, 'fc', None)
    weight = getattr(fc, 'weight', None)
    if weight is None:
        weight = getattr(head, 'weight', None)
    if not isinstance(weight, torch.Tensor) or weight.ndim != 2:
        raise TypeError(
            f'{type(head).__name__} has no linear class weights (fc.weight '
            'or weight of shape (C, K)): CAMs need a linear classifier'
        )
    return weight


def class_activation_maps(
    feature_map: torch.Tensor, class_weight: torch.Tensor
) -> torch.Tensor:
    """``sum_k w_k F_k``: each image's map for one class vector.

    Args:
        feature_map (torch.Tensor): Last feature maps, (N, K, h, w).
        class_weight (torch.Tensor): Each image's class vector, (N, K).

    Returns:
        torch.Tensor: Maps, (N, h, w).
    """
    return torch.einsum('nkhw,nk->nhw', feature_map, class_weight)


@torch.no_grad()
def foreground_masks(
    model, inputs: torch.Tensor, labels: torch.Tensor
) -> torch.Tensor:
    """Foreground of each image: its true class's CAM above the map's mean.

    Args:
        model: An mmpretrain ``ImageClassifier`` whose neck is global
            average pooling (or which has none) and whose head is linear.
        inputs (torch.Tensor): Preprocessed images, (N, C, H, W).
        labels (torch.Tensor): True classes, (N,).

    Returns:
        torch.Tensor: Masks, (N, H, W) bool.
    """
    neck = getattr(model, 'neck', None)
    if neck is not None and type(neck).__name__ != 'GlobalAveragePooling':
        raise TypeError(
            'CAMs need global average pooling before the classifier, got '
            f'neck {type(neck).__name__}'
        )
    feature_map = model.backbone(inputs)[-1].float()
    weight = head_class_weights(model.head).float()[labels]
    cams = class_activation_maps(feature_map, weight)
    cams = F.interpolate(
        cams[:, None], size=inputs.shape[-2:], mode='bilinear'
    )[:, 0]
    return cams > cams.mean(dim=(1, 2), keepdim=True)
