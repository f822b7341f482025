# RIDE's 6-expert teacher (as ride-6experts_resnet32_200e_cifar100-lt.py) on
# the Fashion-MNIST-LT CPU recipe of ride_resnet8_15e_fashion-mnist-lt.py, for
# ride-distill_resnet8_15e_fashion-mnist-lt.py.
_base_ = ['./ride_resnet8_15e_fashion-mnist-lt.py']

num_experts = 6
model = dict(
    backbone=dict(num_experts=num_experts),
    head=dict(num_experts=num_experts),
)
