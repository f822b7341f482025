# Softmax equalization loss on CIFAR-10-LT (ratio 100), ResNet-32, the LDAM-DRW
# schedule (200 epochs): gamma 0.9, threshold 0.05 (Bag of Tricks' CIFAR-10-LT
# values).
_base_ = ['../ce/ce_resnet32_200e_cifar10-lt.py']

model = dict(
    head=dict(
        loss=dict(
            _delete_=True, type='SoftmaxEQLLoss', threshold=0.05, gamma=0.9
        )
    )
)
