# Manifold mixup (alpha = 1) of the first stage's output, with cross-entropy
# on CIFAR-100-LT (ratio 100).
_base_ = ['../ce/ce_resnet32_200e_cifar100-lt.py']

model = dict(
    type='ManifoldMixupClassifier', mix_layer='backbone.stages.0', alpha=1.0
)
