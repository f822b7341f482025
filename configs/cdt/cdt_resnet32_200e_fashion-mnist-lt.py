# CDT (class-dependent temperatures, gamma 0.2 as Bag of Tricks' CIFAR configs)
# on Fashion-MNIST-LT (ratio 100) with the CIFAR-10-LT recipe (ResNet-32, 200
# epochs).
_base_ = ['../ce/ce_resnet32_200e_fashion-mnist-lt.py']

model = dict(head=dict(loss=dict(_delete_=True, type='CDTLoss', gamma=0.2)))
