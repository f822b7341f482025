# MiSLAS stage 2 on CIFAR-10-LT (MiSLAS's
# config/cifar10/cifar10_imb001_stage2_mislas.yaml): ./_base_stage2.py.
#   mim train mmpretrain \
#       configs/mislas/mislas-stage1_resnet32_200e_cifar10-lt.py \
#       --work-dir work_dirs/s1 &&
#   mim train mmpretrain \
#       configs/mislas/mislas-stage2_resnet32_10e_cifar10-lt.py \
#       --cfg-options load_from=work_dirs/s1/epoch_200.pth
_base_ = [
    '../_base_/models/resnet32_cifar.py',
    '../_base_/datasets/cifar10_lt.py',
    './_base_stage2.py',
]

model = dict(head=_base_.las_lws_head)
train_dataloader = dict(
    sampler=dict(_delete_=True, type='ClassBalancedSampler')
)
