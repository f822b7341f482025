# LDAM without deferred re-weighting on MNIST-LT (for comparison with
# LDAM-DRW, ../ldam_mnist_lt.py).
_base_ = ['./ldam-drw_resnet8_100e_mnist-lt.py']

custom_hooks = []
