"""The vectorised seed-sequence words against numpy's SeedSequence, bit for bit."""

import numpy as np
import pytest

from sim.core.seed_words import spawned_words


@pytest.mark.parametrize("seed", [0, 1, 7, 2**31 + 5, 2**32, 2**40 + 3, 2**100 + 12345,
                                  2**130 + 1])
def test_words_equal_numpy_seed_sequence(seed):
    # seeds of one to five 32-bit words: padded to the pool size, or longer than it
    keys = np.array([0, 1, 2, 99, 12345, 2**32 - 1])
    got = spawned_words(seed, keys, 25)
    expected = np.array([np.random.SeedSequence(seed, spawn_key=(int(k),))
                         .generate_state(25, np.uint64) for k in keys])
    assert got.dtype == np.uint64 and np.array_equal(got, expected)


def test_bad_keys_are_refused():
    with pytest.raises(ValueError):
        spawned_words(1, np.array([-1]), 3)
    with pytest.raises(ValueError):
        spawned_words(-1, np.array([0]), 3)
