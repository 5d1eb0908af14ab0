"""The admin tool: CLI, JSON API and web pages for staff, and the seed cases for demos."""
