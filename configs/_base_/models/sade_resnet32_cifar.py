# SADE's network (Vanint/SADE-AgnosticLT, expert_resnet_cifar.py) is RIDE's
# 3-expert ResNet-32 at reduced widths; its loss trains the experts for
# the forward-LT, uniform and backward-LT distributions (tau 2).
_base_ = ['./ride_resnet32_cifar.py']

model = dict(head=dict(loss=dict(_delete_=True, type='SADELoss', tau=2.0)))
