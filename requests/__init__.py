"""Guest wishes: the request catalogue, the wish parser, tasks and their lifecycle.

This package shadows the HTTP library of the same name on purpose (see README): the
app never uses that library.
"""
