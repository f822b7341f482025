# Softmax equalization loss on Fashion-MNIST-LT (ratio 100), the CPU recipe
# (ResNet-8, 15 epochs): gamma 0.9, threshold 0.05 (Bag of Tricks' CIFAR-10-LT
# values).
_base_ = ['../ce/ce_resnet8_15e_fashion-mnist-lt.py']

model = dict(
    head=dict(
        loss=dict(
            _delete_=True, type='SoftmaxEQLLoss', threshold=0.05, gamma=0.9
        )
    )
)
