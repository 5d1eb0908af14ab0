"""Case documents: decision PDFs (PDF/A-2b, sealed with PAdES) and checks of uploaded PDFs.

Pure of the project's I/O layers: nothing here touches the database, Temporal or mail. An
activity builds an input model (:mod:`documents.models`) from the case, calls
:func:`documents.issue.issue_document` and stores the result with ``store.documents``.
"""
