# Class-balanced re-sampling without CAM, stage 2 on Fashion-MNIST-LT with the
# CIFAR-10-LT recipe: cam-cb-stage2_resnet32_40e_fashion-mnist-lt.py on the
# plain training set, whose re-drawn images are repeats (the ablation of CAM).
#   mim train mmpretrain \
#       configs/bag_of_tricks/mixup-stage1_resnet32_160e_fashion-mnist-lt.py \
#       --work-dir work_dirs/s1
#   mim train mmpretrain \
#       configs/bag_of_tricks/cb-stage2_resnet32_40e_fashion-mnist-lt.py \
#       --cfg-options load_from=work_dirs/s1/epoch_160.pth
_base_ = [
    '../_base_/models/resnet32_cifar.py',
    '../_base_/datasets/fashion_mnist_lt.py',
    '../_base_/schedules/drs_stage2_40e.py',
    '../_base_/default_runtime.py',
]

model = dict(backbone=dict(in_channels=1))
train_dataloader = dict(
    sampler=dict(_delete_=True, type='ClassBalancedSampler')
)
