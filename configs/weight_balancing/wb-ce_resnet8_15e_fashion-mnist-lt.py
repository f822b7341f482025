# Weight balancing, stage 1 on Fashion-MNIST-LT (ratio 100), the CPU
# recipe: ResNet-8, batch 128, 15 epochs (../ce/ce_resnet8_15e_fashion-
# mnist-lt.py) with the paper's stage-1 optimizer: lr 0.01, weight decay
# 5e-3, cosine decay (./_base_wb.py).
_base_ = ['../ce/ce_resnet8_15e_fashion-mnist-lt.py', './_base_wb.py']

optim_wrapper = _base_.stage1_optim_wrapper
param_scheduler = [
    dict(type='CosineAnnealingLR', by_epoch=True, T_max=15, begin=0, end=15)
]
