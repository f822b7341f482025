# cRT (Kang et al.), stage 2 of decoupled training on CIFAR-10-LT: loads the
# stage-1 cross-entropy model (configs/ce_cifar10_lt.py), freezes its
# representation, re-initialises the linear classifier and re-trains it
# with class-balanced sampling.
#   mim train mmpretrain configs/ce_cifar10_lt.py --work-dir work_dirs/s1 &&
#   mim train mmpretrain configs/decoupling/crt_resnet32_10e_cifar10-lt.py \
#       --cfg-options load_from=work_dirs/s1/epoch_200.pth
_base_ = [
    '../_base_/models/resnet32_cifar.py',
    '../_base_/datasets/cifar10_lt.py',
    './_base_crt.py',
]

model = dict(head=dict(num_classes=10))
train_dataloader = dict(
    sampler=dict(_delete_=True, type='ClassBalancedSampler')
)
