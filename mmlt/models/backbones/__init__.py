from .cifar_resnet import CifarResNet
from .multi_expert_cifar_resnet import MultiExpertCifarResNet

__all__ = ['CifarResNet', 'MultiExpertCifarResNet']
