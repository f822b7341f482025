# LFME's medium-shot expert on CIFAR-10-LT (ratio 100): the many-shot
# expert's recipe on the medium-shot classes (4-6, 645 ... 232 images),
# numbered 0..2, with a batch of 64.
_base_ = ['./lfme-expert-many_resnet32_200e_cifar10-lt.py']

model = dict(head=dict(num_classes=3))
data_preprocessor = dict(num_classes=3)
train_dataloader = dict(batch_size=64, dataset=dict(shot='medium'))
val_dataloader = dict(dataset=dict(shot='medium'))
test_dataloader = val_dataloader
