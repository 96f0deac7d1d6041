"""Local runner: provisions template.yaml on an AWS emulator and runs the handlers in-process."""
