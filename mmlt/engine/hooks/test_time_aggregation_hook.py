"""SADE's test-time aggregation as an opt-in step of ``mim test``.

Before the test loop, the hook learns the experts' weights on the test
split's images (:func:`mmlt.models.test_time_aggregation.learn_expert_weights`)
and sets them as the ``MultiExpertClsHead``'s ``expert_weights``, which
its predictions then sum the experts' logits with. It reads the test
images (not their labels): a transductive step, logged as such, and only
where a config asks for it.
"""

import torch
from mmengine.hooks import Hook
from mmpretrain.registry import HOOKS

from mmlt.datasets.tensor_batch_dataset import stack_images
from mmlt.models.test_time_aggregation import (
    BATCH_SIZE,
    EPOCHS,
    LR,
    WEIGHT_DECAY,
    learn_expert_weights,
)

from ...utils import unwrap_model


def split_images(dataset) -> torch.Tensor:
    """A test split's images, uint8 (N, C, H, W), on the CPU."""
    images = getattr(dataset, 'images', None)  # TensorBatchDataset
    if images is None:
        try:
            images, _ = stack_images(dataset)
        except ValueError as error:
            raise ValueError(
                'TestTimeAggregationHook reads the test images from memory '
                '(CIFAR-LT, MNIST-LT, Fashion-MNIST-LT): ' + str(error)
            ) from error
    return images.cpu()


@HOOKS.register_module()
class TestTimeAggregationHook(Hook):
    """Learns a ``MultiExpertClsHead``'s expert weights on the unlabeled
    test images before the test loop (SADE's self-supervised aggregation).

    Args:
        epochs (int): Passes over the test images, >= 1. Defaults to 5.
        batch_size (int): Defaults to 128.
        lr (float): SGD's learning rate, > 0. Defaults to 0.1 (the
            official CIFAR value; 0.025 on ImageNet-LT).
        weight_decay (float): On the raw weights, >= 0. Defaults to 5e-4.
        seed (int): Seeds the order and the views. Defaults to 0.
    """

    priority = 'LOW'

    def __init__(
        self,
        epochs: int = EPOCHS,
        batch_size: int = BATCH_SIZE,
        lr: float = LR,
        weight_decay: float = WEIGHT_DECAY,
        seed: int = 0,
    ) -> None:
        if not isinstance(epochs, int) or epochs < 1:
            raise ValueError(f'epochs must be an int >= 1, got {epochs!r}')
        if not isinstance(batch_size, int) or batch_size < 1:
            raise ValueError(
                f'batch_size must be an int >= 1, got {batch_size!r}'
            )
        if not lr > 0:
            raise ValueError(f'lr must be > 0, got {lr}')
        if not weight_decay >= 0:
            raise ValueError(f'weight_decay must be >= 0, got {weight_decay}')
        self.settings = dict(
            epochs=epochs,
            batch_size=batch_size,
            lr=lr,
            weight_decay=weight_decay,
            seed=seed,
        )

    def before_test(self, runner) -> None:
        model = unwrap_model(runner.model)
        head = model.head
        if not hasattr(head, 'expert_weights'):
            raise ValueError(
                'TestTimeAggregationHook weighs the experts of a '
                f"MultiExpertClsHead; the model's head is "
                f'{type(head).__name__}'
            )
        images = split_images(runner.test_dataloader.dataset)
        runner.logger.info(
            f'TestTimeAggregationHook: learning the weights of '
            f'{head.num_experts} experts on the {len(images)} unlabeled '
            'test images (transductive: the test split is read)'
        )
        was_training = model.training
        model.eval()

        def expert_logits(views: torch.Tensor) -> torch.Tensor:
            data = model.data_preprocessor(dict(inputs=views), False)
            return head.expert_logits(model.extract_feat(data['inputs']))

        weights = learn_expert_weights(
            expert_logits, images, head.num_experts, **self.settings
        )
        model.train(was_training)
        head.expert_weights.copy_(weights.to(head.expert_weights))
        runner.logger.info(
            'TestTimeAggregationHook: expert weights '
            + ', '.join(f'{w:.4f}' for w in weights.tolist())
        )
