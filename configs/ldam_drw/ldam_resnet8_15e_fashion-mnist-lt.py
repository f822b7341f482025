# LDAM without deferred re-weighting on Fashion-MNIST-LT (ratio 100), the CPU
# recipe: LDAM-DRW (./ldam-drw_resnet8_15e_fashion-mnist-lt.py) with uniform
# class weights throughout.
_base_ = ['./ldam-drw_resnet8_15e_fashion-mnist-lt.py']

custom_hooks = []
