# LWS (Kang et al.), stage 2 of decoupled training on CIFAR-100-LT: as cRT
# (./crt_resnet32_10e_cifar100-lt.py), but the whole stage-1 model stays frozen
# and only one scale per class of the classifier's logits is learned.
#   mim train mmpretrain configs/ce_cifar100_lt.py --work-dir work_dirs/s1 &&
#   mim train mmpretrain configs/decoupling/lws_resnet32_10e_cifar100-lt.py \
#       --cfg-options load_from=work_dirs/s1/epoch_200.pth
_base_ = ['./crt_resnet32_10e_cifar100-lt.py', './_base_lws.py']

model = dict(head=_base_.lws_head)
custom_hooks = _base_.lws_hooks
