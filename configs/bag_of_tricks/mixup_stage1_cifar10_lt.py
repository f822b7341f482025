# Bag of Tricks, stage 1 on CIFAR-10-LT (ratio 100): input mixup (alpha = 1)
# with cross-entropy for the first 160 of 200 epochs. A stage 2
# (cam_*_stage2_cifar10_lt.py, cb_stage2_cifar10_lt.py) trains the rest, re-
# sampled and without mixup.
_base_ = ['../mixup/mixup_ce_cifar10_lt.py']

train_cfg = dict(max_epochs=160, val_interval=160)
