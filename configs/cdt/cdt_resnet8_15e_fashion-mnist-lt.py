# CDT (class-dependent temperatures, gamma 0.2 as Bag of Tricks' CIFAR configs)
# on Fashion-MNIST-LT (ratio 100), the CPU recipe (ResNet-8, 15 epochs).
_base_ = ['../ce/ce_resnet8_15e_fashion-mnist-lt.py']

model = dict(head=dict(loss=dict(_delete_=True, type='CDTLoss', gamma=0.2)))
