"""Sizes of the free text the forms, the API and the imports accept (the columns are unbounded TextFields).

A description is read on profiles, maps and lists: twenty thousand characters is several pages, far beyond any real
one, and it stops a body of megabytes (pasted by mistake or sent on purpose) from being stored and served to every
reader. The library's summaries have the same bound.
"""
DESCRIPTION_MAX_LENGTH = 20_000
