# RIDE's second stage on its multi-expert ResNet-32 (ea_resnet_cifar.py):
# the stage-1 experts and classifiers, and a router before each expert but
# the first (a hidden layer of 16 on the previous expert's normalised
# feature, one output layer shared, fed the ensemble's top_k logits beside
# it). top_k 5 is the official model's default, for 10 classes; the
# CIFAR-100-LT config sets the official 30.
_base_ = ['./ride_resnet32_cifar.py']

model = dict(
    head=dict(
        type='ExpertRouterClsHead',
        top_k=5,
        loss=dict(_delete_=True, type='ExpertRouterLoss', pos_weight=100),
    )
)
