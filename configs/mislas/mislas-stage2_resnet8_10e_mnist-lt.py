# MiSLAS stage 2 on MNIST-LT (CIFAR-10-LT's settings (10 classes), after MNIST-
# LT's 100-epoch stage 1): ./_base_stage2.py.
#   mim train mmpretrain \
#       configs/mislas/mislas-stage1_resnet8_100e_mnist-lt.py \
#       --work-dir work_dirs/s1 &&
#   mim train mmpretrain \
#       configs/mislas/mislas-stage2_resnet8_10e_mnist-lt.py \
#       --cfg-options load_from=work_dirs/s1/epoch_100.pth
_base_ = [
    '../_base_/models/resnet8_mnist.py',
    '../_base_/datasets/mnist_lt.py',
    './_base_stage2.py',
]

model = dict(head=_base_.las_lws_head)
train_dataloader = dict(
    sampler=dict(_delete_=True, type='ClassBalancedSampler')
)
