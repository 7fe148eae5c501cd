"""Patches of natural photos for sparse-coding experiments, prepared as in the UFLDL sparse autoencoder exercise.

The photos are scikit-learn's two sample images (427 x 640), turned grey; `whiten=True` first flattens their
1/f amplitude spectrum as Olshausen & Field did for the images UFLDL ships. Patches are cached per seed.
"""

import numpy as np

from .._checks import check_positive
from . import cache
from .split import check_dtype, check_seed


def grey_images():
    """scikit-learn's sample photos as grey float images in [0, 1] (ITU-R 601 luma)."""
    from sklearn.datasets import load_sample_images

    luma = np.array([0.299, 0.587, 0.114])
    return [img.astype(np.float64) @ luma / 255.0 for img in load_sample_images().images]  # (H, W, 3) -> (H, W)


def whiten_image(img, margin):
    """Flatten the 1/f spectrum of a grey image (Olshausen & Field's filter r * exp(-(r/0.4)^4))."""
    fy = np.fft.fftfreq(img.shape[0])[:, None]  # (H, 1) cycles per pixel
    fx = np.fft.fftfreq(img.shape[1])[None, :]  # (1, W)
    r = np.hypot(fx, fy)  # (H, W) radial frequency
    out = np.real(np.fft.ifft2(np.fft.fft2(img - img.mean()) * r * np.exp(-((r / 0.4) ** 4))))
    return out[margin:-margin, margin:-margin]  # drop the wrap-around border


def build_patches(n, patch_size, seed, whiten=False):
    """Sample n random patches from the grey photos, then apply UFLDL's normalisation: {"patches": (n, p*p)}."""
    images = grey_images()
    if whiten:
        images = [whiten_image(img, margin=patch_size) for img in images]
    rng = np.random.default_rng(seed)
    which = rng.integers(len(images), size=n)  # (n,) photo of each patch
    patches = np.empty((n, patch_size * patch_size))
    for k, img in enumerate(images):
        rows = np.flatnonzero(which == k)
        top = rng.integers(img.shape[0] - patch_size + 1, size=len(rows))
        left = rng.integers(img.shape[1] - patch_size + 1, size=len(rows))
        r = top[:, None, None] + np.arange(patch_size)[None, :, None]  # (m, p, 1)
        c = left[:, None, None] + np.arange(patch_size)[None, None, :]  # (m, 1, p)
        patches[rows] = img[r, c].reshape(len(rows), -1)  # (m, p, p) -> (m, p*p)
    patches -= patches.mean(axis=1, keepdims=True)  # remove each patch's own brightness
    limit = 3.0 * patches.std()  # 3 standard deviations of all pixels
    patches = np.clip(patches, -limit, limit) / limit  # now in [-1, 1]
    return {"patches": patches * 0.4 + 0.5}  # [-1, 1] -> [0.1, 0.9]


def natural_patches(n=10000, patch_size=8, seed=0, whiten=False, dtype=np.float64):
    """n grey patch_size x patch_size patches of natural photos, UFLDL-normalised to [0.1, 0.9]: (n, p*p).

    whiten=True first flattens each photo's spectrum, as UFLDL's own (pre-whitened) images were.
    """
    check_positive("n", n, integer=True)
    check_positive("patch_size", patch_size, integer=True)
    if patch_size > 128:
        raise ValueError(f"patch_size must be <= 128 (the photos are 427x640), got {patch_size}")
    if not isinstance(whiten, (bool, np.bool_)):
        raise ValueError(f"whiten must be True or False, got {whiten!r}")
    dtype = check_dtype(dtype)
    if check_seed(seed) is None:  # unseeded: nothing worth caching
        return build_patches(n, patch_size, None, whiten)["patches"].astype(dtype)

    def check(arrays):
        return "patches" in arrays and arrays["patches"].shape == (n, patch_size * patch_size)

    name = f"patches_n{n}_p{patch_size}_seed{seed}{'_white' if whiten else ''}.npz"
    arrays = cache.cached(name, lambda: build_patches(n, patch_size, seed, whiten), check)
    return arrays["patches"].astype(dtype)
