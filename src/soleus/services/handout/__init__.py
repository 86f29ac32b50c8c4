"""The printable handout of a routine: an HTML document (:mod:`.document`) rendered to
PDF by WeasyPrint (:mod:`.render`)."""
