# MiSLAS stage 2 (dvlab-research/MiSLAS train_stage2.py), shared by every data
# set's stage-2 config: the stage-1 mixup model loaded and frozen, its
# classifier kept and trained with a learnable scale per class (LWS) under
# label-aware smoothing, class-balanced sampling, 10 epochs of cosine decay
# from lr 0.1 (the decoupled stage-2 schedule), weight decay 2e-4. These are
# CIFAR-10-LT's settings (config/cifar10/cifar10_imb001_stage2_mislas.yaml:
# smoothing 0.3 / 0.0, lr_factor 0.5, BatchNorm statistics frozen). A data
# set's config is its model and data set pieces with this file:
#   _base_ = [MODEL, DATASET, './_base_stage2.py']
#   model = dict(head=_base_.las_lws_head)
#   train_dataloader = dict(
#       sampler=dict(_delete_=True, type='ClassBalancedSampler')
#   )
_base_ = ['../decoupling/_base_crt.py']

las_lws_head = dict(
    type='LWSLinearClsHead',
    loss=dict(
        _delete_=True,
        type='LabelAwareSmoothingLoss',
        smooth_head=0.3,
        smooth_tail=0.0,
        shape='concave',
    ),
)
# the whole head trains (the classifier is not re-initialised); the frozen
# BatchNorm layers keep their stage-1 statistics (shift_bn: False)
custom_hooks = [
    dict(
        type='ClassifierRetrainingHook',
        trainable=['head'],
        reinit=False,
        update_norm_statistics=False,
    )
]
# a stage-1 LinearClsHead checkpoint has no scales: they start at 1
load_partial = ['head.scales']
# the classifier at lr_factor of the scales' learning rate
optim_wrapper = dict(
    optimizer=dict(weight_decay=2e-4),
    paramwise_cfg=dict(custom_keys={'head.fc': dict(lr_mult=0.5)}),
)
