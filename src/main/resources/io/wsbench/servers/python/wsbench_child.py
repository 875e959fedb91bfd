# Runs a Python server as a child of the wsbench JVM and ends it when that JVM goes away, even if the
# JVM is killed and cannot stop it: wsbench never writes to this process's stdin, so end-of-file there
# means the parent is gone.
#   python3 wsbench_child.py -m MODULE ARGS...   runs a module as `python3 -m MODULE ARGS...` would
#   python3 wsbench_child.py SCRIPT ARGS...      runs a script as `python3 SCRIPT ARGS...` would
import os
import runpy
import sys
import threading


def exit_when_parent_goes(read=os.read):  # bound now, before a server can monkey-patch os
    while read(0, 4096):
        continue
    os._exit(0)


threading.Thread(target=exit_when_parent_goes, name="wsbench-parent-watch", daemon=True).start()
if sys.argv[1] == "-m":
    sys.argv = sys.argv[2:]
    runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
else:
    sys.argv = sys.argv[1:]
    runpy.run_path(sys.argv[0], run_name="__main__")
