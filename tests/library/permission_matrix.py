"""The library's write endpoints, named like tests/zones/test_api_permissions.py names the registry's.

Kept in a module of its own (not in test_permissions.py) so the registry's guard can import it without
collecting the library's tests twice.
"""
LIBRARY_WRITES = {
    "POST /documents/", "PATCH /documents/{id}/", "DELETE /documents/{id}/", "POST /documents/{id}/files/",
    "PATCH /document-files/{id}/", "DELETE /document-files/{id}/",
    "POST /campaigns/", "PATCH /campaigns/{id}/", "DELETE /campaigns/{id}/",
    "POST /events/", "PATCH /events/{id}/", "DELETE /events/{id}/", "POST /events/{id}/recommendations/",
    "PATCH /recommendations/{id}/", "DELETE /recommendations/{id}/",
    "POST /news/", "PATCH /news/{id}/", "DELETE /news/{id}/",
}
