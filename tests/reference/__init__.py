"""The reference evaluator: the semantics of docs/standards-language.md in plain, slow, checkable Python."""
