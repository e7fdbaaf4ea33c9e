"""The docstring examples of the public modules run and print what they say."""
import doctest
import importlib

import pytest

MODULES = ["axisconv.filters", "axisconv.separable", "axisconv.conv2d", "axisconv.layer",
           "axisconv.on1d"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE, verbose=False,
                             report=True)
    assert result.attempted > 0, f"{name} has no docstring examples"
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"


def test_docstrings_have_their_shared_fragments_filled_in():
    import axisconv
    import axisconv.on1d
    public = [getattr(axisconv, n) for n in axisconv.__all__ if callable(getattr(axisconv, n))]
    public += [getattr(axisconv.on1d, n) for n in axisconv.on1d.__all__]
    for f in public:
        for fragment in ("{MODES}", "{SIZE}", "{BOUNDARY}", "{THREADS}"):
            assert fragment not in (f.__doc__ or ""), f"{f.__name__} keeps {fragment}"
