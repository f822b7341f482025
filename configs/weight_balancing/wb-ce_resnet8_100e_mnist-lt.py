# Weight balancing, stage 1 on MNIST-LT: the MNIST-LT cross-entropy recipe
# (ResNet-8, batch 64, 100 epochs) with the paper's stage-1 optimizer:
# lr 0.01, weight decay 5e-3, cosine decay (./_base_wb.py).
# Both stages, one seed (README.md):
#   cd configs/weight_balancing && python ../../tools/benchmark.py \
#       wb-ce_resnet8_100e_mnist-lt.py+wb-cb-maxnorm_resnet8_10e_mnist-lt.py \
#       --seeds 0
_base_ = ['../ce/ce_resnet8_100e_mnist-lt.py', './_base_wb.py']

optim_wrapper = _base_.stage1_optim_wrapper
param_scheduler = [
    dict(type='CosineAnnealingLR', by_epoch=True, T_max=100, begin=0, end=100)
]
