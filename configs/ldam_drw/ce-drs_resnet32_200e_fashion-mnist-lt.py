# Cross-entropy with deferred re-sampling (Cao et al.: plain sampling, then
# class-balanced from epoch 160 of 200) on Fashion-MNIST-LT (ratio 100), the
# CIFAR-10-LT recipe.
_base_ = ['../ce/ce_resnet32_200e_fashion-mnist-lt.py']

train_dataloader = dict(
    sampler=dict(_delete_=True, type='DeferredResampler', switch_epoch=160)
)
