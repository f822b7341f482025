# Class-balanced re-sampling without CAM, stage 2 on MNIST-LT:
# cam-cb-stage2_resnet8_20e_mnist-lt.py on the plain training set, whose
# re-drawn images are repeats (the ablation of CAM).
#   mim train mmpretrain \
#       configs/bag_of_tricks/mixup-stage1_resnet8_80e_mnist-lt.py \
#       --work-dir work_dirs/s1
#   mim train mmpretrain \
#       configs/bag_of_tricks/cb-stage2_resnet8_20e_mnist-lt.py \
#       --cfg-options load_from=work_dirs/s1/epoch_80.pth
_base_ = [
    '../_base_/models/resnet8_mnist.py',
    '../_base_/datasets/mnist_lt.py',
    '../_base_/schedules/drs_stage2_20e.py',
    '../_base_/default_runtime.py',
]

train_dataloader = dict(
    sampler=dict(_delete_=True, type='ClassBalancedSampler')
)
