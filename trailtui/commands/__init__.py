"""The command-line subcommands, one module each; `trailtui.cli` parses arguments and calls them."""
