# Class-balanced re-sampling without CAM, stage 2 on CIFAR-100-LT (ratio 100):
# cam-cb-stage2_resnet32_40e_cifar100-lt.py on the plain training set, whose
# re-drawn images are repeats (the ablation of CAM).
#   mim train mmpretrain \
#       configs/bag_of_tricks/mixup-stage1_resnet32_160e_cifar100-lt.py \
#       --work-dir work_dirs/s1
#   mim train mmpretrain \
#       configs/bag_of_tricks/cb-stage2_resnet32_40e_cifar100-lt.py \
#       --cfg-options load_from=work_dirs/s1/epoch_160.pth
_base_ = [
    '../_base_/models/resnet32_cifar.py',
    '../_base_/datasets/cifar100_lt.py',
    '../_base_/schedules/drs_stage2_40e.py',
    '../_base_/default_runtime.py',
]

model = dict(head=dict(num_classes=100))

train_dataloader = dict(
    sampler=dict(_delete_=True, type='ClassBalancedSampler')
)
