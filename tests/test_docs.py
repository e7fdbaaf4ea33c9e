"""The docstring examples of the public modules run and print what they say."""
import doctest
import importlib

import pytest

MODULES = ["axisconv.filters", "axisconv.separable", "axisconv.conv2d"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE, verbose=False,
                             report=True)
    assert result.attempted > 0, f"{name} has no docstring examples"
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"
