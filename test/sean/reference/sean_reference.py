"""
An independent PyTorch re-implementation of SEAN's CelebA-HQ generator, written from
/work/shared/facts/sean/INFERENCE.md (not from SEAN's code), for Seam's parity tests and bench.

The module tree reproduces SEAN's state-dict key names and shapes exactly (982 keys, checked by
`check_keys` against generator_state_dict.tsv when that file is present), so a checkpoint saved
from it has the same layout as `latest_net_G.pth`. The forward pass follows the facts literally:

- Zencoder (reflect pad, convs, parameter-free instance norm, leaky ReLU 0.2, transposed conv,
  tanh) and region-average pooling at 128x128 with a per-label loop;
- the generator from codes: nearest downsampled one-hot maps, `fc`, the seven SEAN residual
  blocks with ACE layers (noise x noise_var, eval batch norm with running stats, SPADE branch,
  per-label fc_mu painted into each region with a per-label loop, blending with
  sigmoid(blend logit), x * (1 + gamma) + beta), up_3 without the style branch, leaky ReLU,
  conv_img and tanh;
- spectral norm through torch.nn.utils.spectral_norm in eval mode (no power iteration:
  weight_orig / (u . (W v))).

Only torch and numpy are needed (Debian: python3-torch).
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils import spectral_norm

LABELS = 19
STYLE = 512
SPADE_HIDDEN = 128

# (name, fin, fout, resolution, has_style) in forward order.
BLOCKS = [
    ('head_0', 1024, 1024, 8, True),
    ('G_middle_0', 1024, 1024, 16, True),
    ('G_middle_1', 1024, 1024, 16, True),
    ('up_0', 1024, 512, 32, True),
    ('up_1', 512, 256, 64, True),
    ('up_2', 256, 128, 128, True),
    ('up_3', 128, 64, 256, False),
]


def noise_inputs():
    """[(input name, resolution, channels)] in SEAN's draw order (shortcut ACE first)."""
    out = []
    for name, fin, fout, res, _ in BLOCKS:
        middle = min(fin, fout)
        aces = ([('ace_s', fin)] if fin != fout else []) + [('ace_0', fin), ('ace_1', middle)]
        for ace, channels in aces:
            out.append((f'noise_{name}_{ace}', res, channels))
    return out


def nearest_down(seg, size):
    """Legacy nearest: source index floor(dst * in / out); for these powers of two a strided slice."""
    step = seg.shape[-1] // size
    return seg[:, :, ::step, ::step]


class SpadeBranch(nn.Module):
    def __init__(self, channels):
        super().__init__()
        # Built but never called (a dead buffer set in the checkpoint).
        self.param_free_norm = nn.BatchNorm2d(channels, affine=False)
        self.mlp_shared = nn.Sequential(nn.Conv2d(LABELS, SPADE_HIDDEN, 3, padding=1), nn.ReLU())
        self.mlp_gamma = nn.Conv2d(SPADE_HIDDEN, channels, 3, padding=1)
        self.mlp_beta = nn.Conv2d(SPADE_HIDDEN, channels, 3, padding=1)

    def forward(self, seg):
        actv = self.mlp_shared(seg)
        return self.mlp_gamma(actv), self.mlp_beta(actv)


class ACE(nn.Module):
    def __init__(self, channels, use_style):
        super().__init__()
        self.use_style = use_style
        self.blending_gamma = nn.Parameter(torch.zeros(1))
        self.blending_beta = nn.Parameter(torch.zeros(1))
        self.noise_var = nn.Parameter(torch.zeros(channels))
        self.Spade = SpadeBranch(channels)
        self.param_free_norm = nn.BatchNorm2d(channels, affine=False)
        if use_style:
            for j in range(LABELS):
                setattr(self, f'fc_mu{j}', nn.Linear(STYLE, STYLE))
            self.conv_gamma = nn.Conv2d(STYLE, channels, 3, padding=1)
            self.conv_beta = nn.Conv2d(STYLE, channels, 3, padding=1)

    def forward(self, x, seg, codes, noise):
        # noise: [1, 1, H, W]; one value per pixel, scaled per channel.
        x = x + noise * self.noise_var.view(1, -1, 1, 1)
        if getattr(self, 'calibrate_with', None) is not None:
            set_running_stats(self.param_free_norm, x, self.calibrate_with)
        normalized = self.param_free_norm(x)
        seg = nearest_down(seg, x.shape[-1])
        gamma_spade, beta_spade = self.Spade(seg)
        if not self.use_style:
            return normalized * (1 + gamma_spade) + beta_spade
        b, _, h, w = normalized.shape
        middle = torch.zeros(b, STYLE, h, w, dtype=x.dtype)
        for i in range(b):
            for j in range(LABELS):
                mask = seg[i, j].bool()
                if mask.sum() == 0:
                    continue
                mu = F.relu(getattr(self, f'fc_mu{j}')(codes[i, j]))
                middle[i] = torch.where(mask.unsqueeze(0), mu.view(STYLE, 1, 1), middle[i])
        gamma_style = self.conv_gamma(middle)
        beta_style = self.conv_beta(middle)
        a_g = torch.sigmoid(self.blending_gamma)
        a_b = torch.sigmoid(self.blending_beta)
        gamma = a_g * gamma_style + (1 - a_g) * gamma_spade
        beta = a_b * beta_style + (1 - a_b) * beta_spade
        return normalized * (1 + gamma) + beta


class ResBlock(nn.Module):
    def __init__(self, fin, fout, use_style):
        super().__init__()
        middle = min(fin, fout)
        self.learned_shortcut = fin != fout
        self.conv_0 = spectral_norm(nn.Conv2d(fin, middle, 3, padding=1))
        self.conv_1 = spectral_norm(nn.Conv2d(middle, fout, 3, padding=1))
        if self.learned_shortcut:
            self.conv_s = spectral_norm(nn.Conv2d(fin, fout, 1, bias=False))
        self.ace_0 = ACE(fin, use_style)
        self.ace_1 = ACE(middle, use_style)
        if self.learned_shortcut:
            self.ace_s = ACE(fin, use_style)

    def forward(self, x, seg, codes, noises, prefix):
        if self.learned_shortcut:
            x_s = self.conv_s(self.ace_s(x, seg, codes, noises[f'{prefix}_ace_s']))
        else:
            x_s = x
        dx = self.conv_0(F.leaky_relu(self.ace_0(x, seg, codes, noises[f'{prefix}_ace_0']), 0.2))
        dx = self.conv_1(F.leaky_relu(self.ace_1(dx, seg, codes, noises[f'{prefix}_ace_1']), 0.2))
        return x_s + dx


class Zencoder(nn.Module):
    def __init__(self):
        super().__init__()
        lrelu = lambda: nn.LeakyReLU(0.2)  # noqa: E731
        norm = lambda c: nn.InstanceNorm2d(c)  # noqa: E731  (no affine, no running stats)
        self.model = nn.Sequential(
            nn.ReflectionPad2d(1), nn.Conv2d(3, 32, 3), norm(32), lrelu(),
            nn.Conv2d(32, 64, 3, stride=2, padding=1), norm(64), lrelu(),
            nn.Conv2d(64, 128, 3, stride=2, padding=1), norm(128), lrelu(),
            nn.ConvTranspose2d(128, 256, 3, stride=2, padding=1, output_padding=1), norm(256), lrelu(),
            nn.ReflectionPad2d(1), nn.Conv2d(256, 512, 3), nn.Tanh(),
        )

    def forward(self, image, seg):
        feat = self.model(image)  # [B, 512, 128, 128]
        seg = nearest_down(seg, feat.shape[-1])
        b = feat.shape[0]
        codes = torch.zeros(b, LABELS, STYLE, dtype=feat.dtype)
        for i in range(b):
            for j in range(LABELS):
                mask = seg[i, j].bool()
                if mask.sum() > 0:
                    codes[i, j] = feat[i][:, mask].mean(dim=1)
        return codes


class SeanGenerator(nn.Module):
    def __init__(self):
        super().__init__()
        self.Zencoder = Zencoder()
        self.fc = nn.Conv2d(LABELS, 1024, 3, padding=1)
        for name, fin, fout, _, use_style in BLOCKS:
            setattr(self, name, ResBlock(fin, fout, use_style))
        self.conv_img = nn.Conv2d(64, 3, 3, padding=1)

    def encode(self, image, seg):
        return self.Zencoder(image, seg)

    def features(self, seg, codes, noises):
        """Everything up to the output layer: up_3's output [B, 64, 256, 256]."""
        x = self.fc(nearest_down(seg, 8))
        for name, _, _, res, _ in BLOCKS:
            if x.shape[-1] < res:
                x = F.interpolate(x, scale_factor=2, mode='nearest')
            x = getattr(self, name)(x, seg, codes, noises, f'noise_{name}')
        return x

    def output(self, features):
        return torch.tanh(self.conv_img(F.leaky_relu(features, 0.2)))

    def generate(self, seg, codes, noises):
        return self.output(self.features(seg, codes, noises))


def spectral_norm_modules(model):
    for module in model.modules():
        if hasattr(module, 'weight_orig'):
            yield module


def set_power_iteration_vectors(model, iterations=10):
    """u, v as converged singular vectors, as training would leave them (sigma > 0, ~ the top singular value)."""
    with torch.no_grad():
        for module in spectral_norm_modules(model):
            w = module.weight_orig.reshape(module.weight_orig.shape[0], -1)
            u = F.normalize(torch.randn(w.shape[0], dtype=w.dtype), dim=0)
            v = F.normalize(torch.randn(w.shape[1], dtype=w.dtype), dim=0)
            for _ in range(iterations):
                v = F.normalize(w.t() @ u, dim=0)
                u = F.normalize(w @ v, dim=0)
            module.weight_u.copy_(u)
            module.weight_v.copy_(v)


def randomize(model, generator):
    """Random weights with sane scales: activations stay O(1) so tanh is not saturated."""
    def normal_(tensor, std):
        tensor.normal_(0.0, std, generator=generator)

    with torch.no_grad():
        for name, param in model.named_parameters():
            if name.endswith('bias'):
                normal_(param, 0.1)
            elif name.endswith('blending_gamma') or name.endswith('blending_beta'):
                normal_(param, 1.0)
            elif name.endswith('noise_var'):
                normal_(param, 0.3)
            else:
                fan_in = param[0].numel() if param.dim() > 1 else param.numel()
                if name.startswith('Zencoder.model.10'):  # transposed conv: [in, out, k, k]
                    fan_in = param.shape[0] * 9 / 4
                normal_(param, 1.0 / math.sqrt(fan_in))
        # Dead buffers get garbage on purpose: the importer must ignore them.
        for name, buf in model.named_buffers():
            if '.Spade.param_free_norm.' in name and buf.dtype == torch.float32:
                normal_(buf, 5.0)
                buf.abs_()
            if name.endswith('num_batches_tracked'):
                buf.fill_(12345)
    set_power_iteration_vectors(model)


def set_running_stats(norm, x, generator):
    """Running stats measured on this very input, then perturbed, as a trained model's would roughly fit its data."""
    with torch.no_grad():
        mean = x.mean(dim=(0, 2, 3))
        var = x.var(dim=(0, 2, 3), unbiased=False)
        norm.running_mean.copy_(mean + torch.randn(mean.shape, generator=generator) * 0.05 * var.sqrt())
        norm.running_var.copy_(var * torch.empty(var.shape).uniform_(0.8, 1.25, generator=generator) + 1e-3)


def generate_calibrated(model, seed, seg, codes, noises):
    """
    One eval-mode forward that fixes each ACE's running stats from its own input just before it is
    used (so activations stay O(1) without a training run), then scales conv_img so tanh's input
    has std 0.8. Returns the output, which is exactly what the eval forward of the final weights gives.
    """
    generator = torch.Generator().manual_seed(seed + 7)
    aces = [m for m in model.modules() if isinstance(m, ACE)]
    for ace in aces:
        ace.calibrate_with = generator
    try:
        with torch.no_grad():
            features = model.features(seg, codes, noises)
    finally:
        for ace in aces:
            ace.calibrate_with = None
    with torch.no_grad():
        pre = model.conv_img(F.leaky_relu(features, 0.2))
        scale = 0.8 / float(pre.std())
        model.conv_img.weight.mul_(scale)
        model.conv_img.bias.mul_(scale)
        return model.output(features)


def build_random_model(seed):
    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    model = SeanGenerator()
    randomize(model, generator)
    return model.eval()


def check_keys(model, tsv_path):
    """Returns problems comparing the model's state dict with generator_state_dict.tsv."""
    expected = {}
    with open(tsv_path) as f:
        next(f)
        for line in f:
            key, shape = line.split('\t')[:2]
            expected[key] = () if shape == 'scalar' else tuple(int(s) for s in shape.split('x'))
    actual = {k: tuple(v.shape) for k, v in model.state_dict().items()}
    problems = [f'missing {k}' for k in expected if k not in actual]
    problems += [f'extra {k}' for k in actual if k not in expected]
    problems += [f'shape {k}: {actual[k]} vs {expected[k]}' for k in expected if k in actual and actual[k] != expected[k]]
    return problems
