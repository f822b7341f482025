# Seesaw loss on Fashion-MNIST-LT (ratio 100), the CPU recipe: ResNet-8,
# 15 epochs (../ce/ce_resnet8_15e_fashion-mnist-lt.py) with mmpretrain's
# SeesawLoss (./_base_seesaw.py).
_base_ = ['../ce/ce_resnet8_15e_fashion-mnist-lt.py', './_base_seesaw.py']

model = dict(head=dict(loss=dict(_base_.seesaw_loss, num_classes=10)))
