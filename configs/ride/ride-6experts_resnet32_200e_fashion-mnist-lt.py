# RIDE's 6-expert teacher on Fashion-MNIST-LT (the distilled student ride-
# distill_resnet32_200e_fashion-mnist-lt.py reads its epoch_200.pth from
# work_dirs/ride-6experts_resnet32_200e_fashion-mnist-lt/);
# ride_resnet32_200e_fashion-mnist-lt.py otherwise.
_base_ = ['./ride_resnet32_200e_fashion-mnist-lt.py']

num_experts = 6
model = dict(
    backbone=dict(num_experts=num_experts),
    head=dict(num_experts=num_experts),
)
