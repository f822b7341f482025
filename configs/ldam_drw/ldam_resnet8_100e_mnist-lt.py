# LDAM without deferred re-weighting on MNIST-LT: LDAM-DRW
# (./ldam-drw_resnet8_100e_mnist-lt.py) with uniform class weights throughout.
_base_ = ['./ldam-drw_resnet8_100e_mnist-lt.py']

custom_hooks = []
