# RIDE's second stage, the expert-assignment router, on every data set
# (config_*_ride_ea.json): the stage-1 RIDE checkpoint loaded and frozen
# (batch-norm statistics included), the routers trained for 5 epochs with
# SGD (lr 0.01, Nesterov momentum 0.9, weight decay 5e-4, cosine decay),
# batch 512, class-balanced sampling. A data set's config is its model and
# data set pieces with this file, and sets the sampler, the batch and
# ExpertUsageMetric beside the accuracy:
#   _base_ = [ROUTER_MODEL, DATASET, './_base_router.py']
#   train_dataloader = dict(
#       batch_size=512,
#       sampler=dict(_delete_=True, type='ClassBalancedSampler'),
#   )
_base_ = ['../decoupling/_base_crt.py']

custom_hooks = [
    dict(
        type='ClassifierRetrainingHook',
        trainable=['head.router_hidden', 'head.router_fc'],
        reinit=False,
    ),
    # the multiply-accumulates a routed sample costs, in the metrics
    dict(type='ExpertCostHook'),
]
# a stage-1 MultiExpertClsHead checkpoint has no routers: they start from
# the official initialisation
load_partial = ['head.router_hidden', 'head.router_fc']
optim_wrapper = dict(optimizer=dict(lr=0.01, weight_decay=5e-4, nesterov=True))
param_scheduler = [
    dict(type='CosineAnnealingLR', by_epoch=True, T_max=5, begin=0, end=5)
]
train_cfg = dict(max_epochs=5, val_interval=5)
