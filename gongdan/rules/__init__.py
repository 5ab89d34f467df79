"""The standard's rules, as pure Python.

Nothing here imports Django or reads a database: every function is given
its inputs (a calendar, a table of time limits, the elements of a reply)
and answers a question about them.
"""
