# Bag of Tricks, stage 1 on CIFAR-100-LT (ratio 100): input mixup (alpha = 1)
# with cross-entropy for the first 160 of 200 epochs. A stage 2
# (cam-*-stage2_resnet32_40e_cifar100-lt.py,
# cb-stage2_resnet32_40e_cifar100-lt.py) trains the rest, re-sampled and
# without mixup.
_base_ = ['../mixup/mixup_resnet32_200e_cifar100-lt.py']

train_cfg = dict(max_epochs=160, val_interval=160)
