import numpy as np
import pytest
import torch
from gymnasium import spaces
from pydantic import ValidationError
from torch import nn

from agents.config import AgentConfig
from agents.encoders import ImageEncoder, MLPImageEncoder, VectorEncoder, build_encoders


@pytest.mark.parametrize("size", [16, 21, 64, 128])
def test_image_encoder_takes_any_square_size(size):
    encoder = ImageEncoder((size, size, 3), (16, 32, 32), out_features=24, patch=4)
    image = torch.randint(0, 256, (5, size, size, 3), dtype=torch.uint8)
    assert encoder(image).shape == (5, 24)


@pytest.mark.parametrize("size", [20, 23])
def test_image_encoder_sees_the_last_pixel_row_and_column(size):
    """The patch layer pads a side that is not a multiple of the patch instead of dropping its pixels."""
    torch.manual_seed(0)
    encoder = ImageEncoder((size, size, 3), (8,), out_features=16, patch=4)
    image = torch.zeros(1, size, size, 3, dtype=torch.uint8)
    corner = image.clone()
    corner[0, -1, -1] = 255
    assert not torch.allclose(encoder(image), encoder(corner))


def test_image_encoder_reads_channels_last_bytes():
    """A pure red HWC image must reach the first convolution as a plane of ones and two of zeros."""
    encoder = ImageEncoder((16, 12, 3), (8,), out_features=8, patch=4)
    seen = []
    encoder.conv[0].register_forward_hook(lambda module, inputs, output: seen.append(inputs[0]))
    red = torch.zeros(2, 16, 12, 3, dtype=torch.uint8)
    red[..., 0] = 255
    encoder(red)
    assert seen[0].shape == (2, 3, 16, 12)
    assert (seen[0][:, 0] == 1.0).all() and (seen[0][:, 1:] == 0.0).all()


@pytest.mark.parametrize("size", [16, 21])
def test_mlp_eye_is_dense_layers_on_every_pixel(size):
    """The architectural control: no convolution, a first layer that sees every pixel, and a single pixel
    anywhere changes its features."""
    torch.manual_seed(0)
    encoder = MLPImageEncoder((size, size, 3), depth=3, out_features=24)
    image = torch.randint(0, 256, (5, size, size, 3), dtype=torch.uint8)
    assert encoder(image).shape == (5, 24)
    layers = [m for m in encoder.modules() if isinstance(m, (nn.Linear, nn.Conv2d))]
    assert [type(m) for m in layers] == [nn.Linear] * 3 and layers[0].in_features == size * size * 3
    corner = image.clone()
    corner[:, -1, -1, -1] ^= 255
    assert not torch.allclose(encoder(image), encoder(corner))


@pytest.mark.parametrize("rule, layer", [("backprop", "Linear"), ("feedback_alignment", "FeedbackAlignmentLinear")])
def test_vision_encoder_option_picks_the_eye_and_its_layers_follow_the_rule(rule, layer):
    space = spaces.Dict({"vision": spaces.Box(0, 255, (12, 12, 3), np.uint8)})
    cfg = AgentConfig(vision_encoder="mlp", conv_channels=(8, 8, 8), image_features=16, learning_rule=rule)
    eye = build_encoders(space, cfg)["vision"]
    assert isinstance(eye, MLPImageEncoder)
    assert [type(m).__name__ for m in eye.modules() if isinstance(m, nn.Linear)] == [layer] * 4  # conv depth + 1
    assert isinstance(build_encoders(space, cfg.model_copy(update={"vision_encoder": "conv"}))["vision"], ImageEncoder)
    with pytest.raises(ValidationError, match="vision_encoder"):
        AgentConfig(vision_encoder="vit")


def test_one_encoder_per_sense_by_kind():
    space = spaces.Dict(
        {
            "vision": spaces.Box(0, 255, (32, 32, 3), np.uint8),
            "touch": spaces.Box(-np.inf, np.inf, (7,), np.float32),
        }
    )
    encoders = build_encoders(space, AgentConfig(image_features=20, vector_hidden=12))
    assert isinstance(encoders["vision"], ImageEncoder) and encoders["vision"].out_features == 20
    assert isinstance(encoders["touch"], VectorEncoder) and encoders["touch"].out_features == 12
    assert encoders["touch"](torch.randn(4, 7)).shape == (4, 12)


@pytest.mark.parametrize(
    "sense",
    [
        spaces.Discrete(3),
        spaces.Box(0.0, 1.0, (8, 8, 3), np.float32),  # a float image
        spaces.Box(-1.0, 1.0, (4, 4), np.float32),  # rank 2
    ],
)
def test_unsupported_sense_is_an_error_naming_it(sense):
    with pytest.raises(ValueError, match="'smell'.*supported"):
        build_encoders(spaces.Dict({"smell": sense}), AgentConfig())
