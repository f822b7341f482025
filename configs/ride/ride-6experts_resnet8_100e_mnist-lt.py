# RIDE's 6-expert teacher (as ride-6experts_resnet32_200e_cifar100-lt.py) on
# the MNIST-LT recipe of ride_resnet8_100e_mnist-lt.py, for ride-
# distill_resnet8_100e_mnist-lt.py.
_base_ = ['./ride_resnet8_100e_mnist-lt.py']

num_experts = 6
model = dict(
    backbone=dict(num_experts=num_experts),
    head=dict(num_experts=num_experts),
)
