# RIDE with 4 experts on CIFAR-100-LT (ratio 100); otherwise the official
# 3-expert recipe.
_base_ = ['./ride_resnet32_200e_cifar100-lt.py']

num_experts = 4
model = dict(
    backbone=dict(num_experts=num_experts),
    head=dict(num_experts=num_experts),
)
