"""BBN: a conventional and a re-balancing branch over one shared backbone.

`BBN: Bilateral-Branch Network with Cumulative Learning for Long-Tailed
Visual Recognition <https://arxiv.org/abs/1912.02413>`_ (Zhou et al., CVPR
2020): both branches share every weight of the backbone but its last
residual block(s), which each branch has a copy of (the paper's code
duplicates the last block of ResNet-32's third stage and of ResNet-50's
fourth). In training the conventional branch sees an instance-sampled batch
and the re-balancing branch a reversed-sampled one (``BilateralBranchSampler``
yields both, in turn, in one batch); ``BBNHead`` mixes their outputs by α,
which ``CumulativeLearningHook`` sets every epoch. At test time both
branches see the same image and weigh 0.5.
"""

import copy
from typing import List, Optional, Tuple

import torch
import torch.nn as nn
from mmpretrain.models.classifiers import ImageClassifier
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample


def last_stage_name(backbone: nn.Module) -> str:
    """The last stage of ``CifarResNet`` (``stages.2``) or mmpretrain's
    ``ResNet`` family (``layer4``)."""
    if isinstance(getattr(backbone, 'stages', None), nn.ModuleList):
        return f'stages.{len(backbone.stages) - 1}'
    if getattr(backbone, 'res_layers', None):
        return backbone.res_layers[-1]
    raise ValueError(
        f'cannot tell the last stage of {type(backbone).__name__}: give '
        'last_stage, the name of a backbone module that is an nn.Sequential '
        "of residual blocks (e.g. 'stages.2' or 'layer4')"
    )


def reset_parameters(module: nn.Module) -> None:
    for m in module.modules():
        if hasattr(m, 'reset_parameters'):
            m.reset_parameters()


@MODELS.register_module()
class BBNClassifier(ImageClassifier):
    """An ``ImageClassifier`` whose backbone's last ``branch_blocks``
    residual blocks are two branches, with a ``BBNHead``.

    The backbone keeps its stages but the last one loses its last
    ``branch_blocks`` blocks; the two branches (``backbone.bbn_branches``,
    conventional first) stay inside the backbone module so that its own
    ``init_weights`` (Kaiming, zero-initialised residuals) draws both. A
    backbone loaded from a pretrained checkpoint (``init_cfg`` of type
    'Pretrained') loads no weights into the branches.

    Training takes batches of pairs from ``BilateralBranchSampler``: the
    images at even positions go to the conventional branch, those at odd
    positions to the re-balancing branch.

    Args:
        backbone (dict): Its last output must be its last stage's.
        neck (dict, optional): Applied to each branch's output, e.g.
            ``GlobalAveragePooling``.
        head (dict): A ``BBNHead``.
        branch_blocks (int): Residual blocks at the end of the last stage
            that each branch has its own copy of. Defaults to 1, the paper's.
        last_stage (str, optional): The backbone's last stage, a module
            name (``named_modules``) of an ``nn.Sequential`` of blocks.
            Defaults to ``'stages.2'`` for ``CifarResNet`` and ``'layer4'``
            for mmpretrain's ``ResNet``.
        **kwargs: ``ImageClassifier``'s (data_preprocessor, init_cfg, ...).
            Batch augments are refused: they would mix the two batches.
    """

    def __init__(
        self,
        backbone: dict,
        head: dict,
        neck: Optional[dict] = None,
        branch_blocks: int = 1,
        last_stage: Optional[str] = None,
        **kwargs,
    ) -> None:
        if (kwargs.get('train_cfg') or {}).get('augments'):
            raise ValueError(
                'BBNClassifier does not take train_cfg.augments: a batch '
                'holds two batches (conventional and re-balancing)'
            )
        super().__init__(backbone=backbone, neck=neck, head=head, **kwargs)
        if not hasattr(self.head, 'branch_logits'):
            raise ValueError(
                f"BBNClassifier needs head=dict(type='BBNHead', ...), got "
                f'{type(self.head).__name__}'
            )
        if not isinstance(branch_blocks, int) or branch_blocks < 1:
            raise ValueError(
                f'branch_blocks must be an int >= 1, got {branch_blocks!r}'
            )
        name = last_stage or last_stage_name(self.backbone)
        modules = dict(self.backbone.named_modules())
        stage = modules.get(name)
        if not isinstance(stage, nn.Sequential) or name == '':
            raise ValueError(
                f'last_stage={name!r} is not an nn.Sequential of blocks in '
                f'{type(self.backbone).__name__}'
            )
        if branch_blocks > len(stage):
            raise ValueError(
                f'branch_blocks={branch_blocks} exceeds the {len(stage)} '
                f'blocks of {name!r}'
            )
        self._check_last_output(name)
        blocks = list(stage)
        parent_name, _, child = name.rpartition('.')
        parent = self.backbone.get_submodule(parent_name)
        setattr(parent, child, nn.Sequential(*blocks[:-branch_blocks]))
        conventional = nn.Sequential(*blocks[-branch_blocks:])
        rebalancing = copy.deepcopy(conventional)
        # own weights even where init_weights draws none (init_cfg None)
        reset_parameters(rebalancing)
        self.backbone.bbn_branches = nn.ModuleList([conventional, rebalancing])
        self.branch_blocks = branch_blocks
        self.last_stage = name
        #: The cumulative-learning weight of the conventional branch in
        #: training; ``CumulativeLearningHook`` sets it every epoch.
        self.alpha: Optional[float] = None

    def _check_last_output(self, name: str) -> None:
        out_indices = getattr(self.backbone, 'out_indices', None)
        if out_indices is None:
            return
        stage_names = (
            [f'stages.{i}' for i in range(len(self.backbone.stages))]
            if name.startswith('stages.')
            else list(getattr(self.backbone, 'res_layers', []))
        )
        if name in stage_names and max(out_indices) != stage_names.index(name):
            raise ValueError(
                f'the backbone must output its last stage ({name!r}): set '
                f'out_indices=({stage_names.index(name)},), got '
                f'{tuple(out_indices)}'
            )

    def branch_features(
        self, inputs: torch.Tensor, branch: int
    ) -> torch.Tensor:
        """The features of one branch (0 conventional, 1 re-balancing)."""
        shared = self.backbone(inputs)[-1]
        x = self.backbone.bbn_branches[branch](shared)
        return self.neck(x) if self.with_neck else x

    def extract_feat(
        self, inputs: torch.Tensor, stage: str = 'neck'
    ) -> Tuple[torch.Tensor, torch.Tensor]:
        """``(f_c, f_r)``: both branches' features of the same images."""
        if stage != 'neck':
            raise ValueError(
                f"BBNClassifier.extract_feat has stage='neck' only, got "
                f'{stage!r}'
            )
        shared = self.backbone(inputs)[-1]
        feats = tuple(branch(shared) for branch in self.backbone.bbn_branches)
        if self.with_neck:
            feats = tuple(self.neck(f) for f in feats)
        return feats

    def loss(
        self, inputs: torch.Tensor, data_samples: List[DataSample]
    ) -> dict:
        """The mixed loss of a batch of pairs: even positions conventional,
        odd positions re-balancing (``BilateralBranchSampler``'s order).

        Each half runs through the shared backbone on its own, as the
        paper's code does (BatchNorm statistics per branch batch).
        """
        if inputs.size(0) % 2:
            raise ValueError(
                f'a BBN training batch holds pairs, so its size must be '
                f'even, got {inputs.size(0)}: use an even batch_size with '
                "sampler=dict(type='BilateralBranchSampler')"
            )
        feats = (
            self.branch_features(inputs[0::2], 0),
            self.branch_features(inputs[1::2], 1),
        )
        return self.head.loss(
            feats,
            data_samples[0::2],
            alpha=self.alpha,
            rebalancing_samples=data_samples[1::2],
        )
