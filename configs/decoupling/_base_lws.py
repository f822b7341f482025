# LWS (learnable weight scaling, Kang et al.), stage 2 on every data set:
# cRT's class-balanced sampling on the frozen stage-1 model, but the
# classifier is kept and only one scale per class of its logits learns.
# A data set's LWS config is its cRT config with these:
#   _base_ = ['./crt_resnet8_10e_mnist-lt.py', './_base_lws.py']
#   model = dict(head=_base_.lws_head)
#   custom_hooks = _base_.lws_hooks
lws_head = dict(type='LWSLinearClsHead')
lws_hooks = [
    dict(
        type='ClassifierRetrainingHook',
        trainable=['head.scales'],
        reinit=False,
    )
]
# a stage-1 LinearClsHead checkpoint has no scales: they start at 1
load_partial = ['head.scales']

# The Decoupling release trains LWS for 5 epochs (cosine decay) on
# ImageNet-LT, iNaturalist 2018 and Places-LT.
lws_5e_param_scheduler = [
    dict(type='CosineAnnealingLR', by_epoch=True, T_max=5, begin=0, end=5)
]
lws_5e_train_cfg = dict(max_epochs=5, val_interval=5)
