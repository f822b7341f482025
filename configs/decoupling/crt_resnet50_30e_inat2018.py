# Decoupling cRT on iNaturalist 2018: the stage-1 ResNet-50
# (ce_resnet50_90e_inat2018.py) frozen, the classifier re-initialised and re-
# trained for 30 epochs with class-balanced sampling (lr 0.2, cosine, weight
# decay 1e-4). The paper's cRT figure for iNaturalist is not quoted here
# (no readable source of it); LWS's and τ-norm's are in their configs.
#   mim train mmpretrain \
#       configs/ce/ce_resnet50_90e_inat2018.py \
#       --launcher pytorch --gpus 8 \
#       --work-dir work_dirs/s1
#   mim train mmpretrain \
#       configs/decoupling/crt_resnet50_30e_inat2018.py \
#       --launcher pytorch --gpus 8 \
#       --cfg-options load_from=work_dirs/s1/epoch_90.pth
_base_ = [
    '../_base_/models/resnet50_lt.py',
    '../_base_/datasets/inaturalist2018.py',
    './_base_crt.py',
]

model = dict(head=dict(num_classes=8142))
optim_wrapper = dict(optimizer=dict(lr=0.2, weight_decay=1e-4))
param_scheduler = [
    dict(type='CosineAnnealingLR', by_epoch=True, T_max=30, begin=0, end=30)
]
train_cfg = dict(max_epochs=30, val_interval=10)
auto_scale_lr = dict(base_batch_size=512)
train_dataloader = dict(
    sampler=dict(_delete_=True, type='ClassBalancedSampler')
)
