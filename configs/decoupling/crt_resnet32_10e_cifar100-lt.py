# cRT (Kang et al.), stage 2 of decoupled training on CIFAR-100-LT: loads the
# stage-1 cross-entropy model (configs/ce_cifar100_lt.py), freezes its
# representation, re-initialises the linear classifier and re-trains it
# with class-balanced sampling.
#   mim train mmpretrain configs/ce_cifar100_lt.py --work-dir work_dirs/s1 &&
#   mim train mmpretrain configs/decoupling/crt_resnet32_10e_cifar100-lt.py \
#       --cfg-options load_from=work_dirs/s1/epoch_200.pth
_base_ = [
    '../_base_/models/resnet32_cifar.py',
    '../_base_/datasets/cifar100_lt.py',
    './_base_crt.py',
]

model = dict(head=dict(num_classes=100))
train_dataloader = dict(
    sampler=dict(_delete_=True, type='ClassBalancedSampler')
)
