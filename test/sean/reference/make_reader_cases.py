"""
Writes the small checkpoints test/sean/fixtures/ holds for the torch reader's unit tests (they are
committed, so those tests run without Python; rerun this after changing it):

    python3 test/sean/reference/make_reader_cases.py test/sean/fixtures

small.legacy.pth / small.zip.pth  a state dict exercising every dtype, views, strides, a scalar,
                                  an empty tensor, an nn.Parameter and the state dict's _metadata;
                                  small.expected.json has each tensor's shape and values
module.legacy.pth / module.zip.pth  torch.save of a whole nn.Module (must be refused: it names Python classes)
other-arch.legacy.pth             a state dict that is not SEAN's (misshaped, missing and extra keys)
plain-pickle.pkl                  a Python pickle that torch did not write
plain.zip                         a zip archive that is not a torch checkpoint
"""
import collections
import json
import os
import pickle
import sys
import zipfile

import torch
import torch.nn as nn


def small_state():
    torch.manual_seed(0)
    base = torch.arange(6, dtype=torch.float32).reshape(2, 3) / 4
    vec = torch.linspace(-1, 1, 5)
    state = collections.OrderedDict()
    state['f32'] = base
    state['transposed'] = base.t()  # non-contiguous view sharing base's storage
    state['vec'] = vec
    state['slice'] = vec[1:4]  # storage offset 1, shares vec's storage
    state['strided'] = vec[::2]  # stride 2
    state['f64'] = torch.tensor([1.5, -2.25], dtype=torch.float64)
    state['f16'] = torch.tensor([0.1, -3.0, 65504.0], dtype=torch.float16)
    state['bf16'] = torch.tensor([1.0, -0.3], dtype=torch.bfloat16)
    state['i64_scalar'] = torch.tensor(12345, dtype=torch.int64)
    state['i32'] = torch.tensor([-7, 8], dtype=torch.int32)
    state['u8'] = torch.tensor([0, 200, 255], dtype=torch.uint8)
    state['bool'] = torch.tensor([True, False])
    state['param'] = nn.Parameter(torch.tensor([[3.0, 4.0]]))
    state['empty'] = torch.zeros(0, 4)
    state._metadata = collections.OrderedDict([('', {'version': 1}), ('layer', {'spectral_norm weight.version': 1})])
    return state


def main(out):
    os.makedirs(out, exist_ok=True)
    state = small_state()
    torch.save(state, os.path.join(out, 'small.legacy.pth'), _use_new_zipfile_serialization=False)
    torch.save(state, os.path.join(out, 'small.zip.pth'))
    expected = {k: {'shape': list(v.shape), 'values': v.detach().reshape(-1).to(torch.float64).tolist()} for k, v in state.items()}
    with open(os.path.join(out, 'small.expected.json'), 'w') as f:
        json.dump(expected, f, indent=1)

    module = nn.Linear(2, 2)
    torch.save(module, os.path.join(out, 'module.legacy.pth'), _use_new_zipfile_serialization=False)
    torch.save(module, os.path.join(out, 'module.zip.pth'))

    other = collections.OrderedDict()
    other['fc.bias'] = torch.zeros(512)  # SEAN's is [1024]
    other['conv_img.weight'] = torch.zeros(3, 32, 3, 3)  # SEAN's is [3, 64, 3, 3]
    other['conv_img.bias'] = torch.zeros(3)
    other['up_4.conv_0.bias'] = torch.zeros(32)  # only in the "most" upsampling setting
    torch.save(other, os.path.join(out, 'other-arch.legacy.pth'), _use_new_zipfile_serialization=False)

    with open(os.path.join(out, 'plain-pickle.pkl'), 'wb') as f:
        pickle.dump({'weights': [1, 2, 3]}, f, protocol=2)
    with zipfile.ZipFile(os.path.join(out, 'plain.zip'), 'w') as z:
        z.writestr('readme.txt', 'not a checkpoint')


if __name__ == '__main__':
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', 'fixtures'))
