# LDAM-DRS (Cao et al.): LDAM with deferred re-sampling (class-balanced
# from epoch 160 of 200) on CIFAR-100-LT (ratio 100).
_base_ = ['./ldam_resnet32_200e_cifar100-lt.py']

train_dataloader = dict(
    sampler=dict(_delete_=True, type='DeferredResampler', switch_epoch=160)
)
