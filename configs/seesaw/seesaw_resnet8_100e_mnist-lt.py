# Seesaw loss on MNIST-LT: the MNIST-LT cross-entropy recipe (ResNet-8,
# batch 64, 100 epochs) with mmpretrain's SeesawLoss (./_base_seesaw.py).
_base_ = ['../ce/ce_resnet8_100e_mnist-lt.py', './_base_seesaw.py']

model = dict(head=dict(loss=dict(_base_.seesaw_loss, num_classes=10)))
