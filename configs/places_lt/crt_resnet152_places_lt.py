# Decoupling cRT on Places-LT: a ResNet-152 whose stage 1 was fine-tuned on
# Places-LT from ImageNet weights, frozen; the classifier re-initialised and
# re-trained for 10 epochs with class-balanced sampling (lr 0.1, cosine,
# batch 256). mmlt has no stage-1 config for Places-LT yet: load_from must
# name a Places-LT ResNet-152 checkpoint in mmpretrain's format. The paper's
# figures are in its tables; they are not reproduced here.
#   mim train mmpretrain configs/places_lt/crt_resnet152_places_lt.py \
#       --launcher pytorch --gpus 8 --cfg-options load_from=STAGE1.pth
_base_ = [
    '../_base_/models/resnet152_lt.py',
    '../_base_/datasets/places_lt.py',
    '../_base_/schedules/classifier_retraining_10e.py',
    '../_base_/default_runtime.py',
]

model = dict(head=dict(num_classes=365))
train_dataloader = dict(
    batch_size=32, sampler=dict(_delete_=True, type='ClassBalancedSampler')
)
auto_scale_lr = dict(base_batch_size=256)
custom_hooks = [
    dict(type='SetClassCountsHook'),
    dict(type='ClassifierRetrainingHook', trainable=['head'], reinit=True),
]
