# Softmax equalization loss on Fashion-MNIST-LT (ratio 100) with the
# CIFAR-10-LT recipe (ResNet-32, 200 epochs): gamma 0.9, threshold 0.05 (Bag of
# Tricks' CIFAR-10-LT values).
_base_ = ['../ce/ce_resnet32_200e_fashion-mnist-lt.py']

model = dict(
    head=dict(
        loss=dict(
            _delete_=True, type='SoftmaxEQLLoss', threshold=0.05, gamma=0.9
        )
    )
)
