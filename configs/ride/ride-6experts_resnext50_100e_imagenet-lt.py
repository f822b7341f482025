# RIDE's 6-expert teacher on ImageNet-LT (the distilled student ride-
# distill_resnext50_100e_imagenet-lt.py reads its epoch_100.pth from
# work_dirs/ride-6experts_resnext50_100e_imagenet-lt/);
# ride_resnext50_100e_imagenet-lt.py otherwise.
_base_ = ['./ride_resnext50_100e_imagenet-lt.py']

num_experts = 6
model = dict(
    backbone=dict(num_experts=num_experts),
    head=dict(num_experts=num_experts),
)
