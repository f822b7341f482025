# GHM-C (bins 10, momentum 0.75) on MNIST-LT.
_base_ = ['../ce/ce_resnet8_100e_mnist-lt.py']

model = dict(
    head=dict(
        loss=dict(_delete_=True, type='GHMCLoss', bins=10, momentum=0.75)
    )
)
