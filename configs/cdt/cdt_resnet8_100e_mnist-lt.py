# CDT (class-dependent temperatures, gamma 0.2 as Bag of Tricks' CIFAR configs)
# on MNIST-LT (ratio 100), ResNet-8, 100 epochs.
_base_ = ['../ce/ce_resnet8_100e_mnist-lt.py']

model = dict(head=dict(loss=dict(_delete_=True, type='CDTLoss', gamma=0.2)))
