# RIDE's teacher on CIFAR-100-LT (config_imbalance_cifar100_ride_teacher.json):
# 6 experts, no router, the 3-expert recipe otherwise. The distilled
# students (ride-distill_resnet32_200e_cifar100-lt.py) read its epoch_200.pth
# from work_dirs/ride-6experts_resnet32_200e_cifar100-lt/.
_base_ = ['./ride_resnet32_200e_cifar100-lt.py']

num_experts = 6
model = dict(
    backbone=dict(num_experts=num_experts),
    head=dict(num_experts=num_experts),
)
