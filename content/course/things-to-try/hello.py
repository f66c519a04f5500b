# hello.py: an old script, written for Python 2. Python 3 refuses it:
# print is a statement here, and 7 / 2 is a whole-number division.
import sys

print "Hello from Python %d.%d!" % sys.version_info[:2]
print "7 / 2 =", 7 / 2
