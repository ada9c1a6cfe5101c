"""Test support: the facts harness, the engine adapter and the instance type both evaluators return."""
