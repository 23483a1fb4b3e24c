"""The configurator engine: pure Python, no Django. See README.md in this folder."""
