# Softmax equalization loss on MNIST-LT (ratio 100), ResNet-8, 100 epochs:
# gamma 0.9, threshold 0.05 (Bag of Tricks' CIFAR-10-LT values).
_base_ = ['../ce/ce_resnet8_100e_mnist-lt.py']

model = dict(
    head=dict(
        loss=dict(
            _delete_=True, type='SoftmaxEQLLoss', threshold=0.05, gamma=0.9
        )
    )
)
