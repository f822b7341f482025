# LDAM-DRS (Cao et al.): LDAM with deferred re-sampling (class-balanced
# from epoch 80 of 100) on MNIST-LT.
_base_ = ['../reweighting/ldam_plain_mnist_lt.py']

train_dataloader = dict(
    sampler=dict(_delete_=True, type='DeferredResampler', switch_epoch=80)
)
