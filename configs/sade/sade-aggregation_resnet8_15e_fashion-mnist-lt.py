# SADE with its test-time self-supervised aggregation: trains as its base;
# before the test, TestTimeAggregationHook learns the experts' weights on
# the unlabeled test images (transductive: it reads the test split) with
# the official CIFAR settings.
_base_ = ['./sade_resnet8_15e_fashion-mnist-lt.py']

custom_hooks = [dict(type='TestTimeAggregationHook')]
