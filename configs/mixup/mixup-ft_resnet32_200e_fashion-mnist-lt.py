# Input mixup, then fine-tuning without it for the last 20 of 200 epochs (Bag
# of Tricks' stage 1), with cross-entropy on Fashion-MNIST-LT (ratio 100), the
# CIFAR-10-LT recipe.
_base_ = ['./mixup_resnet32_200e_fashion-mnist-lt.py']

custom_hooks = [dict(type='MixupFinetuneHook', num_last_epochs=20)]
