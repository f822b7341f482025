# Seesaw loss on iNaturalist 2018: the ResNet-50 cross-entropy recipe
# (../ce/ce_resnet50_90e_inat2018.py: 90 epochs, lr 0.2, cosine, batch 512,
# 8 GPUs) with mmpretrain's SeesawLoss (./_base_seesaw.py). Each GPU's loss
# counts the labels of its own batches.
_base_ = ['../ce/ce_resnet50_90e_inat2018.py', './_base_seesaw.py']

model = dict(head=dict(loss=dict(_base_.seesaw_loss, num_classes=8142)))
