# Seesaw loss on Fashion-MNIST-LT (ratio 100) with the CIFAR-10-LT recipe
# (../ce/ce_resnet32_200e_fashion-mnist-lt.py: ResNet-32, batch 128, 200
# epochs; sized for a GPU) and mmpretrain's SeesawLoss (./_base_seesaw.py).
_base_ = ['../ce/ce_resnet32_200e_fashion-mnist-lt.py', './_base_seesaw.py']

model = dict(head=dict(loss=dict(_base_.seesaw_loss, num_classes=10)))
