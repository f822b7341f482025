# cRT (Kang et al.), stage 2 of decoupled training on Fashion-MNIST-LT with
# the CIFAR-10-LT recipe (./crt_resnet32_10e_cifar10-lt.py): loads the
# stage-1 cross-entropy model (ce/ce_resnet32_200e_fashion-mnist-lt.py),
# freezes its representation, re-initialises the linear classifier and
# re-trains it with class-balanced sampling.
#   mim train mmpretrain configs/ce/ce_resnet32_200e_fashion-mnist-lt.py \
#       --work-dir work_dirs/s1 &&
#   mim train mmpretrain \
#       configs/decoupling/crt_resnet32_10e_fashion-mnist-lt.py \
#       --cfg-options load_from=work_dirs/s1/epoch_200.pth
_base_ = [
    '../_base_/models/resnet32_cifar.py',
    '../_base_/datasets/fashion_mnist_lt.py',
    './_base_crt.py',
]

model = dict(backbone=dict(in_channels=1))
train_dataloader = dict(
    sampler=dict(_delete_=True, type='ClassBalancedSampler')
)
