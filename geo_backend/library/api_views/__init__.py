"""The library's API (/api/v1/documents/, campaigns/, events/, recommendations/, news/): thin views."""
