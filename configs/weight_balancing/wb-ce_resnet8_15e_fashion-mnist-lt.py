# Weight balancing, stage 1 on Fashion-MNIST-LT (ratio 100), the CPU
# recipe: the CE CPU recipe (ResNet-8, batch 128, 15 epochs, lr 0.1;
# ../ce/ce_resnet8_15e_fashion-mnist-lt.py) with the release's raised weight
# decay, 5e-3. As on MNIST-LT, its lr 0.01 would undertrain in
# 1,755 iterations (./README.md).
_base_ = ['../ce/ce_resnet8_15e_fashion-mnist-lt.py', './_base_wb.py']

optim_wrapper = dict(optimizer=dict(weight_decay=5e-3))
