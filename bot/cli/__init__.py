"""The `lianzheng` command line, one module per command group."""
