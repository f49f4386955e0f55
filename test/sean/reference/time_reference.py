"""
Times sean_reference.py's generator (from codes) and encoder on a parity case, loading the weights
from the checkpoint the case wrote — the same weights Seam's ONNX models were made from.

    python3 time_reference.py --case DIR [--checkpoint DIR/checkpoint.legacy.pth] --threads N --runs R
    python3 time_reference.py --case DIR --threads N --serve

Batch mode prints one JSON line: every timed generation and encoding (ms), and the max abs
difference of the output to the case's ref_image (a check that the weights loaded right).
Serve mode prints {"ready": ..., "max_abs_difference_to_reference": ...} after a warm-up, then
answers each stdin line 'gen' or 'enc' with {"ms": ...}, so a caller can interleave these runs
with its own and share out any load from other processes fairly; 'quit' ends it.
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


def load(case, name):
    entry = case['arrays'][name]
    return torch.from_numpy(np.fromfile(os.path.join(case['dir'], entry['file']), dtype='<f4').reshape(entry['shape']))


def timed(fn, runs, warmup=1):
    for _ in range(warmup):
        out = fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        out = fn()
        times.append((time.perf_counter() - start) * 1000)
    return out, times


def serve(model, seg, codes, image, noises, case):
    calls = {'gen': lambda: model.generate(seg, codes, noises), 'enc': lambda: model.encode(image, seg)}
    with torch.no_grad():
        out = calls['gen']()
        calls['enc']()
        difference = float((out - load(case, 'ref_image')).abs().max())
        print(json.dumps({'ready': True, 'threads': torch.get_num_threads(), 'max_abs_difference_to_reference': difference}), flush=True)
        for line in sys.stdin:
            command = line.strip()
            if command == 'quit':
                break
            start = time.perf_counter()
            calls[command]()
            print(json.dumps({'ms': (time.perf_counter() - start) * 1000}), flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--case', required=True)
    parser.add_argument('--checkpoint', default='')
    parser.add_argument('--threads', type=int, required=True)
    parser.add_argument('--runs', type=int, default=3)
    parser.add_argument('--serve', action='store_true')
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    with open(os.path.join(args.case, 'case.json')) as f:
        case = json.load(f)
    case['dir'] = args.case

    model = ref.SeanGenerator()
    state = torch.load(args.checkpoint or os.path.join(args.case, 'checkpoint.legacy.pth'), map_location='cpu')
    model.load_state_dict(state, strict=True)
    model.eval()
    del state

    seg, codes, image = load(case, 'seg'), load(case, 'codes'), load(case, 'image')
    noises = {name: load(case, name) for name in case['noise']}
    if args.serve:
        serve(model, seg, codes, image, noises, case)
        return
    with torch.no_grad():
        out, gen_times = timed(lambda: model.generate(seg, codes, noises), args.runs)
        _, enc_times = timed(lambda: model.encode(image, seg), args.runs)
    difference = float((out - load(case, 'ref_image')).abs().max())
    print(json.dumps({
        'threads': torch.get_num_threads(),
        'generator_ms': sorted(gen_times),
        'encoder_ms': sorted(enc_times),
        'max_abs_difference_to_reference': difference,
        'torch': torch.__version__,
    }))


if __name__ == '__main__':
    main()
