# Seesaw loss on CIFAR-10-LT (ratio 100): the LDAM-DRW reference recipe's
# cross-entropy config (ResNet-32, batch 128, 200 epochs) with mmpretrain's
# SeesawLoss (./_base_seesaw.py). The Seesaw paper reports no CIFAR figure.
_base_ = ['../ce/ce_resnet32_200e_cifar10-lt.py', './_base_seesaw.py']

model = dict(head=dict(loss=dict(_base_.seesaw_loss, num_classes=10)))
