# LWS (Kang et al.), stage 2 of decoupled training on Fashion-MNIST-LT with
# the CIFAR-10-LT recipe: as cRT (./crt_resnet32_10e_fashion-mnist-lt.py),
# but the whole stage-1 model stays frozen and only one scale per class of
# the classifier's logits is learned.
#   mim train mmpretrain configs/ce/ce_resnet32_200e_fashion-mnist-lt.py \
#       --work-dir work_dirs/s1 &&
#   mim train mmpretrain \
#       configs/decoupling/lws_resnet32_10e_fashion-mnist-lt.py \
#       --cfg-options load_from=work_dirs/s1/epoch_200.pth
_base_ = ['./crt_resnet32_10e_fashion-mnist-lt.py', './_base_lws.py']

model = dict(head=_base_.lws_head)
custom_hooks = _base_.lws_hooks
