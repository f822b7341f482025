# MiSLAS stage 2 on Fashion-MNIST-LT (CIFAR-10-LT's settings (10 classes),
# after the 200-epoch stage 1): ./_base_stage2.py.
#   mim train mmpretrain \
#       configs/mislas/mislas-stage1_resnet32_200e_fashion-mnist-lt.py \
#       --work-dir work_dirs/s1 &&
#   mim train mmpretrain \
#       configs/mislas/mislas-stage2_resnet32_10e_fashion-mnist-lt.py \
#       --cfg-options load_from=work_dirs/s1/epoch_200.pth
_base_ = [
    '../_base_/models/resnet32_cifar.py',
    '../_base_/datasets/fashion_mnist_lt.py',
    './_base_stage2.py',
]

model = dict(backbone=dict(in_channels=1), head=_base_.las_lws_head)
train_dataloader = dict(
    sampler=dict(_delete_=True, type='ClassBalancedSampler')
)
