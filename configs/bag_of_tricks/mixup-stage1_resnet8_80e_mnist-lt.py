# Bag of Tricks, stage 1 on MNIST-LT: input mixup (alpha = 1) with
# cross-entropy for the first 80 of 100 epochs. A stage 2
# (cam-*-stage2_resnet8_20e_mnist-lt.py, cb-stage2_resnet8_20e_mnist-lt.py)
# trains the rest, re-sampled and without mixup.
_base_ = ['../mixup/mixup_resnet8_100e_mnist-lt.py']

train_cfg = dict(max_epochs=80, val_interval=80)
