"""All SQL: migrations, the event store, the read model, audit, and the embedded PostgreSQL."""
