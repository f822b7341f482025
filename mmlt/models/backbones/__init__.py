from .cifar_resnet import CifarResNet
from .multi_expert_cifar_resnet import MultiExpertCifarResNet
from .multi_expert_resnet import MultiExpertResNet, MultiExpertResNeXt

__all__ = [
    'CifarResNet',
    'MultiExpertCifarResNet',
    'MultiExpertResNeXt',
    'MultiExpertResNet',
]
