from .cifar_resnet import CifarResNet
from .multi_expert_cifar_resnet import MultiExpertCifarResNet
from .multi_expert_resnet import MultiExpertResNet, MultiExpertResNeXt
from .resnet10 import ResNet10

__all__ = [
    'CifarResNet',
    'MultiExpertCifarResNet',
    'MultiExpertResNeXt',
    'MultiExpertResNet',
    'ResNet10',
]
