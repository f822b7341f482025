# LDAM without deferred re-weighting on Fashion-MNIST-LT (ratio 100), the
# CIFAR-10-LT recipe: LDAM-DRW (./ldam-drw_resnet32_200e_fashion-mnist-lt.py)
# with uniform class weights throughout.
_base_ = ['./ldam-drw_resnet32_200e_fashion-mnist-lt.py']

custom_hooks = []
