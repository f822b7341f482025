# OLTR's stage 2 (zhmiao/OpenLongTailRecognition-OLTR,
# config/ImageNet_LT/stage_2_meta_embedding.py), written once: SGD with
# momentum 0.9 and weight decay 5e-4 on every group, lr 0.1 for the
# meta-embedding classifier and 0.01 for the feature model (backbone and
# neck) and the centroids, x 0.1 every 20 of 60 epochs, class-aware
# sampling of 4 images a class visit. It starts from the stage-1 model
# (load_from): the neck, the selector, the cosine-norm weights and the
# centroids are new, the hallucinator is the stage-1 classifier (head.fc).
# A recipe adds its data set's model and data pieces, the neck and head for
# its feature map (oltr_head with its classes), load_from and the split
# ClassCentroidsHook reads.
_base_ = ['../_base_/default_runtime.py']

optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=5e-4),
    paramwise_cfg=dict(
        custom_keys={
            'backbone': dict(lr_mult=0.1),
            'neck': dict(lr_mult=0.1),
            'head.centroids': dict(lr_mult=0.1),
        }
    ),
)
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=True, milestones=[20, 40], gamma=0.1)
]
train_cfg = dict(by_epoch=True, max_epochs=60, val_interval=20)
val_cfg = dict()
test_cfg = dict()

# the attention and the linear layer on a 64-channel last map (CifarResNet);
# a recipe adds its map's feat_size
oltr_neck = dict(
    _delete_=True,
    type='ModulatedAttentionNeck',
    in_channels=64,
    out_channels=64,
)
# the meta-embedding head with the official PerformanceLoss (cross-entropy)
# and FeatureLoss (the discriminative centroid loss, weight 0.01)
oltr_head = dict(
    _delete_=True,
    type='MetaEmbeddingHead',
    reachability_scale=10.0,
    cosnorm_scale=16.0,
    loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
    centroid_loss=dict(
        type='DiscCentroidsLoss',
        margin=10.0,
        repel_weight=0.01,
        loss_weight=0.01,
    ),
)
load_partial = [
    'neck',
    'head.selector',
    'head.cosnorm_weight',
    'head.centroids',
]
oltr_sampler = dict(_delete_=True, type='ClassAwareSampler', num_samples_cls=4)
# ClassCentroidsHook's loader: the training split in order, without
# augmentation (the official train_plain)
oltr_eval_set = dict(pipeline=[dict(type='PackInputs')])
oltr_eval_loader = dict(batch_size=500, num_workers=0)
