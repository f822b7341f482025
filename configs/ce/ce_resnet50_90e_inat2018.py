# Decoupling stage 1 on iNaturalist 2018: ResNet-50 trained jointly with
# instance-balanced sampling and cross-entropy for 90 epochs (lr 0.2, cosine,
# weight decay 1e-4, batch 512). The paper's figures, not reproduced here:
# top-1 61.7 (many 72.2, medium 63.0, few 57.2).
_base_ = [
    '../_base_/models/resnet50_lt.py',
    '../_base_/datasets/inaturalist2018.py',
    '../_base_/schedules/decoupling_90e.py',
    '../_base_/default_runtime.py',
]

model = dict(head=dict(num_classes=8142))
optim_wrapper = dict(optimizer=dict(weight_decay=1e-4))
