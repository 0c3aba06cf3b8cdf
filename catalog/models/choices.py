"""Choices the models' fields and the interface share."""

from django.db import models
from django.utils.translation import gettext_lazy as _


def label_of(choices: type[models.TextChoices], value: str):
    """The label of ``value`` (the value itself if it is not a choice): what
    Django's generated ``get_FOO_display()`` returns, without rebuilding the
    choices' dict on every call as it does (a browse page calls it per row)."""
    try:
        return choices(value).label
    except ValueError:
        return value


class Framework(models.TextChoices):
    PYTORCH = "pytorch", "PyTorch"
    TENSORFLOW = "tensorflow", "TensorFlow"
    KERAS = "keras", "Keras"
    JAX = "jax", "JAX"
    MXNET = "mxnet", "MXNet"
    CAFFE = "caffe", "Caffe"
    CAFFE2 = "caffe2", "Caffe2"
    PADDLE = "paddlepaddle", "PaddlePaddle"
    MINDSPORE = "mindspore", "MindSpore"
    THEANO = "theano", "Theano"
    TORCH = "torch", _("Torch (Lua)")
    CHAINER = "chainer", "Chainer"
    MATLAB = "matlab", "MATLAB"
    UNKNOWN = "unknown", _("Unknown")


class LinkKind(models.TextChoices):
    ARTICLE = "article", _("Article")
    BLOG = "blog", _("Blog post")
    COURSE = "course", _("Course")
    TOOL = "tool", _("Tool")
    LIBRARY = "library", _("Library")
    PRACTICE = "practice", _("Practice")
    VIDEO = "video", _("Video")
    DATASET = "dataset", _("Dataset")
    BOOK = "book", _("Book")
    DISCUSSION = "discussion", _("Discussion")
    LINK = "link", _("Link")


class AliasKind(models.TextChoices):
    TOPIC = "topic", _("Topic path")
    PAPER = "paper", _("Paper key")
    REPOSITORY = "repository", _("Repository key")
    LINK = "link", _("Link URL")
    TRANSLATION = "translation", _("Translation URL")
