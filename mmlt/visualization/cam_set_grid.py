"""An inspection grid of a CAM-generated set (Bag of Tricks' CAM-based
re-sampling): each generated image beside its original and foreground."""

import numpy as np


def cam_set_grid(
    data: dict, masks: np.ndarray, pairs: int = 24, zoom: int = 3
) -> np.ndarray:
    """An inspection grid: rows of (original, its foreground, generated)
    triples, picked evenly over the generated images.

    Args:
        data (dict): What :func:`build_cam_set` returns.
        masks (np.ndarray): The originals' foregrounds, (N, H, W) bool.
        pairs (int): Generated images shown.
        zoom (int): Pixel repetition, for small images.

    Returns:
        np.ndarray: (rows * H', 4 triples * W', 3) uint8 RGB.
    """
    made = np.flatnonzero(data['generated'])
    spread = np.linspace(0, len(made) - 1, min(pairs, len(made)))
    picks = made[spread.astype(int)]
    tiles = []
    for i in picks:
        src = data['source'][i]
        original = data['img'][src]
        shown_mask = (masks[src][..., None] * 255).astype(np.uint8)
        shown_mask = np.broadcast_to(shown_mask, original.shape)
        tiles.append([original, shown_mask, data['img'][i]])
    if not tiles:
        return np.zeros((1, 1, 3), np.uint8)
    h, w, c = tiles[0][0].shape
    per_row = 4
    rows = -(-len(tiles) // per_row)
    gap = 2
    grid = np.full(
        (rows * (h + gap), per_row * (3 * w + 2 * gap), 3), 128, np.uint8
    )
    for k, triple in enumerate(tiles):
        r, col = divmod(k, per_row)
        y = r * (h + gap)
        for j, tile in enumerate(triple):
            x = col * (3 * w + 2 * gap) + j * w
            grid[y : y + h, x : x + w] = np.broadcast_to(
                tile if c == 3 else tile[..., :1], (h, w, 3)
            )
    return grid.repeat(zoom, axis=0).repeat(zoom, axis=1)
