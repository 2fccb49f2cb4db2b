"""Ralph's LRS (its own API, basic auth, validation and duplicate handling) on its file-system
backend, for tests. Usage: python3 ralph-lrs.py HOST PORT DATA_DIR (RALPH_AUTH_FILE set).

Why not `ralph runserver -b fs`: in Ralph 5.1.0 that backend writes every POST with the
"create" operation, which refuses once its one file exists, so an LRS started that way
accepts a single request and answers 500 to the next. Here each write appends instead, and
uvicorn runs in this process, without the development server's reloader.
"""

import os
import sys

host, port, data = sys.argv[1], int(sys.argv[2]), sys.argv[3]
os.environ["RALPH_RUNSERVER_BACKEND"] = "fs"
os.environ["RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH"] = data

from ralph.backends.data.base import BaseOperationType  # noqa: E402
from ralph.backends.lrs import fs as lrs_fs  # noqa: E402

_write = lrs_fs.FSLRSBackend.write


def append(self, data, target=None, chunk_size=None, ignore_errors=False, operation_type=None):
    return _write(self, data, target, chunk_size, ignore_errors, operation_type or BaseOperationType.APPEND)


lrs_fs.FSLRSBackend.write = append

import uvicorn  # noqa: E402

uvicorn.run("ralph.api:app", host=host, port=port, log_level="info", reload=False)
