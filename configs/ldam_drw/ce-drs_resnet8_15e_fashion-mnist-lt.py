# Cross-entropy with deferred re-sampling (Cao et al.: plain sampling, then
# class-balanced from epoch 12 of 15) on Fashion-MNIST-LT (ratio 100), the CPU
# recipe (80% of training, as 80 of 100 on MNIST-LT and 160 of 200 on CIFAR).
_base_ = ['../ce/ce_resnet8_15e_fashion-mnist-lt.py']

train_dataloader = dict(
    sampler=dict(_delete_=True, type='DeferredResampler', switch_epoch=12)
)
