# LDAM-DRW on MNIST-LT from a config of one's own: copy this file anywhere
# (it names nothing in mmlt's tree) and run
#     mim train mmpretrain ldam_mnist_lt_own.py
#     mim test mmpretrain ldam_mnist_lt_own.py --checkpoint \
#         work_dirs/ldam_mnist_lt_own/epoch_30.pth
# tests/test_own_config.py does exactly that, outside the repository.
# It inherits mmpretrain's stock runtime only, so it names the pieces that
# mmlt's runtime (configs/_base_/default_runtime.py) would bring.
_base_ = ['mmpretrain::_base_/default_runtime.py']
custom_imports = dict(imports=['mmlt'], allow_failed_imports=False)

# --- what a stock runtime lacks -----------------------------------------
# one live run per work dir; --resume from the newest whole checkpoint
runner_type = 'mmpretrain.WorkDirGuardRunner'
default_hooks = dict(
    # training class counts -> LDAM's margins, DRW's weights, shot groups
    class_counts=dict(type='SetClassCountsHook'),
    # every epoch's randomness from (seed, epoch), so --resume is exact
    epoch_seed=dict(type='EpochSeedHook'),
    # the epoch and iteration reach the losses that change with them
    train_step=dict(type='TrainStepHook'),
    # stops at the first NaN/inf loss, gradient norm or weight
    non_finite=dict(type='NonFiniteCheckHook'),
    # on a busy CPU, the faster of 1 thread and torch's default
    cpu_threads=dict(type='CPUThreadsHook'),
    # on a CPU, freed memory kept for the next step
    cpu_allocator=dict(type='CPUAllocatorHook'),
    # on a CPU, convolutions run channels last, a faster path
    channels_last=dict(type='ChannelsLastHook'),
    # the logged scalars' histories append without copying themselves
    growing_history=dict(type='GrowingHistoryHook'),
    # drops mmengine's own FileClient deprecation notices
    log_filter=dict(type='LogFilterHook'),
    logger=dict(interval=10),
    checkpoint=dict(interval=10, max_keep_ckpts=1),
)
randomness = dict(seed=0)

# --- the method ---------------------------------------------------------
model = dict(
    type='ImageClassifier',
    backbone=dict(type='CifarResNet', depth=8, in_channels=1),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LDAMHead',
        num_classes=10,
        in_channels=64,
        loss=dict(type='LDAMLoss', max_m=0.5, s=30),
    ),
)
# class-balanced weights from epoch 24 on (deferred re-weighting)
custom_hooks = [dict(type='DRWHook', drw_epoch=24, beta=0.9999)]

# --- the data: 988 real digits, 400 ... 4 a class (ratio 100) -----------
data_preprocessor = dict(num_classes=10, mean=[33.32], std=[78.57])
mnist_lt = dict(type='MNISTLT', imb_factor=0.01)
train_dataloader = dict(
    batch_size=64,
    num_workers=0,
    persistent_workers=False,  # none with num_workers=0
    dataset=dict(
        **mnist_lt,
        split='train',
        pipeline=[
            dict(type='RandomCrop', crop_size=28, padding=2),
            dict(type='PackInputs'),
        ],
    ),
    sampler=dict(type='DefaultSampler', shuffle=True),
)
val_dataloader = dict(
    batch_size=500,
    num_workers=0,
    persistent_workers=False,  # none with num_workers=0
    dataset=dict(**mnist_lt, split='test', pipeline=[dict(type='PackInputs')]),
    sampler=dict(type='DefaultSampler', shuffle=False),
)
# top-1, class mean and many / medium / few-shot accuracy
val_evaluator = dict(type='LongTailAccuracy')
test_dataloader = val_dataloader
test_evaluator = val_evaluator

# --- the schedule: LDAM-DRW's, in 30 epochs ------------------------------
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=2e-4)
)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.2, by_epoch=True, begin=0, end=5),
    dict(type='MultiStepLR', by_epoch=True, milestones=[24, 27], gamma=0.01),
]
train_cfg = dict(by_epoch=True, max_epochs=30, val_interval=30)
val_cfg = dict()
test_cfg = dict()
