# LDAM without deferred re-weighting on MNIST-LT (for comparison with
# LDAM-DRW, ../ldam_mnist_lt.py).
_base_ = ['../ldam_mnist_lt.py']

custom_hooks = []
