# RIDE's 6-expert teacher on CIFAR-10-LT (the distilled student ride-
# distill_resnet32_200e_cifar10-lt.py reads its epoch_200.pth from
# work_dirs/ride-6experts_resnet32_200e_cifar10-lt/);
# ride_resnet32_200e_cifar10-lt.py otherwise.
_base_ = ['./ride_resnet32_200e_cifar10-lt.py']

num_experts = 6
model = dict(
    backbone=dict(num_experts=num_experts),
    head=dict(num_experts=num_experts),
)
