"""Serving stored files (certificates, materials) to staff the view has already allowed: a file
missing from the store is a clear 404 page, and the caller audits only what was really served."""

from django.shortcuts import render

from gonghui.core.uploads import file_response

from ..services.certificates import FileMissing


def serve(request, stored_name: str, *, what: str, content_type: str, download_name: str, audit_served):
    """The file's response, with ``audit_served()`` called once the file is open; else the 404 page."""
    try:
        if not stored_name:
            raise FileNotFoundError(stored_name)
        response = file_response(stored_name, content_type=content_type, download_name=download_name)
    except (FileNotFoundError, OSError):
        return missing(request, FileMissing(what, stored_name))
    audit_served()
    return response


def missing(request, error: FileMissing):
    return render(request, "registration/file_missing.html", {"message": error.message}, status=404)
