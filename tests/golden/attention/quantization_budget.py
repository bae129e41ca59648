#!/usr/bin/python3
"""Where the integer attention block's output error comes from, by simulation.

The block (core/attention) quantizes the weights and seven activation tensors. This
script replays the block's formula in float64 with chosen tensors rounded the way the
block rounds them (fake quantization) and reports the output's relative L2 error
against the exact formula, on the issue's test problem: N(0, 1) inputs, PyTorch's
default initialisation, ranges calibrated min/max on 16 other draws (the scores with
1/8 of their range as headroom, calibration.h). It answers "which rounding costs how
much" and "which choice of internal types reaches a given error", without building
each variant. It simulates, it does not reproduce the block bit for bit: the softmax is
the float one on the rounded scores, and the seeds differ from the C++ tests'.

    /usr/bin/python3 tests/golden/attention/quantization_budget.py [--seeds N]

Needs NumPy (toolchains/install-deps.sh golden). Takes about 3 minutes.
"""
import argparse

import numpy as np

SHAPES = {"small": (4, 64, 8, 192), "large": (8, 256, 64, 256)}  # H, E, Nq, Nk
POINTS = ["query", "context", "Q", "K", "V", "scores", "attention", "output"]
CALIBRATION_DRAWS = 16
SCORES_HEADROOM = 0.125


def pytorch_default_weights(rng, e):
    """xavier_uniform_ in_proj [3E, E], nn.Linear's U(-1/sqrt(E), 1/sqrt(E)) out_proj, zero biases."""
    bound = np.sqrt(6.0 / (e + 3 * e))
    in_proj = rng.uniform(-bound, bound, (3 * e, e))
    out_proj = rng.uniform(-1 / np.sqrt(e), 1 / np.sqrt(e), (e, e))
    return in_proj[:e], in_proj[e:2 * e], in_proj[2 * e:], out_proj


def attention(weights, query, context, heads, round_at=None):
    """The block's formula; round_at[name](x) rounds tensor `name`. Returns the output
    and every tensor the block quantizes (for calibration)."""
    round_at = round_at or {}
    r = lambda name, x: round_at[name](x) if name in round_at else x
    wq, wk, wv, wo = weights
    d = query.shape[1] // heads
    seen = {"query": r("query", query), "context": r("context", context)}
    q = seen["Q"] = r("Q", seen["query"] @ wq.T)
    k = seen["K"] = r("K", seen["context"] @ wk.T)
    v = seen["V"] = r("V", seen["context"] @ wv.T)
    att = np.zeros_like(q)
    scores = []
    for h in range(heads):
        cols = slice(h * d, (h + 1) * d)
        s = q[:, cols] @ k[:, cols].T / np.sqrt(d)
        scores.append(s)
        s = r("scores", s)
        p = np.exp(s - s.max(axis=1, keepdims=True))
        p = r("probs", p / p.sum(axis=1, keepdims=True))
        att[:, cols] = p @ v[:, cols]
    seen["scores"] = np.concatenate([s.ravel() for s in scores])
    seen["attention"] = r("attention", att)
    seen["output"] = r("output", seen["attention"] @ wo.T)
    return seen["output"], seen


def int8_params(lo, hi):
    """TFLite's asymmetric int8: the range widened to hold 0, zero point an integer."""
    lo, hi = min(lo, 0.0), max(hi, 0.0)
    scale = (hi - lo) / 255
    return scale, np.round(-128 - lo / scale), -128, 127


def int16_params(lo, hi):
    """TFLite's symmetric int16."""
    return max(-lo, hi) / 32767, 0, -32768, 32767


def fake_quantize(x, params):
    scale, zero_point, qmin, qmax = params
    return (np.clip(np.round(x / scale) + zero_point, qmin, qmax) - zero_point) * scale


def int8_weights(w):
    """Symmetric int8 per output channel, scale max|w| / 127."""
    scale = np.abs(w).max(axis=1, keepdims=True) / 127
    return np.round(w / scale) * scale


def mse_clipped(values, lo, hi):
    """The range shrunk toward 0 where int8 rounding plus clipping error is least."""
    errors = [(np.mean((fake_quantize(values, int8_params(lo * f, hi * f)) - values) ** 2), f)
              for f in np.linspace(0.4, 1.0, 31)]
    f = min(errors)[1]
    return lo * f, hi * f


def relative_errors(shape, bits, seeds, quantize_weights=True, clip=()):
    """Output relative L2 errors over seeds. bits: point -> 8, 16 or None (exact);
    probabilities are always int16 (1/65536), as in the block."""
    heads, e, nq, nk = shape
    errors = []
    for seed in seeds:
        rng = np.random.default_rng(seed)
        weights = pytorch_default_weights(rng, e)
        ranges, samples = {}, {}
        for _ in range(CALIBRATION_DRAWS):
            _, seen = attention(weights, rng.standard_normal((nq, e)), rng.standard_normal((nk, e)), heads)
            for name, x in seen.items():
                lo, hi = ranges.get(name, (np.inf, -np.inf))
                ranges[name] = (min(lo, x.min()), max(hi, x.max()))
                samples.setdefault(name, []).append(x.ravel()[::7])
        for name in clip:
            ranges[name] = mse_clipped(np.concatenate(samples[name]), *ranges[name])
        lo, hi = ranges["scores"]
        ranges["scores"] = (lo, hi + SCORES_HEADROOM * (hi - lo))

        query, context = rng.standard_normal((nq, e)), rng.standard_normal((nk, e))
        exact, _ = attention(weights, query, context, heads)
        round_at = {"probs": lambda x: np.round(x * 65536) / 65536}
        for name, b in bits.items():
            if b is not None:
                params = (int8_params if b == 8 else int16_params)(*ranges[name])
                round_at[name] = lambda x, params=params: fake_quantize(x, params)
        used = tuple(int8_weights(w) for w in weights) if quantize_weights else weights
        got, _ = attention(used, query, context, heads, round_at)
        errors.append(np.linalg.norm(got - exact) / np.linalg.norm(exact))
    return np.array(errors)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=8, help="draws per shape (default 8)")
    seeds = range(parser.parse_args().seeds)
    int8 = {p: 8 for p in POINTS}
    inputs_and_projections = ["query", "context", "Q", "K", "V"]
    rows = [("weights only (int8 per channel)", {}, True, ())]
    rows += [(f"{p} alone (int8)", {p: 8}, False, ()) for p in POINTS]
    rows += [
        ("the int8 block (all of the above)", int8, True, ()),
        ("int8 block, output int16", {**int8, "output": 16}, True, ()),
        ("int8 block, output int16, MSE-clipped inputs and Q, K, V", {**int8, "output": 16}, True,
         inputs_and_projections),
        ("int8 block, attention and output int16", {**int8, "attention": 16, "output": 16}, True, ()),
        ("int8 block, attention and output int16, MSE-clipped inputs and Q, K, V",
         {**int8, "attention": 16, "output": 16}, True, inputs_and_projections),
        ("16x8 block (every activation int16)", {p: 16 for p in POINTS}, True, ()),
    ]
    print(f"Output relative L2 error, RMS over {len(seeds)} draws (worst draw in brackets)\n")
    print("| rounded | " + " | ".join(f"{n} H={s[0]} E={s[1]} Nq={s[2]} Nk={s[3]}" for n, s in SHAPES.items()) + " |")
    print("|---|" + "---|" * len(SHAPES))
    for label, bits, weights, clip in rows:
        cells = []
        for shape in SHAPES.values():
            errors = relative_errors(shape, bits, seeds, weights, clip)
            cells.append(f"{100 * np.sqrt(np.mean(errors ** 2)):.2f}% ({100 * errors.max():.2f}%)")
        print(f"| {label} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
