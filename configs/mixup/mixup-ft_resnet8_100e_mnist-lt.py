# Input mixup, then fine-tuning without it for the last 10 of 100 epochs
# (Bag of Tricks' stage 1), with cross-entropy on MNIST-LT.
_base_ = ['./mixup_resnet8_100e_mnist-lt.py']

custom_hooks = [dict(type='MixupFinetuneHook', num_last_epochs=10)]
