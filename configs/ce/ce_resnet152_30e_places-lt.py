# Decoupling (Kang et al., ICLR 2020) stage 1 on Places-LT: a ResNet-152
# pretrained on ImageNet, fine-tuned jointly with instance-balanced sampling
# and cross-entropy for 30 epochs (batch 32 a GPU, 8 GPUs). The recipe's
# sources are in its schedule. The paper's figures, not reproduced here:
# top-1 30.2 (many 45.7, medium 27.3, few 8.2).
#   mim train mmpretrain configs/ce/ce_resnet152_30e_places-lt.py \
#       --launcher pytorch --gpus 8 --work-dir work_dirs/s1
_base_ = [
    '../_base_/models/resnet152_lt.py',
    '../_base_/datasets/places_lt.py',
    '../_base_/schedules/places_lt_finetune_30e.py',
    '../_base_/default_runtime.py',
]

model = dict(
    backbone=dict(
        init_cfg=dict(
            type='Pretrained',
            checkpoint='https://download.openmmlab.com/mmclassification/v0/'
            'resnet/resnet152_8xb32_in1k_20210901-4d7582fa.pth',
            prefix='backbone',
        )
    ),
    head=dict(num_classes=365),
)
train_dataloader = dict(batch_size=32)
