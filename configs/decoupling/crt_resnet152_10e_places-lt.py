# Decoupling cRT on Places-LT: the stage-1 ResNet-152
# (ce_resnet152_30e_places-lt.py) frozen, its classifier re-initialised and
# re-trained for 10 epochs with class-balanced sampling (lr 0.1, cosine,
# batch 256), as in the release's Places-LT cRT config. cRT's figures as
# AlphaNet's baseline table gives them (not marked there as the paper's),
# not reproduced here: top-1 36.7 (many 42.0, medium 37.6, few 24.9).
#   mim train mmpretrain configs/ce/ce_resnet152_30e_places-lt.py \
#       --launcher pytorch --gpus 8 --work-dir work_dirs/s1
#   mim train mmpretrain configs/decoupling/crt_resnet152_10e_places-lt.py \
#       --launcher pytorch --gpus 8 \
#       --cfg-options load_from=work_dirs/s1/epoch_30.pth
_base_ = [
    '../_base_/models/resnet152_lt.py',
    '../_base_/datasets/places_lt.py',
    './_base_crt.py',
]

model = dict(head=dict(num_classes=365))
train_dataloader = dict(
    batch_size=32, sampler=dict(_delete_=True, type='ClassBalancedSampler')
)
auto_scale_lr = dict(base_batch_size=256)
