# Decoupling's Places-LT representation: an ImageNet-pretrained ResNet-152
# fine-tuned on Places-LT for 30 epochs. The Decoupling release has no
# Places-LT stage-1 config, so the recipe is put together from its
# neighbours (not verified here):
# - 30 epochs from an ImageNet ResNet-152: OLTR's Places-LT stage 1 (Liu et
#   al., CVPR 2019), whose ImageNet-pretrained ResNet-152 the Decoupling
#   paper takes over;
# - learning rates, weight decay, batch and cosine decay: the release's
#   Places-LT stage-2 configs, which carry the representation's settings
#   (backbone 0.01, classifier 0.1, weight decay 5e-4, batch 256), as its
#   ImageNet-LT and iNaturalist ones carry their stage 1's.
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=5e-4),
    # the new 365-way classifier learns at 10 times the pretrained backbone
    paramwise_cfg=dict(custom_keys={'head': dict(lr_mult=10.0)}),
)
param_scheduler = [
    dict(type='CosineAnnealingLR', by_epoch=True, T_max=30, eta_min=0.0)
]
train_cfg = dict(by_epoch=True, max_epochs=30, val_interval=10)
val_cfg = dict()
test_cfg = dict()
auto_scale_lr = dict(base_batch_size=256)
