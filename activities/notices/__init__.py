"""Notices: Swedish letters rendered from templates, kept in an outbox and delivered by SMTP."""
