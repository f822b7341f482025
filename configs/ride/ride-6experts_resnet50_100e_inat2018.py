# RIDE's 6-expert teacher on iNaturalist 2018 (the distilled student ride-
# distill_resnet50_100e_inat2018.py reads its epoch_100.pth from
# work_dirs/ride-6experts_resnet50_100e_inat2018/);
# ride_resnet50_100e_inat2018.py otherwise.
_base_ = ['./ride_resnet50_100e_inat2018.py']

num_experts = 6
model = dict(
    backbone=dict(num_experts=num_experts),
    head=dict(num_experts=num_experts),
)
