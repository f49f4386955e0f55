"""
Writes one parity case for Seam's SEAN importer: a random-weight checkpoint with SEAN's exact
architecture, the inputs, and the reference outputs of sean_reference.py.

    python3 make_parity_case.py --out DIR [--seed 1] [--formats legacy,zip] [--tsv generator_state_dict.tsv]

DIR/case.json lists every array: name -> {file, shape}; arrays are raw little-endian float32.
  inputs:  image [1,3,256,256] in [-1,1], seg [1,19,256,256] one-hot, codes [1,19,512] (the
           generator's input: random codes, with some present labels at zero), noise_* [1,1,r,r]
  outputs: ref_codes [1,19,512] = encoder(image, seg); ref_image [1,3,256,256] = generator(seg, codes, noise)
Checkpoints: DIR/checkpoint.legacy.pth (torch.save(..., _use_new_zipfile_serialization=False),
the format torch 1.2 wrote) and/or DIR/checkpoint.zip.pth (torch >= 1.6 default).
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sean_reference as ref  # noqa: E402


def label_map(rng, absent, single_pixel):
    """A 256x256 label map: Voronoi cells of random points with random labels, some labels absent."""
    present = [j for j in range(ref.LABELS) if j not in absent and j != single_pixel[0]]
    points = rng.integers(0, 256, size=(48, 2))
    labels = np.array([present[i % len(present)] for i in range(len(points))])
    yy, xx = np.mgrid[0:256, 0:256]
    d = (yy[None] - points[:, 0, None, None]) ** 2 + (xx[None] - points[:, 1, None, None]) ** 2
    ids = labels[np.argmin(d, axis=0)]
    label, y, x = single_pixel
    ids[y, x] = label  # only at an odd row and column: gone at 128x128 and below
    return ids


def one_hot(ids):
    seg = np.zeros((1, ref.LABELS, 256, 256), np.float32)
    for j in range(ref.LABELS):
        seg[0, j][ids == j] = 1
    return seg


def inputs(rng, absent, single_pixel, zero_codes):
    ids = label_map(rng, absent, single_pixel)
    seg = one_hot(ids)
    codes = rng.uniform(-1, 1, size=(1, ref.LABELS, ref.STYLE)).astype(np.float32)
    for j in zero_codes:
        codes[0, j] = 0  # present but without a code: receives ReLU(bias)
    noises = {name: rng.standard_normal((1, 1, r, r)).astype(np.float32) for name, r, _ in ref.noise_inputs()}
    # A smooth image with some texture, in [-1, 1].
    yy, xx = np.mgrid[0:256, 0:256] / 256.0
    image = np.stack([np.sin(6 * xx + c) * np.cos(4 * yy - c) for c in range(3)])[None]
    image = np.clip(image + 0.2 * rng.standard_normal(image.shape), -1, 1).astype(np.float32)
    return image, seg, codes, noises


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--out', required=True)
    parser.add_argument('--seed', type=int, default=1)
    parser.add_argument('--formats', default='legacy')
    parser.add_argument('--tsv', default='')
    parser.add_argument('--threads', type=int, default=0)
    parser.add_argument('--verify', action='store_true')
    args = parser.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    os.makedirs(args.out, exist_ok=True)
    rng = np.random.default_rng(args.seed)

    t0 = time.time()
    model = ref.build_random_model(args.seed)
    if args.tsv:
        problems = ref.check_keys(model, args.tsv)
        if problems:
            raise SystemExit('reference model does not match the facts: ' + '; '.join(problems[:10]))
    t_build = time.time() - t0

    image, seg, codes, noises = inputs(rng, absent=[14, 16], single_pixel=(15, 101, 57), zero_codes=[5, 13])
    seg_t, codes_t = torch.from_numpy(seg), torch.from_numpy(codes)
    noises_t = {k: torch.from_numpy(v) for k, v in noises.items()}
    t0 = time.time()
    ref_image = ref.generate_calibrated(model, args.seed, seg_t, codes_t, noises_t).numpy()
    t_gen = time.time() - t0
    with torch.no_grad():
        t0 = time.time()
        ref_codes = model.encode(torch.from_numpy(image), seg_t).numpy()
        t_enc = time.time() - t0
        if args.verify:
            # The calibrated forward must equal a plain eval forward of the saved weights.
            again = model.generate(seg_t, codes_t, noises_t).numpy()
            print('verify: max abs difference to a plain eval forward', float(np.abs(again - ref_image).max()))

    t0 = time.time()
    state = model.state_dict()
    for fmt in args.formats.split(','):
        path = os.path.join(args.out, f'checkpoint.{fmt}.pth')
        torch.save(state, path, _use_new_zipfile_serialization=(fmt == 'zip'))
    t_save = time.time() - t0

    arrays = {'image': image, 'seg': seg, 'codes': codes, 'ref_codes': ref_codes, 'ref_image': ref_image, **noises}
    index = {}
    for name, array in arrays.items():
        file = f'{name}.f32'
        np.ascontiguousarray(array, dtype='<f4').tofile(os.path.join(args.out, file))
        index[name] = {'file': file, 'shape': list(array.shape)}
    stats = {
        'torch': torch.__version__,
        'threads': torch.get_num_threads(),
        'seconds': {'build': t_build, 'save': t_save, 'encoder': t_enc, 'generator': t_gen},
        'ref_image': {'min': float(ref_image.min()), 'max': float(ref_image.max()), 'std': float(ref_image.std())},
        'ref_codes_abs_max': float(np.abs(ref_codes).max()),
        'parameters': sum(p.numel() for p in model.parameters()),
    }
    with open(os.path.join(args.out, 'case.json'), 'w') as f:
        json.dump({'arrays': index, 'noise': [n for n, _, _ in ref.noise_inputs()], 'stats': stats}, f, indent=1)
    print(json.dumps(stats))


if __name__ == '__main__':
    main()
