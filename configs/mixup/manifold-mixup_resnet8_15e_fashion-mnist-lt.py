# Manifold mixup (alpha = 1) of the first stage's output, with cross-entropy on
# Fashion-MNIST-LT (ratio 100), the CPU recipe.
_base_ = ['../ce/ce_resnet8_15e_fashion-mnist-lt.py']

model = dict(
    type='ManifoldMixupClassifier', mix_layer='backbone.stages.0', alpha=1.0
)
