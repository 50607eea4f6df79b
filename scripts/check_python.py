"""`make`'s first step: stop with a clear message on a Python the locks were not made for.

Run by the Python that makes the venv, then by the venv's own (an old `.venv` may hold another).
The arguments are the supported versions, `3.11 3.12 3.13`.
"""

import sys

supported = sys.argv[1:]
running = "{}.{}".format(*sys.version_info[:2])
if running not in supported:
    sys.exit(
        f"kimonokittens runs on Python {', '.join(supported)}; {sys.executable} is {running}. "
        "Name another with `make PYTHON=python3.12 …`, or remove .venv if it was made by an "
        "unsupported Python."
    )
