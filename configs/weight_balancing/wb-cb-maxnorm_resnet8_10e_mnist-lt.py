# Weight balancing, stage 2 on MNIST-LT: the stage-1 model
# (./wb-ce_resnet8_100e_mnist-lt.py) frozen but its classifier, which is
# fine-tuned for 10 epochs (as the decoupling MNIST-LT stage 2) with
# class-balanced cross-entropy, weight decay 0.1 and MaxNorm (./_base_wb.py).
#   mim train mmpretrain \
#       configs/weight_balancing/wb-ce_resnet8_100e_mnist-lt.py \
#       --work-dir work_dirs/s1 &&
#   mim train mmpretrain \
#       configs/weight_balancing/wb-cb-maxnorm_resnet8_10e_mnist-lt.py \
#       --cfg-options load_from=work_dirs/s1/epoch_100.pth
_base_ = [
    '../_base_/models/resnet8_mnist.py',
    '../_base_/datasets/mnist_lt.py',
    './_base_wb_stage2.py',
]

model = dict(head=dict(loss=_base_.stage2_loss))
