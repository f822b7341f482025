"""How many experts a routed multi-expert model consults a sample.

RIDE (`arXiv:2010.01809 <https://arxiv.org/abs/2010.01809>`_) reports its
router's saving as the mean number of experts a test sample uses (and the
computation that follows from it); :class:`~mmlt.models.ExpertRouterClsHead`
records the number for each predicted sample.
"""

from typing import Optional, Sequence

import numpy as np
from mmengine.evaluator import BaseMetric
from mmpretrain.registry import METRICS


def routed_macs(num_used: np.ndarray, num_experts: int, costs: dict):
    """Each sample's multiply-accumulates: the shared part, the experts it
    used and the routers it called (one after each expert but the last
    possible); ``costs`` as :func:`mmlt.engine.hooks.routed_costs`."""
    calls = np.minimum(num_used, num_experts - 1)
    return (
        costs['shared'] + num_used * costs['expert'] + calls * costs['router']
    )


@METRICS.register_module()
class ExpertUsageMetric(BaseMetric):
    """``experts_per_sample`` (the mean) and ``share_k`` (the percentage of
    samples that used ``k`` experts, k = 1 .. E) of the predictions'
    ``num_experts_used``; with the costs ``ExpertCostHook`` measures, also
    ``mmacs_per_sample`` (millions of multiply-accumulates a sample, the
    mean, as a model that runs only the experts it consults spends) and
    ``mmacs_all_experts`` (the same model without its routers).

    Args:
        collect_device (str): 'cpu' or 'gpu'. Defaults to 'cpu'.
        prefix (str, optional): Defaults to 'routing'.
    """

    default_prefix = 'routing'

    def __init__(
        self, collect_device: str = 'cpu', prefix: Optional[str] = None
    ) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        #: Set by ExpertCostHook: multiply-accumulates of the shared part,
        #: one expert and one router call.
        self.costs: Optional[dict] = None

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        for sample in data_samples:
            if 'num_experts_used' not in sample:
                raise ValueError(
                    'ExpertUsageMetric needs predictions with '
                    'num_experts_used, as ExpertRouterClsHead gives them; '
                    'this model head records none'
                )
            num_experts = len(sample['expert_logits'])
            self.results.append((int(sample['num_experts_used']), num_experts))

    def compute_metrics(self, results: list) -> dict:
        used, experts = (np.asarray(r) for r in zip(*results))
        metrics = {'experts_per_sample': float(used.mean())}
        num_experts = int(experts.max())
        for k in range(1, num_experts + 1):
            metrics[f'share_{k}'] = 100.0 * float((used == k).mean())
        if self.costs is not None:
            macs = routed_macs(used, num_experts, self.costs)
            metrics['mmacs_per_sample'] = float(macs.mean()) / 1e6
            every = self.costs['shared'] + num_experts * self.costs['expert']
            metrics['mmacs_all_experts'] = every / 1e6
        return metrics
