# Decoupling cRT on ImageNet-LT: the stage-1 ResNeXt-50
# (ce_resnext50_90e_imagenet-lt.py) frozen, its linear classifier
# re-initialised and re-trained for 10 epochs with class-balanced sampling (lr
# 0.2, cosine). Paper, not reproduced here: top-1 49.6 (many 61.8, medium 46.2,
# few 27.4).
#   mim train mmpretrain \
#       configs/ce/ce_resnext50_90e_imagenet-lt.py \
#       --launcher pytorch --gpus 8 \
#       --work-dir work_dirs/s1
#   mim train mmpretrain \
#       configs/decoupling/crt_resnext50_10e_imagenet-lt.py \
#       --launcher pytorch --gpus 8 \
#       --cfg-options load_from=work_dirs/s1/epoch_90.pth
_base_ = [
    '../_base_/models/resnext50_32x4d_lt.py',
    '../_base_/datasets/imagenet_lt.py',
    './_base_crt.py',
]

optim_wrapper = dict(optimizer=dict(lr=0.2))
auto_scale_lr = dict(base_batch_size=512)
train_dataloader = dict(
    sampler=dict(_delete_=True, type='ClassBalancedSampler')
)
