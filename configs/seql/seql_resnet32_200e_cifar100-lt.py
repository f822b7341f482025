# Softmax equalization loss on CIFAR-100-LT (ratio 100), ResNet-32, the LDAM-
# DRW schedule (200 epochs): gamma 0.9, threshold 0.005 (Bag of Tricks'
# CIFAR-100-LT values).
_base_ = ['../ce/ce_resnet32_200e_cifar100-lt.py']

model = dict(
    head=dict(
        loss=dict(
            _delete_=True, type='SoftmaxEQLLoss', threshold=0.005, gamma=0.9
        )
    )
)
