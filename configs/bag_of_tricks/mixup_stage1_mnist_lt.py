# Bag of Tricks, stage 1 on MNIST-LT: input mixup (alpha = 1) with cross-
# entropy for the first 80 of 100 epochs. A stage 2
# (cam_*_stage2_mnist_lt.py, cb_stage2_mnist_lt.py) trains the rest, re-
# sampled and without mixup.
_base_ = ['../mixup/mixup_ce_mnist_lt.py']

train_cfg = dict(max_epochs=80, val_interval=80)
