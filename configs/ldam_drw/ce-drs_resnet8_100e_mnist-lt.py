# Cross-entropy with deferred re-sampling (Cao et al.: plain sampling, then
# class-balanced from epoch 80 of 100) on MNIST-LT.
_base_ = ['../ce/ce_resnet8_100e_mnist-lt.py']

train_dataloader = dict(
    sampler=dict(_delete_=True, type='DeferredResampler', switch_epoch=80)
)
