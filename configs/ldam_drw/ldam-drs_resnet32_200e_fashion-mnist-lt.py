# LDAM-DRS (Cao et al.): LDAM with deferred re-sampling (class-balanced from
# epoch 160 of 200) on Fashion-MNIST-LT (ratio 100), the CIFAR-10-LT recipe.
_base_ = ['./ldam_resnet32_200e_fashion-mnist-lt.py']

train_dataloader = dict(
    sampler=dict(_delete_=True, type='DeferredResampler', switch_epoch=160)
)
