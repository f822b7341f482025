"""What a routed multi-expert model costs a sample, for
:class:`~mmlt.evaluation.ExpertUsageMetric`.

RIDE's router (:class:`~mmlt.models.ExpertRouterClsHead`) saves the
experts it does not consult. At the first batch of a validation or test
loop, the hook counts the multiply-accumulates of the backbone's shared
part and of one expert on that batch's image size (mmengine's
``FlopAnalyzer``, fvcore's convention: a multiply-accumulate is one
operation, convolutions and linear layers and batch norms counted), adds
an expert's cosine classifier and a router call, and hands the three to
the loop's ``ExpertUsageMetric``, which reports the mean per sample.
"""

import torch
from mmengine.analysis import FlopAnalyzer
from mmengine.hooks import Hook
from mmpretrain.registry import HOOKS

from ...utils import unwrap_model


def routed_costs(model, image_shape) -> dict:
    """Multiply-accumulates of ``shared`` (stem and shared stages), one
    ``expert`` (its stages and classifier) and one ``router`` call, for
    one image of ``image_shape`` (C, H, W).

    Args:
        model: An image classifier with a multi-expert backbone (its
            branches in ``backbone.experts``) and an
            ``ExpertRouterClsHead``.
        image_shape: The preprocessed image's (C, H, W).
    """
    backbone, head = model.backbone, model.head
    if not hasattr(backbone, 'experts') or not hasattr(head, 'router_fc'):
        raise ValueError(
            'ExpertCostHook needs a multi-expert backbone (its branches in '
            'backbone.experts, as MultiExpertCifarResNet) and an '
            f'ExpertRouterClsHead; got {type(backbone).__name__} and '
            f'{type(head).__name__}'
        )
    param = next(backbone.parameters())
    image = torch.zeros(
        1, *image_shape, dtype=param.dtype, device=param.device
    )
    analyzer = FlopAnalyzer(backbone, (image,))
    analyzer.unsupported_ops_warnings(False)
    analyzer.uncalled_modules_warnings(False)
    by_module = analyzer.by_module()
    experts = [by_module[f'experts.{i}'] for i in range(len(backbone.experts))]
    hidden = head.router_hidden[0]
    return dict(
        shared=analyzer.total() - sum(experts),
        expert=experts[0] + head.in_channels * head.num_classes,
        router=hidden.in_features * hidden.out_features
        + head.router_fc.in_features,
    )


@HOOKS.register_module()
class ExpertCostHook(Hook):
    """Gives each validation and test loop's ``ExpertUsageMetric`` the
    costs of :func:`routed_costs`, measured on the loop's first batch."""

    priority = 'LOW'

    def before_val_iter(self, runner, batch_idx, data_batch=None) -> None:
        self._measure(runner, runner.val_loop, batch_idx, data_batch)

    def before_test_iter(self, runner, batch_idx, data_batch=None) -> None:
        self._measure(runner, runner.test_loop, batch_idx, data_batch)

    def _measure(self, runner, loop, batch_idx, data_batch) -> None:
        metrics = [
            m
            for m in loop.evaluator.metrics
            if type(m).__name__ == 'ExpertUsageMetric'
        ]
        if batch_idx != 0 or not metrics:
            return
        model = unwrap_model(runner.model)
        with torch.no_grad():
            inputs = model.data_preprocessor(data_batch, False)['inputs']
            costs = routed_costs(model, tuple(inputs.shape[1:]))
        for metric in metrics:
            metric.costs = costs
