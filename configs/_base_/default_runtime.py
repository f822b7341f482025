# Runtime shared by mmlt's recipes. Importing mmlt registers its components.
default_scope = 'mmpretrain'
custom_imports = dict(imports=['mmlt'], allow_failed_imports=False)

default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(type='CheckpointHook', interval=10, max_keep_ckpts=2),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    # every epoch's randomness from (seed, epoch): --resume is exact
    epoch_seed=dict(type='EpochSeedHook'),
    visualization=dict(type='VisualizationHook', enable=False),
    # on a CPU, torch's threads follow the cores other processes leave free
    cpu_threads=dict(type='CPUThreadsHook'),
    # drops mmengine's own FileClient deprecation notices from the log
    log_filter=dict(type='LogFilterHook'),
)
# Class counts come from the training set wherever a config leaves them out.
custom_hooks = [dict(type='SetClassCountsHook')]

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
