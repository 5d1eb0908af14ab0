"""Security tests: each row of issue 14 shown by an attack that must fail."""
