"""Manifold mixup: mixup of hidden features at a chosen layer.

`Manifold Mixup: Better Representations by Interpolating Hidden States
<https://arxiv.org/abs/1806.05236>`_ (Verma et al., ICML 2019), as `Bag of
Tricks for Long-Tailed Visual Recognition with Deep Convolutional Neural
Networks <https://ojs.aaai.org/index.php/AAAI/article/view/16458>`_ (Zhang
et al., AAAI 2021) uses it: in training, the output of one layer is
replaced by ``lambda * h + (1 - lambda) * h[perm]`` with ``lambda ~
Beta(alpha, alpha)`` and a random permutation of the batch, and the labels
are mixed alike. Prediction runs the plain network.
"""

from typing import List

import torch
import torch.nn.functional as F
from mmpretrain.models.classifiers import ImageClassifier
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample


def mix_batch(
    x: torch.Tensor, lam: float, index: torch.Tensor
) -> torch.Tensor:
    """``lam * x + (1 - lam) * x[index]``; ``x`` is (N, ...), ``index``
    a permutation of range(N)."""
    return torch.lerp(x[index], x, lam)


def target_scores(
    data_samples: List[DataSample], num_classes: int
) -> torch.Tensor:
    """The batch's scores (N, num_classes): ``gt_score`` when the samples
    have it (mmpretrain's preprocessor sets it with batch augments), else
    one-hot ``gt_label``."""
    if 'gt_score' in data_samples[0]:
        return torch.stack([s.gt_score for s in data_samples]).float()
    labels = torch.cat([s.gt_label for s in data_samples])
    return F.one_hot(labels, num_classes).float()


@MODELS.register_module()
class ManifoldMixupClassifier(ImageClassifier):
    """An ``ImageClassifier`` that mixes the output of ``mix_layer`` in
    training.

    Every mmlt loss takes the mixed labels (see
    :func:`mmlt.models.losses.expand_mixed_target`); so does mmpretrain's
    ``CrossEntropyLoss``. ``MixupFinetuneHook`` turns the mixing off for the
    last epochs.

    Args:
        mix_layer (str): Name of the module whose output is mixed, as
            ``named_modules`` gives it, e.g. ``'backbone.stages.0'`` (the
            first stage of ``CifarResNet``) or ``'backbone.layer2'``
            (mmpretrain's ``ResNet``); a module called once a forward
            pass. Input mixup is mmpretrain's ``Mixup`` batch augment.
        alpha (float): ``lambda ~ Beta(alpha, alpha)``, > 0. Defaults to 1.
        **kwargs: ``ImageClassifier``'s (backbone, neck, head, ...).
    """

    def __init__(self, mix_layer: str, alpha: float = 1.0, **kwargs) -> None:
        if not alpha > 0:
            raise ValueError(f'alpha must be > 0, got {alpha}')
        super().__init__(**kwargs)
        names = dict(self.named_modules())
        if mix_layer not in names or mix_layer == '':
            shallow = [n for n in names if n and n.count('.') <= 2]
            raise ValueError(
                f'mix_layer={mix_layer!r} is not a module of the model; '
                f'some that are: {shallow[:12]}'
            )
        self.mix_layer = mix_layer
        self.alpha = alpha
        #: Whether training mixes; ``MixupFinetuneHook`` switches it.
        self.mixup = True

    def loss(
        self, inputs: torch.Tensor, data_samples: List[DataSample]
    ) -> dict:
        if not self.mixup:
            return super().loss(inputs, data_samples)
        num_classes = getattr(self.head, 'num_classes', None)
        if num_classes is None:
            raise ValueError(
                'ManifoldMixupClassifier needs a head with num_classes'
            )
        beta = torch.distributions.Beta(self.alpha, self.alpha)
        lam = beta.sample().item()
        index = torch.randperm(inputs.size(0), device=inputs.device)

        def mix_output(module, args, out):
            if isinstance(out, (tuple, list)):  # e.g. a backbone's stages
                return type(out)(mix_batch(o, lam, index) for o in out)
            return mix_batch(out, lam, index)

        # looked up, not kept: an attribute would register the module twice
        # and put its weights in checkpoints twice
        module = self.get_submodule(self.mix_layer)
        handle = module.register_forward_hook(mix_output)
        try:
            feats = self.extract_feat(inputs)
        finally:
            handle.remove()
        scores = mix_batch(
            target_scores(data_samples, num_classes).to(inputs.device),
            lam,
            index,
        )
        for sample, score in zip(data_samples, scores):
            sample.set_gt_score(score)
        return self.head.loss(feats, data_samples)
