# LDAM-DRS (Cao et al.): LDAM with deferred re-sampling (class-balanced
# from epoch 160 of 200) on CIFAR-100-LT (ratio 100).
_base_ = ['../reweighting/ldam_plain_cifar100_lt.py']

train_dataloader = dict(
    sampler=dict(_delete_=True, type='DeferredResampler', switch_epoch=160)
)
