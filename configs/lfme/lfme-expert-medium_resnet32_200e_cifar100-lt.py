# LFME's medium-shot expert on CIFAR-100-LT (ratio 100): the many-shot
# expert's recipe on the medium-shot classes (35-69, 98 ... 20 images),
# numbered 0..34, with a batch of 64.
_base_ = ['./lfme-expert-many_resnet32_200e_cifar100-lt.py']

model = dict(head=dict(num_classes=35))
data_preprocessor = dict(num_classes=35)
train_dataloader = dict(batch_size=64, dataset=dict(shot='medium'))
val_dataloader = dict(dataset=dict(shot='medium'))
test_dataloader = val_dataloader
