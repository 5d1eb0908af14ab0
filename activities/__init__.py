"""Activities: the only place the workflows touch the outside world. Each is idempotent."""
