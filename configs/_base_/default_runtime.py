# Runtime shared by mmlt's recipes. Importing mmlt registers its components.
default_scope = 'mmpretrain'
custom_imports = dict(imports=['mmlt'], allow_failed_imports=False)
# one live run per work dir; --resume passes over torn checkpoints, never
# restarts from scratch silently (mmlt/engine/runner.py)
# (scoped: mmpretrain's tools build it from mmengine's root registry)
runner_type = 'mmpretrain.WorkDirGuardRunner'

default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(type='CheckpointHook', interval=10, max_keep_ckpts=2),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    # every epoch's randomness from (seed, epoch): --resume is exact
    epoch_seed=dict(type='EpochSeedHook'),
    visualization=dict(type='VisualizationHook', enable=False),
    # Class counts reach every loss, head and sampler that asks for them:
    # from the training set, or in a test-only run (`mim test`) from the
    # counts the evaluated split records. A default hook, so that a
    # config's own custom_hooks list adds to it instead of replacing it.
    class_counts=dict(type='SetClassCountsHook'),
    # the epoch and iteration reach the losses that change with them
    # (deferred CDT, IB's start, SEQL's per-step mask)
    train_step=dict(type='TrainStepHook'),
    # stops on a NaN/inf loss, gradient norm or weight, before checkpoints
    non_finite=dict(type='NonFiniteCheckHook'),
    # on a CPU, torch's threads follow the cores other processes leave free
    cpu_threads=dict(type='CPUThreadsHook'),
    # on a CPU, freed memory is kept for the next step, not faulted in anew
    cpu_allocator=dict(type='CPUAllocatorHook'),
    # on a CPU, convolutions run channels last, oneDNN's faster kernels
    channels_last=dict(type='ChannelsLastHook'),
    # the logged scalars' histories append without copying themselves
    growing_history=dict(type='GrowingHistoryHook'),
    # drops mmengine's own FileClient deprecation notices from the log
    log_filter=dict(type='LogFilterHook'),
)

env_cfg = dict(
    cudnn_benchmark=False,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    dist_cfg=dict(backend='nccl'),
)
vis_backends = [dict(type='LocalVisBackend')]
visualizer = dict(type='UniversalVisualizer', vis_backends=vis_backends)
log_level = 'INFO'
load_from = None
resume = False
randomness = dict(seed=0, deterministic=False)
