"""Process plumbing shared by the worker, the web app and the CLI: configuration and logging."""
