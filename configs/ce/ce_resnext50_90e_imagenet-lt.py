# Decoupling (Kang et al., ICLR 2020) stage 1 on ImageNet-LT: ResNeXt-50
# trained jointly with instance-balanced sampling and cross-entropy for 90
# epochs. The paper's figures (facebookresearch/classifier-balancing), not
# reproduced here: top-1 44.4 (many 65.9, medium 37.5, few 7.7).
_base_ = [
    '../_base_/models/resnext50_32x4d_lt.py',
    '../_base_/datasets/imagenet_lt.py',
    '../_base_/schedules/decoupling_90e.py',
    '../_base_/default_runtime.py',
]
