# CDT (class-dependent temperatures, gamma 0.2 as Bag of Tricks' CIFAR configs)
# on CIFAR-10-LT (ratio 100), ResNet-32, the LDAM-DRW schedule (200 epochs).
_base_ = ['../ce/ce_resnet32_200e_cifar10-lt.py']

model = dict(head=dict(loss=dict(_delete_=True, type='CDTLoss', gamma=0.2)))
