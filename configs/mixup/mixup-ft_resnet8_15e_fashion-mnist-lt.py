# Input mixup, then fine-tuning without it for the last 1 of 15 epochs (Bag of
# Tricks' stage 1), with cross-entropy on Fashion-MNIST-LT (ratio 100), the CPU
# recipe. 10% of 15 epochs is 1.5 (MNIST-LT: 10 of 100): 1 keeps the
# fine-tuning to the schedule's last lr phase (x 0.0001, from epoch 14), as on
# MNIST-LT (90-100) and CIFAR (180-200).
_base_ = ['./mixup_resnet8_15e_fashion-mnist-lt.py']

custom_hooks = [dict(type='MixupFinetuneHook', num_last_epochs=1)]
