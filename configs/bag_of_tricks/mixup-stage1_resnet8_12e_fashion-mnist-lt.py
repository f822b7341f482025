# Bag of Tricks, stage 1 on Fashion-MNIST-LT, the CPU recipe: input mixup
# (alpha = 1) with cross-entropy for the first 12 of 15 epochs (80%, as 80
# of 100 on MNIST-LT), up to the schedule's first lr drop. A stage 2
# (cam-cb-stage2_resnet8_3e_fashion-mnist-lt.py,
# cb-stage2_resnet8_3e_fashion-mnist-lt.py) trains the last 3, re-sampled
# and without mixup.
_base_ = ['../mixup/mixup_resnet8_15e_fashion-mnist-lt.py']

train_cfg = dict(max_epochs=12, val_interval=12)
