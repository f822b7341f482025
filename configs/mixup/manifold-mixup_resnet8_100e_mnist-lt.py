# Manifold mixup (alpha = 1) of the first stage's output, with cross-entropy
# on MNIST-LT.
_base_ = ['../ce/ce_resnet8_100e_mnist-lt.py']

model = dict(
    type='ManifoldMixupClassifier', mix_layer='backbone.stages.0', alpha=1.0
)
