# Weight balancing, stage 2 on iNaturalist 2018: the stage-1 ResNet-50
# (./wb-ce_resnet50_90e_inat2018.py) frozen, its classifier fine-tuned for
# 10 epochs with the release's CIFAR-LT stage-2 settings (./_base_wb.py:
# class-balanced cross-entropy, lr 0.01, weight decay 0.1, MaxNorm with
# relative threshold 0.1), batch 512 on 8 GPUs; not tuned for iNaturalist.
#   --cfg-options load_from=work_dirs/s1/epoch_90.pth
_base_ = [
    '../_base_/models/resnet50_lt.py',
    '../_base_/datasets/inaturalist2018.py',
    './_base_wb_stage2.py',
]

model = dict(head=dict(num_classes=8142, loss=_base_.stage2_loss))
auto_scale_lr = dict(base_batch_size=512)
