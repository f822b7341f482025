# SADE on iNaturalist 2018, the official recipe
# (config_iNaturalist_resnet50_sade.json): ResNet-50, 3 experts at reduced
# widths, tau 1, RIDE's iNaturalist schedule (lr 0.2 for batch 512, weight
# decay 2e-4, Nesterov, 100 epochs, 5 of warm-up, lr x 0.1 at 60 and 80),
# crop and flip, the official iNaturalist normalisation.
_base_ = [
    '../_base_/models/ride_resnet50_imagenet.py',
    '../_base_/datasets/inaturalist2018.py',
    '../_base_/schedules/ride_imagenet_lt_100e.py',
    '../_base_/default_runtime.py',
]

model = dict(
    head=dict(
        num_classes=8142,
        loss=dict(_delete_=True, type='SADELoss', tau=1.0),
    )
)
data_preprocessor = dict(
    mean=[118.83, 120.105, 96.9], std=[49.725, 49.47, 48.96]
)
optim_wrapper = dict(optimizer=dict(lr=0.2))
auto_scale_lr = dict(base_batch_size=512)
