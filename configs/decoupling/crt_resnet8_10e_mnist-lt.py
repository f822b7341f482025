# cRT (Kang et al.), stage 2 of decoupled training on MNIST-LT: loads the
# stage-1 cross-entropy model (configs/ce_mnist_lt.py), freezes its
# representation, re-initialises the linear classifier and re-trains it
# with class-balanced sampling.
#   mim train mmpretrain configs/ce_mnist_lt.py --work-dir work_dirs/s1 &&
#   mim train mmpretrain configs/decoupling/crt_resnet8_10e_mnist-lt.py \
#       --cfg-options load_from=work_dirs/s1/epoch_100.pth
_base_ = [
    '../_base_/models/resnet8_mnist.py',
    '../_base_/datasets/mnist_lt.py',
    './_base_crt.py',
]

train_dataloader = dict(
    sampler=dict(_delete_=True, type='ClassBalancedSampler')
)
