# Remix (alpha 1, kappa 3, tau 0.5, Bag of Tricks' values): mixup whose label
# goes wholly to the rarer class of a pair, per sample, with cross-entropy.
_base_ = ['../ce/ce_resnet8_15e_fashion-mnist-lt.py']

model = dict(
    train_cfg=dict(augments=dict(type='Remix', alpha=1.0, kappa=3.0, tau=0.5))
)
