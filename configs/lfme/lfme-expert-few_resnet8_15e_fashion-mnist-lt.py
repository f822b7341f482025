# LFME's few-shot expert on Fashion-MNIST-LT (ratio 100), the CPU recipe: the
# many-shot expert's recipe on the few-shot classes (7-9, 166 ... 60 images),
# numbered 0..2, with a batch of 32.
_base_ = ['./lfme-expert-many_resnet8_15e_fashion-mnist-lt.py']

model = dict(head=dict(num_classes=3))
data_preprocessor = dict(num_classes=3)
train_dataloader = dict(batch_size=32, dataset=dict(shot='few'))
val_dataloader = dict(dataset=dict(shot='few'))
test_dataloader = val_dataloader
