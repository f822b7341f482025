# Bag of Tricks, stage 1 on Fashion-MNIST-LT with the CIFAR-10-LT recipe:
# input mixup (alpha = 1) with cross-entropy for the first 160 of 200
# epochs. A stage 2 (cam-cb-stage2_resnet32_40e_fashion-mnist-lt.py,
# cb-stage2_resnet32_40e_fashion-mnist-lt.py) trains the rest, re-sampled
# and without mixup.
_base_ = ['../mixup/mixup_resnet32_200e_fashion-mnist-lt.py']

train_cfg = dict(max_epochs=160, val_interval=160)
