from .channels_last_hook import ChannelsLastHook
from .class_centroids_hook import ClassCentroidsHook, class_means
from .class_counts_hook import SetClassCountsHook
from .classifier_retraining_hook import ClassifierRetrainingHook
from .cpu_allocator_hook import CPUAllocatorHook, keep_freed_memory
from .cpu_threads_hook import CPUThreadsHook
from .cumulative_learning_hook import (
    CumulativeLearningHook,
    cumulative_alpha,
)
from .drw_hook import DRWHook
from .epoch_seed_hook import EpochSeedHook, epoch_seed, seed_worker_by_epoch
from .expert_cost_hook import ExpertCostHook, routed_costs
from .growing_history_hook import GrowingHistoryHook
from .lfme_hook import LFMEHook
from .log_filter_hook import LogFilterHook
from .max_norm_hook import MaxNormHook, project_max_norm_
from .mixup_finetune_hook import MixupFinetuneHook
from .non_finite_hook import NonFiniteCheckHook
from .test_time_aggregation_hook import TestTimeAggregationHook
from .train_step_hook import TrainStepHook

__all__ = [
    'CPUAllocatorHook',
    'CPUThreadsHook',
    'ChannelsLastHook',
    'ClassCentroidsHook',
    'ClassifierRetrainingHook',
    'CumulativeLearningHook',
    'DRWHook',
    'EpochSeedHook',
    'ExpertCostHook',
    'GrowingHistoryHook',
    'LFMEHook',
    'LogFilterHook',
    'MaxNormHook',
    'MixupFinetuneHook',
    'NonFiniteCheckHook',
    'SetClassCountsHook',
    'TestTimeAggregationHook',
    'TrainStepHook',
    'class_means',
    'cumulative_alpha',
    'keep_freed_memory',
    'epoch_seed',
    'project_max_norm_',
    'routed_costs',
    'seed_worker_by_epoch',
]
